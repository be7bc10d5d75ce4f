"""Changing who may see a record: publish, embargo until a day, return to draft, withdraw.

A status change is a change of the record like any edit: it moves ``version`` on by one, keeps
the record as it now is in ``RecordVersion`` (action "status"), is written to the audit trail
(PREMIS "publication", or "deaccession" for a withdrawal) and queues an ``IndexChange`` in the
same transaction, so the search index's ``public_from`` follows. ``updated_at`` moves too: an
OAI-PMH harvester asking "what changed since" must see a record published today, or withdrawn
(docs/publication.md).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from opis.errors import BadEdit, NotFound
from opis.records.audit import DEACCESSION, PUBLICATION, record_event
from opis.records.models import Document, IndexChange, RecordVersion, Status
from opis.records.serialize import document_json, load_document

STATUSES = tuple(s.value for s in Status)


def parse_status(text: str) -> tuple[str, date | None]:
    """``published``, ``draft``, ``withdrawn`` or ``embargoed:YYYY-MM-DD`` → (status, until)."""
    name, _, until = text.strip().partition(":")
    if name not in STATUSES:
        raise BadEdit(
            f"{text!r} is not one of {', '.join(STATUSES)} "
            "(an embargo names its day: embargoed:2030-01-01)",
            "status",
        )
    if name != Status.EMBARGOED:
        if until:
            raise BadEdit(f"{text!r}: only an embargo takes a date", "status")
        return name, None
    try:
        return name, date.fromisoformat(until)
    except ValueError:
        raise BadEdit(
            f"{text!r}: an embargo needs its day as YYYY-MM-DD (embargoed:2030-01-01)", "status"
        ) from None


def set_status(
    document_id: str,
    status: str,
    *,
    until: date | None = None,
    reason: str = "",
    actor: str = "system",
) -> Document:
    """Give one record a status (``until``: the day an embargo ends); return the record."""
    status, until = parse_status(f"{status}:{until.isoformat()}" if until else status)
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            raise NotFound(
                f"no document with id {document_id!r}; its status was not changed "
                "(search with `opis search` to find ids)"
            )
        before = document.status
        if not RecordVersion.objects.filter(document_id=document.pk).exists():
            # Its first change: keep it as ingested first, so every version can be read back.
            RecordVersion.objects.create(
                document_id=document.pk, number=document.version, actor="ingest",
                action="ingest", comment="as ingested", created_at=document.updated_at,
                record=document_json(load_document(document.pk)),
            )  # fmt: skip
        document.status, document.embargo_until = status, until
        document.version += 1
        document.updated_at = timezone.now()
        document.save(update_fields=["status", "embargo_until", "version", "updated_at"])
        RecordVersion.objects.create(
            document_id=document.pk, number=document.version,
            record=document_json(load_document(document.pk)),
            actor=actor, action="status", comment=reason or f"status: {before} → {status}",
            created_at=document.updated_at,
        )  # fmt: skip
        IndexChange.objects.create(document_id=document.pk)
        record_event(
            actor, DEACCESSION if status == Status.WITHDRAWN else PUBLICATION, document.pk,
            status=status, before=before, until=until.isoformat() if until else None,
            reason=reason,
        )  # fmt: skip
    return document
