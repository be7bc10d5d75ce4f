"""Serving under load: ``opis serve --workers N`` hammered by wrk, as a reader's browser would.

Starts ``opis serve --workers N`` (gunicorn, pre-forked) on a free loopback port over an existing
data folder, then runs ``wrk --latency`` at a fixed concurrency for a bounded time against:

- the seed's document page (``/documents/wcda-110692``),
- the search page (``/search?q=telegram``),
- the JSON search (``/api/search?q=Stalin``),
- ``/robots.txt``: the same server's cost of the stack alone (middleware, WSGI, no query),

and prints requests/s, p50 and p99 latency, non-2xx responses and socket errors for each, with the
machine (cores, load average before and after). ``--workers 1 2`` measures both sizes in one run.
``--ingest PATH`` runs the same load again while ``opis ingest --force PATH`` writes into the same
data folder (every file read and written again, restarted if it ends early), and prints how far
each figure dropped.

wrk is Debian's package (``apt-get install wrk``); only loopback is used and every run is bounded by
``--duration``. The rate limit (``OPIS_API_RATE_LIMIT``) is switched off for the server under test:
one client at 500 requests/s is exactly what it exists to refuse. ``OPIS_DATABASE_URL`` is passed
through, so the same script measures a PostgreSQL catalogue.

    OPIS_DATA=/tmp/loaddata opis ingest ../shared/seed ../shared/corpora/dfat   # a few minutes
    python bench/serve_load.py --data /tmp/loaddata --duration 10
    python bench/serve_load.py --data /tmp/loaddata --workers 2 --ingest ../shared/corpora/dfat
"""

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OPIS = Path(sys.executable).with_name("opis")
TARGETS = {
    "document page": "/documents/wcda-110692",
    "search page": "/search?q=telegram",
    "/api/search": "/api/search?q=Stalin",
    "/robots.txt": "/robots.txt",
}
GOALS = {"document page": 500, "search page": 150, "/api/search": 300}  # req/s, p99 < 100 ms
P99_GOAL_MS = 100.0
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="an ingested opis data folder")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--duration", type=int, default=30, help="seconds per target (30)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--ingest", type=Path, help="also measure while this is ingested")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is not installed; apt-get install wrk (Debian's package)")
    runs = []
    for workers in args.workers:
        runs.append(measure(args.data, workers, args.duration, args.connections))
        if args.ingest:
            runs.append(measure(args.data, workers, args.duration, args.connections, args.ingest))
    print(json.dumps(runs, indent=2) if args.json else report(runs))


def measure(data: Path, workers: int, duration: int, connections: int, ingest=None) -> dict:
    """One server of ``workers`` processes; every target loaded in turn (while ``ingest`` runs)."""
    port = free_port()
    environment = {**os.environ, "OPIS_DATA": str(data), "OPIS_API_RATE_LIMIT": "0"}
    command = [str(OPIS), "serve", "--workers", str(workers), "--port", str(port)]
    server = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)
    writer = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/robots.txt", server)
        for path in TARGETS.values():  # warm: the first request of each kind loads what it needs
            urllib.request.urlopen(base + path, timeout=30).read()
        run = {"workers": workers, "ingest": str(ingest or ""), "machine": machine(), "targets": {}}
        ingests = []
        for name, path in TARGETS.items():
            if ingest is not None and (writer is None or writer.poll() is not None):
                writer = start_ingest(ingest, environment, writer, ingests)
            run["targets"][name] = wrk(base + path, duration, connections)
        run["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
        if writer is not None:
            # exit statuses of the runs that ended (0: no failure), and whether one was still
            # writing when the load ended (it is stopped: a batch commits whole or not at all)
            run["ingest_still_running"] = writer.poll() is None
            if not run["ingest_still_running"]:
                ingests.append(writer.returncode)
            run["ingest_runs"] = ingests
        return run
    finally:
        for process in (writer, server):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def start_ingest(path: Path, environment: dict, finished, statuses: list) -> subprocess.Popen:
    """``opis ingest --force``: every file read and written again, as a real ingest of a corpus
    already held (started again when one run ends before the load does)."""
    if finished is not None:
        statuses.append(finished.returncode)
    return subprocess.Popen(
        [str(OPIS), "ingest", "--force", str(path)], env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench: opis serve exited with status {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"bench: opis serve did not answer {url} within {limit:.0f} s")


def machine() -> dict:
    return {"cores": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()]}


def wrk(url: str, duration: int, connections: int) -> dict:
    """``wrk --latency`` for ``duration`` seconds; its text output parsed (no Lua script)."""
    threads = min(2, connections)
    done = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True, text=True, timeout=duration + 60, check=True,
    )  # fmt: skip
    return parse_wrk(done.stdout)


def parse_wrk(output: str) -> dict:
    """requests/s, p50/p99 in ms, non-2xx/3xx responses and socket errors, from wrk's text."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    requests = re.search(r"(\d+) requests in", output)
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests_per_s": float(rate[1]) if rate else 0.0,
        "requests": int(requests[1]) if requests else 0,
        "p50_ms": _ms(latency.get("50")),
        "p99_ms": _ms(latency.get("99")),
        "non_2xx": int(bad[1]) if bad else 0,
        "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0,
        "timeouts": int(sockets[4]) if sockets else 0,  # no answer within wrk's 2 s
    }


def _ms(text: str | None) -> float | None:
    if not text:
        return None
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()
    return round(float(number) * _UNITS[unit], 2)


def report(runs: list[dict]) -> str:
    lines = []
    plain = {r["workers"]: r for r in runs if not r["ingest"]}
    for run in runs:
        during = f", while ingesting {run['ingest']}" if run["ingest"] else ""
        still = ""
        if run["ingest"]:
            still = (
                f" (finished ingest runs' exit statuses: {run.get('ingest_runs')}; "
                f"still writing at the end: {run.get('ingest_still_running')})"
            )
        lines.append(
            f"\n--workers {run['workers']}{during}{still}; {run['machine']['cores']} cores, load "
            f"{run['machine']['load_before']} before, {run['machine']['load_after']} after"
        )
        lines.append(f"  {'target':<15} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} "
                     f"{'errors':>7}  goal")  # fmt: skip
        for name, figures in run["targets"].items():
            goal = GOALS.get(name)
            verdict = ""
            if goal:
                met = (
                    figures["requests_per_s"] >= goal
                    and (figures["p99_ms"] or 1e9) < P99_GOAL_MS
                    and not figures["non_2xx"] + figures["socket_errors"]
                )
                verdict = f">= {goal}/s, p99 < {P99_GOAL_MS:.0f}: {'met' if met else 'missed'}"
            if run["ingest"] and run["workers"] in plain:
                before = plain[run["workers"]]["targets"][name]["requests_per_s"]
                if before:
                    verdict += f" ({figures['requests_per_s'] / before - 1:+.0%} vs no ingest)"
            lines.append(
                f"  {name:<15} {figures['requests_per_s']:>8.0f} {figures['p50_ms'] or 0:>8.1f} "
                f"{figures['p99_ms'] or 0:>8.1f} {figures['non_2xx']:>8} "
                f"{figures['socket_errors']:>7}  {verdict}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
