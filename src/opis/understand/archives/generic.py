"""The fallback for any repository no archival system reads: the raw text and the repository.

"AMSZ, z. 9, w. 65, t. 880" or "Hoover Institution Archives, Volkogonov Papers, Reel 1" name a
known repository followed by an identifier this package has no grammar for. Rather than guess
which part is which, the location keeps only what is certain: the canonical repository and the
raw text, up to the end of the citation segment. The segment must hold a digit (an identifier),
so "the National Archives, Washington" in prose is not a location.
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, segment_end
from opis.understand.archives.repositories import mentions

_FOLLOWED = re.compile(
    r"\s*[,:]\s*(?=[A-Z0-9\"“\[(]|[^\W\d_]{1,3}\.\s*\d)"
)  # an identifier, a name, or an abbreviated part ("z. 9")


def fallback(text: str, written: str, kept: list[Found]) -> Iterator[Found]:
    """Locations for repositories named outside every span ``kept`` by the archival systems."""
    for start, name_end, key in mentions(text):
        follow = _FOLLOWED.match(text, name_end)
        if not follow or any(f.start <= start < f.end for f in kept):
            continue
        limit = min((f.start for f in kept if f.start > start), default=len(text))
        end = segment_end(text, follow.end(), limit)
        if not re.search(r"\d", text[follow.end() : end]):
            continue
        location = found(written, start, end, repository=key)
        if location:
            yield location
