"""Bulk export: the whole archive or a search result, as JSON Lines, CSV, oai_dc XML or a BagIt bag.

Each format is a module that registers itself here (``_load``); the CLI and the web ask the
registry, never a chain of ifs. A *stream* format yields text pieces, written as they come to a
file, to standard output or into a streaming HTTP response, so memory stays flat however large
the archive; a *folder* format (BagIt) writes a folder of files.

A file is written under ``NAME.partial`` and renamed when complete, so an export that fails
halfway never leaves a file that looks whole.
"""

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from django.utils import timezone

from opis.errors import OpisError
from opis.export.select import Selection
from opis.records.audit import DISSEMINATION, os_user, record_event

__all__ = ["ExportContext", "Selection", "downloads", "export", "export_format", "formats"]


@dataclass
class ExportContext:
    """What every format needs besides the documents: when, from where, and whom to tell."""

    selection: Selection
    exported_at: datetime = field(default_factory=timezone.now)
    base_url: str = ""  # prefix of the reading room's document URLs ("" gives /documents/ID)
    progress: Callable[[int], None] | None = None
    details: dict = field(default_factory=dict)  # what a format adds to the summary

    def document_url(self, document_id: str) -> str:
        return f"{self.base_url.rstrip('/')}/documents/{document_id}"


class ExportFormat(Protocol):
    name: str
    description: str
    media_type: str
    extension: str
    folder: bool  # True: writes a folder (``write``); False: yields text (``pieces``)
    label: str  # its name in the reading room's links
    download: bool  # offered by the reading room: /export/search<extension>?q=…

    def pieces(self, context: ExportContext) -> Iterator[str]: ...

    def write(self, context: ExportContext, folder: Path) -> None: ...


REGISTRY: dict[str, ExportFormat] = {}


def register(export_format: ExportFormat) -> ExportFormat:
    REGISTRY[export_format.name] = export_format
    return export_format


def formats() -> dict[str, ExportFormat]:
    if not REGISTRY:
        _load()
    return REGISTRY


def downloads() -> list[ExportFormat]:
    """The formats a search result downloads in from the reading room (``opis.web.export_views``,
    at ``/export/search<extension>``); the others only from ``opis export``."""
    return [chosen for chosen in formats().values() if chosen.download]


def export_format(name: str) -> ExportFormat:
    """The format called ``name``, or an error listing the formats there are."""
    try:
        return formats()[name]
    except KeyError:
        raise OpisError(
            f"unknown export format {name!r}; choose one of {', '.join(formats())}"
        ) from None


def export(
    format_name: str,
    selection: Selection,
    output: str | Path | None = None,
    *,
    base_url: str = "",
    progress: Callable[[int], None] | None = None,
    actor: str | None = None,
) -> dict:
    """Export ``selection`` to ``output`` (a file; a folder for BagIt; None or ``-``: stdout).

    Returns a summary: format, query, count, output and what the format adds (originals). The
    export is recorded in the audit trail (DISSEMINATION) as ``actor``'s (default: the OS user)."""
    chosen = export_format(format_name)
    to_stdout = output in (None, "-", "")
    if chosen.folder and to_stdout:
        raise OpisError(
            f"the {chosen.name} format writes a folder; name one with --output (e.g. "
            f"--output my-{chosen.name}), it must not exist yet or be empty"
        )
    context = ExportContext(selection=selection, base_url=base_url, progress=progress)
    count = selection.count()
    if chosen.folder:
        chosen.write(context, Path(output))
    elif to_stdout:
        _write_stream(chosen.pieces(context), sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        _write_file(chosen.pieces(context), Path(output))
    record_event(actor or os_user(), DISSEMINATION, f"export:{chosen.name}",
                 query=(selection.query or "")[:300], count=context.details.get("count", count),
                 output="-" if to_stdout else str(output)[:300])  # fmt: skip
    return {
        "format": chosen.name,
        "query": selection.query,
        "count": context.details.pop("count", count),
        "output": "-" if to_stdout else str(output),
        "exported_at": context.exported_at.isoformat(),
        "messages": selection.messages,
        **context.details,
    }


def _write_stream(pieces: Iterator[str], stream) -> None:
    for piece in pieces:
        stream.write(piece.encode("utf-8"))


def _write_file(pieces: Iterator[str], path: Path) -> None:
    """Write to ``PATH.partial`` and rename when done; devices and pipes are written directly."""
    direct = path.exists() and not path.is_file()
    target = path if direct else path.with_name(path.name + ".partial")
    try:
        handle = target.open("wb")
    except OSError as exc:
        raise unwritable(path, exc) from None
    try:
        with handle:
            _write_stream(pieces, handle)
    except BaseException as exc:  # a full disk, an interrupt, a bad record: leave no half file
        if not direct:
            target.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise unwritable(path, exc) from None
        raise
    if not direct:
        target.replace(path)


def unwritable(path: Path, exc: OSError) -> OpisError:
    return OpisError(
        f"cannot write the export to {path}: {exc.strerror or exc}; "
        "choose a place you can write to (or - for standard output); nothing was written"
    )


def _load() -> None:
    from opis.export import bagit_bag, csv_table, jsonl, oai_dc

    register(jsonl.FORMAT)
    register(csv_table.FORMAT)
    register(oai_dc.FORMAT)
    register(bagit_bag.FORMAT)
