"""A curator's edit and a restore: each a new version of the record, in one transaction.

The record is locked (``select_for_update``; on SQLite the write transaction is IMMEDIATE, so two
curators' edits are serialised), its version compared with the one the curator started from (a
stale one is a ``VersionConflict`` carrying the record as it now is, and nothing changes), the
changed record turned into a draft, validated as ingest validates and written by ingest's own
catalogue writer (which queues the index change), and then, in the same transaction: the version
moved on, the new version kept whole, ``curated`` told which fields a curator now owns (with the
source's value, so a re-ingest keeps the curator's and asks when the source changes:
``ingest.curation``), and the audit trail told.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from opis.drafts import DocumentDraft
from opis.errors import BadEdit, NotFound, ReaderError, VersionConflict
from opis.ingest.catalogue import CatalogueWriter
from opis.ingest.curation import CURATED_FIELDS, field_draft
from opis.ingest.validate import validate
from opis.readers.opis_jsonl import draft_from_record
from opis.records.audit import MODIFICATION, RECOVERY, record_event
from opis.records.models import Document, IngestRun, RecordVersion, ThreadLink
from opis.records.publication import set_status
from opis.records.serialize import document_json, load_document
from opis.records.writer_lock import sole_writer
from opis.search.indexer import apply_pending

from .fields import STATUS_FIELDS, checked
from .history import ensure_history, version_record

EDIT, RESTORE, CORRECTION, REVIEW = "edit", "restore", "correction", "review"
AUDITED = {RESTORE: RECOVERY}  # every other action is a PREMIS "modification"


def edit_record(
    document_id: str, changes: dict, *, actor: str, comment: str, version: int, action=EDIT
) -> dict:
    """Change fields of a record made from ``version``; return the record as it now is."""
    comment = reason_given(comment)
    wanted = checked(changes)
    status = {name: wanted.pop(name) for name in STATUS_FIELDS if name in wanted}
    with sole_writer("edit a record"), transaction.atomic():
        document = locked_record(document_id, version)
        ensure_history(document)
        before = document_json(document)
        changed = [n for n in wanted if _differs(before, n, wanted[n])]
        if not changed and not status:
            named = next(iter(changes), "")
            raise BadEdit("nothing would change: every value sent is the record's own", named)
        if changed:
            record = {**before, **{name: wanted[name] for name in changed}}
            _write(document, before, record, changed, actor=actor, action=action, comment=comment)
        if status:
            _status(document_id, status, actor=actor, comment=comment)
        transaction.on_commit(apply_pending)
    return document_json(load_document(document_id))


def restore_version(
    document_id: str, number: int, *, actor: str, comment: str, version: int | None = None
) -> dict:
    """Make version ``number`` current again, as a new version; return the record."""
    comment = reason_given(comment)
    with sole_writer("restore a record"), transaction.atomic():
        current = Document.objects.filter(pk=document_id).values_list("version", flat=True)
        document = locked_record(document_id, version if version is not None else current.first())
        ensure_history(document)
        before = document_json(document)
        record = version_record(document_id, number)
        changed = [n for n in CURATED_FIELDS if _differs(before, n, record[n])]
        _write(document, before, record, changed, actor=actor, action=RESTORE, comment=comment)
        transaction.on_commit(apply_pending)
    return document_json(load_document(document_id))


def reason_given(comment) -> str:
    if not isinstance(comment, str) or not comment.strip():
        raise BadEdit("say why: every change is kept with its reason", "comment")
    return comment.strip()


def locked_record(document_id: str, version: int | None) -> Document:
    document = Document.objects.select_for_update().filter(pk=document_id).first()
    if document is None:
        raise NotFound(f"no document with id {document_id!r}; nothing was changed")
    if version != document.version:
        raise VersionConflict(
            f"document {document_id!r} is at version {document.version}, not {version}: someone "
            "changed it since you read it; nothing was changed. Apply your change to the current "
            "record (here) and send it again",
            current=document_json(load_document(document_id)),
        )
    return document


def _differs(record: dict, name: str, value) -> bool:
    return field_draft(record, name, value) != field_draft(record, name, record[name])


def _write(
    document: Document, before: dict, record: dict, changed: list[str], **version: str
) -> None:
    draft = _draft(record, document)
    links = list(ThreadLink.objects.filter(source_id=document.pk))  # the writer's delete drops them
    writer = CatalogueWriter(document.ingest_run or IngestRun())
    writer.keep_curated = False  # this is the curation
    now = timezone.now()
    writer.write_batch(
        [(draft, document.source_path, document.source_sha256, document.reader)], now
    )
    back = set(ThreadLink.objects.filter(source_id=document.pk).values_list("pk", flat=True))
    ThreadLink.objects.bulk_create(link for link in links if link.pk not in back)  # decided: back
    number = document.version + 1
    Document.objects.filter(pk=document.pk).update(
        version=number, curated=_curated(document.curated, before, record, changed), updated_at=now
    )
    RecordVersion.objects.create(
        document_id=document.pk, number=number, **version,
        record=document_json(load_document(document.pk)), created_at=now,
    )  # fmt: skip
    record_event(
        version["actor"], AUDITED.get(version["action"], MODIFICATION), document.pk,
        number=number, fields=changed, change=version["action"], comment=version["comment"],
    )  # fmt: skip


def _draft(record: dict, document: Document) -> DocumentDraft:
    try:
        draft = draft_from_record(record)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadEdit(f"the record could not be built from it ({exc})") from None
    draft.cited = document.cited  # a cable's references as read: the thread stage needs them
    try:
        validate(draft)
    except ReaderError as exc:
        raise BadEdit(exc.reason, _field_of(exc)) from None
    return draft


def _field_of(error: ReaderError) -> str:
    """The contract's field a validation error is about (it names the column)."""
    for prefix, name in (("text ", "texts"), ("location ", "locations"), ("agent ", "agents")):
        if error.reason.startswith(prefix):
            return name
    return "date" if error.where.startswith("date") else error.where


def _curated(curated: dict, before: dict, after: dict, changed: list[str]) -> dict:
    """``curated`` after a change: a field set for the first time keeps the value it had (the
    source's); a field set back to the source's value is the source's again."""
    curated = dict(curated or {})
    for name in changed:
        curated.setdefault(name, before[name])
        if not _differs(after, name, curated[name]):
            del curated[name]
    return curated


def _status(document_id: str, status: dict, *, actor: str, comment: str) -> None:
    until = status.get("embargo_until")
    chosen = status.get("status") or ("embargoed" if until else None)
    if chosen is None:
        raise BadEdit("an embargo's day needs status 'embargoed'", "embargo_until")
    set_status(
        document_id, chosen, until=date.fromisoformat(until) if until else None,
        reason=comment, actor=actor,
    )  # fmt: skip
