"""National Archives of Australia: series and control symbol.

"[NAA: A1838, 852/13/4]", "[AA : CP 290/6, BUNDLE 1, ITEM 28]", "NAA: A4940, C4370". The older
"AA" (Australian Archives) is the same institution. The series is the first item, the control
symbol the rest; both are written the way RecordSearch writes them, by these documented rules:

* A part given as a roman numeral ("852/13/4, ii", "401/3/1/1/ v") or as "part 2" is the NAA's
  " PART 2"; "VOL. 12" is "VOLUME 12"; editorial brackets round a control symbol ("[14]") go.
* The Australian Archives' consignment and transfer marks are not the series: "A1838/2",
  "A1838/283" and "A1838 T184" are series A1838 (one "/N" after an A-series only; CP290/6,
  AA1972/341 and other series with a slash in their number keep it).
* Spaces and dots inside the series go ("A 1838", "A.1838"), and in A-series the letters l, I and
  J that OCR reads for the digit 1 become 1 ("Al838", "AI0463", "All443"): series numbers are
  digits. Control symbols are never corrected: "801113/11/1" stays as printed.

Where the first item is not a series at all, the location keeps its raw text and repository only.
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, register

_REPOSITORY = r"(?P<repo>NAA|AA|A\.A\.|National\s+Archives\s+of\s+Australia|Australian\s+Archives)"
_BRACKETED = re.compile(
    r"\[(?:[^\[\]\n:]{0,40}?(?<![\w]))?" + _REPOSITORY
    + r"\s*:\s*(?P<body>(?:[^\[\]\n]|\[[^\[\]\n]*\]?)*)(?P<close>\])?"
)  # fmt: skip
_PLAIN = re.compile(
    r"(?<![\w\[])(?:(?P<repo>NAA|National\s+Archives\s+of\s+Australia|Australian\s+Archives)"
    r"\s*[:,]|AA\s*:)\s*(?=(?:[A-Z]{1,3}\s?)?[\dlIJ])"
)
_SERIES = re.compile(
    r"(?P<prefix>[A-Z]{1,3}?)?[\s.]*(?P<number>[0-9lIJ](?:[0-9]|[lIJ](?=[0-9lIJ]))*)"
    r"(?P<sub>(?:\s*/\s*[0-9A-Z]+)*)(?P<transfer>\s+T\s?[0-9lI]+(?:\s*\([A-Za-z]+\))?)?(?![\w/])"
)
_SEPARATOR = re.compile(r"[;\s]*")
_INNER_SEMICOLON = re.compile(r";")
# An unbracketed reference in prose ends at a sentence's end, a bracket, a line or an "and".
_PLAIN_END = re.compile(r"[;)\]\n]|\.(?=\s|$)|\s+and\s+|\s+\(")
_NEXT_SERIES = re.compile(r"\s*(?:and\s+)?[A-Z]{1,3}\s?\d+(?:/\d+)?\s*,")
_ROMAN = re.compile(r"(?P<roman>[ivxl]+|[IVXL]+)\s?(?P<letter>[a-dA-D])?")
_TRAILING_PART = re.compile(r"^(?P<head>.*?[\d/])\s*[./]?\s+(?P<part>[ivxl]+[a-d]?)$")
_PART_WORD = re.compile(
    r"[\s.,/]*\b(?:part|pt\.?)\s*(?P<number>[0-9lI]+[A-Za-z]?)\b", re.IGNORECASE
)
_VOLUME = re.compile(r"\bv[o0]l(?:ume)?\.?\s*(?=\d)", re.IGNORECASE)
_ANNEX = re.compile(r",\s*(?=(?:annex|attachment|section|enclosure)\b)", re.IGNORECASE)


@register("naa", "[NAA: A1838, 852/13/4]", "[AA : CP 290/6, BUNDLE 1, ITEM 28]")
def find(text: str, written: str) -> Iterator[Found]:
    for match in _BRACKETED.finditer(text):
        closed = match.group("close") is not None
        end = match.end() if closed else _trim_open(text, match.end("body"))
        body_end = match.end("body") if closed else end
        # (start of the location, start of its body): the bracket, then each "; A11443, …"
        pieces = [(match.start(), match.start("body"))]
        stops = []
        for cut in _INNER_SEMICOLON.finditer(text, match.start("body"), body_end):
            if _NEXT_SERIES.match(text, cut.end(), body_end):
                separator = _SEPARATOR.match(text, cut.start())
                assert separator is not None  # "[;\s]*" matches anywhere
                after = separator.end()
                pieces.append((after, after))
                stops.append(cut.start())
        for (start, body_start), stop in zip(pieces, [*stops, end], strict=True):
            body = text[body_start : min(stop, body_end)]
            location = found(written, start, stop, repository="NAA", **_parts(body))
            if location:
                yield location
    for match in _PLAIN.finditer(text):
        closing = _PLAIN_END.search(text, match.end())
        end = closing.start() if closing else len(text)
        body = text[match.end() : end]
        location = found(written, match.start(), end, repository="NAA", **_parts(body))
        if location:
            yield location


def _trim_open(text: str, end: int) -> int:
    """An unclosed bracket ("[NAA: A11443, [14])_"): stop before the trailing debris."""
    while end > 0 and text[end - 1] in " _)*.":
        end -= 1
    return end


def _parts(body: str) -> dict[str, str]:
    """Series and control symbol out of the bracket's text, by the rules in the docstring."""
    body = " ".join(body.split()).strip(" .,_*;")
    first, _, rest = body.replace(";", ",").partition(",")
    if re.fullmatch(r"[A-Z]{1,3}[\s.]*[0-9lIJ][0-9lIJ\s]*", first.strip()):
        first = re.sub(r"[\s.]", "", first)
    match = _SERIES.match(first.strip())
    if not match or not (match.group("prefix") or match.group("number").isdigit()):
        return {}
    if match.group("prefix") not in ("A", None) and not match.group("number")[0].isdigit():
        return {}
    series = _series(match)
    items = [first.strip()[match.end() :].strip(" .")] + rest.split(",")
    control = _control([item.strip() for item in items if item.strip()])
    return {
        "series": series,
        "control_symbol": control,
        "reference": ", ".join(p for p in (series, control) if p),
    }


def _series(match: re.Match) -> str:
    prefix = match.group("prefix") or ""
    number = match.group("number")
    if prefix == "A":  # A-series numbers are digits: l, I and J are OCR's 1
        number = number.translate(str.maketrans("lIJ", "111"))
    sub = re.sub(r"\s+", "", match.group("sub") or "")
    if prefix == "A" and re.fullmatch(r"/[0-9A-Z]+", sub):
        sub = ""  # an Australian Archives consignment, not part of the series
    return prefix + number + sub


def _control(items: list[str]) -> str:
    if not items:
        return ""
    part = _roman_part(items[-1]) if len(items) >= 2 else None
    if not part and len(items) >= 2 and items[-1] == "1" and "/" in items[-2]:
        part = "1"  # "852/18/2, 1": the roman i of a part, read as a digit
    if part:
        items = items[:-1]
    elif trailing := _TRAILING_PART.match(items[-1]):
        part = _roman_part(trailing.group("part"))
        if part:
            items = [*items[:-1], trailing.group("head")]
    control = ", ".join(items).rstrip("/ ")
    control = _PART_WORD.sub(lambda m: " PART " + _ocr_digits(m.group("number")).upper(), control)
    control = _VOLUME.sub("VOLUME ", control)
    control = _ANNEX.sub(" ", control)
    control = re.sub(r"^\[([^\[\]]*)\]$", r"\1", control)
    control = " ".join(control.split())
    return f"{control} PART {part}" if part else control


def _roman_part(item: str) -> str | None:
    """ "ii" → "2", "iiib" → "3B", "IV" → "4"; None for anything that is not a roman part."""
    match = _ROMAN.fullmatch(item.strip())
    if not match:
        return None
    value = _roman_value(match.group("roman").lower())
    if not value:
        return None
    return f"{value}{(match.group('letter') or '').upper()}"


def _roman_value(roman: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50}
    total = 0
    for here, after in zip(roman, roman[1:] + " ", strict=True):
        total += -values[here] if values.get(after, 0) > values[here] else values[here]
    return total if 0 < total < 90 and _roman_text(total) == roman else 0


def _roman_text(number: int) -> str:
    out = ""
    for value, letters in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv")):
        while number >= value:
            out, number = out + letters, number - value
    return out + "i" * number


def _ocr_digits(text: str) -> str:
    return re.sub(r"^[lI]+", lambda m: "1" * len(m.group()), text)
