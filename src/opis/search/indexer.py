"""Keeping the index in step with the catalogue.

Every record write adds an ``IndexChange`` to the index log, inside the same transaction
(``records/index_log.py``). Each data folder's index follows that log: ``apply_pending`` turns
the changes it has not applied into index documents (delete by id, add the current record), commits,
and only then saves how far it got (``search/follower.py``): a crash at any point leaves work to
repeat, never a mismatch. ``opis search``, ``opis serve`` (and each of its workers) and
``opis index follow`` apply the log first, so several machines' indexes agree with one catalogue.

An index commit is the expensive step (it flushes and fsyncs segments), so ``IndexFeed`` holds one
writer across a whole ingest run and commits every ``COMMIT_EVERY`` documents and at the end,
rather than once per batch; the position moves with the commit that covers it. Records are read
back with plain SQL through Django's connection (a handful of queries per chunk, no ORM lookups or
model instances): this is the hot path of ingest and reindex.
"""

import json
import logging
import time
from collections.abc import Iterable, Iterator
from datetime import date

import tantivy
from django.db import connection
from django.db.models import Max, Model

from opis.errors import ArchiveBusy
from opis.records import index_log
from opis.records.chunks import chunked
from opis.records.models import (
    Agent,
    AgentRole,
    ArchivalLocation,
    Collection,
    Document,
    IndexChange,
    Mention,
    Text,
)
from opis.records.writer_lock import sole_writer
from opis.search import follower
from opis.search.common_pairs import pairs_of_texts
from opis.search.index import (
    PAIRS_FIELD,
    TEXT_FIELDS,
    YEARS_FIELD,
    canonical_archive_key,
    day_number,
    index_dir,
    open_index,
    public_from,
    years_covered,
)
from opis.search.name_forms import person_named
from opis.understand.cable import cable_numbers
from opis.understand.names import authority, search_terms
from opis.understand.places import places_named, resolve_place

log = logging.getLogger(__name__)
WRITER_HEAP = 128_000_000
CHUNK = 2000
WRITER_THREADS = 2
COMMIT_EVERY = 20_000  # documents per index commit: few commits, a bounded replay after a crash
SETTLE_SECONDS = 600  # how long a finished ingest waits for a concurrent one to index its records
SETTLE_PAUSE = 0.5


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
    mentioned = _rows_by_document(_loader_sql("mentions"), ids)  # persons named in the text
    for row in _select(_loader_sql("documents"), ids):
        doc_id = row[0]
        yield doc_id, _index_document(
            dict(zip(_DOCUMENT_FIELDS, row, strict=True)), texts.get(doc_id, []),
            places.get(doc_id, []), people.get(doc_id, []), links.get(doc_id, []),
            mentioned.get(doc_id, []),
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
        "mentions": (Mention, [col(Mention, "person_id")], ""),
        "documents": (Document, [col(Document, f) for f in _DOCUMENT_FIELDS[1:]], ""),
    }
    model, selected, joined = loaders[name]
    key = col(model, "id" if model is Document else "document")
    sql = f"SELECT {', '.join([key, *selected])} FROM {q(model._meta.db_table)}{joined}"
    sql += f" WHERE {key} IN ({{marks}})"
    return sql + (f" ORDER BY {', '.join(order(model))}" if model._meta.ordering else "")


def _select(sql: str, ids: list[str]) -> list[tuple]:
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for part in chunked(ids):  # a fixed number of parameters per statement (records.chunks)
            cursor.execute(sql.format(marks=", ".join(["%s"] * len(part))), part)
            rows += cursor.fetchall()
    return rows


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


def _index_document(row, texts, places, people, links, mentioned=()) -> tantivy.Document:
    cable = _as_dict(row["cable"])
    parties = _parties(people, cable)
    # Persons the text names (``Mention``) are found by the person facet and ``person:`` too.
    parties["person_id"] = sorted({*parties["person_id"], *(pid for (pid,) in mentioned)})
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
        "place_id": document_places(row["title"], cable),
        "date_display": row["date_display"] or "",
        "precision": row["date_precision"] or "unknown",
        "status": row["status"],
        "public_from": public_from(row["status"], _as_date(row["embargo_until"])),
    }
    fields[PAIRS_FIELD] = pairs_of_texts([fields[name] for name in TEXT_FIELDS])
    fields["words"] = "\n".join(
        fields[name] for name in ("title", "summary", "body", "extra", "person") if fields[name]
    )
    start, end = _as_date(row["date_start"]), _as_date(row["date_end"])
    if start:
        fields["year"] = start.year
        fields["date_start"] = day_number(start)
        fields["date_end"] = day_number(end or start)
        fields[YEARS_FIELD] = years_covered(start, end or start)
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


def document_places(title: str, cable: dict) -> list[str]:
    """The gazetteer ids of the places a document is from, to or about (the place facet): its
    cable's origin and destination, and the places its title names. A title's word that also
    names a person ("Salisbury" the city or Lord Salisbury) is left out, never guessed."""
    places = [
        resolve_place(cable.get("origin") or ""),
        resolve_place(cable.get("destination") or ""),
    ]
    places += [place for written, place in places_named(title or "") if not person_named(written)]
    return sorted({place.id for place in places if place is not None})


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
    """Documents in the index and changes in the log it has not applied yet (``opis stats``)."""
    index = open_index()
    index.reload()
    state = follower.load(index_dir())
    if state is None:
        pending = Document.objects.count()  # never built from this catalogue: all of it is due
    else:
        pending = index_log.unseen_count(state.position) if state.position else 0
    return {"documents": index.searcher().num_docs, "pending": pending}


def apply_pending(chunk: int = CHUNK) -> int:
    """Apply what this folder's index has not seen of the index log; return how many documents
    were reindexed. One query when nothing is new.

    If another process is writing (an ingest) or holds the index writer, it is applying the
    log already: return 0.
    """
    with sole_writer("apply the index queue", skip_if_busy=True) as mine:
        if not mine:
            return 0
        with IndexFeed(chunk=chunk) as feed:
            feed.feed()
        return feed.done


class IndexFeed:
    """Applies the index log to this folder's index, one writer held across calls.

    ``feed()`` adds every change of the log the index has not applied (delete by id, add the
    current record), read from the position kept in the index folder (``search/follower.py``);
    the index is committed every ``commit_every`` documents and when the feed closes, and the
    position is saved and recorded in the catalogue right after each commit, then the log pruned
    (``records/index_log.py``). An index with no position (a new data folder), or one the
    catalogue has forgotten (pruned past it), is built from the catalogue first. Used as a context
    manager: a clean exit commits, an exception rolls the uncommitted part back, and its changes
    are applied by the next run. When another process holds the index writer, nothing is fed: that
    process is applying the log. With ``settle`` (an ingest, on PostgreSQL beside another ingest in
    the same folder) closing waits, up to ``SETTLE_SECONDS``, until that process has applied every
    change logged so far, or takes the writer when it is freed, so the run's records are
    searchable when it returns.
    """

    def __init__(
        self, *, chunk: int = CHUNK, commit_every: int = COMMIT_EVERY, settle: bool = False
    ):
        self.chunk = chunk
        self.commit_every = commit_every
        self.settle = settle
        self.directory = index_dir()
        self.index = open_index(self.directory)
        self.writer: tantivy.IndexWriter | None = None
        self.state: follower.FollowerState | None = None  # ours while we hold the writer
        self.done = 0  # documents covered by an index commit
        self._uncommitted = 0  # documents fed since the last commit
        self._moved = False  # the position moved since the last commit
        self._busy = False  # another process held the writer when we asked

    def __enter__(self) -> "IndexFeed":
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abandon()

    def feed(self) -> int:
        """Feed every change the index has not applied; return how many documents that was."""
        fed = 0
        state = self.state or follower.load(self.directory)
        while True:
            look = None
            if state is not None and state.position is not None:
                look = index_log.look(state.follower, state.position, self.chunk)
                if look.registered and not self._moved and look.applied < state.position.horizon():
                    # The catalogue remembers less than the folder (a crash between the two
                    # writes, or a rolled-back transaction): start again from the catalogue's.
                    state.position = index_log.Position(look.applied)
                    self._moved = self.writer is not None
                    continue
            ready = look is not None and look.registered
            if ready and look is not None and not look.changes:
                self._idle(state, look)
                return fed
            if self.writer is None:
                if not self._hold_writer():
                    return fed
                state = self.state  # the folder's position as the writer's holder reads it
                continue
            if not ready or look is None or state is None or state.position is None:
                fed += self.build()
                state = self.state
                continue
            ids = sorted({doc_id for _, doc_id in look.changes})
            for doc_id in ids:
                self.writer.delete_documents_by_term("id", doc_id)
            for _, document in index_documents(ids):
                self.writer.add_document(document)
            changes = [change for change, _ in look.changes]
            state.position.seen(changes, time.time(), index_log.gap_patience())
            self._uncommitted += len(ids)
            self._moved = True
            fed += len(ids)
            if self._uncommitted >= self.commit_every:
                self.commit()

    def _idle(self, state, look) -> None:
        """Nothing new: give up gaps waited for long enough, say now and then that we are here."""
        position, now = state.position, time.time()
        patience = index_log.gap_patience()
        if any(now - noticed > patience for _, _, noticed in position.gaps):
            if self._hold_writer() and self.state is not None and self.state.position:
                self._moved = self.state.position.expire(now, patience) or self._moved
            return
        last_seen = look.seen_at.timestamp() if look.seen_at else 0.0
        if now - last_seen > index_log.SEEN_EVERY:
            index_log.record_progress(state.follower, position.horizon())
        if look.prunable:  # left by a run killed between recording its progress and pruning
            index_log.prune()

    def commit(self) -> None:
        """Commit what was fed, save the position beside the index, record it in the catalogue,
        then prune the log."""
        if self.writer is None or self.state is None or not (self._uncommitted or self._moved):
            return
        self.writer.commit()
        follower.save(self.directory, self.state)
        self.done += self._uncommitted
        self._uncommitted, self._moved = 0, False
        if self.state.position and not index_log.record_progress(
            self.state.follower, self.state.position.horizon()
        ):
            log.warning("the index log was pruned past this index; rebuilding it")
            self.build()
        index_log.prune()

    def build(self, progress=None, *, whole: bool = False) -> int:
        """Build the index from the catalogue (holding the writer): every record in one commit,
        the position where the log stood before the records were read. A folder marked to start
        empty (``follower.start_empty``) starts at the log's end instead, unless ``whole``."""
        if not self._hold_writer() or self.writer is None:
            raise ArchiveBusy(
                "cannot rebuild the search index: another process holds its writer (an ingest "
                "or `opis index follow`); run this again when it has finished"
            )
        state, where = self.state, follower.place(self.directory)
        if state is not None and state.position is None and not whole:
            since = state.empty_since or time.time()
            position = index_log.log_end(state.follower, where, since)
            self.state = follower.FollowerState(state.follower, position)
            follower.save(self.directory, self.state)
            return 0
        name = state.follower if state else follower.new_follower()
        position = index_log.starting_position(name)
        self.writer.delete_all_documents()
        count = 0
        ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            for _, document in index_documents(ids[start : start + CHUNK]):
                self.writer.add_document(document)
                count += 1
            if progress:
                progress(min(CHUNK, len(ids) - start))
        self.writer.commit()
        self.state = follower.FollowerState(name, position)
        follower.save(self.directory, self.state)
        index_log.register(name, where, position.horizon())
        index_log.prune()
        self.done += count
        self._uncommitted, self._moved = 0, False
        return count

    def close(self) -> None:
        """Feed what is still new, commit, wait for merges and let searchers see it."""
        if self.writer is None and self._busy and self.settle:
            self._settle()
        if self.writer is not None:
            self.feed()
            self.commit()
            self.writer.wait_merging_threads()
            self.writer, self.state = None, None
        if not self._busy:
            self.index.reload()

    def _settle(self) -> None:
        """Wait until whoever holds the writer has applied the log as it stands now (or take the
        writer once it is free); give up after ``SETTLE_SECONDS``."""
        last = IndexChange.objects.aggregate(last=Max("id"))["last"] or 0
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            if self._hold_writer():
                return  # close() feeds and commits
            state = follower.load(self.directory)
            if state and state.position and not index_log.unseen_count(state.position, last):
                return
            time.sleep(SETTLE_PAUSE)
        log.warning("gave up waiting for another process to index this run's records")

    def abandon(self) -> None:
        """Drop what was fed since the last commit; the next run applies it again."""
        if self.writer is not None:
            self.writer.rollback()
            self.writer = None
        self.state, self._uncommitted, self._moved = None, 0, False

    def _hold_writer(self) -> bool:
        """Hold the index writer (and read the folder's position under it); False while another
        process holds it."""
        if self.writer is None:
            try:
                self.writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
            except ValueError as exc:
                log.info("index writer busy (%s); another process is applying changes", exc)
                self._busy = True
                return False
            self._busy = False
            # A run killed mid-commit can leave files no commit refers to; a new writer would
            # try to create the same names (FileAlreadyExists on "<segment>.<opstamp>.del").
            self.writer.garbage_collect_files()
            self.state = follower.load(self.directory)
            self._moved = False  # nothing of ours is uncommitted: compare with the catalogue
        return True


@sole_writer("rebuild the index")
def reindex(progress=None) -> int:
    """Rebuild the whole index from the catalogue in one commit; return the document count."""
    with IndexFeed() as feed:
        return feed.build(progress, whole=True)
