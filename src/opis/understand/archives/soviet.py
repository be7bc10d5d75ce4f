"""Russian and Soviet archives: fond, opis, delo, papka, list (folios), Latin or Cyrillic.

"APRF, Fond 45, Opis 1, Delo 331, List 85", "RGASPI, f. 558, op. 11, d. 334, ll.0085",
"Ф. 17. Оп. 162. Д. 44. Л. 12–14". A location is a chain of parts separated by commas or periods;
it ends where the chain breaks, at a semicolon, or where a part repeats (a second fond begins the
next location). Without a named repository a chain must open with a fond or an opis and hold two
parts, so "d. 5" alone in prose is not a location; the repository then stays empty.

"p." is a papka only inside a chain: alone it is an English page. Folios keep their form as
written, oborot (verso) included: "12ob.-13", "12–14".
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, register
from opis.understand.archives.repositories import mentions

_WORDS = {
    "fond": r"fond|f\.|ф\.|фонд",
    "opis": r"opis'?|op\.|оп\.|опись",
    "delo": r"delo|d\.|д\.|дело",
    "papka": r"papka|p\.|п\.|папка",
    "folios": r"listy|list|ll\.|l\.|лл\.|л\.|листы|лист",
    # kept in raw, mapped to no field: poriadkovyi nomer, tom, storage units of other archives
    "other": r"por\.|пор\.|tom|t\.|том|т\.|a\.\s?e\.|а\.\s?е\.|ed\.\s?khr\.|ед\.\s?хр\.",
}
_NUMBER = (
    r"(?:[РрRr]-?)?[0-9]+(?:\s?(?:ob|об)\.?|-?[A-Za-zА-Яа-я](?![\w]))?"
    r"(?:/(?:[0-9]{1,4}|[A-ZА-Я]{1,4})(?![\w/]))?"
)  # "1-B", "14/AP", "220/1966": Bulgarian, Albanian and Romanian fonds
_VALUE = rf"{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?"
_MORE_FOLIOS = re.compile(
    rf"(?:\s*,\s*[0-9]+(?:\s?(?:ob|об)\.?)?(?:\s*[-–—]\s*{_NUMBER})?(?![\w]))*"
)
_PART = re.compile(
    r"(?<![\w])(?:"
    + "|".join(f"(?P<{key}>{words})" for key, words in _WORDS.items())
    + rf")\s*(?P<value>{_VALUE})",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"[\s,.]*")
# after the name: its abbreviation or place in parentheses ("… Federation (APRF), Fond 45"), or
# the parenthesis that closes a name given as an abbreviation ("… Documentation (TsKhSD), f. 5")
_AFTER_REPOSITORY = re.compile(r"\)?(?:\s*\([^()\n]{1,40}\))?[\s,.:]*")
_OPENING = re.compile(rf"(?<![\w])(?:{_WORDS['fond']}|{_WORDS['opis']})\s*[0-9РрRr]", re.I)


def _past(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where ``pattern`` ends from ``pos``: it matches the empty string, so it always matches."""
    match = pattern.match(text, pos)
    assert match is not None, pattern.pattern
    return match.end()


@register("soviet", "APRF, Fond 45, Opis 1, Delo 331, List 85", "ф. 17, оп. 162, д. 44, л. 12–14")
def find(text: str, written: str) -> Iterator[Found]:
    taken = 0
    for start, repository, pos in _starts(text):
        if start < taken:
            continue
        parts, end = _chain(text, pos)
        if not parts or (not repository and len(parts) < 2):
            continue
        location = found(written, start, end, repository=repository, **_fields(parts))
        if location:
            taken = end
            yield location


def _starts(text: str) -> Iterator[tuple[int, str, int]]:
    """Where chains may begin: after a named repository, or at a bare fond or opis."""
    starts = [
        (start, key, _past(_AFTER_REPOSITORY, text, end)) for start, end, key in mentions(text)
    ]
    starts += [(m.start(), "", m.start()) for m in _OPENING.finditer(text)]
    yield from sorted(starts, key=lambda s: (s[0], s[1] == ""))


def _chain(text: str, pos: int) -> tuple[list[tuple[str, str]], int]:
    parts: list[tuple[str, str]] = []
    end = pos
    while True:
        match = _PART.match(text, _past(_SEPARATOR, text, end))
        if not match:
            break
        key = next(k for k in _WORDS if match.group(k))
        if any(k == key for k, _ in parts) and key != "other":
            break  # a second fond (or opis…) begins the next location
        if key == "papka" and not parts:
            break  # "p. 12" opening a chain is a page
        end = match.end()
        if key == "folios":  # "ll. 12, 14-15"
            end = _past(_MORE_FOLIOS, text, end)
        parts.append((key, text[match.start("value") : end]))
    return parts, end


def _fields(parts: list[tuple[str, str]]) -> dict[str, str]:
    """Values as written without spaces ("12 ob." → "12ob."), a list of folios comma-spaced."""
    fields = {key: re.sub(r"\s+", "", value) for key, value in parts if key != "other"}
    return {key: value.replace(",", ", ") for key, value in fields.items()}
