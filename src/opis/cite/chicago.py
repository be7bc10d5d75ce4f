"""Chicago notes-bibliography forms, written the way the Wilson Center and FRUS editors cite.

These are rendered here from the CSL-JSON item rather than by citeproc-py with the Chicago CSL
file: citeproc-py title-cases archival titles ("Ciphered Telegram"), puts the comma outside the
quotation marks and repeats the repository after the location, none of which an archivist
would write. Forms:

- full note: "Title," July 13, 1950, Wilson Center Digital Archive, APRF, f. 45, …, URL.
- series document: "Title," December 29, 1938, Documents on Australian Foreign Policy,
  Volume 1: 1937-38, Document 338, NAA: A981, ABY 20.
"""

import re

from opis.cite.creators import inverted, name_text, short
from opis.cite.csl import printed_in
from opis.cite.styles import register

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
SERIES_SHORT = {
    "Foreign Relations of the United States": "FRUS",
    "Documents on Australian Foreign Policy": "DAFP",
}


def _one_date(parts: list[int]) -> str:
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def date_text(issued: dict | None) -> str:
    """``July 13, 1950``; ``July 13–15, 1950``; ``July 1950``; ``n.d.`` when undated."""
    if not issued:
        return "n.d."
    if "literal" in issued:
        return issued["literal"]
    start, *rest = issued["date-parts"]
    if not rest:
        return _one_date(start)
    end = rest[0]
    if len(start) == 3 and len(end) == 3 and start[:2] == end[:2]:
        return f"{MONTHS[start[1] - 1]} {start[2]}–{end[2]}, {start[0]}"
    return f"{_one_date(start)}–{_one_date(end)}"


def _quoted(title: str, stop: str) -> str:
    """American usage: the comma or period goes inside the quotation marks (unless the title
    already ends in its own mark)."""
    if title.endswith(("?", "!", ".")):
        return f"“{title}”"
    return f"“{title}{stop}”"


def _bib_names(names: list[dict]) -> str:
    """The first name inverted, as a bibliography sorts it; the others in reading order."""
    written = [inverted(n) if i == 0 else name_text(n) for i, n in enumerate(names)]
    return " and ".join(written)


def _join(parts: list, sep: str) -> str:
    return sep.join(str(p) for p in parts if p)


@register("chicago-note", "Chicago, full note")
def chicago_note(item: dict) -> str:
    head = _quoted(item["title"], ",")
    rest: list[str | None] = [date_text(item.get("issued"))]
    rest.append(printed_in(item))
    rest += [item.get("publisher"), item.get("archive_location"), item.get("URL")]
    return f"{head} {_join(rest, ', ')}."


def short_title(title: str) -> str:
    """Chicago's short title: the title up to its first comma or colon when that is short,
    otherwise its first four words."""
    head = re.split(r"[,:;(]", title, maxsplit=1)[0].strip()
    words = title.split()
    if len(head.split()) <= 5 and head != title:
        return head
    return title if len(words) <= 5 else " ".join(words[:4]) + "…"


@register("chicago-short", "Chicago, short note")
def chicago_short(item: dict) -> str:
    """``Stalin to Zhou Enlai or Mao Zedong, July 13, 1950.`` for correspondence; otherwise the
    short title and date; series documents add ``DAFP, vol. 1, doc. 338``."""
    date = date_text(item.get("issued"))
    if item.get("author") and item.get("recipient"):
        recipients = " or ".join(short(n) for n in item["recipient"])
        head = f"{' and '.join(short(n) for n in item['author'])} to {recipients}, {date}"
    else:
        head = f"{_quoted(short_title(item['title']), ',')} {date}"
    if item.get("container-title"):
        series = item.get("collection-title", "")
        volume = re.search(r"Volume\s+([\w-]+)", item.get("container-title", ""), re.I)
        parts = [SERIES_SHORT.get(series, series), volume and f"vol. {volume.group(1)}"]
        if item.get("number"):
            parts.append(f"doc. {item['number']}")
        head += ", " + _join(parts, ", ")
    return head + "."


@register("chicago-bib", "Chicago, bibliography")
def chicago_bib(item: dict) -> str:
    parts = [_bib_names(item.get("author") or [])]
    parts.append(_quoted(item["title"], "."))
    parts.append(date_text(item.get("issued")) + ".")
    if printed_in(item):
        parts.append(f"In {printed_in(item)}.")
    for key in ("archive_location", "publisher", "URL"):
        if item.get(key):
            parts.append(item[key] + ".")
    if parts[0]:
        parts[0] += "."
    return " ".join(p for p in parts if p)
