"""Writing drafts into the catalogue, a batch at a time, in one transaction with the index queue.

Every document written or replaced queues an ``IndexChange`` in the same transaction, so the search
index (derived, applied afterwards) can always catch up with exactly what was committed.
"""

from datetime import datetime

from django.db import transaction

from opis.readers.drafts import DocumentDraft
from opis.records.models import (
    Agent,
    AgentRole,
    ArchivalLocation,
    Collection,
    Document,
    IndexChange,
    IngestRun,
    Text,
)


class CatalogueWriter:
    """Caches collections and agents across batches; one instance per ingest run."""

    def __init__(self, run: IngestRun):
        self.run = run
        self._collections: dict[str, Collection] = {}
        self._agents: dict[tuple[str, str], Agent] = {}

    def write_batch(self, items: list[tuple[DocumentDraft, str, str, str]], now: datetime) -> None:
        """Write (draft, source path, sha256, reader name) items; all or nothing."""
        with transaction.atomic():
            ids = [draft.id for draft, *_ in items]
            first_seen = dict(
                Document.objects.filter(pk__in=ids).values_list("id", "ingested_at")
            )
            if first_seen:
                Document.objects.filter(pk__in=list(first_seen)).delete()
            documents, texts, locations, roles, links = [], [], [], [], []
            for draft, path, sha256, reader in items:
                documents.append(self._document(draft, path, sha256, reader, now, first_seen))
                texts += [
                    Text(document_id=draft.id, position=i, **vars(t))
                    for i, t in enumerate(draft.texts)
                ]
                locations += [
                    ArchivalLocation(document_id=draft.id, position=i, **vars(loc))
                    for i, loc in enumerate(draft.locations)
                ]
                roles += [
                    AgentRole(
                        document_id=draft.id,
                        agent=self._agent(a.name, a.kind),
                        position=i,
                        role=a.role,
                        signed_as=a.signed_as,
                        count=a.count,
                    )
                    for i, a in enumerate(draft.agents)
                ]
                links += [
                    Document.collections.through(
                        document_id=draft.id, collection_id=self._collection(c).pk
                    )
                    for c in draft.collections
                ]
            Document.objects.bulk_create(documents)
            Text.objects.bulk_create(texts)
            ArchivalLocation.objects.bulk_create(locations)
            AgentRole.objects.bulk_create(roles)
            Document.collections.through.objects.bulk_create(links, ignore_conflicts=True)
            IndexChange.objects.bulk_create([IndexChange(document_id=i) for i in ids])

    def forget(self) -> None:
        """Drop cached rows after a rollback: they may no longer exist."""
        self._collections.clear()
        self._agents.clear()

    def touch_paths(self, moved: dict[str, str]) -> None:
        """Record the new path of unchanged documents whose file moved (same content)."""
        with transaction.atomic():
            for document_id, path in moved.items():
                Document.objects.filter(pk=document_id).update(source_path=path)

    def _document(self, draft, path, sha256, reader, now, first_seen) -> Document:
        return Document(
            id=draft.id,
            title=draft.title,
            date_start=draft.date.start,
            date_end=draft.date.end,
            date_precision=draft.date.precision,
            date_display=draft.date.display,
            doc_type=draft.doc_type,
            doc_number=draft.doc_number,
            summary=draft.summary,
            original_languages=draft.original_languages,
            source_url=draft.source_url,
            citation=draft.citation,
            classification=draft.classification,
            notes=draft.notes,
            source_path=path,
            source_sha256=sha256,
            reader=reader,
            ingested_at=first_seen.get(draft.id, now),
            updated_at=now,
            ingest_run=self.run,
        )

    def _collection(self, draft) -> Collection:
        if draft.slug not in self._collections:
            collection, _ = Collection.objects.update_or_create(
                slug=draft.slug,
                defaults={"title": draft.title, "series": draft.series, "position": draft.position},
            )
            self._collections[draft.slug] = collection
        return self._collections[draft.slug]

    def _agent(self, name: str, kind: str) -> Agent:
        key = (name, kind)
        if key not in self._agents:
            self._agents[key], _ = Agent.objects.get_or_create(name=name, kind=kind)
        return self._agents[key]
