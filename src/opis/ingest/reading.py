"""Reading a batch of files into validated drafts: in this process, in forked worker processes,
or on a Dask cluster (``opis.ingest.cluster``); a table too large to hold is read row by row.

Reading (YAML, dates, validation, the cable references and persons a text names) is pure Python
and takes about as long as writing and indexing together, so for a large run it happens in worker
processes, one batch ahead of the writer (``pipeline``): while the writer writes batch N, the
workers read batch N+1. Workers are forked (they inherit the loaded readers and settings, and
start in milliseconds); a small run reads in-process. Nothing here writes to the catalogue: it
only asks which files the catalogue already holds, and by which checksum.
"""

import gc
import multiprocessing
import os
import signal
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from opis.drafts import DocumentDraft
from opis.errors import BadSetting, NotADocument, ReaderError, UnknownLayout
from opis.ingest.report import ONE_ROW, REST_OF_FILE, Failure
from opis.ingest.validate import validate
from opis.readers import read_drafts, reader_for
from opis.readers.source import ReadOptions, SourceFile, max_text_bytes
from opis.records.chunks import chunked
from opis.records.models import Document
from opis.understand.mentions import find_mentions
from opis.understand.threads import cited_references

READ_WORKERS = min(2, os.cpu_count() or 1)
PARALLEL_FROM = 200  # files; fewer are read in-process, where forking workers would cost more,
PARALLEL_FROM_BYTES = 8 << 20  # unless they are large (FRUS volumes: 20 files, 65 MB)
LARGE_FILE = 256 << 10  # files this size on average go to the workers one at a time
FILES_PER_MESSAGE = 16  # files a worker reads per round trip
WORKER_NICENESS = 5  # the writer and the index threads come first; readers fill the gaps


@dataclass
class FileOutcome:
    path: str  # as the report and the catalogue name it (a zip member: archive.zip!/member)
    file: str = ""  # where it is read from (a zip member: its unpacked copy)
    sha256: str = ""
    reader: str = ""
    drafts: list[DocumentDraft] = field(default_factory=list)
    unchanged_ids: list[str] = field(default_factory=list)
    failure: Failure | None = None
    not_a_document: bool = False  # a corpus's data (NotADocument): set aside in a folder walk
    row_failures: list[Failure] = field(default_factory=list)  # a streamed table's bad rows
    more: bool = False  # a streamed table: more of this file's rows follow in another outcome


class ReadsElsewhere(Protocol):
    """Reads files on other processes or machines (``opis.ingest.cluster.ClusterReading``),
    giving back each task's outcome in the order of the tasks."""

    def map(self, function: Callable, tasks: Iterable) -> Iterator[FileOutcome]: ...


class FileReader:
    """Turns a batch of paths into outcomes, in worker processes when the run is large enough."""

    def __init__(
        self,
        files: list[Path],
        workers: int | None = None,
        options: ReadOptions | None = None,
        cluster: "ReadsElsewhere | None" = None,
        piece: int = 5000,
        piece_bytes: int = 16 << 20,
    ):
        workers = READ_WORKERS if workers is None else workers
        self.options = options
        self.piece = piece  # drafts of a file read part by part, per outcome
        self.piece_bytes = piece_bytes  # and their text
        self.pool = None
        self.cluster = cluster
        if cluster is not None:
            workers = 0  # the cluster's workers read; no pool of our own
        forkable = "fork" in multiprocessing.get_all_start_methods()
        size = sum(file_size(path) for path in files)
        large = len(files) >= PARALLEL_FROM or size >= PARALLEL_FROM_BYTES
        # a few large files are dealt one by one, or one worker would get them all
        self.chunksize = 1 if size > LARGE_FILE * max(1, len(files)) else FILES_PER_MESSAGE
        if workers > 1 and large and forkable:
            with warnings.catch_warnings():  # Python 3.12+ warns of fork with threads: workers
                # only run readers, pure functions of a file, and never touch a lock or the database
                warnings.filterwarnings("ignore", ".*fork", DeprecationWarning)
                context = multiprocessing.get_context("fork")
                self.pool = context.Pool(workers, initializer=_start_worker)

    def __enter__(self) -> "FileReader":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self.pool is None:
            return
        if exc_type is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def read(self, chunk: list[Path], force: bool, labels=None) -> Iterator[FileOutcome]:
        """Start reading a batch; outcomes come back in the batch's order. ``labels`` name the
        files that are not where they came from (zip members), as ``Containers.labels``."""
        names = {path: (labels or {}).get(path, str(path)) for path in chunk}
        known: dict[str, list[tuple[str, str]]] = {}
        for part in chunked(list(names.values())):
            rows = Document.objects.filter(source_path__in=part)
            for doc_id, path, sha in rows.values_list("id", "source_path", "source_sha256"):
                known.setdefault(path, []).append((doc_id, sha))
        tasks = [
            (path, known.get(names[path], []), force, names[path], self.options) for path in chunk
        ]
        if len(tasks) == 1 and streams(chunk[0]):
            return _read_streamed(*tasks[0], piece=self.piece, piece_bytes=self.piece_bytes)
        if self.cluster is not None:
            return self.cluster.map(read_task, tasks)
        if self.pool is None:
            return (_read_file(*task) for task in tasks)
        return self.pool.imap(read_task, tasks, chunksize=self.chunksize)


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported when it is read


def _start_worker() -> None:
    """Workers read ahead of the writer, so they yield the CPU to it: the writer is the bottleneck.
    Ctrl+C is the writer's to handle: it stops the workers, who need not say so too."""
    os.nice(WORKER_NICENESS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what the worker inherited is never garbage: don't scan it (nor copy its pages)


def read_task(
    task: tuple[Path, list[tuple[str, str]], bool, str, ReadOptions | None],
) -> FileOutcome:
    return _read_file(*task)


def streams(path: Path) -> bool:
    """Whether a file is read row by row in this process (``_read_streamed``): a table larger
    than a text record may be, whose reader can stream it."""
    if file_size(path) <= max_text_bytes():
        return False
    try:
        return hasattr(reader_for(SourceFile(path)), "stream")
    except (ReaderError, OSError):
        return False  # read as any file, which reports what is wrong with it


def _read_streamed(
    path, prior, force, name, options, *, piece: int, piece_bytes: int
) -> Iterator[FileOutcome]:
    """A file read part by part (a table's rows, a TEI volume's documents: the reader's
    ``stream``): outcomes of at most ``piece`` validated drafts and about ``piece_bytes`` of their
    text each, the last one with ``more`` False. A bad part fails alone (``ONE_ROW``); a fault
    that stops the reading fails the rest of the file (``REST_OF_FILE``) after the drafts read
    before it."""
    current = FileOutcome(path=name or str(path), file=str(path))
    part = "row"
    try:
        source = SourceFile(path)
        reader = reader_for(source)
        current.sha256, current.reader = source.sha256, reader.name
        part = getattr(reader, "part", part)
        if prior and not force and all(sha == source.sha256 for _, sha in prior):
            current.unchanged_ids = [doc_id for doc_id, _ in prior]
            yield current
            return
        read_any = written = False
        held = 0  # bytes of text in the current piece
        for where, item in reader.stream(source):  # type: ignore[attr-defined]
            try:
                if isinstance(item, ReaderError):
                    raise item
                validate(item)
                understand_text(item)
            except ReaderError as exc:
                inner = f", {exc.where}" if exc.where and exc.where != where else ""
                current.row_failures.append(
                    Failure(current.path, where + inner, exc.reason, scope=ONE_ROW, part=part)
                )
                continue
            current.drafts.append(item)
            read_any = True
            held += sum(len(text.body) for text in item.texts)
            if len(current.drafts) >= piece or held >= piece_bytes:
                current.more = written = True
                yield current
                current, held = _next_piece(current), 0
        if not read_any and not current.row_failures:
            raise _nothing_read(reader, part)
    except BadSetting:
        raise
    except Exception as exc:  # noqa: BLE001 - the per-file boundary, as in _read_file
        if current.drafts:
            current.more = written = True
            yield current
            current = _next_piece(current)
        _fail(current, exc)
        if written and current.failure:
            current.failure.scope, current.failure.part = REST_OF_FILE, part
    yield current


def _nothing_read(reader, part: str) -> ReaderError:
    if part == "row":
        return ReaderError("the table has a header but no rows", where="whole file")
    return UnknownLayout(
        f"the file holds no document that the {reader.name} reader can read", where="whole file"
    )


def _next_piece(outcome: FileOutcome) -> FileOutcome:
    return FileOutcome(
        path=outcome.path, file=outcome.file, sha256=outcome.sha256, reader=outcome.reader
    )


def understand_text(draft) -> None:
    """What ingest reads in a draft's text beside its reader: the cable references it cites and
    the persons it names. Done where the file is read (a read worker, a Dask worker), not in the
    writer, whose transaction every other writer waits on."""
    draft.cited = cited_references(draft)
    draft.mentions = find_mentions(
        [text.body for text in draft.texts], draft.date.start.year if draft.date.start else None
    )


def _read_file(
    path: Path, prior: list[tuple[str, str]], force: bool, name="", options=None
) -> FileOutcome:
    outcome = FileOutcome(path=name or str(path), file=str(path))
    try:
        source = SourceFile(path)
        reader = reader_for(source)  # from the head alone: a huge file is refused unread
        outcome.sha256 = source.sha256
        if prior and not force and all(sha == source.sha256 for _, sha in prior):
            outcome.unchanged_ids = [doc_id for doc_id, _ in prior]
            return outcome
        outcome.reader = reader.name
        outcome.drafts = list(read_drafts(reader, source, options))
        if not outcome.drafts:
            raise UnknownLayout(
                f"the file holds no document that the {reader.name} reader can read",
                where="whole file",
            )
        for draft in outcome.drafts:
            validate(draft)
            understand_text(draft)
    except BadSetting:
        raise  # not this file's fault: the run stops, naming the setting
    except Exception as exc:  # noqa: BLE001 - the per-file boundary: a reader bug fails one file only
        _fail(outcome, exc)
    return outcome


def _fail(outcome: FileOutcome, exc: Exception) -> None:
    """The file's failure, from what stopped its reading: a reader's words, the system's, or a
    bug of ours (one file fails, never the run)."""
    if isinstance(exc, ReaderError):
        outcome.failure = Failure(outcome.path, exc.where, exc.reason)
        outcome.not_a_document = isinstance(exc, NotADocument)
    elif isinstance(exc, OSError):
        outcome.failure = Failure(outcome.path, "", f"cannot be read: {exc.strerror or exc}")
    else:
        outcome.failure = Failure(
            outcome.path,
            "",
            f"opis could not read it ({type(exc).__name__}: {exc}); please report this",
        )
    outcome.drafts = []
