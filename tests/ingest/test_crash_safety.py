"""An acknowledged document is never lost: ``opis ingest`` killed with SIGKILL, 50 times and more.

``kill_harness.py`` runs the real ``opis ingest`` on 40 DFAT files in batches of 4 and kills it at
random moments (seeded: ``OPIS_KILL_SEED`` replays a run), in every phase: migrating, writing
batches, committing the index, linking threads. After every kill a fresh process opens the
archive as the next ``opis`` command would and checks (``crash_checks.py``): the database is
intact, no row points at nothing, every document in the catalogue is exactly what the reader
makes of its file (no partial record), every acknowledged document is there, the index queue
recovers the index to the catalogue's very set of documents, and search finds each acknowledged
document. Ingest is then resumed (killed again, sometimes); once a run goes to the end the archive
must equal a clean ingest of the same files, thread links included.

The harness resets the archive between cycles by copying its data folder, the SQLite file with
it, so this runs on SQLite in both passes of ``make test`` (a PostgreSQL commit's durability is
the server's; the queue-then-index order under test is the same code on both).
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DFAT, ROOT, require, run_opis_json

HARNESS = Path(__file__).with_name("kill_harness.py")
KILLS = 50
FILES = 40
BATCH = 4  # files per transaction: ten batches, so kills land between and inside them
SEED = int(os.environ.get("OPIS_KILL_SEED", "20260517"))


@pytest.fixture(scope="module", autouse=True)
def _on_sqlite():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPIS_DATABASE_URL", "")  # the harness and run_opis alike: SQLite
        yield


@pytest.fixture(scope="module")
def kill_run(tmp_path_factory) -> dict:
    volume = require(DFAT / "volume-1-1937-38")
    work = tmp_path_factory.mktemp("kill")
    config = {
        "work": str(work),
        "seed": SEED,
        "kills": KILLS,
        "batch": BATCH,
        "paths": [str(p) for p in sorted(volume.glob("*.md"))[:FILES]],
    }
    (work / "config.json").write_text(json.dumps(config))
    done = subprocess.run(
        [sys.executable, str(HARNESS), str(work / "config.json")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert done.returncode == 0, f"seed {SEED}: the harness failed\n{done.stderr[-4000:]}"
    result = json.loads(done.stdout)
    result["work"] = work
    return result


def _kills(run: dict) -> list[dict]:
    return [c for c in run["cycles"] if c["killed"]]


def test_ingest_is_killed_at_least_fifty_times_in_every_phase(kill_run):
    kills = _kills(kill_run)
    assert len(kills) >= KILLS, f"seed {SEED}"
    phases = {c["phase"] for c in kills}
    assert {"batches", "index-commit", "linking"} <= phases, f"seed {SEED}: only {phases}"


def test_after_every_kill_the_archive_is_intact_complete_and_searchable(kill_run):
    failures = [c for c in kill_run["cycles"] if c["problems"]]
    assert not failures, f"seed {SEED} (OPIS_KILL_SEED={SEED} replays it):\n" + "\n".join(
        f"cycle {i}: {c['strategy']} kill in {c['phase']} at {c['at']} s: {c['problems'][:3]}"
        for i, c in enumerate(failures[:5])
    )
    unkilled = [c for c in kill_run["cycles"] if not c["killed"] and c["exit"] != 0]
    assert not unkilled, f"seed {SEED}: an uninterrupted run failed: {unkilled[0]['stderr']}"


def test_kills_left_work_that_recovery_then_did(kill_run):
    """The checks above are not vacuous: kills cut runs short, with the index behind."""
    kills = _kills(kill_run)
    partial = [c for c in kills if 0 < c["documents"] < kill_run["clean"]["documents"]]
    behind = [c for c in kills if c["pending"] and c["recovered"] == c["pending"]]
    assert len(partial) >= 3, f"seed {SEED}: kills rarely cut a run short"
    assert len(behind) >= 3, f"seed {SEED}: kills rarely left the index behind the catalogue"
    assert sum(c["acknowledged"] for c in kills) > 0


def test_resumed_ingest_equals_a_clean_ingest(kill_run):
    assert kill_run["clean"]["thread_links"] > 0  # the files do link: the comparison covers it
    assert len(kill_run["resumed"]) >= 2, f"seed {SEED}"
    for resumed in kill_run["resumed"]:
        assert resumed["diff"] == [], f"seed {SEED}: epoch {resumed['epoch']}"


def test_the_next_opis_command_recovers_the_index(kill_run):
    """The archive as the last kill left it, recovered by ``opis search`` itself."""
    data = kill_run["work"] / "last-kill" / "data"
    catalogue = sqlite3.connect(data / "opis.sqlite3")
    ids = sorted(row[0] for row in catalogue.execute("SELECT id FROM records_document"))
    catalogue.close()
    results, _ = run_opis_json(data, "search", "--per-page", "100")
    assert sorted(hit["id"] for hit in results["results"]) == ids
    acks = (kill_run["work"] / "last-kill" / "acks.jsonl").read_text().splitlines()
    assert {i for line in acks for i in json.loads(line)["committed"]} <= set(ids)
