"""Archival locations out of a citation as historians write it (Russian and Soviet archives).

"APRF, Fond 45, Opis 1, Delo 331, List 85; AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118;
and RGASPI, f. 558, op. 11, d. 334, ll.0085" places one document in three archives. Each location
keeps its raw text; parts are filled only where the citation names them, never guessed. The
general parser for every archive (NARA, TNA, NAA, BArch, …) arrives with issue 3.
"""

import re

from opis.readers.drafts import LocationDraft

# One canonical name per repository, whatever abbreviation the citation used.
REPOSITORIES = {
    "APRF": "APRF",
    "AP RF": "APRF",
    "АПРФ": "APRF",
    "AVP RF": "AVP RF",
    "AVPRF": "AVP RF",
    "АВП РФ": "AVP RF",
    "RGASPI": "RGASPI",
    "РГАСПИ": "RGASPI",
    "RGANI": "RGANI",
    "РГАНИ": "RGANI",
    "GARF": "GARF",
    "ГАРФ": "GARF",
    "RGAE": "RGAE",
    "RGVA": "RGVA",
    "TsAMO": "TsAMO",
    "ЦАМО": "TsAMO",
    "TsKhSD": "TsKhSD",
    "SCCD": "TsKhSD",
}

_PART_WORDS = {
    "fond": r"fond|f\.|ф\.|фонд",
    "opis": r"opis'?|op\.|оп\.|опись",
    "delo": r"delo|d\.|д\.|дело",
    "papka": r"papka|p\.|п\.|папка",
    "folios": r"listy|list|ll\.|l\.|лл\.|л\.|листы|лист",
}
_NUMBER = r"[0-9]+(?:ob\.?|об\.?|[A-Za-zа-яА-Я])?"
_VALUE = _NUMBER + r"(?:\s*[-–]\s*" + _NUMBER + ")?"
_PART = re.compile(
    r"(?P<word>" + "|".join(f"(?P<{key}>{pattern})" for key, pattern in _PART_WORDS.items()) + r")"
    r"\s*(?P<value>" + _VALUE + ")",
    re.IGNORECASE,
)
_REPOSITORY = re.compile(
    r"(?<![\w])(?P<repo>" + "|".join(re.escape(k) for k in sorted(REPOSITORIES, key=len, reverse=True))
    + r")(?![\w])"
)


def parse_archival_locations(citation: str) -> list[LocationDraft]:
    """Every Russian/Soviet archival location in a citation, in the order written."""
    text = re.sub(r"<[^>]*>", " ", citation or "")
    starts = [m for m in _REPOSITORY.finditer(text) if _PART.match(text, _skip_sep(text, m.end()))]
    locations = []
    for i, match in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        raw = text[match.start() : end].strip()
        raw = re.sub(r"(?:[;,]\s*(?:and)?\s*|\.\s*)$", "", raw).strip()
        raw = re.sub(r"[;,]?\s*and$", "", raw).strip()
        location = LocationDraft(raw=raw, repository=REPOSITORIES[match.group("repo")])
        for part in _PART.finditer(raw):
            key = next(k for k in _PART_WORDS if part.group(k))
            if not getattr(location, key):
                setattr(location, key, part.group("value").replace(" ", ""))
        locations.append(location)
    return locations


def _skip_sep(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " ,:":
        pos += 1
    return pos
