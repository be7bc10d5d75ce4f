"""Which files an ingest run looks at.

A file named on the command line is always tried (and fails clearly if no reader knows it). Inside
folders, only files with an extension some reader claims are tried; README, LICENSE and hidden files
(and names such as ``UPSTREAM-README.txt``) are a corpus's documentation, not its documents, and
are listed as skipped. Zip files and BagIt bags are listed whole (a bag's folder, not its files):
``containers`` checks and opens them.
"""

import os
import re
from collections.abc import Iterable
from pathlib import Path

from opis.ingest.report import Failure
from opis.readers import claimed_extensions

ZIP_SUFFIX = ".zip"
BAG_DECLARATION = "bagit.txt"
DOCUMENTATION_STEMS = {"readme", "license", "licence", "changelog", "contributing", "copying"}
# Only "readme" is documentation wherever it stands in a name: a document's file name may well be
# its title, and "export-licence-for-wool.md" is a document.
README = "readme"


def is_bag(folder: Path) -> bool:
    return (folder / BAG_DECLARATION).is_file()


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ZIP_SUFFIX and path.is_file()


def is_container(path: Path) -> bool:
    """A zip file or a bag folder: discovery hands it over whole, to be opened here."""
    return is_zip(path) or (path.is_dir() and is_bag(path))


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[dict], list[Failure]]:
    """Files to read (sorted, unique), files skipped with why, and failures: paths that do not
    exist, files whose name is not UTF-8."""
    wanted: dict[Path, None] = {}
    skipped: list[dict] = []
    missing: list[Failure] = []
    extensions = claimed_extensions()
    for given in paths:
        path = Path(given).expanduser()
        if path.is_file():
            _want(path.resolve(), wanted, missing)
        elif path.is_dir():
            root = path.resolve()
            for found in _walk(root):
                reason = _skip_reason(found, root, extensions)
                if reason:
                    skipped.append({"path": shown(found), "reason": reason})
                else:
                    _want(found.absolute(), wanted, missing)
        else:
            missing.append(Failure(shown(given), "", "no such file or folder"))
    return list(wanted), skipped, missing


def shown(path: Path | str) -> str:
    """A path as text that can be printed and stored: a byte of its name that is not UTF-8 is
    written as its escape (``\\xff``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _want(path: Path, wanted: dict[Path, None], failed: list[Failure]) -> None:
    """A file to read, unless its name is not UTF-8 (a file copied from an old Windows or Mac
    volume): the catalogue keeps every file's path as text, and such a name cannot be written
    there, so it fails alone, named, instead of stopping the whole run."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        failed.append(
            Failure(
                shown(path),
                "file name",
                "the name is not valid UTF-8 (the bytes shown as \\x..); rename the file and "
                "ingest it again",
            )
        )
        return
    wanted[path] = None


def _walk(root: Path) -> list[Path]:
    """Every file below root in sorted order, hidden ones included (they are skipped by reason).

    Linked folders are followed (an archivist gathers volumes into one folder with links), each
    real folder once, so a link back up the tree ends instead of looping."""
    found = []
    seen: set[str] = set()
    for folder, folders, files in os.walk(root, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        if is_bag(Path(folder)):  # a bag is read through its manifests, as a whole
            found.append(Path(folder))
            folders.clear()
            continue
        folders.sort()
        found += [Path(folder, name) for name in sorted(files)]
    return found


def _skip_reason(path: Path, root: Path, extensions: set[str]) -> str:
    if any(part.startswith(".") for part in path.relative_to(root).parts):
        return "hidden file or folder"
    stem = path.stem.lower()
    if stem in DOCUMENTATION_STEMS or README in re.split(r"[^a-z]+", stem):  # UPSTREAM-README
        return "documentation of the corpus, not a document"
    if path.suffix.lower() not in extensions and not is_container(path):
        return f"no reader for {path.suffix or 'files without an extension'} files yet"
    return ""
