"""United States: NARA record groups, State Department files, lot files, presidential libraries.

"National Archives, RG 59, Central Decimal File 1950-54, 795.00/7-1350"; "Department of State,
Central Files, 611.61/2-1046" (FRUS source notes); "File No. 861.51/381" (FRUS 1861–1936, no
repository named: it stays empty); "Lot 64 D 563"; "Truman Library, Papers of Harry S. Truman,
PSF". ``reference`` holds the identifier below the repository as written; ``series`` the record
group ("RG 59") where one is named; ``control_symbol`` the decimal file or lot number.

A bare "RG 25" is not taken for NARA: Library and Archives Canada numbers its record groups too.
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, register, segment_end
from opis.understand.archives.repositories import canonical_repository, repository_pattern

DECIMAL_FILE = r"\d{3}\.\d{2,}[0-9A-Za-z]*(?:/\d+[A-Za-z]?(?:-\d{1,6})*)?"
_NUMERIC_FILE = r"\d{2,5}/\d+[A-Za-z]?(?:-\d+)?"
_LOT = r"Lot\s+(?P<lot>\d{2}\s?[DF]\s?\d+)"
_FILES = re.compile(rf"(?<![\w.])(?P<decimal>{DECIMAL_FILE})(?![\w/])|{_LOT}")
_RECORD_GROUP = re.compile(r"(?<![\w])(?:RG|Record\s+Group)\s*(?P<number>\d+)")
_NARA = re.compile(
    repository_pattern("NARA")
    + r"(?:\s*\(NARA\))?(?:,?\s*(?:College\s+Park|Washington)(?:,\s*(?:MD|Maryland|D\.\s?C\.))?)?"
    r"\s*[,:]\s*(?=RG\s*\d|Record\s+Group|" + DECIMAL_FILE + r"|Lot\s+\d)"
)
_STATE = re.compile(
    r"(?<![\w])(?:U\.\s?S\.\s+)?(?:Department\s+of\s+State|State\s+Department)(?:\s+Records)?"
    r"\s*[,:]\s*(?=[^;\n]{0,120}?(?:Central\s+(?:Decimal\s+)?Files?|Decimal\s+Files?|Lot\s+\d"
    r"|" + DECIMAL_FILE + r"))"
)
_FILE_NUMBER = re.compile(
    rf"(?<![\w])File\s+Nos?\.\s*(?P<number>{DECIMAL_FILE}|{_NUMERIC_FILE})(?![\w/])"
)
_BARE = re.compile(r"(?<![\w])(?:RG|Record\s+Group)\s*\d+|(?<![\w])Lot\s+\d{2}\s?[DF]\s?\d+")
_LIBRARY = re.compile(
    repository_pattern(
        "Roosevelt Library", "Truman Library", "Eisenhower Library", "Kennedy Library",
        "Johnson Library", "Nixon Library", "Ford Library", "Carter Library", "Reagan Library",
    )
    + r"(?:,?\s*(?:Independence|Abilene|Boston|Austin|Yorba\s+Linda|Ann\s+Arbor|Atlanta|"
    r"Simi\s+Valley|Hyde\s+Park)(?:,\s*[A-Z][a-z]+\.?)?)?\s*[,:]\s*(?=[A-Z0-9\"“])"
)  # fmt: skip


@register("nara", "National Archives, RG 59, Central Decimal File 1950-54, 795.00/7-1350")
def find_nara(text: str, written: str) -> Iterator[Found]:
    for match in _NARA.finditer(text):
        yield from _with_files(text, written, match, "NARA")


@register("state-department", "Department of State, Central Files, 611.61/2-1046")
def find_state(text: str, written: str) -> Iterator[Found]:
    for match in _STATE.finditer(text):
        yield from _with_files(text, written, match, canonical_repository("Department of State"))


@register(
    "record-group-or-lot", "RG 59, Central Decimal File 1950-54, 795.00/7-1350", "Lot 64 D 563"
)
def find_bare(text: str, written: str) -> Iterator[Found]:
    """A record group or lot file with no repository named: the repository stays empty."""
    for match in _BARE.finditer(text):
        yield from _with_files(text, written, match, "", include_prefix=False)


@register("file-number", "File No. 861.51/381")
def find_file_number(text: str, written: str) -> Iterator[Found]:
    for match in _FILE_NUMBER.finditer(text):
        number = match.group("number")
        location = found(
            written, match.start(), match.end(), control_symbol=number, reference=number
        )
        if location:
            yield location


@register("presidential-library", "Truman Library, Papers of Harry S. Truman, PSF")
def find_library(text: str, written: str) -> Iterator[Found]:
    for match in _LIBRARY.finditer(text):
        end = segment_end(text, match.end())
        name = re.sub(r"[\s,:]+$", "", text[match.start() : match.end()])
        name = re.split(r",", name)[0]
        reference = text[match.end() : end]
        location = found(
            written, match.start(), end, repository=canonical_repository(name), reference=reference
        )
        if location and reference.strip():
            yield location


def _with_files(
    text: str, written: str, match: re.Match, repository: str, include_prefix: bool = True
) -> Iterator[Found]:
    """One location from the repository (or record group) to the end of the segment."""
    end = segment_end(text, match.end())
    body_start = match.end() if include_prefix else match.start()
    body = text[body_start:end].strip(" ,.:")
    if not body:
        return
    group = _RECORD_GROUP.search(body)
    files = _FILES.search(body)
    control = (files.group("decimal") or files.group("lot")) if files else ""
    location = found(
        written,
        match.start(),
        end,
        repository=repository,
        series=f"RG {group.group('number')}" if group else "",
        control_symbol=control,
        reference=body,
    )
    if location:
        yield location
