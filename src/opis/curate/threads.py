"""A curator's decision on a thread link: confirmed, or rejected (and so never shown again).

Links are recomputed from the records after every ingest (``records.threads``); a decision is kept
on the link and carried to the recomputed one, so re-linking never brings a rejected link back.
A decision changes the record's ``threads``: it is a version like any edit (action "thread").
"""

from django.db import transaction
from django.utils import timezone

from opis.errors import BadEdit, NotFound
from opis.records.audit import MODIFICATION, record_event
from opis.records.models import Document, RecordVersion, ThreadLink
from opis.records.serialize import document_json, load_document
from opis.records.writer_lock import sole_writer

from .edit import locked_record, reason_given
from .history import ensure_history

DECISIONS = {"confirm": ThreadLink.State.CONFIRMED, "reject": ThreadLink.State.REJECTED}


def links_of(document_id: str) -> list[ThreadLink]:
    """Every link from the record, rejected ones included (for the curator's form)."""
    return list(ThreadLink.objects.filter(source_id=document_id).order_by("position"))


def decide_link(
    document_id: str, link_id: int, decision: str, *, actor: str, comment: str, version: int
) -> dict:
    """Confirm or reject one of the record's links; return the record as it now is."""
    if decision not in DECISIONS:
        raise BadEdit(f"{decision!r}: choose {' or '.join(DECISIONS)}", "decision")
    comment = reason_given(comment)
    with sole_writer("decide a thread link"), transaction.atomic():
        document = locked_record(document_id, version)
        ensure_history(document)
        link = ThreadLink.objects.filter(pk=link_id, source_id=document_id).first()
        if link is None:
            raise NotFound(f"document {document_id!r} has no thread link {link_id}")
        link.state, link.decided_by = DECISIONS[decision], actor
        link.save(update_fields=["state", "decided_by"])
        now, number = timezone.now(), document.version + 1
        Document.objects.filter(pk=document_id).update(version=number, updated_at=now)
        RecordVersion.objects.create(
            document_id=document_id, number=number, actor=actor, action="thread",
            comment=comment, record=document_json(load_document(document_id)), created_at=now,
        )  # fmt: skip
        record_event(
            actor, MODIFICATION, document_id, number=number, link=link.text,
            target=link.target_id, decision=decision, comment=comment,
        )  # fmt: skip
    return document_json(load_document(document_id))
