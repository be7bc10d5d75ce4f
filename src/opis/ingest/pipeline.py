"""The staged ingest pipeline: discover → read → validate → write → index.

Files are read and validated outside any transaction (``reading``); a batch of good drafts is then
written in one transaction together with its index queue, and the index catches up after the
commit. A file that fails at any stage is reported (file, where, why) and skipped; it never stops
the batch and never leaves half a record. Re-reading an unchanged file is skipped by checksum.

For a large run the next batch is read (in worker processes, or on a Dask cluster) while this one
is written. Only this process touches the catalogue and the index, so batches still commit whole
and in order.

A table larger than a text record may be (``OPIS_MAX_TEXT_FILE_MB``: a JSON Lines or CSV file of
any size) is not held whole: it is read row by row (``TabularReader.stream``) and written in
transactions of ``OPIS_INGEST_BATCH_RECORDS`` as the rows come. Such a file is the one exception
to "a file commits whole": a row that cannot be read fails alone (the report names the file and
the row), and a fault that stops the reading keeps the rows written before it.
"""

import ctypes
import ctypes.util
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import chain
from pathlib import Path

from django.db import DatabaseError
from django.utils import timezone

from opis import config
from opis.ingest.catalogue import CatalogueWriter
from opis.ingest.claims import Claims
from opis.ingest.containers import Containers
from opis.ingest.discover import discover
from opis.ingest.reading import FileOutcome, FileReader, ReadsElsewhere, file_size, streams
from opis.ingest.report import STATUSES, Failure, IngestReport
from opis.readers.source import ReadOptions
from opis.records.audit import FAILURE, INGESTION, SUCCESS, os_user, record_event
from opis.records.chunks import chunked
from opis.records.models import Document, IngestRun, Status
from opis.records.originals import keep_all, store_lock
from opis.records.threads import link_threads
from opis.records.writer_lock import live_runs, running, serialised, sole_writer
from opis.search.indexer import IndexFeed


@sole_writer("ingest")
def ingest_paths(
    paths: Iterable[Path | str],
    *,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
    batch_size: int | None = None,
    stage: Callable[[str], None] | None = None,
    committed: Callable[[list[str]], None] | None = None,
    ocr: str | None = None,
    status: str = Status.PUBLISHED,
    embargo_until: date | None = None,
    actor: str | None = None,
    cluster: "ReadsElsewhere | None" = None,
) -> IngestReport:
    """Ingest files and folders; return the report. ``force`` re-reads unchanged files.

    ``progress`` is called once per file read; ``stage`` is told of the work after the files
    (linking threads), so a person watching knows why the bar stands at 100 %. ``committed`` is
    told the ids of each batch once its transaction has committed: from then on they are kept,
    whatever happens to this process (docs/ingest.md, "Crash safety"). ``ocr`` (auto, always,
    never) overrides ``OPIS_OCR`` for this run's scans: it is given to the PDF reader, in this
    process or a read worker, as an argument. ``batch_size``: files per transaction; None, the
    setting ``OPIS_INGEST_BATCH``. ``status`` (and ``embargo_until`` for an embargo) is given to
    records new to the catalogue; records ingested before keep theirs (docs/publication.md).
    ``actor`` (default: the user running the process) is who the audit trail names for the run.
    ``cluster`` reads the files elsewhere (``opis.ingest.cluster``: Dask workers); this process
    still writes every batch, in order.
    """
    started = time.perf_counter()
    options = ReadOptions(ocr=ocr)  # a mode that is none of auto, always, never: ValueError
    batch_size = batch_size or config.value("OPIS_INGEST_BATCH")
    batch_bytes = int(config.value("OPIS_INGEST_BATCH_MB") * 1024 * 1024)
    max_records = config.value("OPIS_INGEST_BATCH_RECORDS")
    paths = [Path(p) for p in paths]
    files, skipped, missing = discover(paths)
    containers = Containers()  # zips and bags: checked whole, then their files read one by one
    files = containers.open(files)
    failed = [*missing, *containers.failed]
    report = IngestReport(skipped=skipped + containers.skipped, failed=failed, files=len(files))
    run = IngestRun.objects.create(  # resolved: readers see sources relative to them
        started_at=timezone.now(), paths=[str(Path(p).resolve()) for p in paths]
    )
    with running(run.pk):  # PostgreSQL: other runs see this one is alive
        report.run_id = run.pk
        writer = CatalogueWriter(run, status=status, embargo_until=embargo_until)
        chunks = list(_batches(files, batch_size, batch_bytes))
        named = {str(p.resolve()) for p in paths if p.is_file()}
        labels = containers.labels
        with (
            Claims() as produced,  # document id -> the file that produced it in this run
            containers,
            FileReader(
                files, options=options, cluster=cluster, piece=max_records, piece_bytes=batch_bytes
            ) as reader,
            IndexFeed(settle=True) as index,
            store_lock(),
        ):
            reading = reader.read(chunks[0], force, labels) if chunks else iter(())
            for number in range(len(chunks)):
                outcomes = _collect(reading, produced, progress, named, report)
                if number + 1 < len(chunks):  # the next batch is read while this one is written
                    reading = reader.read(chunks[number + 1], force, labels)
                for group in _transactions(outcomes, max_records):
                    written = len(report.documents)
                    with serialised("ingest batch"):  # PostgreSQL: one batch at a time, all runs
                        _write_chunk(group, writer, report, force)
                    if committed:
                        committed([d["id"] for d in report.documents[written:]])
                    index.feed()  # a group's drafts go when the next is gathered: none outlives it
                    _give_back_memory()
        unfinished = list(
            IngestRun.objects.filter(finished_at__isnull=True)
            .exclude(pk=run.pk)
            .values_list("pk", flat=True)
        )
        live = live_runs(unfinished)  # PostgreSQL: runs going on at this moment in other processes
        interrupted = [pk for pk in unfinished if pk not in live]
        touched = _touched_collections(report, interrupted)
        if stage and touched:
            stage(f"linking cable threads in {len(touched)} collection(s)")
        link_threads(touched)
        for part in chunked(interrupted):
            IngestRun.objects.filter(pk__in=part).update(
                finished_at=timezone.now(),
                report={"interrupted": True, "threads_linked_by_run": run.pk},
            )
        report.seconds = time.perf_counter() - started
        run.finished_at = timezone.now()
        # Not an entry per document: at a million documents those made a 100 MB row and, built
        # at the very end, doubled the run's peak memory (1.4 GB against 550 MB between
        # transactions; docs/benchmarks.md); each document it wrote names its run already.
        run.report = report.as_json(each_document=False)
        run.save(update_fields=["finished_at", "report"])
        record_event(
            actor or os_user(), INGESTION, f"ingest-run:{run.pk}",
            outcome=FAILURE if report.failed else SUCCESS, paths=run.paths[:20],
            **{kind: report.count(kind) for kind in STATUSES},
            failed=len(report.failed), skipped=len(report.skipped), files=report.files,
        )  # fmt: skip
        return report


def _libc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, musl)."""
    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None


_TRIM = _libc_trim()


def _give_back_memory() -> None:
    """Hand the memory freed by a written transaction back to the system.

    glibc keeps what is freed for reuse, per thread: the texts that read workers' results were
    unpacked into, the index writer's and the store's threads. Over a long run this held memory
    grew by about 5 KB a document (670 MB anonymous after 60,000 cables, 408 MB after 10,000),
    nearly all of it free; ``malloc_trim`` after each transaction keeps the run flat (Dask's
    workers trim for the same reason). Where there is no glibc this does nothing."""
    if _TRIM is not None:
        _TRIM(0)


def _batches(files: list[Path], size: int, max_bytes: int) -> Iterator[list[Path]]:
    """Files read together: at most ``size`` files and ``max_bytes`` of them (a file larger than
    that is a batch of its own), so what a batch holds in memory is bounded by its bytes, not by
    how many records its files turn out to hold. A table read row by row (``reading.streams``) is
    a batch of its own too, whatever its size."""
    batch: list[Path] = []
    held = 0
    for path in files:
        nbytes = file_size(path)
        alone = streams(path)
        if batch and (alone or len(batch) >= size or held + nbytes > max_bytes):
            yield batch
            batch, held = [], 0
        batch.append(path)
        held += nbytes
        if alone:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _transactions(outcomes: Iterable[FileOutcome], max_records: int) -> Iterator[list[FileOutcome]]:
    """A batch's files in groups of at most ``max_records`` records, each written in one
    transaction, as they come. A file is never split: one holding more records is a group of
    its own. A file read part by part comes in pieces bounded by records and bytes
    (``reading._read_streamed``): each piece is a transaction of its own, as soon as it is read."""
    group: list[FileOutcome] = []
    records = 0
    for outcome in outcomes:
        count = len(outcome.drafts)
        if group and records + count > max_records:
            yield group
            group, records = [], 0
        group.append(outcome)
        records += count
        if outcome.more:
            yield group
            group, records = [], 0
    if group:
        yield group


def _collect(reading: Iterator[FileOutcome], produced, progress, named, report):
    """Outcomes as they are read, their ids claimed; a corpus's data met in a folder walk is set
    aside and listed. A generator: a streamed table is written piece by piece as it is read."""
    for outcome in reading:
        if outcome.failure is None:
            _claim_ids(outcome, produced)
        _set_aside(outcome, named, report)
        yield outcome
        if progress and not outcome.more:
            progress(1)


def _set_aside(outcome: FileOutcome, named: set[str], report) -> None:
    """A file that is a corpus's data, not a document (authority XML beside TEI volumes, a lookup
    table), met in a folder walk, is listed as skipped with what it is. Any other file that no
    reader recognises fails, folder walk or not: "skipped" read as "nothing there" (issue 12)."""
    if outcome.not_a_document and outcome.path not in named:
        report.skipped.append({"path": outcome.path, "reason": outcome.failure.reason})
        outcome.failure = None


def _touched_collections(report, interrupted: list[int]) -> set[str]:
    """Collections holding a document this run wrote, or an interrupted run wrote (it was killed
    before it linked them, and its files now read as unchanged): their thread links are
    recomputed."""
    changed = chain(
        report.documents.ids(exclude="unchanged"),  # one by one: at a million, a list is 60 MB
        Document.objects.filter(ingest_run__in=interrupted).values_list("pk", flat=True),
    )
    slugs: set[str] = set()
    for part in chunked(changed):
        through = Document.collections.through.objects.filter(document_id__in=part)
        slugs.update(through.values_list("collection__slug", flat=True).distinct())
    return slugs


def _claim_ids(outcome: FileOutcome, produced: Claims) -> None:
    """Two files must not produce the same document id in one run: the second one fails."""
    taken = produced.claim([draft.id for draft in outcome.drafts], outcome.path)
    if taken:
        document_id, other = taken
        outcome.failure = Failure(
            outcome.path,
            f"document {document_id}",
            f"the id {document_id!r} was already produced by {other} in this run",
        )
        outcome.drafts = []


def _write_chunk(outcomes: list[FileOutcome], writer: CatalogueWriter, report, force) -> None:
    good = [o for o in outcomes if o.failure is None]
    report.failed += [o.failure for o in outcomes if o.failure]
    report.failed += [failure for o in outcomes for failure in o.row_failures]
    for outcome in good:
        report.documents += [
            {"id": i, "path": outcome.path, "status": "unchanged"} for i in outcome.unchanged_ids
        ]
    to_write = [o for o in good if o.drafts]
    kept = _keep_originals(to_write, report)  # in the store before the transaction names them
    to_write = [o for o in to_write if o.sha256 in kept]
    existing = {
        doc_id: sha
        for part in chunked([d.id for o in to_write for d in o.drafts])
        for doc_id, sha in Document.objects.filter(pk__in=part).values_list("id", "source_sha256")
    }
    statuses, moved, items = {}, {}, []
    for outcome in to_write:
        for draft in outcome.drafts:
            if existing.get(draft.id) == outcome.sha256 and not force:
                statuses[draft.id] = "unchanged"
                moved[draft.id] = outcome.path
                continue
            statuses[draft.id] = "updated" if draft.id in existing else "ingested"
            items.append((draft, outcome.path, outcome.sha256, outcome.reader))
    now = timezone.now()
    try:
        writer.write_batch(items, now, list(kept.values()))
        writer.touch_paths(moved)
    except DatabaseError:
        writer.forget()
        _write_one_by_one(to_write, writer, statuses, now, report, kept)
        return
    for outcome in to_write:
        report.documents += [
            {"id": d.id, "path": outcome.path, "status": statuses[d.id]} for d in outcome.drafts
        ]


def _keep_originals(outcomes: list[FileOutcome], report) -> dict:
    """Copy each file into the store of originals; one that cannot be kept fails."""
    kept, refused = keep_all((Path(o.file), Path(o.path).name, o.sha256) for o in outcomes)
    report.failed += [
        Failure(o.path, "original", refused[o.sha256]) for o in outcomes if o.sha256 in refused
    ]
    return kept


def _write_one_by_one(outcomes, writer, statuses, now, report, kept) -> None:
    """After a failed batch, isolate the file the catalogue refuses; the rest still lands."""
    for outcome in outcomes:
        items = [(d, outcome.path, outcome.sha256, outcome.reader) for d in outcome.drafts]
        try:
            writer.write_batch(items, now, [kept[outcome.sha256]])
        except DatabaseError as exc:
            writer.forget()
            report.failed.append(
                Failure(outcome.path, "catalogue", f"the catalogue refused the record: {exc}")
            )
            continue
        report.documents += [
            {"id": d.id, "path": outcome.path, "status": statuses[d.id]} for d in outcome.drafts
        ]
