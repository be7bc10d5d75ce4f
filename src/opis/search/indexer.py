"""Keeping the index in step with the catalogue.

Every record write adds an ``IndexChange`` to the index log, inside the same transaction
(``records/index_log.py``). Each data folder's index follows that log: ``apply_pending`` turns
the changes it has not applied into index documents (delete by id, add the current record), commits,
and only then saves how far it got (``search/follower.py``): a crash at any point leaves work to
repeat, never a mismatch. ``opis search``, ``opis serve`` (and each of its workers) and
``opis index follow`` apply the log first, so several machines' indexes agree with one catalogue.

An index commit is the expensive step (it flushes and fsyncs segments), so ``IndexFeed`` holds one
writer across a whole ingest run and commits every ``COMMIT_EVERY`` documents and at the end,
rather than once per batch; the position moves with the commit that covers it. What each record
becomes in the index is ``search/index_documents.py``'s.
"""

import logging
import time

import tantivy
from django.db.models import Max

from opis.errors import ArchiveBusy
from opis.records import index_log
from opis.records.models import Document, IndexChange
from opis.records.writer_lock import sole_writer
from opis.search import follower
from opis.search.index import index_dir, open_index
from opis.search.index_documents import index_documents

log = logging.getLogger(__name__)
WRITER_HEAP = 128_000_000
CHUNK = 2000
WRITER_THREADS = 2
COMMIT_EVERY = 20_000  # documents per index commit: few commits, a bounded replay after a crash
SETTLE_SECONDS = 600  # how long a finished ingest waits for a concurrent one to index its records
SETTLE_PAUSE = 0.5


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
