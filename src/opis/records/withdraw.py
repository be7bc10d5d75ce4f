"""Withdrawing a document from public view, and deleting one outright with a tombstone.

``withdraw`` gives the record the status "withdrawn" (``records.publication``): readers see it
nowhere, OAI-PMH serves it as deleted, staff still see it and can publish it again.
``delete_document`` removes it for good, for what must not be kept at all:

An OAI-PMH harvester that copied a record must learn that it is gone, or its copy outlives ours
(the repository declares ``deletedRecord`` persistent). So a withdrawal removes the document and
everything that cascades from it, unlinks the cables that cite it, writes a ``Deletion`` row
(when, why, and which collections: the sets it was harvested under) and queues an ``IndexChange``
so the search index drops it, all in one transaction. Ingesting the same id again removes the
tombstone (``ingest.catalogue``).
"""

from datetime import UTC, datetime

from django.db import transaction

from opis.errors import NotFound
from opis.records.models import Deletion, Document, IndexChange, Status, ThreadLink
from opis.records.publication import set_status


def withdraw(document_id: str, reason: str = "", actor: str = "system") -> Document:
    """Withdraw one record from public view (kept for staff, restorable with ``opis status``)."""
    current = Document.objects.filter(pk=document_id).values_list("status", "updated_at").first()
    if current is not None and current[0] == Status.WITHDRAWN:
        raise NotFound(
            f"document {document_id!r} was already withdrawn on {current[1]:%Y-%m-%d}; "
            f"`opis status {document_id} published` makes it public again"
        )
    if current is None:
        raise NotFound(_not_found(document_id))
    return set_status(document_id, Status.WITHDRAWN, reason=reason, actor=actor)


def withdrawal_json(document: Document) -> dict:
    return {
        "id": document.pk,
        "status": document.status,
        "withdrawn_at": document.updated_at.isoformat(),
        "version": document.version,
    }


def delete_document(document_id: str, reason: str = "") -> Deletion:
    """Delete one document, remember it as deleted and queue its removal from the index."""
    with transaction.atomic():  # locked: an ingest replacing it waits, or is waited for
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None:
            raise NotFound(_not_found(document_id))
        collections = sorted(document.collections.values_list("slug", flat=True))
        document.delete()
        # Cables that cite it keep the reference as written, now unresolved (as for an absent one).
        ThreadLink.objects.filter(target_id=document_id).update(target_id=None)
        now = datetime.now(UTC)
        deletion, _ = Deletion.objects.update_or_create(
            document_id=document_id,
            defaults={"deleted_at": now, "collections": collections, "reason": reason},
        )
        IndexChange.objects.create(document_id=document_id)
    return deletion


def deletion_json(deletion: Deletion) -> dict:
    return {
        "id": deletion.document_id,
        "withdrawn_at": deletion.deleted_at.isoformat(),
        "collections": list(deletion.collections),
        "reason": deletion.reason or None,
    }


def _not_found(document_id: str) -> str:
    gone = Deletion.objects.filter(document_id=document_id).first()
    if gone is not None:
        return f"document {document_id!r} was already withdrawn on {gone.deleted_at:%Y-%m-%d}"
    return (
        f"no document with id {document_id!r}; nothing was withdrawn "
        "(search with `opis search` to find ids)"
    )
