"""The records a list request selects, in one stable order: by datestamp, then by id.

A list merges two tables: documents (datestamp ``updated_at``) and tombstones of withdrawn ones
(``Deletion.deleted_at``); an id is in at most one of them, since ingesting a withdrawn id again
removes its tombstone. Pages are cut by keyset (strictly after the last (datestamp, id) served),
not by offset, so a record that changes during a harvest moves to the end of the list and is
served again there, and no other record is skipped or repeated.

Only what readers may see is listed (``records.visibility``), and a withdrawn record: it is served
as deleted, so a harvester that copied it drops its copy. A draft, or a record whose embargo has
not ended, is not in any list: it never appeared. A record's datestamp is when it last changed
(a status change moves ``updated_at``), or, for an embargo that has ended since, the embargo's
last day (midnight UTC): the day it became public (docs/publication.md).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, DateTimeField, F, Q, When
from django.db.models.functions import Cast, Greatest

from opis.records.models import Deletion, Document, Status
from opis.records.visibility import public_q

from .metadata import described_documents


@dataclass(frozen=True)
class Entry:
    """One item of a list: a document, or the tombstone of a withdrawn one."""

    document_id: str
    stamp: datetime
    document: Document | None = None
    deletion: Deletion | None = None

    @property
    def deleted(self) -> bool:
        if self.document is not None:
            return self.document.status == Status.WITHDRAWN
        return self.deletion is not None

    @property
    def set_specs(self) -> list[str]:
        if self.deletion is not None:
            return list(self.deletion.collections or [])
        return [c.slug for c in self.document.collections.all()]


@dataclass(frozen=True)
class Selection:
    """from (inclusive), until (exclusive end, already widened to its granularity), set."""

    since: datetime | None = None
    before: datetime | None = None
    set_spec: str | None = None

    def documents(self):
        query = harvestable()
        if self.since is not None:
            query = query.filter(stamp__gte=self.since)
        if self.before is not None:
            query = query.filter(stamp__lt=self.before)
        if self.set_spec is not None:
            query = query.filter(collections__slug=self.set_spec)
        return query

    def deletions(self):
        query = Deletion.objects.all()
        if self.since is not None:
            query = query.filter(deleted_at__gte=self.since)
        if self.before is not None:
            query = query.filter(deleted_at__lt=self.before)
        return query

    def _in_set(self, deletion: Deletion) -> bool:
        """Set membership of a tombstone is tested here, not in SQL: JSON ``contains`` is not
        available on SQLite, and tombstones are few."""
        return self.set_spec is None or self.set_spec in (deletion.collections or [])

    def count(self) -> int:
        deletions = self.deletions()
        if self.set_spec is None:
            deleted = deletions.count()
        else:
            deleted = sum(1 for d in deletions.only("collections") if self._in_set(d))
        return self.documents().count() + deleted

    def page(self, after: tuple[datetime, str] | None, size: int, *, full: bool) -> list[Entry]:
        """Up to ``size`` entries after the cursor, in (datestamp, id) order.

        ``full`` prefetches everything a metadata format reads (ListRecords); otherwise only
        collections, for the headers' setSpec (ListIdentifiers).
        """
        documents = self.documents()
        deletions = self.deletions()
        if after is not None:
            stamp, last_id = after
            documents = documents.filter(Q(stamp__gt=stamp) | Q(stamp=stamp, pk__gt=last_id))
            deletions = deletions.filter(
                Q(deleted_at__gt=stamp) | Q(deleted_at=stamp, document_id__gt=last_id)
            )
        stamps = dict(documents.order_by("stamp", "pk").values_list("pk", "stamp")[:size])
        loaded = described_documents() if full else Document.objects.prefetch_related("collections")
        by_id = {d.pk: d for d in loaded.filter(pk__in=list(stamps))}
        entries = [Entry(i, stamp, document=by_id[i]) for i, stamp in stamps.items() if i in by_id]
        tombstones = 0
        for deletion in deletions.order_by("deleted_at", "document_id").iterator():
            if tombstones == size:
                break
            if self._in_set(deletion):
                entries.append(Entry(deletion.document_id, deletion.deleted_at, deletion=deletion))
                tombstones += 1
        entries.sort(key=lambda e: (e.stamp, e.document_id))
        return entries[:size]


def find(document_id: str, *, full: bool = True) -> Entry | None:
    """One item by document id: the document, or its tombstone, or None."""
    loaded = described_documents() if full else Document.objects.prefetch_related("collections")
    stamp = harvestable().filter(pk=document_id).values_list("stamp", flat=True).first()
    document = loaded.filter(pk=document_id).first() if stamp is not None else None
    if document is not None:
        return Entry(document.pk, stamp, document=document)
    deletion = Deletion.objects.filter(document_id=document_id).first()
    if deletion is not None:
        return Entry(deletion.document_id, deletion.deleted_at, deletion=deletion)
    return None


def earliest_datestamp() -> datetime | None:
    first = harvestable().order_by("stamp").values_list("stamp", flat=True).first()
    deleted = Deletion.objects.order_by("deleted_at").values_list("deleted_at", flat=True).first()
    stamps = [s for s in (first, deleted) if s is not None]
    return min(stamps) if stamps else None


def harvestable():
    """Documents a harvester is told of, each with its datestamp ``stamp``: what readers may see,
    and withdrawn records (as deleted ones)."""
    became_public = Greatest("updated_at", Cast("embargo_until", DateTimeField()))
    return Document.objects.filter(public_q() | Q(status=Status.WITHDRAWN)).annotate(
        stamp=Case(
            When(status=Status.EMBARGOED, embargo_until__isnull=False, then=became_public),
            default=F("updated_at"),
            output_field=DateTimeField(),
        )
    )
