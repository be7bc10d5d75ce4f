"""``opis serve --workers N``: pre-forked web processes that each see what another process
(an ingest, an edit) committed, within a second or so, without a restart."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, _free_port, opis_env, require, run_opis_json


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _workers_of(pid: int, expected: int, deadline: float) -> list[str]:
    """The server's worker processes, once there are ``expected`` of them or the deadline passes."""
    while True:
        found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        workers = found.stdout.split()
        if len(workers) >= expected or time.monotonic() > deadline:
            return workers
        time.sleep(0.2)


def test_many_workers_serve_and_follow_another_process(tmp_path, seed_path, dfat_volume):
    data = tmp_path / "data"
    run_opis_json(data, "ingest", str(seed_path))
    port = _free_port()
    # The test polls until both workers answer alike; the API's rate limit (120 a minute) would
    # refuse that polling with 429 after two or three seconds on a busy machine and hide what
    # the test is about, so it is off for this server.
    env = opis_env(data, OPIS_API_RATE_LIMIT="0")
    server = subprocess.Popen(
        [sys.executable, "-m", "opis.cli", "serve", "--workers", "2", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                before = _get(f"{base}/api/search?limit=1")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, server.stdout.read()
                time.sleep(0.3)
        # gunicorn forks its workers one after another, a random tenth of a second apart: the
        # first can answer before the second exists, so the count is awaited, not read once.
        workers = _workers_of(server.pid, 2, deadline)
        assert len(workers) == 2, workers
        report, _ = run_opis_json(data, "ingest", str(require(dfat_volume)))
        assert report["ingested"] > 0
        committed = time.monotonic()
        totals = set()
        while time.monotonic() - committed < 10:  # "a second or so", on a loaded CI machine
            # Several requests, so that both workers answer: each must see the new records.
            totals = {_get(f"{base}/api/search?limit=1")["total"] for _ in range(6)}
            if totals == {before["total"] + report["ingested"]}:
                break
            time.sleep(0.25)
        assert totals == {before["total"] + report["ingested"]}
        print(f"every worker saw the ingest {time.monotonic() - committed:.2f} s after it ended")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server.stdout.close()


def test_what_lives_as_long_as_the_server_is_out_of_the_collectors_sight(db):
    """A full garbage collection walks every object of the process with all its threads stopped;
    over the authority, the gazetteer and the views that took 160 ms and was the whole slow tail
    under load. Settled for serving, those objects are frozen, so a collection walks only what
    requests made since."""
    import gc

    from opis.cli_server import settle_for_serving
    from opis.understand.names import authority

    gc.unfreeze()
    try:
        settle_for_serving()
        assert len(authority()) > 1000  # the authority is loaded before the first reader
        frozen, walked = gc.get_freeze_count(), len(gc.get_objects())
        assert frozen > 10 * walked, (frozen, walked)
    finally:
        gc.unfreeze()
