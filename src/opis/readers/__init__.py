"""Readers: one module per input format, each registered here with ``detect`` and ``read``.

Adding a format is adding a module and one line in ``_load``: ingest asks the registry which reader
recognises a file and never dispatches on file names itself.
"""

from collections.abc import Iterator
from typing import Protocol

from opis.drafts import DocumentDraft
from opis.errors import UnknownLayout
from opis.readers.source import ReadOptions, SourceFile


class Reader(Protocol):
    """A format. ``binary`` readers (PDF, zip) take bytes and skip the text checks; ``streaming``
    readers (TEI volumes) never hold the whole file, so the text-size limit does not apply;
    ``takes_options`` readers (scans: the OCR mode) get the run's ``ReadOptions`` from
    ``read_drafts``."""

    name: str
    extensions: tuple[str, ...]
    binary: bool  # optional; False when absent
    streaming: bool  # optional; False when absent
    takes_options: bool  # optional; False when absent: read(source, options) when True

    def detect(self, source: SourceFile, head: str) -> bool: ...

    def read(self, source: SourceFile) -> Iterator[DocumentDraft]: ...


REGISTRY: list[Reader] = []


def register(reader: Reader) -> Reader:
    REGISTRY.append(reader)
    return reader


def claimed_extensions() -> set[str]:
    """File extensions some reader understands; folder walks consider only these."""
    return {ext for reader in readers() for ext in reader.extensions}


def readers() -> list[Reader]:
    if not REGISTRY:
        _load()
    return REGISTRY


def reader_for(source: SourceFile) -> Reader:
    """The reader that recognises this file, or a ReaderError naming the layouts we know.

    Binary readers are asked first, with the raw head; a file none of them claims must then pass
    the text checks (not empty, not binary, not over the size limit unless streamed)."""
    suffix = source.path.suffix.lower()
    candidates = [r for r in readers() if suffix in r.extensions]
    raw = source.head()
    for reader in candidates:
        if getattr(reader, "binary", False) and reader.detect(source, raw):
            return reader
    streamed = any(getattr(r, "streaming", False) for r in candidates)
    source.refuse_non_text(size_limit=not streamed)
    head = raw.decode("utf-8", errors="replace")
    for reader in candidates:
        if not getattr(reader, "binary", False) and reader.detect(source, head):
            return reader
    known = ", ".join(r.name for r in readers())
    raise UnknownLayout(
        f"no reader recognises this layout (known layouts: {known}); "
        "see docs/ingest.md for what each expects",
        where="whole file",
    )


def read_drafts(
    reader: Reader, source: SourceFile, options: ReadOptions | None = None
) -> Iterator[DocumentDraft]:
    """The reader's drafts of a file; the run's ``options`` go to the readers that take them."""
    if options is not None and getattr(reader, "takes_options", False):
        return reader.read(source, options)
    return reader.read(source)


def _load() -> None:
    from opis.readers import dfat_markdown, frus_tei, wilson_record

    register(dfat_markdown.READER)
    register(wilson_record.READER)
    register(frus_tei.READER)

    from opis.readers import opis_jsonl, tabular, un_speech

    register(un_speech.READER)
    register(opis_jsonl.READER)  # before tabular: an opis export is a JSONL file of its own kind
    register(tabular.READER)

    from opis.readers import pdf_scan

    register(pdf_scan.READER)
