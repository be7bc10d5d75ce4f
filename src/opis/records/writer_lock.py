"""One writing process per SQLite archive: the lock that ingest, reindex and the index queue take.

SQLite from 3.7.0 to 3.51.2 (Debian 12 ships 3.40.1, and so does Python's bundled module here)
has the WAL-reset bug: when two connections write or checkpoint the same WAL database at the same
instant, a checkpoint can, very rarely, mark frames as copied that were not, and the database is
corrupt. It needs two writers. opis has one: every process that writes the catalogue in bulk holds
this lock (an ``flock`` beside the database file, released by the kernel when the process dies,
even by SIGKILL, so a killed ingest never leaves it stale). A second ``opis ingest`` is refused
with a clear message; a reader that would merely apply the index queue leaves it to the holder.
See docs/ingest.md, "Crash safety", for the choice and its figures.

PostgreSQL has no such bug and its own locking; an in-memory SQLite (the tests) has one process.
"""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from opis.errors import ArchiveBusy

_held = threading.local()  # re-entrant within a process: the ingest holds it, then indexes


def lock_path() -> Path | None:
    """The lock file beside a file-backed SQLite catalogue; None when there is nothing to guard."""
    database = settings.DATABASES["default"]
    name = str(database.get("NAME", ""))
    if "sqlite" not in database["ENGINE"] or not name or "memory" in name:
        return None
    return Path(name).with_name(Path(name).name + ".writer-lock")


@contextmanager
def sole_writer(purpose: str, *, skip_if_busy: bool = False) -> Iterator[bool]:
    """Hold the archive's writer lock for ``purpose``; yield True while held.

    When another process holds it: raise ArchiveBusy, or with ``skip_if_busy`` yield False (the
    holder will do the work)."""
    path = lock_path()
    if path is None or getattr(_held, "depth", 0) > 0:
        _held.depth = getattr(_held, "depth", 0) + 1
        try:
            yield True
        finally:
            _held.depth -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if skip_if_busy:
                yield False
                return
            handle.seek(0)
            holder = handle.read().strip() or "another opis process"
            raise ArchiveBusy(
                f"cannot {purpose}: {holder} is writing to this archive ({path.parent}); "
                "run this again when it has finished"
            ) from None
        handle.truncate(0)
        handle.write(f"process {os.getpid()} ({purpose})")
        handle.flush()
        _held.depth = 1
        try:
            yield True
        finally:
            _held.depth = 0
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)
