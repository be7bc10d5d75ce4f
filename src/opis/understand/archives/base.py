"""What every archival system shares: a found location, the registry, and segment boundaries.

Each system (Soviet fond/opis/delo, NAA series/control symbol, TNA department/series/piece, …) is
one module that registers a ``find`` function here. A finder scans the citation and yields
``Found`` spans; the citation parser keeps the earliest, longest span where finders overlap.

Finders read ``text``, the citation with markup blanked to spaces (same length, so offsets are
the same), and take each location's ``raw`` from ``written``, the citation as given: raw is
always a slice of what the historian wrote.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from opis.drafts import LocationDraft


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    location: LocationDraft


Finder = Callable[[str, str], Iterator[Found]]


@dataclass(frozen=True)
class ArchivalSystem:
    name: str
    find: Finder
    examples: tuple[str, ...] = ()


SYSTEMS: list[ArchivalSystem] = []


def register(name: str, *examples: str) -> Callable[[Finder], Finder]:
    """Register a finder for one archival system; ``examples`` document the forms it reads."""

    def add(find: Finder) -> Finder:
        SYSTEMS.append(ArchivalSystem(name=name, find=find, examples=examples))
        return find

    return add


def found(written: str, start: int, end: int, **parts: str) -> Found | None:
    """A location spanning written[start:end], trimmed of spaces and trailing separators."""
    while end > start and (written[end - 1].isspace() or written[end - 1] in ",;:"):
        end -= 1
    while start < end and written[start].isspace():
        start += 1
    if end <= start:
        return None
    clean = {key: " ".join(value.split()) for key, value in parts.items() if value}
    return Found(start, end, LocationDraft(raw=written[start:end], **clean))


# Abbreviations whose period does not end a citation segment ("Harry S. Truman", "Bd. 1").
_ABBREVIATIONS = frozenset(
    re.findall(
        r"\S+",
        "no nos vol vols bd bde dept st box doc docs ff f fol fols p pp pt rep jr sr mr mrs dr "
        "ca c nr hrsg ser bl l ll op d del co inc ltd gen col adm capt lt sgt a.e ed u.s "
        "ref sygn exp inv spr ark sv str fasc doss kart sz old ms mss",
    )
)
_BREAK = re.compile(r";|\n\s*\n|<|\.(?=\s|$)|\s+\(?(?:see|cf\.|quoted|cited|hereafter)\b", re.I)


def segment_end(text: str, pos: int, limit: int | None = None) -> int:
    """Where the citation segment that starts at ``pos`` ends: a semicolon, a blank line, a
    sentence-ending period (not an initial or abbreviation), a link, or ``limit``."""
    limit = len(text) if limit is None else limit
    for match in _BREAK.finditer(text, pos, limit):
        if match.group() == "." and (
            _abbreviation_before(text, match.start()) or _LOWER_AFTER.match(text, match.end())
        ):
            continue  # "Harry S. Truman", "11. doboz": no sentence ends there
        return match.start()
    return limit


_LOWER_AFTER = re.compile(r"[ \t]+[^\W\d_A-ZА-Я]")


def _abbreviation_before(text: str, period: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, period - 12) : period])
    if not word:
        return False
    token = word.group(1)
    if len(token) == 1:
        return token.isalpha()  # "Harry S. Truman": an initial; "file 2." ends the segment
    return token.lower() in _ABBREVIATIONS or "." in token


def blank_markup(written: str) -> str:
    """``<i>…</i>`` and ``<https://…>`` become spaces of the same length: offsets stay true."""
    return _TAG.sub(lambda m: " " * len(m.group()), written)


_TAG = re.compile(r"<[^<>\n]{0,300}>")
