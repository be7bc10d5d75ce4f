"""An ingest run left unfinished is marked interrupted by the next run, and only once it is dead.

A run killed before its end leaves its ``IngestRun`` without ``finished_at``; the next run to
finish relinks its collections' threads and marks it ``{"interrupted": true}``. On PostgreSQL
several runs write at once, so an unfinished run may be one going on in another process at that
moment: it holds a lock of the server's for as long as it lives (``writer_lock.running``), and
is left alone. On SQLite one run writes at a time (the writer lock), so an unfinished run there
is always a dead one.
"""

import json
import threading
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from opis.ingest import ingest_paths
from opis.records.models import IngestRun
from opis.records.writer_lock import running


@contextmanager
def going_on_elsewhere(run_id: int):
    """Run ``run_id`` alive in another session: a thread with its own database connection holds
    the run's lock, as the process of a run in progress does."""
    holding, done = threading.Event(), threading.Event()

    def other_process() -> None:
        try:
            with running(run_id):
                holding.set()
                done.wait(60)
        finally:
            connection.close()

    thread = threading.Thread(target=other_process)
    thread.start()
    try:
        assert holding.wait(30), "the other session never took the run's lock"
        yield
    finally:
        done.set()
        thread.join(30)


def one_cable(folder, name: str):
    path = folder / f"{name}.jsonl"
    row = {"id": f"run-{name}", "title": f"Telegram {name}", "date": "1962-10-24", "text": "Text."}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_a_run_going_on_elsewhere_is_left_alone_and_a_dead_one_marked(db, isolated_index, tmp_path):
    dead = IngestRun.objects.create(started_at=timezone.now(), paths=["/killed/mid-run"])
    alive = IngestRun.objects.create(started_at=timezone.now(), paths=["/still/reading"])
    with going_on_elsewhere(alive.pk):
        report = ingest_paths([one_cable(tmp_path, "first")])
    assert report.count("ingested") == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.finished_at is not None
    assert dead.report == {"interrupted": True, "threads_linked_by_run": report.run_id}
    if connection.vendor == "postgresql":  # it was going on when the first run ended
        assert alive.finished_at is None and alive.report == {}
        later = ingest_paths([one_cable(tmp_path, "second")])  # now its lock is gone: dead
        alive.refresh_from_db()
        assert alive.report == {"interrupted": True, "threads_linked_by_run": later.run_id}
    else:  # one writer at a time: an unfinished run cannot be going on
        assert alive.report == {"interrupted": True, "threads_linked_by_run": report.run_id}
