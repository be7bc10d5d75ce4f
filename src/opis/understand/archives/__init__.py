"""Archival systems, one module each, registered in ``base.SYSTEMS``; ``find_locations`` runs
them all over a citation and keeps, where two read the same words, the one that starts first and
reads most. Adding an archive is adding a module and importing it here.
"""

import re
from dataclasses import replace

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
    mentions,
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
    kept = [_named_before(f, text, written) for f in kept]
    kept += list(fallback(text, written, kept))
    return [f.location for f in sorted(kept, key=lambda f: f.start)]


_JUST_BEFORE = re.compile(r"\)?(?:\s*\([^()\n]{1,40}\))?[\s,:]*$")


def _named_before(candidate: Found, text: str, written: str) -> Found:
    """A location read without a repository ("RG 25, vol. 4765") whose text follows a named
    repository ("Library and Archives Canada, RG 25 …") belongs to it: the repository is set
    and the location starts at the name. Record groups and lots are not NARA's alone."""
    if candidate.location.repository:
        return candidate
    window = max(0, candidate.start - 120)
    for start, end, key in mentions(text[window : candidate.start]):
        if _JUST_BEFORE.match(text[window + end : candidate.start]):
            location = replace(
                candidate.location, repository=key, raw=written[window + start : candidate.end]
            )
            return Found(window + start, candidate.end, location)
    return candidate
