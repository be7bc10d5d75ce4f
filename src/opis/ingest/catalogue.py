"""Writing drafts into the catalogue, a batch at a time, in one transaction with the index queue.

Every document written or replaced queues an ``IndexChange`` in the same transaction, so the search
index (derived, applied afterwards) can always catch up with exactly what was committed.

Rows go in through ``cursor.executemany`` rather than ``bulk_create``: building a model instance
per row cost more than SQLite spent storing it (about 5 s of the 16 s DFAT ingest). Values are
still adapted by their own model fields (dates, times, JSON), and the SQL is built with the
connection's own quoting and conflict clauses, so the same code runs on SQLite and PostgreSQL.
Replacing a document still deletes it through the ORM, so every relation that cascades from a
document (today's and any added later) goes with it.
"""

from dataclasses import fields
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models.constants import OnConflict

from opis.drafts import DocumentDraft, LocationDraft, TextDraft
from opis.ingest.curation import decided_links, keep_curation, store_curation
from opis.ingest.doubts import record_doubts
from opis.ingest.mentions import mentions_of, record_ambiguous
from opis.records.chunks import chunked
from opis.records.models import (
    Agent,
    AgentRole,
    ArchivalLocation,
    Collection,
    Deletion,
    Document,
    Footnote,
    IndexChange,
    IngestRun,
    Mention,
    Original,
    PersonMerge,
    PersonName,
    Status,
    Text,
    ThreadLink,
)
from opis.understand.names import resolve
from opis.understand.romanize import name_key

_PLAIN_TYPES = {
    **dict.fromkeys(("CharField", "TextField", "SlugField", "URLField"), (str, type(None))),
    **dict.fromkeys(
        ("IntegerField", "PositiveIntegerField", "BigIntegerField", "AutoField", "BigAutoField"),
        (int, type(None)),
    ),
}


def _plain_types(field) -> tuple[type, ...]:
    """The value types the driver takes as they are for this field (a key: its target's)."""
    target = getattr(field, "target_field", None) if field.is_relation else field
    return _PLAIN_TYPES.get(target.get_internal_type(), ()) if target else ()


class _Table:
    """One model's INSERT, for the given fields, with values adapted as the ORM would adapt them."""

    def __init__(self, model, names: tuple[str, ...], ignore_conflicts: bool = False):
        self.fields = [model._meta.get_field(name) for name in names]
        self.table = model._meta.db_table
        self.ignore_conflicts = ignore_conflicts
        # Values of these exact types go to the driver as they are; anything else (dates, JSON, an
        # int where text is expected) goes through the field's own get_db_prep_save.
        self.plain = [set(_plain_types(f)) for f in self.fields]

    def insert(self, cursor, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        for i, (field, plain) in enumerate(zip(self.fields, self.plain, strict=True)):
            if not set(map(type, columns[i])) <= plain:
                columns[i] = _adapted(columns[i], field, cursor.db)
        cursor.executemany(self._sql(cursor.db.ops), zip(*columns, strict=True))

    def _sql(self, ops) -> str:
        on_conflict = OnConflict.IGNORE if self.ignore_conflicts else None
        columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        suffix = ops.on_conflict_suffix_sql(self.fields, on_conflict, None, None)
        sql = f"{ops.insert_statement(on_conflict=on_conflict)} {ops.quote_name(self.table)} "
        return f"{sql}({columns}) VALUES ({marks}) {suffix}".rstrip()


def _adapted(values: tuple, field, db) -> list:
    """``field.get_db_prep_save`` for each value, once per distinct value (a batch shares its
    timestamps, and many of its dates and language lists)."""
    seen: dict = {}
    adapted = []
    for value in values:
        key = (
            (list, *((type(v), v) for v in value)) if type(value) is list else (type(value), value)
        )
        try:
            prepared = seen[key]
        except KeyError:
            prepared = seen[key] = field.get_db_prep_save(value, db)
        except TypeError:  # unhashable: adapt it on its own
            prepared = field.get_db_prep_save(value, db)
        adapted.append(prepared)
    return adapted


# Texts and locations take every field their draft has, as ``Text(**vars(draft))`` would.
_TEXT_FIELDS = tuple(f.name for f in fields(TextDraft))
_LOCATION_FIELDS = tuple(f.name for f in fields(LocationDraft))
_DOCUMENTS = _Table(
    Document,
    (
        "id", "title", "date_start", "date_end", "date_precision", "date_display", "doc_type",
        "doc_number", "summary", "original_languages", "source_url", "citation",
        "classification", "dateline", "signed", "cable", "cited", "notes", "source_path",
        "source_sha256", "reader", "ingested_at", "updated_at", "ingest_run",
        "status", "embargo_until", "version", "curated",
    ),
)  # fmt: skip
_TEXTS = _Table(Text, ("document", "position", *_TEXT_FIELDS))
_LOCATIONS = _Table(ArchivalLocation, ("document", "position", *_LOCATION_FIELDS))
_FOOTNOTES = _Table(Footnote, ("document", "position", "label", "body"))
_ROLES = _Table(AgentRole, ("document", "agent", "position", "role", "signed_as", "count"))
_LINKS = _Table(Document.collections.through, ("document", "collection"), ignore_conflicts=True)
_QUEUE = _Table(IndexChange, ("document_id", "queued_at"))
_MENTIONS = _Table(
    Mention,
    ("document", "person_id", "form", "confidence", "text_position", "start", "end", "count"),
)
_ORIGINALS = _Table(
    Original, ("sha256", "size", "media_type", "name", "stored_at"), ignore_conflicts=True
)


class CatalogueWriter:
    """Caches collections and agents across batches; one instance per ingest run.

    ``status`` and ``embargo_until`` are given to records this run adds; a record already in the
    catalogue keeps its own status, embargo, curation and version (+1 when replaced).
    """

    keep_curated = True  # False for a curator's own edit (opis.curate), which is the curation

    def __init__(
        self, run: IngestRun, status: str = Status.PUBLISHED, embargo_until: date | None = None
    ):
        self.run = run
        self.status = status
        self.embargo_until = embargo_until
        self._collections: dict[str, Collection] = {}
        self._agents: dict[tuple[str, str], Agent] = {}

    def write_batch(
        self, items: list[tuple[DocumentDraft, str, str, str]], now: datetime, originals=()
    ) -> None:
        """Write (draft, source path, sha256, reader name) items; all or nothing. ``originals``
        (``originals.Kept``, already in the store) get their rows in the same transaction."""
        with transaction.atomic():
            ids = [draft.id for draft, *_ in items]
            # Locked (PostgreSQL), in id order so that two writers never wait on each other in a
            # circle: a curator's edit of one of them waits, or is waited for, and is never lost.
            kept = {
                row[0]: row[1:]
                for part in chunked(sorted(ids))
                for row in Document.objects.select_for_update()
                .filter(pk__in=part)
                .order_by("pk")
                .values_list("id", "ingested_at", "status", "embargo_until", "version", "curated")
            }
            first_seen = {doc_id: row[0] for doc_id, row in kept.items()}
            decisions = [link for part in chunked(first_seen) for link in decided_links(part)]
            curation = {}  # a curator's values outlive a re-ingest (ingest.curation)
            if self.keep_curated:
                curated = {doc_id: row[-1] for doc_id, row in kept.items() if row[-1]}
                curation = keep_curation([d for d, *_ in items], curated, now)
            for part in chunked(first_seen):
                Document.objects.filter(pk__in=part).delete()
            # An id withdrawn earlier and ingested again is no longer deleted (OAI-PMH tombstones).
            for part in chunked(ids):
                Deletion.objects.filter(document_id__in=part).delete()
            documents, texts, locations, roles, links, notes = [], [], [], [], [], []
            for draft, path, sha256, reader in items:
                doc_id = draft.id
                documents.append(self._document(draft, path, sha256, reader, now, kept))
                texts += [
                    (doc_id, i, *(getattr(text, name) for name in _TEXT_FIELDS))
                    for i, text in enumerate(draft.texts)
                ]
                locations += [
                    (doc_id, i, *(getattr(loc, name) for name in _LOCATION_FIELDS))
                    for i, loc in enumerate(draft.locations)
                ]
                roles += [
                    (doc_id, self._agent(a.name, a.kind).pk, i, a.role, a.signed_as, a.count)
                    for i, a in enumerate(draft.agents)
                ]
                links += [(doc_id, self._collection(c).pk) for c in draft.collections]
                notes += [(doc_id, i, f.label, f.body) for i, f in enumerate(draft.footnotes)]
            mentions, ambiguous = mentions_of([draft for draft, *_ in items], self._merged())
            with connection.cursor() as cursor:
                _DOCUMENTS.insert(cursor, documents)
                _TEXTS.insert(cursor, texts)
                _LOCATIONS.insert(cursor, locations)
                _FOOTNOTES.insert(cursor, notes)
                _ROLES.insert(cursor, roles)
                _MENTIONS.insert(cursor, mentions)
                _LINKS.insert(cursor, links)
                _QUEUE.insert(cursor, [(doc_id, now) for doc_id in ids])
                _ORIGINALS.insert(
                    cursor, [(k.sha256, k.size, k.media_type, k.name, now) for k in originals]
                )
            store_curation(curation)
            ThreadLink.objects.bulk_create(decisions)
            record_doubts([draft for draft, *_ in items], now)
            record_ambiguous(ids, ambiguous, now)

    def forget(self) -> None:
        """Drop cached rows after a rollback: they may no longer exist."""
        self._collections.clear()
        self._agents.clear()

    def touch_paths(self, moved: dict[str, str]) -> None:
        """Record the new path of unchanged documents whose file moved (same content)."""
        with transaction.atomic():
            for document_id, path in moved.items():
                Document.objects.filter(pk=document_id).update(source_path=path)

    def _document(self, draft, path, sha256, reader, now, kept) -> tuple:
        dated = draft.date
        if draft.id in kept:  # replaced: its publication and curation stay, its version moves on
            first_seen, status, embargo_until, version, curated = kept[draft.id]
            version += 1
        else:
            first_seen, status, embargo_until, version, curated = (
                now, self.status, self.embargo_until, 1, {}
            )  # fmt: skip
        if draft.provenance:  # second-hand (an opis export): keep where it first came from
            path, sha256, reader = (
                draft.provenance.path, draft.provenance.sha256, draft.provenance.reader
            )  # fmt: skip
        return (
            draft.id, draft.title, dated.start, dated.end, dated.precision, dated.display,
            draft.doc_type, draft.doc_number, draft.summary, draft.original_languages,
            draft.source_url, draft.citation, draft.classification, draft.dateline, draft.signed,
            draft.cable, draft.cited, draft.notes, path, sha256, reader,
            first_seen, now, self.run.pk, status, embargo_until, version, curated,
        )  # fmt: skip

    def _collection(self, draft) -> Collection:
        if draft.slug not in self._collections:
            collection, _ = Collection.objects.update_or_create(
                slug=draft.slug,
                defaults={"title": draft.title, "series": draft.series, "position": draft.position},
            )
            self._collections[draft.slug] = collection
        return self._collections[draft.slug]

    def _merged(self) -> dict[str, str]:
        """Persons a curator merged (``curate.people``): person id → the one it is linked to."""
        if not hasattr(self, "_merges"):
            self._merges = dict(PersonMerge.objects.values_list("person_id", "into"))
        return self._merges

    def _named(self) -> dict[str, str]:
        """Names and pseudonyms a curator recorded (``curate.people``): name key → person id."""
        if not hasattr(self, "_names"):
            self._names = PersonName.by_key()
        return self._names

    def _agent(self, name: str, kind: str) -> Agent:
        key = (name, kind)
        if key not in self._agents:
            agent, _ = Agent.objects.get_or_create(name=name, kind=kind)
            person_id = _person_id(name, self._named()) if kind == "person" else ""
            person_id = self._merged().get(person_id, person_id)  # a curator merged persons
            if agent.person_id != person_id:
                agent.person_id = person_id
                agent.save(update_fields=["person_id"])
            self._agents[key] = agent
        return self._agents[key]


def _person_id(name: str, named: dict[str, str]) -> str:
    """The authority entry a name as written stands for, or "" when unknown or ambiguous.

    A name or pseudonym a curator recorded (``named``, by name key) wins over the authority.

    Names are resolved when an agent is first met in a run, so an improved authority re-links
    agents on the next ingest; an ambiguous name ("Kim") stays unlinked rather than guessed.
    """
    if curated := named.get(name_key(name)):
        return curated
    person = resolve(name)
    return person.id if person else ""
