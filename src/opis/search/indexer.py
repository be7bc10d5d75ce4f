"""Keeping the index in step with the catalogue.

Ingest queues an ``IndexChange`` for every document it writes, inside the same transaction.
``apply_pending`` turns queued ids into index documents (delete by id, add the current record) and
only then removes the queue entries: a crash at any point leaves work to repeat, never a mismatch.

An index commit is the expensive step (it flushes and fsyncs segments), so ``IndexFeed`` holds one
writer across a whole ingest run and commits every ``COMMIT_EVERY`` documents and at the end,
rather than once per batch; the queue rows wait for the commit that covers them. Records are read
back with plain SQL through Django's connection (a handful of queries per chunk, no ORM lookups or
model instances): this is the hot path of ingest and reindex.
"""

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import date

import tantivy
from django.db import connection
from django.db.models import Model

from opis.records.models import (
    Agent,
    AgentRole,
    ArchivalLocation,
    Collection,
    Document,
    IndexChange,
    Text,
)
from opis.records.writer_lock import sole_writer
from opis.search.index import canonical_archive_key, day_number, open_index, public_from
from opis.understand.cable import cable_numbers
from opis.understand.names import authority, search_terms

log = logging.getLogger(__name__)
WRITER_HEAP = 128_000_000
CHUNK = 2000
WRITER_THREADS = 2
COMMIT_EVERY = 20_000  # documents per index commit: few commits, a bounded replay after a crash


def index_documents(ids: Iterable[str]) -> Iterator[tuple[str, tantivy.Document]]:
    """The index's view of each record, read with plain value queries (no model instances).

    A handful of queries per chunk, whatever its size: this is the hot path of ingest and reindex.
    """
    ids = list(ids)
    if not ids:
        return
    texts = _rows_by_document(_loader_sql("texts"), ids)
    places = _rows_by_document(_loader_sql("places"), ids)
    people = _rows_by_document(_loader_sql("people"), ids)
    links = _rows_by_document(_loader_sql("links"), ids)
    for row in _select(_loader_sql("documents"), ids):
        doc_id = row[0]
        yield doc_id, _index_document(
            dict(zip(_DOCUMENT_FIELDS, row, strict=True)), texts.get(doc_id, []),
            places.get(doc_id, []), people.get(doc_id, []), links.get(doc_id, []),
        )  # fmt: skip


_DOCUMENT_FIELDS = (
    "id", "title", "summary", "citation", "doc_number", "classification", "doc_type",
    "original_languages", "date_display", "date_precision", "date_start", "date_end", "cable",
    "status", "embargo_until",
)  # fmt: skip


def _loader_sql(name: str) -> str:
    """One of the loader's queries, spelt with the connection's own quoting (the same on SQLite
    and PostgreSQL) and in the order the models' default ordering gives."""
    q = connection.ops.quote_name

    def col(model, field: str) -> str:
        return f"{q(model._meta.db_table)}.{q(model._meta.get_field(field).column)}"

    def join(model, key: str, other) -> str:
        return f" INNER JOIN {q(other._meta.db_table)} ON {col(model, key)} = {col(other, 'id')}"

    def order(model) -> list[str]:
        return [
            col(model, f.lstrip("-")) + (" DESC" if f.startswith("-") else "")
            for f in model._meta.ordering
        ]

    through = Document.collections.through
    loaders: dict[str, tuple[type[Model], list[str], str]] = {
        "texts": (Text, [col(Text, "body")], ""),
        "places": (
            ArchivalLocation,
            [col(ArchivalLocation, f) for f in ("repository", "raw", "fond")],
            "",
        ),
        "people": (
            AgentRole,
            [
                col(Agent, "name"),
                col(AgentRole, "signed_as"),
                col(Agent, "person_id"),
                col(AgentRole, "role"),
            ],
            join(AgentRole, "agent", Agent),
        ),
        "links": (through, [col(Collection, "slug")], join(through, "collection", Collection)),
        "documents": (Document, [col(Document, f) for f in _DOCUMENT_FIELDS[1:]], ""),
    }
    model, selected, joined = loaders[name]
    key = col(model, "id" if model is Document else "document")
    sql = f"SELECT {', '.join([key, *selected])} FROM {q(model._meta.db_table)}{joined}"
    sql += f" WHERE {key} IN ({{marks}})"
    return sql + (f" ORDER BY {', '.join(order(model))}" if model._meta.ordering else "")


def _select(sql: str, ids: list[str]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(marks=", ".join(["%s"] * len(ids))), ids)
        return cursor.fetchall()


def _rows_by_document(sql: str, ids: list[str]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = {}
    for row in _select(sql, ids):
        grouped.setdefault(row[0], []).append(row[1:])
    return grouped


def _as_date(value) -> date | None:
    """SQLite hands dates back as text, PostgreSQL as dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_list(value) -> list:
    """JSON columns come back as text through a plain cursor (Django asks psycopg for that too)."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _index_document(row, texts, places, people, links) -> tantivy.Document:
    cable = _as_dict(row["cable"])
    parties = _parties(people, cable)
    repositories = {repository for repository, _, _ in places if repository}
    extra = [row["citation"], row["doc_number"], row["classification"]]
    extra += [raw for _, raw, _ in places]
    classification = row["classification"] or cable.get("classification") or ""
    fields = {
        "id": row["id"],
        "title": row["title"],
        "summary": row["summary"],
        "body": "\n\n".join(body for (body,) in texts),
        "extra": "\n".join(e for e in extra if e),
        **parties,
        "doc_type": row["doc_type"] or "document",
        "lang": _as_list(row["original_languages"]) or ["und"],
        "repository": sorted(repositories),
        "archive_key": sorted({canonical_archive_key(r) for r in repositories}),
        "collection": [slug for (slug,) in links],
        "number": sorted({n for n in cable_numbers(cable.get("number") or "") if n}),
        "fond": sorted({fond.lower() for _, _, fond in places if fond}),
        "classification": " ".join(classification.upper().split()),
        "date_display": row["date_display"] or "",
        "precision": row["date_precision"] or "unknown",
        "status": row["status"],
        "public_from": public_from(row["status"], _as_date(row["embargo_until"])),
    }
    fields["words"] = "\n".join(
        fields[name] for name in ("title", "summary", "body", "extra", "person") if fields[name]
    )
    start, end = _as_date(row["date_start"]), _as_date(row["date_end"])
    if start:
        fields["year"] = start.year
        fields["date_start"] = day_number(start)
        fields["date_end"] = day_number(end or start)
    return tantivy.Document(**{k: v for k, v in fields.items() if v not in ("", [])})


_FROM_ROLES = {"author", "signatory"}
_TO_ROLES = {"addressee", "alternative_recipient"}


def _parties(people: list[tuple], cable: dict) -> dict:
    """Who a document is from, to and via, in every form of their names (for ``from:`` …)."""
    forms: dict[str, list[str]] = {"person": [], "from": [], "to": [], "via": []}
    person_ids, signed = [], [s for _, s, _, _ in people if s] + [cable.get("signed_as") or ""]
    for name, signed_as, person_id, role in people:
        names = [name, signed_as, *_person_forms(person_id)]
        forms["person"] += names
        side = "from" if role in _FROM_ROLES else "to" if role in _TO_ROLES else ""
        side = "via" if role == "intermediary" else side
        if side:
            forms[side] += names
        if person_id:
            person_ids.append(person_id)
    forms["from"].append(cable.get("origin") or "")
    forms["to"] += [cable.get("destination") or ""] + list(cable.get("addressees") or [])
    forms["to"] += list(cable.get("recipients_any_of") or [])
    forms["via"].append(cable.get("intermediary") or "")
    joined = {
        key: "\n".join(dict.fromkeys(f for f in values if f)) for key, values in forms.items()
    }
    return {
        "person": joined["person"],
        "person_id": sorted(set(person_ids)),
        "signed_as": "\n".join(s for s in signed if s),
        "from_text": joined["from"],
        "to_text": joined["to"],
        "via_text": joined["via"],
    }


def _person_forms(person_id: str) -> list[str]:
    if not person_id:
        return []

    person = authority().get(person_id)
    return search_terms(person) if person else []


def _as_dict(value) -> dict:
    """The cable column: JSON text through a plain cursor, a dict from the ORM, or null."""
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def index_figures() -> dict:
    """Documents in the index and changes still queued for it (``opis stats``)."""
    index = open_index()
    index.reload()
    return {"documents": index.searcher().num_docs, "pending": IndexChange.objects.count()}


def apply_pending(chunk: int = CHUNK) -> int:
    """Apply queued changes to the index; return how many documents were reindexed.

    If another process is writing (an ingest) or holds the index writer, it is applying the
    queue already: return 0.
    """
    with sole_writer("apply the index queue", skip_if_busy=True) as mine:
        if not mine:
            return 0
        with IndexFeed(chunk=chunk) as feed:
            feed.feed()
        return feed.done


class IndexFeed:
    """Applies the index queue with one writer held across calls, committing now and then.

    ``feed()`` adds every queued change it has not fed yet (delete by id, add the current record);
    the index is committed every ``commit_every`` documents and when the feed closes, and queue rows
    are deleted only after the commit that covers them. Used as a context manager: a clean exit
    commits, an exception rolls the uncommitted part back and leaves its rows queued. When another
    process holds the index writer, nothing is fed and the rows wait for that process or the next
    run.
    """

    def __init__(self, *, chunk: int = CHUNK, commit_every: int = COMMIT_EVERY):
        self.chunk = chunk
        self.commit_every = commit_every
        self.index = open_index()
        self.writer: tantivy.IndexWriter | None = None
        self.done = 0  # documents covered by an index commit
        self._last_id = 0  # the last queue row fed
        self._fed: list[int] = []  # queue rows fed since the last commit
        self._uncommitted = 0  # documents fed since the last commit
        self._busy = False  # another process held the writer when we asked

    def __enter__(self) -> "IndexFeed":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()

    def feed(self) -> int:
        """Feed every queued change not fed yet; return how many documents that was."""
        fed = 0
        while True:
            changes = list(
                IndexChange.objects.filter(id__gt=self._last_id)
                .order_by("id")
                .values_list("id", "document_id")[: self.chunk]
            )
            writer = self._writer() if changes else None
            if writer is None:
                return fed
            ids = sorted({doc_id for _, doc_id in changes})
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)
            for _, document in index_documents(ids):
                writer.add_document(document)
            self._last_id = changes[-1][0]
            self._fed += [change_id for change_id, _ in changes]
            self._uncommitted += len(ids)
            fed += len(ids)
            if self._uncommitted >= self.commit_every:
                self.commit()

    def commit(self) -> None:
        """Commit what was fed, then drop exactly the queue rows that commit covers."""
        if self.writer is None or not self._fed:
            return
        self.writer.commit()
        for start in range(0, len(self._fed), self.chunk):
            IndexChange.objects.filter(id__in=self._fed[start : start + self.chunk]).delete()
        self.done += self._uncommitted
        self._fed, self._uncommitted = [], 0

    def close(self) -> None:
        """Feed what is still queued, commit, wait for merges and let searchers see it."""
        self.feed()
        if self.writer is not None:
            self.commit()
            self.writer.wait_merging_threads()
            self.writer = None
        if not self._busy:
            self.index.reload()

    def abandon(self) -> None:
        """Drop what was fed since the last commit; its queue rows stay for the next run."""
        if self.writer is not None:
            self.writer.rollback()
            self.writer = None
        self._fed, self._uncommitted = [], 0

    def _writer(self) -> tantivy.IndexWriter | None:
        """The open index writer, opened now if need be; None while another process holds it."""
        if self.writer is None:
            try:
                self.writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
            except ValueError as exc:
                log.info("index writer busy (%s); another process is applying changes", exc)
                self._busy = True
                return None
            self._busy = False
            # A run killed mid-commit can leave files no commit refers to; a new writer would
            # try to create the same names (FileAlreadyExists on "<segment>.<opstamp>.del").
            self.writer.garbage_collect_files()
        return self.writer


@sole_writer("rebuild the index")
def reindex(progress=None) -> int:
    """Rebuild the whole index from the catalogue in one commit; return the document count."""
    index = open_index()
    last_change = IndexChange.objects.order_by("-id").values_list("id", flat=True).first()
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
    writer.delete_all_documents()
    count = 0
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        for _, document in index_documents(ids[start : start + CHUNK]):
            writer.add_document(document)
            count += 1
        if progress:
            progress(min(CHUNK, len(ids) - start))
    writer.commit()
    writer.wait_merging_threads()
    if last_change is not None:
        IndexChange.objects.filter(id__lte=last_change).delete()
    index.reload()
    return count
