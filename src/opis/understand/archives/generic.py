"""The fallback for any repository no archival system reads: repository, reference, common parts.

"AMSZ, z. 9, w. 65, t. 880" or "Library of Congress, Manuscript Division, Harriman Papers, Box
123, Folder 4" name a known repository (``repositories.py`` and its register) followed by an
identifier this package has no grammar for. Rather than guess which archive-specific part is
which, the location keeps what is certain: the canonical repository, the reference after the
name as written, the pages or folios where they are marked as such ("pp. 45-50", "fol. 12"), and
the raw text up to the end of the citation segment. The parts most archives share — file, box,
folder, reel, volume, item, page — are read from the reference by ``generic_parts`` for display
and JSON, where they are named in the citation; an unnamed number is never given a part.

The segment must hold a digit (an identifier), so "the National Archives, Washington" in prose
is not a location. A name may be followed by its abbreviation or place in parentheses
("Hungarian National Archives (MOL), XIX-J-1-j …").
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, segment_end
from opis.understand.archives.repositories import mentions

_LOWER_PARTS = (
    r"(?:fonds?|zespół|dosar|busta|caja|carton|karton|box|file|folder|reel|vol|sygn|exp|inv"
    r"|série|serie|dossier|fasc)\b"
)
_FOLLOWED = re.compile(
    r"\)?(?:\s*\([^()\n]{1,40}\))?"  # "(MOL)" after the name, or ")" closing "(TsKhSD)"
    r"\s*[,:]\s*(?=[A-Z0-9\"“\[(]|[^\W\d_]{1,3}\.\s*\d|" + _LOWER_PARTS + r")"
)  # an identifier, a name, an abbreviated part ("z. 9") or a part's name ("fond CC", "exp.")

_VALUE = r"[A-Za-z]{0,3}[-.]?\d[\w.'/()-]*(?:\s*[-–]\s*[A-Za-z]?\d[\w./-]*)?"
_PARTS = {
    "file": r"files?|file\s+no\.?|dossier|dosar|dosya|akta|sygn\.|sign\.|exp\.",
    "box": r"box(?:es)?|carton|container|karton|doboz|caja|boîte|kasten",
    "folder": r"folders?|fold\.|ff?ldr\.?|mappe|teczka|chemise",
    "reel": r"reels?|microfilm\s+reel|roll|mikrofilm",
    "volume": r"vols?\.|volumes?|bd\.|tom|t\.|svazek|kötet",
    "item": r"items?|doc\.|document|no\.|nr\.|č\.|sz\.",
    "page": r"pp?\.|pages?|fols?\.|folios?|ff\.|bl\.|s\.|str\.|l\.|ll\.|old\.",
}
_PART = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(f"(?P<{name}>{words})" for name, words in _PARTS.items())
    + rf")\s*(?P<value>{_VALUE})",
    re.IGNORECASE,
)
_TRAILING = re.compile(
    rf"(?<![\w.])(?P<value>{_VALUE})\s*\.?\s*(?P<name>doboz|karton|tétel)\b", re.I
)


def generic_parts(reference: str) -> dict[str, str]:
    """The named common parts of a reference: "Box 123, Folder 4" → {"box": "123", "folder":
    "4"}; Hungarian order too ("11. doboz" → box 11). The first of each part is kept."""
    parts: dict[str, str] = {}
    for match in _PART.finditer(reference):
        name = next(key for key in _PARTS if match.group(key))
        parts.setdefault(name, match.group("value").rstrip(".,"))
    for match in _TRAILING.finditer(reference):
        name = {"doboz": "box", "karton": "box", "tétel": "item"}[match.group("name").lower()]
        parts.setdefault(name, match.group("value").rstrip(".,"))
    return parts


def fallback(text: str, written: str, kept: list[Found]) -> Iterator[Found]:
    """Locations for repositories named outside every span ``kept`` by the archival systems."""
    taken = 0  # a name inside one just read ("National Archives" in "Hungarian National …")
    for start, name_end, key in mentions(text):
        follow = _FOLLOWED.match(text, name_end)
        if not follow or start < taken or any(f.start <= start < f.end for f in kept):
            continue
        limit = min((f.start for f in kept if f.start > start), default=len(text))
        end = segment_end(text, follow.end(), limit)
        if not re.search(r"\d", text[follow.end() : end]):
            continue
        reference = written[follow.end() : end].strip(" ,;:")
        location = found(
            written,
            start,
            end,
            repository=key,
            reference=reference,
            folios=generic_parts(reference).get("page", ""),
        )
        if location:
            taken = end
            yield location
