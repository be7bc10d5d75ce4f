"""Fixtures: real catalogues built from the real seed and corpora, real servers.

Two kinds of archive are on offer:

- ``archive`` (in-process, via pytest-django): the seed and one DFAT volume ingested once into the
  test database at session start; each test runs in a transaction rolled back afterwards. The search
  index lives in a session temp folder. Tests that ingest more use ``isolated_index`` so their index
  changes vanish with their rolled-back rows.
- ``corpus_data_dir`` (out of process, via the ``opis`` command): the seed and the whole DFAT corpus
  ingested into a fresh data directory, exactly as a user would; ``reading_room`` serves it with
  ``opis serve`` on a free port for browser tests.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT.parent / "shared").resolve()  # as ingest records paths: links resolved
SEED = SHARED / "seed" / "stalin-to-mao-zhou-1950-07-13.md"
CORPORA = SHARED / "corpora"
DFAT = CORPORA / "dfat" / "volumes"
DFAT_SAMPLE_VOLUME = (
    DFAT / "volume-22-australia-and-recognition-of-the-people-s-republic-of-china-1949-1972"
)
if not DFAT_SAMPLE_VOLUME.exists():
    DFAT_SAMPLE_VOLUME = DFAT / "volume-1-1937-38"


def require(path: Path) -> Path:
    """The shared corpora are always present in CI; elsewhere say clearly what is missing."""
    if not path.exists():
        pytest.skip(f"{path} is not here; the shared corpora live beside the checkout (../shared)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return require(SEED)


@pytest.fixture(scope="session")
def dfat_volume() -> Path:
    return require(DFAT_SAMPLE_VOLUME)


@pytest.fixture(scope="session", autouse=True)
def _session_index(tmp_path_factory):
    """Every test session gets its own search index folder, never the user's ./opis-data."""
    from django.conf import settings

    settings.SEARCH_INDEX_DIR = tmp_path_factory.mktemp("index")
    settings.ORIGINALS_DIR = tmp_path_factory.mktemp("originals")  # nor its store of originals
    yield


@pytest.fixture(autouse=True)
def _full_api_budget():
    """Each test starts with a full API rate-limit budget: the buckets live in the process-wide
    cache (LocMemCache), and the test client is always the same client, 127.0.0.1."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The session's catalogue: the seed and one DFAT volume, ingested once."""
    from opis.ingest import ingest_paths

    with django_db_blocker.unblock():
        paths = [p for p in (SEED, DFAT_SAMPLE_VOLUME) if p.exists()]
        report = ingest_paths(paths)
        assert report.ok, [str(f) for f in report.failed]
    yield


@pytest.fixture
def archive(db, seed_path, dfat_volume):
    """The session catalogue (seed + one DFAT volume) inside this test's transaction."""
    from opis.records.models import Document

    return Document.objects


@pytest.fixture
def isolated_index(tmp_path, settings):
    """A fresh, empty index for a test that ingests its own files (undone with its rows)."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    return settings.SEARCH_INDEX_DIR


def run_opis(data_dir: Path, *args: str, check: bool = True, timeout: int = 600):
    """Run the real ``opis`` command against a data directory; return the CompletedProcess."""
    env = {**os.environ, "OPIS_DATA": str(data_dir), "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, "-m", "opis.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"opis {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def run_opis_json(data_dir: Path, *args: str, check: bool = True):
    result = run_opis(data_dir, *args, "--json", check=check)
    return json.loads(result.stdout), result


@pytest.fixture(scope="session")
def corpus_data_dir(tmp_path_factory):
    """A data directory holding the seed and the whole DFAT corpus, ingested by ``opis ingest``."""
    require(SEED)
    require(DFAT)
    data_dir = tmp_path_factory.mktemp("corpus-data")
    report, _ = run_opis_json(data_dir, "ingest", str(SEED), str(DFAT))
    return data_dir, report


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def reading_room(corpus_data_dir):
    """``opis serve`` on the corpus data directory; yields its base URL, stops it afterwards."""
    data_dir, _ = corpus_data_dir
    port = _free_port()
    env = {**os.environ, "OPIS_DATA": str(data_dir), "PYTHONWARNINGS": "ignore"}
    server = subprocess.Popen(
        [sys.executable, "-m", "opis.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            if server.poll() is not None:
                raise AssertionError("opis serve exited:\n" + server.stdout.read()) from None
            time.sleep(0.3)
    else:
        server.kill()
        raise AssertionError("opis serve did not answer within 60 s")
    yield base
    server.terminate()
    server.wait(timeout=10)
    server.stdout.close()
