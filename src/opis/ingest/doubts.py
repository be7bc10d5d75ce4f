"""An extractor's doubts onto the curators' "needs review" list (``ReviewItem``, kind "doubt").

A reader or extractor that reads a value it has reason to doubt — an encoded date that
disagrees with the printed dateline, a year outside the collection's span — records a
``drafts.Doubt`` on the draft and goes on with its best reading. Ingest keeps each doubt as an
open review item in the batch's transaction, so the list at /staff/review says what to check
and why. A re-ingest replaces a document's open doubts with the ones read now and never repeats
one a curator has settled (same field, same message).
"""

from datetime import datetime

from opis.drafts import DocumentDraft
from opis.records.chunks import chunked
from opis.records.models import ReviewItem

DOUBT = "doubt"


def record_doubts(drafts: list[DocumentDraft], now: datetime) -> None:
    """The drafts' doubts as open review items, replacing the open ones of those documents."""
    ids = [draft.id for draft in drafts]
    settled: set[tuple[str, str, str]] = set()
    for part in chunked(ids):
        items = ReviewItem.objects.filter(document_id__in=part, kind=DOUBT)
        items.filter(settled_at__isnull=True).delete()
        settled |= set(
            items.filter(settled_at__isnull=False).values_list("document_id", "field", "message")
        )
    ReviewItem.objects.bulk_create(
        ReviewItem(
            document_id=draft.id,
            kind=DOUBT,
            field=doubt.field,
            message=doubt.message,
            detail=doubt.detail,
            created_at=now,
        )  # fmt: skip
        for draft in drafts
        for doubt in draft.doubts
        if (draft.id, doubt.field, doubt.message) not in settled
    )
