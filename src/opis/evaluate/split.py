"""Development and held-out halves of each corpus, split by volume.

A figure measured on the documents an extractor was tuned on says how well it was fitted, not
how well it reads. So every corpus is cut in two *by volume* (a volume has one editor, one
decade, one set of habits; splitting inside a volume would leak them): the development part,
the only one anyone may look at while changing an extractor, and the held-out part, measured
and reported but never read for tuning.

The split is deterministic and needs no list kept by hand: the volumes of one corpus (the
folder names under ``dfat/volumes``, the file names under ``frus-tei/volumes`` without
``.xml``, the file names of the FOIA scans) are ordered by the SHA-256 of their name, and the
first half, rounded up, is development. A volume added later moves at most one other across.

``opis eval`` runs each measure once per part (``only(part)``); the corpus iterators in
``corpora``, ``cables`` and ``dates`` keep only the volumes of the part in force.
"""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DEV = "dev"
HELD_OUT = "held-out"
PARTS = (DEV, HELD_OUT)

_PART: ContextVar[str | None] = ContextVar("opis_eval_part", default=None)


def volume_key(name: str) -> str:
    """The order volumes are dealt in: the hex SHA-256 of the volume's name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def development_volumes(names: Iterable[str]) -> frozenset[str]:
    """The development half (rounded up) of one corpus's volume names."""
    ordered = sorted(set(names), key=volume_key)
    return frozenset(ordered[: (len(ordered) + 1) // 2])


def part_of(name: str, corpus: Iterable[str]) -> str:
    """``"dev"`` or ``"held-out"``: the part volume ``name`` of ``corpus`` (all its names) is in."""
    return DEV if name in development_volumes(corpus) else HELD_OUT


def current_part() -> str | None:
    """The part in force (``only``), or None: the whole corpus."""
    return _PART.get()


@contextmanager
def only(part: str | None) -> Iterator[None]:
    """Within the block, the corpus iterators give only the volumes of ``part`` (None: all)."""
    if part is not None and part not in PARTS:
        raise ValueError(f"part {part!r} is not one of {', '.join(PARTS)}")
    token = _PART.set(part)
    try:
        yield
    finally:
        _PART.reset(token)


def volume_name(path: Path, per_file: bool) -> str:
    """A file's volume: its folder (DFAT, one folder a volume) or its own stem (FRUS, FOIA)."""
    return path.stem if per_file else path.parent.name


def in_part(paths: Iterable[Path], per_file: bool = False) -> list[Path]:
    """``paths`` (all of one corpus) less those outside the part in force."""
    paths = list(paths)
    part = current_part()
    if part is None:
        return paths
    names = [volume_name(path, per_file) for path in paths]
    dev = development_volumes(names)
    return [path for path, name in zip(paths, names, strict=True) if (name in dev) == (part == DEV)]
