"""Readers' corrections: proposed by anyone, accepted or declined by a curator.

A proposal names a field (or none: a note for the curator), the value proposed and why. Accepted,
it becomes a version like any edit (action "correction"), credited to the proposer in its comment;
declined, it is kept with who declined it. Throttling is the web layer's (``web.curation_pages``).
"""

from django.db import transaction
from django.utils import timezone

from opis.errors import BadEdit, NotFound
from opis.ingest.curation import TEXT_FIELDS
from opis.records.audit import METADATA_MODIFICATION, record_event
from opis.records.models import Correction, Document

from .edit import CORRECTION, edit_record

FIELDS = TEXT_FIELDS  # what a reader may propose a value for; "" is a note without a value
MAX_NOTE, MAX_VALUE, MAX_NAME = 2000, 2000, 150


def propose(document_id: str, field: str, proposed: str, note: str, proposer: str) -> Correction:
    """Keep a reader's proposal, or BadEdit naming what is wrong with it."""
    if not Document.objects.filter(pk=document_id).exists():
        raise NotFound(f"no document with id {document_id!r}")
    if field and field not in FIELDS:
        raise BadEdit(f"choose one of {', '.join(FIELDS)}, or none", "field")
    note, proposed, proposer = note.strip(), proposed.strip(), proposer.strip()
    if not note:
        raise BadEdit("say what is wrong and how you know", "note")
    if field and not proposed:
        raise BadEdit(f"give the {field} you propose", "proposed")
    for name, value, limit in (
        ("note", note, MAX_NOTE), ("proposed", proposed, MAX_VALUE), ("name", proposer, MAX_NAME)
    ):  # fmt: skip
        if len(value) > limit:
            raise BadEdit(f"is {len(value)} characters; at most {limit}", name)
    return Correction.objects.create(
        document_id=document_id, field=field, proposed=proposed, note=note,
        proposer=proposer or "anonymous", created_at=timezone.now(),
    )  # fmt: skip


def open_corrections(limit: int = 500) -> list[Correction]:
    proposed = Correction.objects.filter(state=Correction.State.PROPOSED)
    return list(proposed.order_by("-created_at", "id")[:limit])


def decide(correction_id: int, accept: bool, *, actor: str) -> Correction:
    """Accept (a new version, credited to the proposer) or decline a proposal."""
    with transaction.atomic():
        found = Correction.objects.select_for_update().filter(pk=correction_id).first()
        if found is None or found.state != Correction.State.PROPOSED:
            raise NotFound(f"correction {correction_id} is not open; see /staff/corrections")
        if accept:
            if not found.field:
                raise BadEdit("it names no field: make the change by editing, then decline it")
            version = Document.objects.filter(pk=found.document_id).values_list(
                "version", flat=True
            )
            edit_record(
                found.document_id, {found.field: found.proposed}, actor=actor,
                comment=f"correction proposed by {found.proposer}: {found.note}",
                version=version.first() or 0, action=CORRECTION,
            )  # fmt: skip
        found.state = Correction.State.ACCEPTED if accept else Correction.State.DECLINED
        found.decided_by, found.decided_at = actor, timezone.now()
        found.save(update_fields=["state", "decided_by", "decided_at"])
        if not accept:
            record_event(
                actor, METADATA_MODIFICATION, found.document_id, correction=found.pk,
                decision="declined", proposer=found.proposer,
            )  # fmt: skip
    return found
