"""Archival locations out of a citation as historians write it.

"APRF, Fond 45, Opis 1, Delo 331, List 85; AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118;
and RGASPI, f. 558, op. 11, d. 334, ll.0085" places one document in three archives. Each location
keeps its raw text, a slice of the citation as written; parts are filled only where the citation
names them, never guessed. The grammars live in ``opis.understand.archives``, one module per
archival system (Soviet, NAA, TNA, NARA and the State Department, BArch and PA AA, PRC FMA, MOFA
Japan) with a generic fallback that keeps only the repository and the raw text.
"""

from dataclasses import asdict

from opis.drafts import LocationDraft
from opis.understand.archives import REPOSITORIES, canonical_repository, find_locations
from opis.understand.archives.generic import generic_parts

__all__ = ["REPOSITORIES", "canonical_repository", "citation_json", "parse_archival_locations"]

JSON_KEYS = (
    "repository", "fond", "opis", "delo", "papka", "folios", "series", "control_symbol", "barcode",
    "reference", "raw",
)  # fmt: skip


def parse_archival_locations(citation: str) -> list[LocationDraft]:
    """Every archival location in a citation, in the order written."""
    return find_locations(citation)


def citation_json(text: str) -> dict:
    """``opis parse citation TEXT --json``: {"locations": [{repository, fond, …, raw, parts}]};
    ``parts`` are the common parts the reference names (file, box, folder, reel, volume, item,
    page: ``generic_parts``), read for display, not stored."""
    return {
        "locations": [
            {key: asdict(location)[key] for key in JSON_KEYS}
            | {"parts": generic_parts(location.reference)}
            for location in parse_archival_locations(text)
        ]
    }
