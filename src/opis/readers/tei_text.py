"""TEI text as a reader sees it: tag names, and a document's body rendered in reading order.

Split from the FRUS reader so that each module keeps one concern: ``frus_tei`` walks volumes and
builds records; this module turns a TEI element into plain text with paragraphs, footnote marks
and page-break offsets, the same way for every TEI reader to come.
"""

from lxml import etree

from opis.drafts import FootnoteDraft

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
T = f"{{{TEI_NS}}}"
DIV, HEAD, NOTE, PB, LB, P = T + "div", T + "head", T + "note", T + "pb", T + "lb", T + "p"
DATELINE, DATE, PLACE, SIGNED, PERSNAME = (
    T + "dateline", T + "date", T + "placeName", T + "signed", T + "persName",
)  # fmt: skip
ATTACHMENT = f"{{{FRUS_NS}}}attachment"
DATE_MIN, DATE_MAX = f"{{{FRUS_NS}}}doc-dateTime-min", f"{{{FRUS_NS}}}doc-dateTime-max"

_BLOCK = {
    T + name
    for name in (
        "p", "head", "dateline", "opener", "closer", "postscript", "list", "table", "lg", "ab",
        "div", "figure", "byline", "argument", "epigraph", "trailer", "docAuthor", "address",
        "floatingText", "sp", "castList", "listBibl",
    )
} | {ATTACHMENT}  # fmt: skip
_LINE = {T + name for name in ("item", "row", "signed", "salute", "addrLine", "l", "label", "bibl")}
_CONTAINERS = {DIV, ATTACHMENT, T + "postscript", T + "body"}
_KIND = {
    **dict.fromkeys(_BLOCK, "block"),
    **dict.fromkeys(_LINE, "line"),
    LB: "lb",
    PB: "pb",
    PERSNAME: "person",
    NOTE: "note",
    T + "quote": "quote",
    T + "cell": "cell",
    etree.Comment: "skip",
    etree.ProcessingInstruction: "skip",
    etree.Entity: "skip",
}


# --- text ----------------------------------------------------------------------------------------


def plain_text(elem: etree._Element) -> str:
    """Text content without footnotes, ``<lb/>`` as a space, whitespace normalised."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == LB:
                parts.append(" ")
            elif child.tag != NOTE and isinstance(child.tag, str):
                visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(elem)
    return " ".join("".join(parts).split())


class _Writer:
    """Running text with paragraph and line breaks decided lazily, and page marks as offsets."""

    def __init__(self, start_page: str = ""):
        self.parts: list[str] = []
        self.size = 0
        self.pending = ""
        self.pages: list[dict] = []
        self.waiting: list[str] = [start_page] if start_page else []
        self.last_page = start_page

    def text(self, raw: str | None) -> None:
        if not raw:
            return
        words = raw.split()
        if not words:  # indentation between elements: at most a space
            if not self.pending:
                self.pending = " "
            return
        pending = self.pending or (" " if raw[0].isspace() else "")
        if self.size and pending:
            self.parts.append(pending)
            self.size += len(pending)
        if self.waiting:
            self._place_pages()
        joined = words[0] if len(words) == 1 else " ".join(words)
        self.parts.append(joined)
        self.size += len(joined)
        self.pending = " " if raw[-1].isspace() else ""

    def _place_pages(self) -> None:
        for n in self.waiting:
            if self.pages and self.pages[-1]["offset"] == self.size:
                self.pages[-1] = {"n": n, "offset": self.size}  # a page with no text of ours
            else:
                self.pages.append({"n": n, "offset": self.size})
        self.waiting.clear()

    def space(self) -> None:
        if not self.pending:
            self.pending = " "

    def line(self) -> None:
        if self.pending != "\n\n":
            self.pending = "\n"

    def block(self) -> None:
        self.pending = "\n\n"

    def page(self, n: str) -> None:
        if n:
            self.waiting.append(n)
            self.last_page = n


class Rendering:
    """Walks a document's elements once: body text, footnotes, pages, and the parts to keep."""

    def __init__(self, start_page: str):
        self.out = _Writer(start_page)
        self.footnotes: list[FootnoteDraft] = []
        self.signed: list[etree._Element] = []
        self.persons: list[etree._Element] = []
        self.dateline: etree._Element | None = None
        self._enclosed = 0  # depth inside enclosures and footnotes: their parts are not ours

    def render(self, div: etree._Element, skip: set[int]) -> None:
        self.out.text(div.text)
        for child in div:
            if id(child) not in skip:
                self.element(child)
            self.out.text(child.tail)

    def finish(self) -> tuple[str, list[dict], str]:
        return "".join(self.out.parts), self.out.pages, self.out.last_page

    def children(self, elem: etree._Element) -> None:
        text, element = self.out.text, self.element
        if elem.text:
            text(elem.text)
        for child in elem:
            element(child)
            tail = child.tail
            if tail:
                text(tail)

    def element(self, elem: etree._Element) -> None:
        kind = _KIND.get(elem.tag, "inline")
        if kind == "inline":
            self.children(elem)
        elif kind == "block":
            self._block(elem)
        elif kind == "line":
            self._line(elem)
        elif kind == "lb":
            self.out.line()
        elif kind == "pb":
            self.out.page(elem.get("n") or "")
        elif kind == "person":
            if elem.get("corresp"):
                self.persons.append(elem)
            self.children(elem)
        elif kind == "note" and _is_footnote(elem):
            self.footnote(elem, mark=True)
        elif kind == "note" or (kind == "quote" and _is_block_quote(elem)):
            self._block(elem)
        elif kind == "quote":
            self.children(elem)
        elif kind == "cell":
            if elem.getprevious() is not None:
                self.out.text(" | ")
            self.children(elem)

    def _block(self, elem: etree._Element) -> None:
        enclosure = elem.tag == ATTACHMENT or (elem.tag == DIV and elem.get("type") == "document")
        if elem.tag == DATELINE and self.dateline is None and not self._enclosed:
            self.dateline = elem
        self._enclosed += enclosure
        self.out.block()
        self.children(elem)
        self.out.block()
        self._enclosed -= enclosure

    def _line(self, elem: etree._Element) -> None:
        if elem.tag == SIGNED and not self._enclosed:
            self.signed.append(elem)
        previous = elem.getprevious()
        if not (elem.tag == T + "item" and previous is not None and previous.tag == T + "label"):
            self.out.line()
        self.children(elem)
        if elem.tag in (SIGNED, T + "row"):
            self.out.line()

    def footnote(self, note: etree._Element, *, mark: bool) -> None:
        label = (note.get("n") or "").strip()[:20]
        if mark:
            self.out.text(f"[{label or '*'}]")
        body = Rendering("")
        body._enclosed = 1
        body.children(note)
        self.footnotes.append(FootnoteDraft(body="".join(body.out.parts), label=label))
        self.footnotes += body.footnotes
        self.persons += body.persons


def _is_footnote(note: etree._Element) -> bool:
    """Numbered notes, and notes inside sentences; an unnumbered note standing between paragraphs
    is a heading the converter tagged as a note, and is read as text."""
    if note.get("type") == "source":
        return False
    return bool(note.get("n") or note.get(XML_ID)) or note.getparent().tag not in _CONTAINERS


def _is_block_quote(quote: etree._Element) -> bool:
    return quote.getparent().tag in _CONTAINERS or any(c.tag in _BLOCK for c in quote)
