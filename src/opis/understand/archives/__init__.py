"""Archival systems, one module each, registered in ``base.SYSTEMS``; ``find_locations`` runs
them all over a citation and keeps, where two read the same words, the one that starts first and
reads most. Adding an archive is adding a module and importing it here.
"""

from opis.drafts import LocationDraft
from opis.understand.archives import east_asia, german, naa, soviet, tna, us  # noqa: F401
from opis.understand.archives.base import SYSTEMS, Found, blank_markup
from opis.understand.archives.generic import fallback
from opis.understand.archives.repositories import (
    BY_KEY,
    REPOSITORIES,
    TABLE,
    Repository,
    canonical_repository,
)

__all__ = [
    "BY_KEY",
    "REPOSITORIES",
    "SYSTEMS",
    "TABLE",
    "Repository",
    "canonical_repository",
    "find_locations",
]
MAX_CITATION = 100_000  # characters read from one citation


def find_locations(written: str) -> list[LocationDraft]:
    """Every archival location in a citation, in the order written."""
    written = str(written or "")[:MAX_CITATION]
    text = blank_markup(written)
    candidates = sorted(
        (f for system in SYSTEMS for f in system.find(text, written)),
        key=lambda f: (f.start, f.start - f.end),
    )
    kept: list[Found] = []
    for candidate in candidates:
        if not kept or candidate.start >= kept[-1].end:
            kept.append(candidate)
    kept += list(fallback(text, written, kept))
    return [f.location for f in sorted(kept, key=lambda f: f.start)]
