"""The sha256 of a file, read a megabyte at a time: a 200 MB scan is never held whole.

One implementation for every place that checks bytes against the checksum a file was ingested
under: reading it (``readers.source``), keeping and re-checking the original (``records.originals``,
``records.fixity``), copying it into a bag (``export.bagit_bag``) and finding a scan's pages
(``web.scan_pages``). It sits with the shared types, below every layer that uses it.
"""

import hashlib
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20  # bytes read, hashed (and copied) at a time


def file_sha256(path: Path) -> str:
    """The sha256 of the file at ``path``, as 64 lowercase hex digits."""
    with Path(path).open("rb") as data:
        return copy_sha256(data)[0]


def copy_sha256(source: BinaryIO, target: BinaryIO | None = None) -> tuple[str, int]:
    """Read ``source`` to its end, writing each chunk to ``target`` when one is given; return
    the sha256 of what was read and its size in bytes."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if target is not None:
            target.write(chunk)
    return digest.hexdigest(), size
