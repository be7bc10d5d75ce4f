"""A text as citable passages: paragraphs and printed pages, each with a stable anchor.

Historians cite "p. 697" of a printed volume or quote a paragraph, and want to send a colleague
straight to it. So every paragraph of a text gets ``#p-<k>`` and every printed page break
``#page-<n>``; when a document holds several texts (original and translation) the anchors carry
the text's number, ``#t2-p-4`` and ``#t1-page-101``, so each stays unique and stable.

A paragraph is what a blank line separates in the stored body; single line breaks stay inside it
(telegram headers are laid out line by line). A printed page often begins mid-paragraph, so a page
break is a mark *inside* a paragraph, never a reason to cut one. Anchors are derived only from the
stored text, so they stay the same for as long as the record does.
"""

import re
from dataclasses import dataclass, field

from opis.web.display import text_segments

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class PageMark:
    n: str  # the printed page as the volume numbers it: "697", "xii"
    anchor: str  # "page-697", or "t1-page-697" in a document with several texts


@dataclass
class Piece:
    text: str
    page: PageMark | None = None  # a printed page that starts just before this text


@dataclass
class Passage:
    number: int  # paragraphs counted from 1 within their text
    anchor: str  # "p-3", or "t2-p-3"
    pages: str = ""  # the printed page(s) it stands on: "697", "697–698"; "" when not known
    pieces: list[Piece] = field(default_factory=list)


def text_prefix(position: int, text_count: int) -> str:
    """ "t2-" for the second of several texts; nothing when the document has one text."""
    return f"t{position}-" if text_count > 1 else ""


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text between blank lines, trailing spaces and
    surrounding line breaks left out, empty runs dropped."""
    spans, start = [], 0
    for gap in [*_PARAGRAPH_BREAK.finditer(body), None]:
        end = gap.start() if gap else len(body)
        chunk = body[start:end]
        lead = len(chunk) - len(chunk.lstrip("\n"))
        if chunk.strip():
            spans.append((start + lead, start + len(chunk.rstrip())))
        start = gap.end() if gap else end
    return spans


def _page_breaks(body: str, pages: list[dict] | None) -> list[tuple[int, str]]:
    """(offset, page) for the breaks ``text_segments`` trusts (in order, inside the body)."""
    breaks, offset = [], 0
    for segment in text_segments(body, pages):
        if segment.page:
            breaks.append((offset, segment.page))
        offset += len(segment.text)
    return breaks


def _anchor_maker(prefix: str):
    """Anchors for page marks: ``page-<n>`` made safe for a URL, unique within the page."""
    seen: dict[str, int] = {}

    def anchor(n: str) -> str:
        base = prefix + "page-" + (_UNSAFE.sub("-", n).strip("-") or "unnumbered")
        seen[base] = seen.get(base, 0) + 1
        return base if seen[base] == 1 else f"{base}-{seen[base]}"

    return anchor


def passages(body: str, pages: list[dict] | None, prefix: str = "") -> list[Passage]:
    """The body as numbered paragraphs, each cut only where a printed page starts inside it.

    A break that falls between paragraphs opens the next one; one after the last paragraph closes
    it, so no page mark is ever lost.
    """
    spans = paragraph_spans(body)
    if not spans:
        return []
    anchor = _anchor_maker(prefix)
    breaks = _page_breaks(body, pages)
    result, current_page, next_break = [], "", 0
    for number, (start, end) in enumerate(spans, 1):
        last = number == len(spans)
        mine = []
        while next_break < len(breaks) and (last or breaks[next_break][0] < end):
            offset, n = breaks[next_break]
            mine.append((min(max(offset, start), end), n))
            next_break += 1
        first_page = mine[0][1] if mine and mine[0][0] == start else current_page
        current_page = mine[-1][1] if mine else current_page
        span = first_page if current_page == first_page else f"{first_page}–{current_page}"
        result.append(
            Passage(
                number=number,
                anchor=f"{prefix}p-{number}",
                pages=span if first_page else "",
                pieces=_pieces(body, start, end, mine, anchor),
            )
        )
    return result


def _pieces(body: str, start: int, end: int, breaks: list[tuple[int, str]], anchor) -> list[Piece]:
    pieces = [Piece(body[start : breaks[0][0]])] if breaks and breaks[0][0] > start else []
    for index, (offset, n) in enumerate(breaks):
        stop = breaks[index + 1][0] if index + 1 < len(breaks) else end
        pieces.append(Piece(body[offset:stop], PageMark(n, anchor(n))))
    return pieces or [Piece(body[start:end])]
