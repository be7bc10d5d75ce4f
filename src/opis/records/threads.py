"""The thread stage: after a run, link cables to the cables they cite, collection by collection.

References ("your 466", "my telegram 212") resolve only against documents the archive holds, and a
target may arrive in a later run, so links are recomputed for every collection a run touched,
from the stored records (title, first text, cable header, date): re-ingesting a file never leaves
stale links behind.
"""

from collections.abc import Iterable

from django.db import transaction

from opis.records.chunks import chunked
from opis.records.models import Document, Text, ThreadLink
from opis.records.writer_lock import serialised
from opis.understand.cable_references import Reference
from opis.understand.threads import (
    ThreadDocument,
    collection_links,
    threads_json,
)

MAX_TEXT = 300


def link_threads(collection_slugs: Iterable[str]) -> int:
    """Recompute thread links within each collection; return how many links were written."""
    written = 0
    for slug in sorted(set(collection_slugs)):
        with serialised("thread links"):  # PostgreSQL: concurrent runs link a collection in
            written += _link_collection(slug)  # turn, each reading what the last committed
    return written


def _link_collection(slug: str) -> int:
    """One collection's links, recomputed from the records it holds now."""
    documents = _thread_documents(slug)
    if not documents:
        return 0
    threads = threads_json(collection_links(documents))
    with transaction.atomic():
        decided = _decisions([d.id for d in documents])
        rows = [
            ThreadLink(
                source_id=doc_id,
                position=i,
                target_id=ref["id"],
                text=ref["text"][:MAX_TEXT],
                **decided.get((doc_id, ref["id"], ref["text"][:MAX_TEXT]), {}),
            )  # fmt: skip
            for doc_id, thread in threads.items()
            for i, ref in enumerate(thread["refers_to"])
        ]
        for part in chunked([d.id for d in documents]):
            ThreadLink.objects.filter(source_id__in=part).delete()
        ThreadLink.objects.bulk_create(rows)
    return len(rows)


def _decisions(document_ids: list[str]) -> dict[tuple, dict]:
    """Curators' decisions on these documents' links, by (source, target, text): a link found
    again keeps its decision, so a rejected link stays rejected (and unseen) after every run."""
    return {
        (link.source_id, link.target_id, link.text): {
            "state": link.state, "decided_by": link.decided_by,
        }
        for part in chunked(document_ids)
        for link in ThreadLink.objects.filter(source_id__in=part).exclude(state="")
    }  # fmt: skip


def _thread_documents(slug: str) -> list[ThreadDocument]:
    cables = Document.objects.filter(collections__slug=slug, cable__isnull=False)
    rows = list(cables.values_list("id", "title", "cable", "date_start", "cited"))
    found = {row[0]: row[4] for row in rows if row[4] is not None}
    bodies: dict[str, str] = {}
    unread = [row[0] for row in rows if row[0] not in found]  # stored before references were
    for part in chunked(unread):
        texts = Text.objects.filter(document_id__in=part).order_by("position")
        for doc_id, body in texts.values_list("document_id", "body"):
            bodies.setdefault(doc_id, body)
    return [
        ThreadDocument(
            id=i,
            title=title,
            body=bodies.get(i, ""),
            cable=cable,
            written=start,
            references=[Reference(**r) for r in found[i]] if i in found else None,
        )  # fmt: skip
        for i, title, cable, start, _ in rows
    ]


def threads_of(document_id: str) -> dict:
    """``{refers_to: [{id, text}], referred_by: [{id, text}]}`` for one document's record."""
    shown = ThreadLink.objects.exclude(state=ThreadLink.State.REJECTED)
    refers_to = shown.filter(source_id=document_id).order_by("position")
    referred_by = shown.filter(target_id=document_id).order_by("source_id", "position")
    return {
        "refers_to": [{"id": link.target_id, "text": link.text} for link in refers_to],
        "referred_by": [{"id": link.source_id, "text": link.text} for link in referred_by],
    }
