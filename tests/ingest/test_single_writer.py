"""One writer per SQLite archive (docs/ingest.md, "Crash safety"): SQLite 3.40.1 has the WAL-reset
bug, which needs two writers at once, so opis never has two. The lock is an ``flock`` on
``opis.sqlite3.writer-lock`` beside the catalogue; here the test process holds it, as a running
ingest would.

The lock is SQLite's alone, so this runs on SQLite in both passes of ``make test``; on PostgreSQL
several ingests write at once (tests/test_concurrent_ingest_pg.py)."""

import fcntl

from conftest import run_opis, run_opis_json


def test_a_second_writer_is_refused_and_readers_go_on(tmp_path, seed_path, monkeypatch):
    monkeypatch.setenv("OPIS_DATABASE_URL", "")  # SQLite, whichever pass this is
    data = tmp_path / "data"
    run_opis(data, "ingest", str(seed_path))
    with (data / "opis.sqlite3.writer-lock").open("a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        lock.truncate(0)
        lock.write("process 4242 (ingest)")
        lock.flush()
        refused = run_opis(data, "ingest", "--force", str(seed_path), check=False)
        assert refused.returncode == 5
        assert "cannot ingest: process 4242 (ingest) is writing to this archive" in refused.stderr
        assert "run this again when it has finished" in refused.stderr
        assert "Traceback" not in refused.stderr
        found, _ = run_opis_json(data, "search", "Mao")  # a reader needs no lock
        assert found["total"] >= 1
    again, _ = run_opis_json(data, "ingest", "--force", str(seed_path))  # the lock is free again
    assert again["updated"] == 1
