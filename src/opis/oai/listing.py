"""The records a list request selects, in one stable order: by datestamp, then by id.

A list merges two tables: documents (datestamp ``updated_at``) and tombstones of withdrawn ones
(``Deletion.deleted_at``); an id is in at most one of them, since ingesting a withdrawn id again
removes its tombstone. Pages are cut by keyset (strictly after the last (datestamp, id) served),
not by offset, so a record that changes during a harvest moves to the end of the list and is
served again there, and no other record is skipped or repeated.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from opis.records.models import Deletion, Document

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
        query = Document.objects.all()
        if self.since is not None:
            query = query.filter(updated_at__gte=self.since)
        if self.before is not None:
            query = query.filter(updated_at__lt=self.before)
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
            documents = documents.filter(
                Q(updated_at__gt=stamp) | Q(updated_at=stamp, pk__gt=last_id)
            )
            deletions = deletions.filter(
                Q(deleted_at__gt=stamp) | Q(deleted_at=stamp, document_id__gt=last_id)
            )
        ids = list(documents.order_by("updated_at", "pk").values_list("pk", flat=True)[:size])
        loaded = described_documents() if full else Document.objects.prefetch_related("collections")
        by_id = {d.pk: d for d in loaded.filter(pk__in=ids)}
        entries = [Entry(i, by_id[i].updated_at, document=by_id[i]) for i in ids if i in by_id]
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
    document = loaded.filter(pk=document_id).first()
    if document is not None:
        return Entry(document.pk, document.updated_at, document=document)
    deletion = Deletion.objects.filter(document_id=document_id).first()
    if deletion is not None:
        return Entry(deletion.document_id, deletion.deleted_at, deletion=deletion)
    return None


def earliest_datestamp() -> datetime | None:
    first = Document.objects.order_by("updated_at").values_list("updated_at", flat=True).first()
    deleted = Deletion.objects.order_by("deleted_at").values_list("deleted_at", flat=True).first()
    stamps = [s for s in (first, deleted) if s is not None]
    return min(stamps) if stamps else None
