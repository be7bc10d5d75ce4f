"""Reading on a Dask cluster (issue 12): a real scheduler and worker processes talking TCP on
loopback, started as an operator would (``dask scheduler``, ``dask worker --preload``), and the
real ``opis ingest --cluster``.

The specification is equality: the records a cluster run writes are exactly the records an
in-process run writes (``opis export --format jsonl``, apart from the ingest times), also when a
worker is killed in the middle of the run — nothing lost, nothing written twice.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import CORPORA, ROOT, opis_env, require, run_opis, run_opis_json

INDONESIA_1948 = CORPORA / "dfat" / "volumes" / "volume-13-1948-indonesia"
INDONESIA_1949 = CORPORA / "dfat" / "volumes" / "volume-15-1949-indonesia"
HONESTLY_DIFFERENT = ("ingested_at", "updated_at")  # in each record's "source"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dask(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(
        [sys.executable, "-m", "dask", *args], cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture
def scheduler():
    """A Dask scheduler and two single-threaded workers, each its own process group."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [
        dask("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
             "--preload", "opis.dask_worker")
    ]  # fmt: skip
    workers = [
        dask("worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
             "--preload", "opis.dask_worker")
        for _ in range(2)
    ]  # fmt: skip
    joined = subprocess.run(
        [sys.executable, "-c", "import sys; from distributed import Client; "
         "Client(sys.argv[1], timeout=60).wait_for_workers(2, timeout=240)", address],
        env={**os.environ, "PYTHONWARNINGS": "ignore"}, capture_output=True, text=True,
    )  # fmt: skip
    try:
        assert joined.returncode == 0, f"the workers did not join:\n{joined.stderr[-2000:]}"
        yield address, workers
    finally:
        for process in processes + workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes + workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def exported(data_dir) -> list[dict]:
    lines = run_opis(data_dir, "export", "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines[1:-1]]
    for record in records:
        for key in HONESTLY_DIFFERENT:
            record["source"].pop(key, None)
    return records


@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    """The reference: both volumes ingested in one process, as without a cluster."""
    data = tmp_path_factory.mktemp("in-process")
    run_opis(data, "ingest", str(require(INDONESIA_1948)), str(require(INDONESIA_1949)))
    return exported(data)


def test_a_cluster_run_writes_exactly_the_records_of_an_in_process_run(
    scheduler, in_process, tmp_path
):
    address, _ = scheduler
    report, _ = run_opis_json(
        tmp_path, "ingest", "--cluster", address, str(INDONESIA_1948), str(INDONESIA_1949)
    )
    assert report["failed"] == [] and report["ingested"] == len(in_process) > 1000
    assert exported(tmp_path) == in_process


def test_a_worker_killed_mid_run_loses_nothing_and_doubles_nothing(scheduler, in_process, tmp_path):
    address, workers = scheduler
    env = opis_env(tmp_path)  # its own catalogue on either backend, as run_opis gives
    run = subprocess.Popen(
        [sys.executable, "-m", "opis.cli", "ingest", "--cluster", address, "--json",
         str(INDONESIA_1948), str(INDONESIA_1949)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(4)  # the run has connected and the workers are reading
    assert run.poll() is None, "the run ended before a worker could be killed: give it more work"
    os.killpg(workers[0].pid, signal.SIGKILL)  # the worker and its nanny, without warning
    stdout, stderr = run.communicate(timeout=900)
    assert run.returncode == 0, stderr
    report = json.loads(stdout)
    assert report["failed"] == [] and report["ingested"] == len(in_process)
    assert exported(tmp_path) == in_process


def test_workers_started_without_the_preload_are_refused_clearly(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = dask("scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard",
                     "--preload", "opis.dask_worker")  # fmt: skip
    worker = dask("worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1")
    try:
        result = run_opis(
            tmp_path, "ingest", "--cluster", address, str(INDONESIA_1949), check=False
        )
    finally:
        for process in (worker, scheduler):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    assert result.returncode != 0
    assert "--preload opis.dask_worker" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_scheduler_at_the_address_is_a_clear_error(tmp_path):
    address = f"tcp://127.0.0.1:{free_port()}"
    result = run_opis(tmp_path, "ingest", "--cluster", address, str(INDONESIA_1949), check=False)
    assert result.returncode != 0
    assert address in result.stderr and "dask scheduler" in result.stderr
    assert "Traceback" not in result.stderr
