"""Where the shared corpora are, and the DFAT volumes read as (path, front matter, body)."""

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from opis import config
from opis.evaluate.split import in_part

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def corpora_root() -> Path:
    """``$OPIS_CORPORA``, else ``../shared/corpora`` (or ``./shared/corpora``) from the working
    folder: ``config.shared_corpora``."""
    return config.shared_corpora()


def dfat_volumes() -> Path:
    return corpora_root() / "dfat" / "volumes"


def frus_volumes() -> Path:
    return corpora_root() / "frus-tei" / "volumes"


def volumes_command(
    prog: str, description: str, failures: int, failures_help: str
) -> argparse.ArgumentParser:
    """The command line every evaluation on the DFAT volumes shares: ``--volumes DIR``,
    ``--json`` and ``--failures N`` (read with ``read_command``, which checks the folder)."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--volumes", type=Path, default=dfat_volumes())
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--failures", type=int, default=failures, help=failures_help)
    return parser


def read_command(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if not args.volumes.is_dir():
        parser.error(f"{args.volumes} is not a folder of DFAT volumes; pass --volumes DIR")
    return args


def write_figures(as_json: bool, figures: dict, report: str) -> None:
    """The figures as JSON (``--json``), else the report for people."""
    sys.stdout.write((json.dumps(figures, indent=2) if as_json else report) + "\n")


@dataclass
class DfatFile:
    path: Path
    meta: dict
    body: str


def dfat_files(root: Path | None = None) -> Iterator[DfatFile]:
    """Every DFAT document with readable front matter, in path order (others are skipped).

    The last volume set read is kept in memory, so the citation and date evaluations of one run
    parse the 9,588 front matters once. Only the volumes of the part in force
    (``split.only``) are given."""
    files = _read_dfat(root or dfat_volumes())
    kept = set(in_part(file.path for file in files))
    yield from (file for file in files if file.path in kept)


def frus_files(root: Path | None = None) -> list[Path]:
    """The FRUS TEI volumes (one file a volume) of the part in force, in name order."""
    return in_part(sorted((root or frus_volumes()).glob("*.xml")), per_file=True)


@lru_cache(maxsize=1)
def _read_dfat(root: Path) -> tuple[DfatFile, ...]:
    return tuple(_dfat_files(root))


def _dfat_files(root: Path) -> Iterator[DfatFile]:
    for path in sorted(root.glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        head, separator, body = text.removeprefix("---\n").partition("\n---\n")
        if not separator:
            continue
        try:
            meta = yaml.load(head, Loader=_LOADER)
        except yaml.YAMLError:
            continue
        if isinstance(meta, dict):
            yield DfatFile(path, meta, body)


def relative(path: Path) -> str:
    """A corpus path as reports show it: "dfat/volumes/…/293-….md"."""
    root = corpora_root()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
