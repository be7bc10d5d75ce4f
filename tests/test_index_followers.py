"""Several web machines, one catalogue: each data folder's index follows the index log.

Two data folders share one real PostgreSQL catalogue. What is written through one (an ingest, a
curator's status change) reaches the other's index within 5 s while ``opis index follow`` runs;
a follower that was down catches up; a new folder builds its index; and one that fell behind the
retention window is forgotten by the catalogue and rebuilds. The log's own rules (ids seen out of
order, one query when nothing is new) are specified in-process, on SQLite.
"""

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
import tantivy

from conftest import ROOT, require, run_opis_json
from opis.records.index_log import Position
from opis.search.indexer import apply_pending
from pg_server import PostgresServer, pg_bin

SEED_ID = "wcda-110692"


# --- the log's rules --------------------------------------------------------------------------


def test_an_id_seen_late_is_waited_for_then_applied():
    position = Position()
    position.seen([1, 2, 4, 5], now=100.0, patience=900)  # 3 is in a transaction still open
    assert (position.mark, position.horizon()) == (5, 2)
    position.seen([3], now=101.0, patience=900)  # it committed: the gap closes
    assert (position.mark, position.horizon(), position.gaps) == (5, 5, [])


def test_a_gap_never_filled_is_given_up_after_the_patience():
    position = Position(mark=10)
    position.seen([14], now=100.0, patience=900)  # 11-13 rolled back: they never appear
    assert position.gaps == [[11, 13, 100.0]] and position.horizon() == 10
    assert not position.expire(now=500.0, patience=900)
    assert position.expire(now=1001.0, patience=900)
    assert position.horizon() == 14


def test_a_filled_id_splits_its_gap():
    position = Position(mark=0)
    position.seen([10], now=0.0, patience=900)
    position.seen([5], now=1.0, patience=900)
    assert position.gaps == [[1, 4, 0.0], [6, 9, 0.0]]


def test_sqlite_keeps_no_gaps():
    position = Position(mark=3)
    position.seen([7], now=0.0, patience=0)
    assert (position.gaps, position.horizon()) == ([], 7)


def test_a_look_when_nothing_is_new_is_one_query(archive, django_assert_num_queries):
    apply_pending()  # whatever the session left, and a "still here" in the registry
    with django_assert_num_queries(1):
        assert apply_pending() == 0


def test_changes_a_killed_run_applied_but_did_not_prune_are_pruned_by_the_next_look(
    archive, settings
):
    """A run killed between recording its progress and pruning leaves changes every follower has
    passed; the next look, finding nothing new, still clears them (CI's kill harness found it)."""
    from opis.records import index_log
    from opis.records.models import IndexChange
    from opis.search import follower

    apply_pending()
    change = IndexChange.objects.create(document_id=archive.order_by("pk").first().pk)
    state = follower.load(settings.SEARCH_INDEX_DIR)
    state.position.seen([change.pk], time.time(), patience=0)
    follower.save(settings.SEARCH_INDEX_DIR, state)  # what the killed run had done: the index
    index_log.record_progress(state.follower, state.position.horizon())  # and the catalogue
    assert apply_pending() == 0
    assert not IndexChange.objects.filter(pk__lte=change.pk).exists()


# --- two data folders on one PostgreSQL catalogue ----------------------------------------------


@pytest.fixture(scope="module")
def catalogue():
    if pg_bin() is None:
        pytest.fail("PostgreSQL server binaries are missing: `make test` installs them")
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def on_catalogue(catalogue, monkeypatch):
    monkeypatch.setenv("OPIS_DATABASE_URL", catalogue)
    return catalogue


def _opis(data, *args):
    return run_opis_json(data, *args)[0]


def _follow(data):
    env = {**os.environ, "OPIS_DATA": str(data), "PYTHONWARNINGS": "ignore"}
    env["OPIS_INDEX_POLL_SECONDS"] = "0.2"
    return subprocess.Popen(
        [sys.executable, "-m", "opis.cli", "index", "follow", "--json"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _stop(process) -> int:
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=30)
    process.stdout.close()
    process.stderr.close()
    return code


def _index_view(data) -> dict[str, str]:
    """The folder's index as a reader would see it now: each document's status, read from the
    index files without asking opis (which would apply the log first)."""
    index = tantivy.Index.open(str(data / "index"))
    index.reload()
    searcher = index.searcher()
    found = searcher.search(tantivy.Query.all_query(), limit=10_000).hits
    return {
        searcher.doc(address)["id"][0]: searcher.doc(address)["status"][0] for _, address in found
    }


def _wait_for(data, expected: dict[str, str], seconds: float) -> float:
    started = time.monotonic()
    view: dict[str, str] = {}
    while time.monotonic() - started < seconds:
        view = _index_view(data)
        if view == expected:
            return time.monotonic() - started
        time.sleep(0.1)
    missing = set(expected) - set(view)
    changed = {k for k in expected if k in view and view[k] != expected[k]}
    raise AssertionError(f"not within {seconds} s: {len(missing)} missing, changed: {changed}")


def _catalogue_view(url: str) -> dict[str, str]:
    """Every record's status, read from the catalogue with plain SQL: the yardstick."""
    with psycopg.connect(url) as db:
        return dict(db.execute("SELECT id, status FROM records_document").fetchall())


def _agree(first, second) -> None:
    one, other = _opis(first, "search", "telegram"), _opis(second, "search", "telegram")
    assert one["total"] == other["total"] > 0
    assert one["facets"] == other["facets"]


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    return tmp_path_factory.mktemp("machine-a"), tmp_path_factory.mktemp("machine-b")


def test_a_new_data_folder_builds_its_index_from_the_catalogue(on_catalogue, folders, seed_path):
    first, second = folders
    _opis(first, "ingest", str(seed_path))
    found = _opis(second, "search", "")  # a folder that has never seen this catalogue
    assert found["total"] == 1 and found["results"][0]["id"] == SEED_ID
    status = _opis(second, "index", "status")
    assert status["pending"] == 0 and len(status["followers"]) == 2


def test_what_one_folder_writes_the_other_finds_within_5_s(on_catalogue, folders, dfat_volume):
    first, second = folders
    follower = _follow(second)
    try:
        time.sleep(1.5)  # let it start and look once
        report = _opis(first, "ingest", str(require(dfat_volume)))
        assert report["ingested"] > 0
        took = _wait_for(second, _catalogue_view(on_catalogue), 5.0)
        _opis(first, "status", SEED_ID, "draft", "--reason", "checking the translation")
        edited = _catalogue_view(on_catalogue)
        assert edited[SEED_ID] == "draft"
        took_edit = _wait_for(second, edited, 5.0)
        print(f"the other folder saw the ingest {took:.2f} s and the edit {took_edit:.2f} s after")
    finally:
        assert _stop(follower) == 0, "SIGTERM ends `opis index follow` cleanly"
    _agree(first, second)


def test_a_follower_that_was_down_catches_up(on_catalogue, folders):
    first, second = folders
    _opis(first, "status", SEED_ID, "published", "--reason", "translation checked")
    assert _index_view(second)[SEED_ID] == "draft", "nothing applied it to the other folder yet"
    caught_up = _opis(second, "index", "follow", "--once")
    assert caught_up["applied"] == 1 and caught_up["pending"] == 0
    assert _index_view(second) == _catalogue_view(on_catalogue)
    _agree(first, second)


def test_a_follower_behind_the_retention_window_rebuilds(on_catalogue, folders, monkeypatch):
    first, second = folders
    _opis(first, "status", SEED_ID, "draft", "--reason", "one more look")
    time.sleep(1.5)
    monkeypatch.setenv("OPIS_INDEX_RETENTION_HOURS", "0.0002")  # 0.72 s
    _opis(first, "status", SEED_ID, "published", "--reason", "done")  # prunes the older change
    monkeypatch.delenv("OPIS_INDEX_RETENTION_HOURS")
    registered = [row["place"] for row in _opis(first, "index", "status")["followers"]]
    assert not any(place.endswith(str(second / "index")) for place in registered)
    rebuilt = _opis(second, "index", "follow", "--once")
    documents = len(_catalogue_view(on_catalogue))
    assert rebuilt["applied"] == documents == rebuilt["documents"]
    assert len(rebuilt["followers"]) == 2
    assert _index_view(second) == _catalogue_view(on_catalogue)
