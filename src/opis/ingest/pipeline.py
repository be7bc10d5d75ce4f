"""The staged ingest pipeline: discover → read → validate → write → index.

Files are read and validated outside any transaction; a batch of good drafts is then written in one
transaction together with its index queue, and the index catches up after the commit. A file that
fails at any stage is reported (file, where, why) and skipped; it never stops the batch and never
leaves half a record. Re-reading an unchanged file is skipped by checksum.
"""

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError
from django.utils import timezone

from opis.errors import ReaderError
from opis.ingest.catalogue import CatalogueWriter
from opis.ingest.discover import discover
from opis.ingest.report import Failure, IngestReport
from opis.ingest.validate import validate
from opis.readers import reader_for
from opis.readers.drafts import DocumentDraft
from opis.readers.source import SourceFile
from opis.records.models import Document, IngestRun
from opis.search.indexer import apply_pending

BATCH_SIZE = 2000


@dataclass
class FileOutcome:
    path: str
    sha256: str = ""
    reader: str = ""
    drafts: list[DocumentDraft] = field(default_factory=list)
    unchanged_ids: list[str] = field(default_factory=list)
    failure: Failure | None = None


def ingest_paths(
    paths: Iterable[Path | str],
    *,
    progress: Callable[[int], None] | None = None,
    force: bool = False,
    batch_size: int = BATCH_SIZE,
) -> IngestReport:
    """Ingest files and folders; return the report. ``force`` re-reads unchanged files."""
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    files, skipped, missing = discover(paths)
    report = IngestReport(skipped=skipped, failed=list(missing), files=len(files))
    run = IngestRun.objects.create(started_at=timezone.now(), paths=[str(p) for p in paths])
    report.run_id = run.pk
    writer = CatalogueWriter(run)
    produced: dict[str, str] = {}  # document id -> the file that produced it in this run
    for chunk in _chunks(files, batch_size):
        outcomes = _read_chunk(chunk, force, produced, progress)
        _write_chunk(outcomes, writer, report, force)
        apply_pending()
    report.seconds = time.perf_counter() - started
    run.finished_at = timezone.now()
    run.report = report.as_json()
    run.save(update_fields=["finished_at", "report"])
    return report


def _chunks(items: list[Path], size: int) -> Iterator[list[Path]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _read_chunk(chunk, force, produced, progress) -> list[FileOutcome]:
    known: dict[str, list[tuple[str, str]]] = {}
    rows = Document.objects.filter(source_path__in=[str(p) for p in chunk])
    for doc_id, path, sha in rows.values_list("id", "source_path", "source_sha256"):
        known.setdefault(path, []).append((doc_id, sha))
    outcomes = []
    for path in chunk:
        outcome = _read_file(path, known.get(str(path), []), force)
        if outcome.failure is None:
            _claim_ids(outcome, produced)
        outcomes.append(outcome)
        if progress:
            progress(1)
    return outcomes


def _read_file(path: Path, prior: list[tuple[str, str]], force: bool) -> FileOutcome:
    outcome = FileOutcome(path=str(path))
    try:
        source = SourceFile(path)
        outcome.sha256 = source.sha256
        if prior and not force and all(sha == source.sha256 for _, sha in prior):
            outcome.unchanged_ids = [doc_id for doc_id, _ in prior]
            return outcome
        reader = reader_for(source)
        outcome.reader = reader.name
        outcome.drafts = list(reader.read(source))
        if not outcome.drafts:
            raise ReaderError("the file holds no document", where="whole file")
        for draft in outcome.drafts:
            validate(draft)
    except ReaderError as exc:
        outcome.failure = Failure(str(path), exc.where, exc.reason)
    except OSError as exc:
        outcome.failure = Failure(str(path), "", f"cannot be read: {exc.strerror or exc}")
    except Exception as exc:  # noqa: BLE001 - the per-file boundary: a reader bug fails one file only
        outcome.failure = Failure(
            str(path), "", f"opis could not read it ({type(exc).__name__}: {exc}); please report this"
        )
    if outcome.failure:
        outcome.drafts = []
    return outcome


def _claim_ids(outcome: FileOutcome, produced: dict[str, str]) -> None:
    """Two files must not produce the same document id in one run: the second one fails."""
    for draft in outcome.drafts:
        other = produced.get(draft.id)
        if other and other != outcome.path:
            outcome.failure = Failure(
                outcome.path,
                f"document {draft.id}",
                f"the id {draft.id!r} was already produced by {other} in this run",
            )
            outcome.drafts = []
            return
    for draft in outcome.drafts:
        produced[draft.id] = outcome.path


def _write_chunk(outcomes: list[FileOutcome], writer: CatalogueWriter, report, force) -> None:
    good = [o for o in outcomes if o.failure is None]
    report.failed += [o.failure for o in outcomes if o.failure]
    for outcome in good:
        report.documents += [
            {"id": i, "path": outcome.path, "status": "unchanged"} for i in outcome.unchanged_ids
        ]
    to_write = [o for o in good if o.drafts]
    existing = dict(
        Document.objects.filter(pk__in=[d.id for o in to_write for d in o.drafts]).values_list(
            "id", "source_sha256"
        )
    )
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
        writer.write_batch(items, now)
        writer.touch_paths(moved)
    except DatabaseError:
        writer.forget()
        _write_one_by_one(to_write, writer, statuses, now, report)
        return
    for outcome in to_write:
        report.documents += [
            {"id": d.id, "path": outcome.path, "status": statuses[d.id]} for d in outcome.drafts
        ]


def _write_one_by_one(outcomes, writer, statuses, now, report) -> None:
    """After a failed batch, isolate the file the catalogue refuses; the rest still lands."""
    for outcome in outcomes:
        items = [(d, outcome.path, outcome.sha256, outcome.reader) for d in outcome.drafts]
        try:
            writer.write_batch(items, now)
        except DatabaseError as exc:
            writer.forget()
            report.failed.append(
                Failure(outcome.path, "catalogue", f"the catalogue refused the record: {exc}")
            )
            continue
        report.documents += [
            {"id": d.id, "path": outcome.path, "status": statuses[d.id]} for d in outcome.drafts
        ]
