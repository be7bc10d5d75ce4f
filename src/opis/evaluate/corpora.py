"""Where the shared corpora are, and the DFAT volumes read as (path, front matter, body)."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_CHECKOUT = Path(__file__).resolve().parents[3]


def corpora_root() -> Path:
    """``$OPIS_CORPORA``, else ``../shared/corpora`` beside the checkout."""
    if os.environ.get("OPIS_CORPORA"):
        return Path(os.environ["OPIS_CORPORA"])
    return _CHECKOUT.parent / "shared" / "corpora"


def dfat_volumes() -> Path:
    return corpora_root() / "dfat" / "volumes"


def frus_volumes() -> Path:
    return corpora_root() / "frus-tei" / "volumes"


@dataclass
class DfatFile:
    path: Path
    meta: dict
    body: str


def dfat_files(root: Path | None = None) -> Iterator[DfatFile]:
    """Every DFAT document with readable front matter, in path order (others are skipped).

    The last volume set read is kept in memory, so the citation and date evaluations of one run
    parse the 9,588 front matters once."""
    yield from _read_dfat(root or dfat_volumes())


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
