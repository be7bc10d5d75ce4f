"""Settling review items: fields where the source and a curator now disagree.

Ingest adds a "source-changed" item when a re-read source differs under a curated field
(``ingest.curation``). A curator keeps their value (the item is settled, nothing else changes) or
takes the source's (a new version, action "review", and the field is the source's again).
"""

from django.db import transaction
from django.utils import timezone

from opis.errors import BadEdit, NotFound
from opis.records.audit import METADATA_MODIFICATION, record_event
from opis.records.models import Document, ReviewItem

from .edit import REVIEW, edit_record

KEEP, SOURCE = "keep", "source"
CHOICES = (KEEP, SOURCE)


def open_items(limit: int = 500) -> list[ReviewItem]:
    """Items no curator has settled yet, newest first."""
    return list(
        ReviewItem.objects.filter(settled_at__isnull=True).order_by("-created_at", "id")[:limit]
    )


def settle(item_id: int, choice: str, *, actor: str) -> ReviewItem:
    """Settle one item: ``keep`` the curator's value or take the ``source``'s."""
    if choice not in CHOICES:
        raise BadEdit(f"{choice!r} is not a choice; choose {' or '.join(CHOICES)}", "choice")
    with transaction.atomic():
        item = ReviewItem.objects.select_for_update().filter(pk=item_id).first()
        if item is None or item.settled_at is not None:
            raise NotFound(
                f"review item {item_id} is not open; see /staff/review for those that are"
            )
        if choice == SOURCE and item.kind == "source-changed":
            version = Document.objects.filter(pk=item.document_id).values_list("version", flat=True)
            try:
                edit_record(
                    item.document_id, {item.field: item.detail["source_now"]}, actor=actor,
                    comment=f"took the source's {item.field} (review item {item.pk})",
                    version=version.first() or 0, action=REVIEW,
                )  # fmt: skip
            except BadEdit as refused:
                if "nothing would change" not in refused.message:
                    raise
        item.settled_at, item.settled_by = timezone.now(), actor
        item.save(update_fields=["settled_at", "settled_by"])
        record_event(
            actor, METADATA_MODIFICATION, item.document_id,
            review_item=item.pk, field=item.field, choice=choice,
        )  # fmt: skip
    return item
