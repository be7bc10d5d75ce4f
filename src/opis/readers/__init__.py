"""Readers: one module per input format, each registered here with ``detect`` and ``read``.

Adding a format is adding a module and one line in ``_load``: ingest asks the registry which reader
recognises a file and never dispatches on file names itself.
"""

from collections.abc import Iterator
from typing import Protocol

from opis.drafts import DocumentDraft
from opis.errors import NotADocument, UnknownLayout
from opis.readers import not_documents
from opis.readers.source import ReadOptions, SourceFile, max_text_bytes


class Reader(Protocol):
    """A format. ``binary`` readers (PDF, zip) take bytes and skip the text checks; ``streaming``
    readers (TEI volumes) never hold the whole file, so the text-size limit does not apply;
    ``takes_options`` readers (scans: the OCR mode) get the run's ``ReadOptions`` from
    ``read_drafts``; ``whole_first_line`` readers (JSON Lines, CSV) are shown a head that holds
    the whole first line. ``detect`` may raise a ReaderError for a file that is its format but
    damaged: that file fails, naming what is wrong, instead of reading as no layout at all."""

    name: str
    extensions: tuple[str, ...]
    binary: bool  # optional; False when absent
    streaming: bool  # optional; False when absent
    takes_options: bool  # optional; False when absent: read(source, options) when True
    whole_first_line: bool  # optional; False when absent: detect sees the whole first line

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
    the text checks (not empty, not binary, not over the size limit unless streamed). A file no
    reader takes may be a corpus's data rather than a document: NotADocument says what it is."""
    suffix = source.path.suffix.lower()
    candidates = [r for r in readers() if suffix in r.extensions]
    raw = source.head()
    for reader in candidates:
        if getattr(reader, "binary", False) and reader.detect(source, raw):
            return reader
    streamed = any(getattr(r, "streaming", False) for r in candidates)
    source.refuse_non_text(size_limit=not streamed)
    if any(getattr(r, "whole_first_line", False) for r in candidates):
        raw = first_line_head(source, raw)
    head = raw.decode("utf-8", errors="replace")
    for reader in candidates:
        if not getattr(reader, "binary", False) and reader.detect(source, head):
            return reader
    what_else = not_documents.what_it_is(source, head)
    if what_else:
        raise NotADocument(what_else, where="whole file")
    known = ", ".join(r.name for r in readers())
    raise UnknownLayout(
        f"no reader recognises this layout (known layouts: {known}); "
        "see docs/ingest.md for what each expects",
        where="whole file",
    )


def first_line_head(source: SourceFile, head: bytes) -> bytes:
    """The head, extended to hold the whole first non-blank line (up to ``max_text_bytes``).

    A JSON Lines object or a CSV header is decided on whole: a first record longer than the head
    used to read as no layout at all, and its file was skipped (issue 12: every file whose first
    3.6 KB record crossed the 4 KB head). Past the limit the head stays cut short, and the reader
    says so."""
    limit = max_text_bytes()
    if _has_first_line(head) or len(head) >= source.size:
        return head
    parts = [head]
    read = len(head)
    with source.path.open("rb") as handle:
        handle.seek(read)
        step = max(len(head), 4096)
        while read < limit:
            part = handle.read(min(step, limit - read))
            if not part:
                break
            parts.append(part)
            read += len(part)
            if b"\n" in part and _has_first_line(b"".join(parts)):
                break
            step *= 2
    return b"".join(parts)


def _has_first_line(data: bytes) -> bool:
    """Whether ``data`` holds a non-blank line and the newline that ends it."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    return b"\n" in stripped


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
