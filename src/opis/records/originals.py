"""The store of originals: every file ingested, kept byte for byte under its sha256.

Why content-addressed: one content may arrive under several paths and one file may hold many
documents (a FRUS volume), so keyed by checksum alone the store deduplicates itself, and
``opis verify`` (``fixity.py``) can prove that every byte is still what was read.

Why this order: a file is copied into the store (a temporary file in its final folder, fsync,
rename, fsync of the folder) *before* the transaction that writes its ``Original`` row and its
documents. A crash between the two leaves a file that no row names: harmless, and reported by
``opis verify`` as untracked. The other order could leave a row, and documents, without a file.

Layout: ``<ORIGINALS_DIR>/<aa>/<bb>/<sha256>``, the first four hex digits as two folder levels so
no folder grows past a few thousand entries. Stored files are read-only.

Ingest holds a shared lock on the store from the first copy to the last commit, and
``opis verify --clean-untracked`` takes it exclusively, so cleaning never removes a file that a
running ingest is about to name.
"""

import fcntl
import mimetypes
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from opis.checksum import copy_sha256
from opis.errors import OpisError

SHA256 = re.compile(r"[0-9a-f]{64}")
STORE_THREADS = 16  # fsync waits on the disk, not the CPU: overlapping them is ~10x faster
INCOMING_PREFIX = ".incoming-"  # a copy not yet renamed into place (a crash may leave one)
LOCK_NAME = ".lock"
READ_ONLY = 0o444


@dataclass(frozen=True)
class Kept:
    """An original safely in the store, with what its ``Original`` row records."""

    sha256: str
    size: int
    media_type: str
    name: str


class OriginalChanged(OpisError):
    """The file's bytes differ from those that were read: it changed while being ingested."""

    exit_code = 4
    code = "original_changed"


def store_dir() -> Path:
    return Path(settings.ORIGINALS_DIR)


def stored_path(sha256: str) -> Path:
    """Where the original with this checksum lives (or would live) in the store."""
    return store_dir() / sha256[:2] / sha256[2:4] / sha256


def original_path(sha256: str) -> Path | None:
    """The stored file for a checksum, or None when the checksum is malformed or not stored."""
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256):
        return None
    path = stored_path(sha256)
    return path if path.is_file() else None


def media_type(name: str) -> str:
    """The media type a file name suggests (the readers decide what a file really is)."""
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return (guessed or "application/octet-stream")[:100]


def keep_all(files: Iterable[tuple[Path, str, str]]) -> tuple[dict[str, Kept], dict[str, str]]:
    """Copy (file on disk, name it arrived under, sha256 when read) into the store, durably.

    Returns what was kept, by checksum, and why others could not be (by checksum). Each content
    is copied once; one already stored is not copied again. Copies run in threads: the time goes
    to fsync, and the disk merges concurrent flushes.
    """
    wanted: dict[str, tuple[Path, str]] = {}
    for path, name, sha256 in files:
        wanted.setdefault(sha256, (Path(path), name))
    kept: dict[str, Kept] = {}
    refused: dict[str, str] = {}
    folders: set[Path] = set()
    jobs = [(sha, path, name) for sha, (path, name) in wanted.items()]
    with ThreadPoolExecutor(STORE_THREADS) as pool:
        for sha, result in zip(wanted, pool.map(_keep_job, jobs), strict=True):
            if isinstance(result, str):
                refused[sha] = result
            else:
                kept[sha], changed = result
                folders.update(changed)
        list(pool.map(_sync_folder, folders))
    return kept, refused


def _keep_job(job: tuple[str, Path, str]) -> tuple[Kept, list[Path]] | str:
    sha256, path, name = job
    try:
        return keep(path, name, sha256)
    except OriginalChanged as exc:
        return exc.message
    except OSError as exc:
        return f"its original could not be kept in {store_dir()}: {exc.strerror or exc}"


def keep(source: Path, name: str, sha256: str) -> tuple[Kept, list[Path]]:
    """Copy one file into the store (hashing while copying); return it and the folders whose
    entries changed (to be fsynced once per batch by the caller)."""
    target = stored_path(sha256)
    if target.is_file():
        return Kept(sha256, target.stat().st_size, media_type(name), name), []
    changed = _make_folders(target.parent)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=INCOMING_PREFIX)
    try:
        with open(handle, "wb") as out, Path(source).open("rb") as data:
            found, size = copy_sha256(data, out)
            out.flush()
            os.fsync(out.fileno())
        if found != sha256:
            raise OriginalChanged(
                f"the file changed while it was being ingested (sha256 {sha256[:12]}… when "
                f"read, {found[:12]}… when kept); ingest it again"
            )
        os.chmod(temporary, READ_ONLY)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Kept(sha256, size, media_type(name), name), [*changed, target.parent]


def _make_folders(folder: Path) -> list[Path]:
    """Create the store folders down to ``folder``; return the parents of those created."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for created in reversed(missing):
        created.mkdir(exist_ok=True)  # exist_ok: another thread may create the same folder
    return [created.parent for created in missing]


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so a rename or a new entry in it survives a power cut."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def stored_files() -> Iterator[Path]:
    """Every file in the store (the lock file aside), in a stable order."""
    root = store_dir()
    if not root.is_dir():
        return
    for folder, folders, files in os.walk(root):
        folders.sort()
        for name in sorted(files):
            path = Path(folder, name)
            if path.parent != root or name != LOCK_NAME:
                yield path


@contextmanager
def store_lock(exclusive: bool = False, wait: bool = True) -> Iterator[None]:
    """Shared while an ingest copies and commits; exclusive while verify removes files.

    An exclusive lock that cannot be had at once (``wait=False``) raises an OpisError saying an
    ingest is running."""
    root = store_dir()
    root.mkdir(parents=True, exist_ok=True)
    handle = os.open(root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(handle, mode if wait else mode | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OpisError(
                "an ingest is storing originals right now; run this again when it has finished"
            ) from None
        yield
    finally:
        os.close(handle)  # closing releases the lock
