"""Backup and restore: the catalogue, the originals and the audit trail, as one BagIt bag.

A backup is taken while readers read and an ingest writes. The catalogue is copied as one
consistent snapshot: SQLite's online backup API (a read transaction; in WAL mode writers go on)
or ``pg_dump`` (one repeatable-read transaction). The audit trail and the edit history are tables
of the catalogue, so they travel inside the same snapshot. Originals are immutable and named by
their checksum, so copying them after the snapshot is safe; files kept after the snapshot may be
copied too, and restore takes only those the restored catalogue names. The search index is
derived and is rebuilt on restore unless ``--with-index`` kept a copy.

The bag (RFC 8493, the ``bagit`` library) carries a SHA-256 of every file, so a backup that rots
on its disk is refused on restore, naming the file, rather than restored half-right.
"""

import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bagit  # type: ignore[import-untyped]
from django.conf import settings
from django.db import connection

from opis import __version__, config
from opis.errors import OpisError
from opis.records import originals
from opis.records.audit import REPLICATION, record_event
from opis.records.models import Document, Original

FORMAT = "1"
SQLITE_FILE = "catalogue.sqlite3"
PG_FILE = "catalogue.pgdump"
ORIGINALS = "originals"
INDEX = "index"


class BackupError(OpisError):
    http_status = 400
    exit_code = 2
    code = "backup_error"


def engine() -> str:
    """ "sqlite" or "postgresql": which catalogue this archive runs on."""
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def backup(dest: Path, *, with_index: bool = False, progress: Callable[[str], None] | None = None):
    """Write a bag of the archive to ``dest`` (a new or empty folder); return its summary."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty; name a new folder for the backup")
    dest.mkdir(parents=True, exist_ok=True)
    tell = progress or (lambda _: None)
    kind = engine()
    tell(f"catalogue ({kind}) snapshot")
    if kind == "sqlite":
        _sqlite_snapshot(dest / SQLITE_FILE)
    else:
        _pg_dump(dest / PG_FILE)
    wanted = list(Original.objects.values_list("sha256", flat=True))
    tell(f"{len(wanted)} originals")
    copied = 0
    for sha256 in wanted:
        found = originals.original_path(sha256)
        if found is not None:
            target = dest / ORIGINALS / found.relative_to(originals.store_dir())
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(found, target)
            copied += 1
    if with_index and Path(settings.SEARCH_INDEX_DIR).is_dir():
        tell("search index")
        shutil.copytree(settings.SEARCH_INDEX_DIR, dest / INDEX, ignore=_index_locks)
    summary: dict[str, Any] = {
        "format": FORMAT,
        "opis": __version__,
        "catalogue": kind,
        "documents": Document.objects.count(),
        "originals": copied,
        "index": with_index,
        "taken_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    tell("checksums (BagIt)")
    bagit.make_bag(
        str(dest),
        {
            "Source-Organization": config.value("OPIS_ORGANIZATION"),
            "External-Description": "opis archive backup: catalogue, originals, audit trail",
            "Bagging-Date": summary["taken_at"][:10],
            **{f"Opis-{key.title()}": str(value) for key, value in summary.items()},
        },
        checksums=["sha256"],
    )
    record_event("system", REPLICATION, str(dest), backup=summary)
    return {**summary, "path": str(dest)}


def restore_catalogue(source: Path, progress: Callable[[str], None] | None = None) -> dict:
    """Put a backup's catalogue in place of this archive's (which must be empty) and its
    originals into the store. Migrations and the index are the caller's next steps."""
    tell = progress or (lambda _: None)
    source = Path(source)
    tell("checking the backup's checksums")
    info = _checked_bag(source)
    kind = info.get("Opis-Catalogue", "")
    if kind != engine():
        raise BackupError(
            f"{source} holds a {kind or 'unknown'} catalogue and this archive runs on "
            f"{engine()}; restore it into an archive of the same kind"
        )
    _refuse_unless_empty()
    data = source / "data"
    tell("catalogue")
    if kind == "sqlite":
        _sqlite_restore(data / SQLITE_FILE)
    else:
        _pg_restore(data / PG_FILE)
    return {"catalogue": kind, "index": (data / INDEX).is_dir(), "backup": dict(info)}


def restore_originals(source: Path) -> int:
    """Copy the originals the restored catalogue names; a missing one is an error naming it."""
    data = Path(source) / "data" / ORIGINALS
    restored = 0
    for sha256 in Original.objects.values_list("sha256", flat=True).iterator():
        target = originals.stored_path(sha256)
        found = data / target.relative_to(originals.store_dir())
        if not found.is_file():
            raise BackupError(f"the backup lacks the original {sha256} its catalogue names")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found, target)
        target.chmod(originals.READ_ONLY)
        restored += 1
    return restored


def restore_index(source: Path) -> bool:
    """Put the backup's index in place, if it kept one; the caller rebuilds it otherwise."""
    kept = Path(source) / "data" / INDEX
    if not kept.is_dir():
        return False
    target = Path(settings.SEARCH_INDEX_DIR)
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(kept, target)
    return True


def _checked_bag(source: Path) -> dict:
    try:
        bag = bagit.Bag(str(source))
        # Payload-Oxum (a count of files and bytes) would fail first and name no file; the
        # manifest's checksums name each file that changed.
        bag.info.pop("Payload-Oxum", None)
        bag.validate()
    except bagit.BagValidationError as exc:
        problems = "; ".join(str(d) for d in exc.details[:5]) or str(exc)
        raise BackupError(f"{source} failed its checksums, nothing restored: {problems}") from None
    except bagit.BagError as exc:
        raise BackupError(f"{source} is not an opis backup (a BagIt bag): {exc}") from None
    if bag.info.get("Opis-Format") != FORMAT:
        raise BackupError(f"{source} is not an opis backup of format {FORMAT}")
    return dict(bag.info)


def _refuse_unless_empty() -> None:
    tables = set(connection.introspection.table_names())
    if Document._meta.db_table in tables and Document.objects.exists():
        raise BackupError(
            "this archive already holds documents; restore into a new data folder "
            "(--data DIR) or an empty database"
        )


def _sqlite_snapshot(target: Path) -> None:
    _sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), target)


def _sqlite_restore(snapshot: Path) -> None:
    connection.close()
    name = Path(settings.DATABASES["default"]["NAME"])
    for leftover in (name, Path(f"{name}-wal"), Path(f"{name}-shm")):
        leftover.unlink(missing_ok=True)
    name.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(snapshot, name)


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    """One SQLite database into another through SQLite's online backup: a consistent copy even
    while another connection writes to the source."""
    source = sqlite3.connect(source_path)
    copy = sqlite3.connect(target_path)
    try:
        with copy:
            source.backup(copy)
    finally:
        copy.close()
        source.close()


def _pg_arguments() -> list[str]:
    db = settings.DATABASES["default"]
    arguments = ["--no-owner", "--dbname", db["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            arguments += [flag, str(db[key])]
    return arguments


def _pg_environment() -> dict[str, str]:
    password = settings.DATABASES["default"].get("PASSWORD") or ""
    return config.child_environment(**({"PGPASSWORD": password} if password else {}))


def _pg_dump(target: Path) -> None:
    _pg_program("pg_dump", "--format=custom", "--file", str(target), *_pg_arguments())


def _pg_restore(dump: Path) -> None:
    _pg_program(
        "pg_restore", "--exit-on-error", "--single-transaction", *_pg_arguments(), str(dump)
    )


def _pg_program(name: str, *arguments: str) -> None:
    program = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))[-1:]), None
    )
    if program is None:
        raise BackupError(f"{name} is not installed; install Debian's postgresql-client")
    done = subprocess.run(
        [program, *arguments], capture_output=True, text=True, env=_pg_environment(), timeout=86400
    )
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip()[-500:]}")


def _index_locks(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n.endswith(".lock")]
