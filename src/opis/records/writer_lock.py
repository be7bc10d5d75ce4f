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
On PostgreSQL several ingests (and curators) write at once, and what must not interleave takes an
advisory lock of the server's instead (``serialised``): a batch's transaction, the thread links of
a collection, the migrations an ``opis`` command runs first. docs/deploying.md, "Isolation: what
each write path relies on", lists every write path and what it relies on.
"""

import fcntl
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

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


# PostgreSQL advisory lock keys, one per kind of write that must not interleave with its like
# (any 64-bit numbers, the same in every opis process: "opis" in ASCII, then a serial number).
_ADVISORY_KEYS = {
    "ingest batch": 0x6F706973_0001,
    "migrate": 0x6F706973_0002,
    "thread links": 0x6F706973_0003,
}


@contextmanager
def serialised(purpose: str) -> Iterator[None]:
    """On PostgreSQL, one transaction for ``purpose`` at a time across every process: a
    transaction that takes the server's advisory lock for it, released at commit or rollback
    (so a killed process never leaves it held). Reads made inside see what the previous holder
    committed. On SQLite the run's writer lock already makes the writer the only one: nothing to
    add, and no transaction is opened here."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_KEYS[purpose]])
        yield


@contextmanager
def migration_lock() -> Iterator[None]:
    """On PostgreSQL, one process at a time checks and applies migrations (two ``opis``
    commands started together on a new database would both create the tables); a session lock,
    since ``migrate`` commits as it goes. Nothing on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_ADVISORY_KEYS["migrate"]])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEYS["migrate"]])


_RUNS = 0x6F706973  # "opis": the class of the per-run advisory locks; a run's id is the object


def _run_object(run_id: int) -> int:
    return run_id % 2**31  # the two-key form takes 32-bit keys


@contextmanager
def running(run_id: int) -> Iterator[None]:
    """On PostgreSQL, a session lock held while ingest run ``run_id`` goes on: released when it
    ends, or by the server when the run's connection dies with its process (killed, machine
    lost). ``live_runs`` reads it to tell a run that is still going on elsewhere from one that
    was killed: only the second may be marked interrupted. Nothing on SQLite, whose writer lock
    lets one run write at a time: an unfinished run there is always a dead one."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_RUNS, _run_object(run_id)])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_RUNS, _run_object(run_id)])
        except DatabaseError:  # the connection was lost (the server let the lock go with it)
            pass  # or its transaction failed: the error on its way out is the one to see


def live_runs(run_ids: Iterable[int]) -> set[int]:
    """Which of these unfinished runs are still going on in some process (``running``)."""
    run_ids = list(run_ids)
    if connection.vendor != "postgresql" or not run_ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 2"
            " AND classid = %s::bigint::oid AND granted",
            [_RUNS],
        )
        held = {row[0] for row in cursor.fetchall()}
    return {run_id for run_id in run_ids if _run_object(run_id) in held}
