"""The index log: the ordered changes that every search index (one per data folder) follows.

The catalogue is shared; the Tantivy index is derived per machine. Every record write adds an
``IndexChange`` in its own transaction, and its id is the change's sequence number. Each index
remembers a ``Position`` in the log (kept in its folder, ``search/follower.py``) and registers as an
``IndexFollower`` with its horizon, so the log can be pruned once every follower has passed.

**Ids become visible out of order on PostgreSQL.** An id is taken from a sequence when the row is
inserted, but seen only when its transaction commits: a transaction holding 10 may commit after 11
was read. A follower that remembered "up to 11" would never apply 10. So a position is a high-water
mark *plus the gaps below it* — ranges of ids it has not seen — and every look asks for those
ranges again, until their rows appear (applied, the gap closes) or ``GAP_PATIENCE`` passes (the
transaction rolled back: a sequence is not transactional, and a rolled-back id never appears). We
chose this over trusting only ids older than the oldest transaction in flight (a transaction id
on every row, PostgreSQL-only SQL, and every follower stalls behind one long ingest) and over
re-reading a fixed window behind the mark (no window fits both a curator's edit and a 2,000-file
batch, and the whole window is re-applied at every look). Gaps are ranges, so a batch in flight is
one range, and one query asks for everything new. SQLite runs one write transaction at a time,
so its ids become visible in order: there no gap is kept (patience 0).

**The horizon** is the id up to which a follower has applied everything (or given up waiting): just
below its lowest gap, else its mark. Pruning deletes what every registered follower has passed, and
what is older than ``OPIS_INDEX_RETENTION_HOURS`` even if some follower has not: a follower that was
down a long time must not hold the log for ever. A follower whose unapplied changes were deleted is
unregistered in the same transaction; when it next looks it finds itself unknown and rebuilds its
index from the catalogue (``search/indexer.py``), as a new data folder does.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min
from django.db.models.functions import Greatest
from django.utils import timezone

from opis import config
from opis.records.models import IndexChange, IndexFollower

GAP_PATIENCE = 900.0  # seconds a skipped id is waited for: far longer than any write transaction
SEEN_EVERY = 60.0  # seconds between "still here" marks of an idle follower


@dataclass
class Position:
    """How far an index has read the log: ``mark`` (the highest id applied) and ``gaps``, the
    ranges ``[low, high, first noticed (epoch seconds)]`` below it not seen yet."""

    mark: int = 0
    gaps: list[list] = field(default_factory=list)

    def horizon(self) -> int:
        """Every change up to here is applied (or was waited for long enough)."""
        return min((low for low, _, _ in self.gaps), default=self.mark + 1) - 1

    def seen(self, ids: list[int], now: float, patience: float) -> None:
        """Take in ids read from the log (ascending): close the gaps they fill, move the mark, and
        note the ids skipped on the way as a new gap (when ``patience`` says to wait for them)."""
        for change in ids:
            if change > self.mark:
                if change > self.mark + 1 and patience > 0:
                    self.gaps.append([self.mark + 1, change - 1, now])
                self.mark = change
                continue
            for gap in self.gaps:
                if gap[0] <= change <= gap[1]:
                    self.gaps.remove(gap)
                    self.gaps += [
                        [low, high, gap[2]]
                        for low, high in ((gap[0], change - 1), (change + 1, gap[1]))
                        if low <= high
                    ]
                    break
        self.gaps.sort()

    def expire(self, now: float, patience: float) -> bool:
        """Give up on gaps waited for longer than ``patience``; True when any was given up."""
        kept = [gap for gap in self.gaps if now - gap[2] <= patience]
        given_up = len(kept) != len(self.gaps)
        self.gaps = kept
        return given_up

    def as_json(self) -> dict:
        return {"mark": self.mark, "gaps": self.gaps}

    @classmethod
    def from_json(cls, data: dict) -> "Position":
        return cls(int(data["mark"]), [[int(a), int(b), float(t)] for a, b, t in data["gaps"]])


def gap_patience() -> float:
    """How long a skipped id is waited for: only PostgreSQL shows ids out of order."""
    return GAP_PATIENCE if connection.vendor == "postgresql" else 0.0


@dataclass
class Look:
    """One look at the log for one follower: whether the catalogue knows it, the horizon it last
    recorded there, when it was last seen, and up to ``limit`` changes it has not applied."""

    registered: bool
    applied: int = 0
    seen_at: object = None
    changes: list[tuple[int, str]] = field(default_factory=list)
    prunable: bool = False  # the log holds changes every follower has applied


def look(follower: str, position: Position, limit: int) -> Look:
    """What ``follower`` has not applied, in one query (the registry row joined to the log), so
    that a look when nothing is new costs one indexed lookup.

    The look also says whether the log holds changes every follower has passed: a run killed
    between recording its progress and pruning leaves them, and an idle follower that never
    commits again must still clear them (two more index lookups, in the same query)."""
    q = connection.ops.quote_name
    log, registry = q(IndexChange._meta.db_table), q(IndexFollower._meta.db_table)
    ranges = " OR ".join(["c.id BETWEEN %s AND %s"] * len(position.gaps))
    sql = (
        f"SELECT f.applied, f.seen_at, c.id, c.document_id, "
        f"(SELECT MIN(id) FROM {log}), (SELECT MIN(applied) FROM {registry}) FROM {registry} f "
        f"LEFT JOIN {log} c ON (c.id > %s{' OR ' + ranges if ranges else ''}) "
        f"WHERE f.id = %s ORDER BY c.id LIMIT %s"
    )
    bounds = [value for low, high, _ in position.gaps for value in (low, high)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [position.mark, *bounds, follower, limit])
        rows = cursor.fetchall()
    if not rows:
        return Look(registered=False)
    seen_at = rows[0][1]
    if isinstance(seen_at, str):  # SQLite through a plain cursor: UTC, written without a zone
        seen_at = IndexFollower._meta.get_field("seen_at").to_python(seen_at)
    if seen_at is not None and timezone.is_naive(seen_at):
        seen_at = timezone.make_aware(seen_at, UTC)
    changes = [(row[2], row[3]) for row in rows if row[2] is not None]
    oldest, passed = rows[0][4], rows[0][5]
    prunable = oldest is not None and passed is not None and oldest <= passed
    return Look(True, rows[0][0], seen_at, changes, prunable)


def unseen_count(position: Position, upto: int | None = None) -> int:
    """How many changes in the log (up to ``upto``) this position has not applied."""
    query = IndexChange.objects.filter(id__gt=position.mark)
    for low, high, _ in position.gaps:
        query = query | IndexChange.objects.filter(id__range=(low, high))
    return (query.filter(id__lte=upto) if upto is not None else query).count()


def starting_position(follower: str | None = None) -> Position:
    """Where an index built from the catalogue now starts in the log: at its last change, waiting
    for any id below it not yet visible (a transaction in flight may change a record after the
    build read it). Taken before the build reads any record. Ids that every other follower has
    passed need no waiting; with no other follower, the wait starts at the log's beginning."""
    others = IndexFollower.objects.exclude(pk=follower) if follower else IndexFollower.objects
    start = others.aggregate(low=Min("applied"))["low"] or 0
    position = Position(mark=start)
    ids = IndexChange.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True)
    position.seen(list(ids), timezone.now().timestamp(), gap_patience())
    return position


def log_end(follower: str, place: str, since: float) -> Position:
    """Register ``follower`` at the log's end as it stood at ``since`` (epoch seconds), without a
    build: for an index meant to hold only what changes from then on (the tests' fresh indexes)."""
    before = datetime.fromtimestamp(since, tz=UTC)
    last = IndexChange.objects.filter(queued_at__lt=before).aggregate(last=Max("id"))["last"]
    position = Position(last or 0)
    register(follower, place, position.horizon())
    return position


def register(follower: str, place: str, horizon: int) -> None:
    """Register (or re-register, after a rebuild) a follower at ``horizon``.

    One folder on one host holds one index: any other follower registered at the same place is
    a run killed between registering and noting its id in the folder, which would otherwise hold
    the log back for the whole retention window. It goes."""
    IndexFollower.objects.filter(place=place).exclude(pk=follower).delete()
    IndexFollower.objects.update_or_create(
        pk=follower, defaults={"place": place, "applied": horizon, "seen_at": timezone.now()}
    )


def record_progress(follower: str, horizon: int) -> bool:
    """Record a follower's new horizon (never lowered) and that it was seen; False when the
    catalogue no longer knows it (pruned past it: it must rebuild)."""
    now = timezone.now()
    updated = IndexFollower.objects.filter(pk=follower).update(
        applied=Greatest("applied", horizon), seen_at=now
    )
    return updated > 0


def unregister(follower: str) -> None:
    IndexFollower.objects.filter(pk=follower).delete()


def prune() -> dict:
    """Delete the changes every registered follower has applied, and those older than the
    retention window; unregister the followers whose unapplied changes went with them."""
    retention = timedelta(hours=config.value("OPIS_INDEX_RETENTION_HOURS"))
    cutoff = timezone.now() - retention
    with transaction.atomic():
        passed = IndexFollower.objects.aggregate(low=Min("applied"))["low"]
        expired = IndexChange.objects.filter(queued_at__lt=cutoff).aggregate(last=Max("id"))
        deleted = IndexChange.objects.filter(id__lte=passed or 0).delete()[0]
        deleted += IndexChange.objects.filter(queued_at__lt=cutoff).delete()[0]
        forgotten = []
        if expired["last"] is not None:
            behind = IndexFollower.objects.filter(applied__lt=expired["last"])
            forgotten = list(behind.values_list("pk", flat=True))
            behind.delete()
    return {"deleted": deleted, "forgotten": forgotten}


def followers() -> list[dict]:
    """Every registered index, with how far it has applied the log and when it was last seen."""
    last = IndexChange.objects.aggregate(last=Max("id"))["last"] or 0
    return [
        {
            "follower": row.pk,
            "place": row.place,
            "applied": row.applied,
            "behind": IndexChange.objects.filter(id__gt=row.applied).count() if last else 0,
            "seen_at": row.seen_at.isoformat(),
        }
        for row in IndexFollower.objects.order_by("registered_at")
    ]
