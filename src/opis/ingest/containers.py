"""Zip files and BagIt bags (RFC 8493) as input: checked whole, then read file by file.

A container is checked before anything in it is read. A bag's manifests are verified with the
``bagit`` library; a zip's central directory is checked for entries that would land outside the
unpacking folder (``..``, absolute paths, drive letters, symbolic links, devices) and for sizes
that betray a bomb (over ``OPIS_MAX_UNPACKED_MB`` in all, or a member that inflates more than
``MAX_RATIO`` times). A container that fails a check fails as a whole, naming the entry and the
rule, and nothing in it is read: half an archive ingested is worse than none.

Bags are read in place. Zip members are unpacked into a private folder for the run, because
readers work on files (TEI is streamed, PDFs go to OCRmyPDF, side-car files sit beside their
document); bytes are counted as they come out, since declared sizes are only claims. Each member
is then read like any file, named ``/path/archive.zip!/folder/file.md`` in the report and the
catalogue, so re-ingesting the same zip finds every member unchanged by checksum.

A bag inside a zip is verified once unpacked; a zip inside a bag is opened; a zip inside a zip is
skipped (and listed), which keeps one archive's size cap the whole story.
"""

import logging
import re
import shutil
import stat
import tempfile
import weakref
import zipfile
import zlib
from pathlib import Path, PurePosixPath

import bagit
from django.conf import settings

from opis.errors import ReaderError
from opis.ingest.discover import BAG_DECLARATION, discover, is_container, is_zip
from opis.ingest.report import Failure

MAX_RATIO = 100  # text compresses 3-15x; a member inflating more than 100x is a bomb
RATIO_FROM = 1 << 20  # small members may compress very well without harm
CHUNK = 1 << 20
NOTHING_READ = "nothing in the archive was ingested"
DETAILS_NAMED = 5  # bag errors named in the message; the rest are counted
MAX_TAG_LINE = 65536  # bytes: a manifest line is a checksum and a path (at most a few KB)
TAG_FILES = ("bagit.txt", "bag-info.txt", "fetch.txt", "manifest-*.txt", "tagmanifest-*.txt")

logging.getLogger("bagit").addHandler(logging.NullHandler())  # failures are reported, not logged


class Containers:
    """The zips and bags of one ingest run, opened; the unpacking folder goes when it closes.

    ``labels`` names each unpacked member as the report should (``archive.zip!/member``);
    ``skipped`` and ``failed`` join the run's report.
    """

    def __init__(self) -> None:
        self.labels: dict[Path, str] = {}
        self.skipped: list[dict] = []
        self.failed: list[Failure] = []
        self._folder: Path | None = None
        self._cleanup: weakref.finalize | None = None
        self._unpacked = 0

    def open(self, files: list[Path]) -> list[Path]:
        """The files to read: each container among ``files`` replaced by the files inside it."""
        result = []
        for path in files:
            if is_container(path):
                result += self._open(path, str(path), inside_zip=False)
            else:
                result.append(path)
        return result

    def close(self) -> None:
        if self._cleanup:
            self._cleanup()

    def __enter__(self) -> "Containers":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _open(self, path: Path, label: str, inside_zip: bool) -> list[Path]:
        try:
            if path.is_dir():
                verify_bag(path)
                return self._listed(path / "data", path, label, inside_zip)
            if inside_zip:
                self.skipped.append(
                    {"path": label, "reason": "a zip inside a zip is not unpacked; unpack the "
                     "outer one and ingest the folder"}
                )  # fmt: skip
                return []
            folder = self._unpack_folder()
            unpack_zip(path, folder, max_bytes=int(settings.MAX_UNPACKED_MB * 1048576))
            return self._listed(folder, folder, f"{label}!", inside_zip=True)
        except ReaderError as exc:
            self.failed.append(Failure(label, exc.where, exc.reason))
        except OSError as exc:
            self.failed.append(
                Failure(label, "", f"could not be unpacked ({exc.strerror or exc}); {NOTHING_READ}")
            )
        return []

    def _listed(self, folder: Path, root: Path, label: str, inside_zip: bool) -> list[Path]:
        """The readable files below ``folder`` (nested containers opened), labelled when
        unpacked: a bag read in place keeps its real paths."""
        files, skipped, _ = discover([folder])
        name = _labeller(root, label) if inside_zip else str
        self.skipped += [{**item, "path": name(item["path"])} for item in skipped]
        result = []
        for path in files:
            if is_container(path):
                result += self._open(path, name(path), inside_zip)
                continue
            if inside_zip:
                self.labels[path] = name(path)
            result.append(path)
        return result

    def _unpack_folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="opis-unpacked-")).resolve()
            self._cleanup = weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._unpacked += 1
        return self._folder / str(self._unpacked)


def _labeller(root: Path, label: str):
    """How an unpacked file is named: the archive's label, ``!``, the path inside it."""

    def name(path) -> str:
        inside = Path(path).relative_to(root).as_posix()
        return label if inside == "." else f"{label}/{inside}"

    return name


def count_files(files: list[Path]) -> int:
    """About how many files a run will read, containers counted by their members (for the
    progress bar; the central directory is read, nothing is unpacked or verified)."""
    total = 0
    for path in files:
        if path.is_dir():
            total += sum(1 for p in (path / "data").rglob("*") if p.is_file())
        elif is_zip(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    total += sum(1 for info in archive.infolist() if not info.is_dir())
            except (OSError, zipfile.BadZipFile):
                total += 1
        else:
            total += 1
    return total


# Bags


def verify_bag(folder: Path) -> None:
    """Check a bag's structure and every payload checksum, or raise naming the file and why."""
    _refuse_long_tag_lines(folder)
    bag = None
    try:
        bag = bagit.Bag(str(folder))
        bag.validate()
    except bagit.BagValidationError as exc:
        details = exc.details or (_which_files(bag) if bag else [])
        named = "; ".join(_bag_detail(d) for d in details[:DETAILS_NAMED])
        more = f" (and {len(details) - DETAILS_NAMED} more)" if len(details) > DETAILS_NAMED else ""
        raise ReaderError(
            f"the bag failed validation: {named or exc.message}{more}; nothing in the bag was "
            "ingested; transfer it again or repair its manifest",
            where=str(getattr(details[0], "path", "")) if details else "manifest",
        ) from exc
    except bagit.BagError as exc:
        raise ReaderError(
            f"not a valid BagIt bag ({exc}); nothing in the bag was ingested",
            where=BAG_DECLARATION,
        ) from exc
    except (ValueError, LookupError) as exc:  # UnicodeError, a NUL in a path; unknown encoding
        raise ReaderError(
            f"not a valid BagIt bag: a tag file (bagit.txt, bag-info.txt or a manifest) cannot be "
            f"read ({type(exc).__name__}: {str(exc)[:200]}); re-save it as UTF-8 text or repair "
            "it; nothing in the bag was ingested",
            where="tag files",
        ) from exc


def _refuse_long_tag_lines(folder: Path) -> None:
    """bagit reads tag files line by line through ``codecs``, which is quadratic in a line's
    length (one 10 MB line: minutes). A real tag line is a checksum and a path, or a short
    ``Label: value``: far below ``MAX_TAG_LINE``; a longer one is refused before bagit sees it."""
    for pattern in TAG_FILES:
        for tag in sorted(folder.glob(pattern)):
            with tag.open("rb") as handle:
                number = 0
                while line := handle.readline(MAX_TAG_LINE + 1):
                    number += 1
                    if len(line) > MAX_TAG_LINE:
                        raise ReaderError(
                            f"not a valid BagIt bag: line {number} of {tag.name} is over "
                            f"{MAX_TAG_LINE // 1024} KB, which no manifest or tag line needs; "
                            "repair the bag; nothing in the bag was ingested",
                            where=tag.name,
                        )


def _which_files(bag: bagit.Bag) -> list:
    """The files behind a failed Payload-Oxum (which says only that counts or bytes differ):
    bagit's own completeness and checksum passes, which ``validate`` skips once Oxum fails."""
    try:
        bag._validate_completeness()
        bag._validate_entries(processes=1)
    except bagit.BagValidationError as exc:
        return exc.details or []
    return []


def _bag_detail(detail: bagit.BagError) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return (
            f"{detail.path}: its {detail.algorithm} is {detail.found[:16]}…, the manifest "
            f"says {detail.expected[:16]}…"
        )
    if isinstance(detail, bagit.FileMissing):
        return f"{detail.path}: listed in the manifest but not in the bag"
    if isinstance(detail, bagit.UnexpectedFile):
        return f"{detail.path}: in the bag but not in the manifest"
    return str(detail)


# Zips

_DRIVE = re.compile(r"^[A-Za-z]:")
_UNIX = 3  # ZipInfo.create_system of archives made on Unix: external_attr holds a file mode


def _absolute(info: zipfile.ZipInfo) -> str:
    return "is an absolute path" if info.filename.startswith(("/", "\\")) else ""


def _drive(info: zipfile.ZipInfo) -> str:
    return "names a drive letter" if _DRIVE.match(info.filename) else ""


def _climbs(info: zipfile.ZipInfo) -> str:
    parts = re.split(r"[/\\]", info.filename)
    return "climbs out of the archive with '..' (zip-slip)" if ".." in parts else ""


def _special(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    if info.create_system != _UNIX or not stat.S_IFMT(mode):
        return ""
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "is not a regular file (a device, pipe or socket)"
    return ""


def _encrypted(info: zipfile.ZipInfo) -> str:
    return "is encrypted; opis reads only unencrypted archives" if info.flag_bits & 0x1 else ""


def _nul(info: zipfile.ZipInfo) -> str:  # zipfile cuts ``filename`` at a NUL; the raw name has it
    return "has a NUL character in its name" if "\x00" in info.orig_filename else ""


def _unnamed(info: zipfile.ZipInfo) -> str:  # "" or ".": it would be the unpacking folder itself
    return "has no file name" if info.filename.strip("/") in ("", ".") else ""


# Each rule says "" or the entry's problem.
ENTRY_RULES = (_unnamed, _absolute, _drive, _climbs, _special, _encrypted, _nul)


def unpack_zip(path: Path, folder: Path, max_bytes: int) -> None:
    """Check every entry, then unpack into ``folder``; on any refusal ``folder`` is removed."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            _check_entries(entries, max_bytes)
            folder.mkdir(parents=True)
            budget = [max_bytes]
            for info in entries:
                _unpack_entry(archive, info, folder, budget)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError) as exc:
        shutil.rmtree(folder, ignore_errors=True)  # NotImplementedError: "zip file version 8.4"
        raise ReaderError(f"not a readable zip archive ({exc})", where="whole file") from exc
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _check_entries(entries: list[zipfile.ZipInfo], max_bytes: int) -> None:
    """Refuse, from the central directory alone, an archive that escapes or explodes."""
    seen: set[str] = set()
    for info in entries:
        for rule in ENTRY_RULES:
            if problem := rule(info):
                raise _refused(info, problem)
        key = info.filename.rstrip("/")
        if key in seen:
            raise _refused(info, "appears twice; the second would overwrite the first")
        seen.add(key)
        if _inflates(info.file_size, info.compress_size):
            raise _refused(info, _ratio_problem(info.file_size, info.compress_size))
    declared = sum(info.file_size for info in entries)
    if declared > max_bytes:
        raise ReaderError(
            f"the archive would unpack to {declared / 1048576:,.1f} MB, over the "
            f"{max_bytes / 1048576:,.0f} MB limit (OPIS_MAX_UNPACKED_MB); {NOTHING_READ}",
            where="central directory",
        )


def _inflates(size: int, compressed: int) -> bool:
    return size > RATIO_FROM and size > MAX_RATIO * max(compressed, 1)


def _ratio_problem(size: int, compressed: int) -> str:
    return (
        f"inflates {size / max(compressed, 1):,.0f} times ({compressed:,} bytes to "
        f"{size:,}), more than the {MAX_RATIO} times of any real document: a zip bomb"
    )


def _refused(info: zipfile.ZipInfo, problem: str) -> ReaderError:
    return ReaderError(
        f"entry {info.filename!r} {problem}; {NOTHING_READ}", where=f"entry {info.filename}"
    )


def _unpack_entry(archive, info: zipfile.ZipInfo, folder: Path, budget: list[int]) -> None:
    target = folder.joinpath(*PurePosixPath(info.filename).parts)
    if not target.resolve().is_relative_to(folder.resolve()):  # the rules above should hold
        raise _refused(info, "would be written outside the unpacking folder")
    written = 0
    try:
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as data, target.open("xb") as out:
            while chunk := data.read(CHUNK):
                written += len(chunk)
                budget[0] -= len(chunk)
                if written > info.file_size:
                    raise _refused(info, "holds more than its declared size (a zip bomb)")
                if budget[0] < 0:
                    raise _refused(info, "takes the archive over OPIS_MAX_UNPACKED_MB")
                if _inflates(written, info.compress_size):
                    raise _refused(info, _ratio_problem(written, info.compress_size))
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise _refused(info, f"cannot be unpacked ({exc})") from exc
    except (FileExistsError, NotADirectoryError) as exc:  # "a.md" and "a.md/b.md", "a/" and "a"
        raise _refused(info, "clashes with another entry of the same name") from exc
    except OSError as exc:  # a header offset before the file's start (EINVAL), a name too long
        raise _refused(info, f"cannot be unpacked ({exc.strerror or exc})") from exc
