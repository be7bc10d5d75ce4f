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

# Tests sign cursors and tokens: with a key of their own, the settings never make one (on first
# use, opis.config.secret_key) in the checkout's ./opis-data. Read when first used, so in time.
os.environ.setdefault("OPIS_SECRET_KEY", "opis-tests-only-never-a-server")

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
DFAT_VOLUME_2 = DFAT / "volume-2-1939"  # not in the session catalogue: its ids are new there
DFAT_VOLUME_10 = DFAT / "volume-10-1946-july-december"  # nor this one
FRUS = CORPORA / "frus-tei"
KENNAN = FRUS / "samples" / "frus1946v06-d475-kennan-long-telegram.xml"  # printed pages, id with /
FOIA = CORPORA / "state-foia-reykjavik-1986"  # scanned PDFs with a side-car JSON

# The seed (Stalin's telegram No. 3305 of 13 July 1950), as the reference record states it.
SEED_ID = "wcda-110692"
SEED_TITLE = "Ciphered telegram, Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin)"
SEED_CITATION = (
    '"Ciphered telegram, Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin)", '
    "July 13, 1950, Wilson Center Digital Archive, APRF, Fond 45, Opis 1, Delo 331, List 85; "
    "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118; and RGASPI, f. 558, op. 11, d. 334, "
    "ll.0085. <https://digitalarchive.umd.edu/document/110692>"
)
SEED_LOCATIONS = (  # its three archival locations, as every citation style writes them
    "APRF, f. 45, op. 1, d. 331, l. 85",
    "AVP RF, f. 059a, op. 5a, d. 3, p. 11, l. 118",
    "RGASPI, f. 558, op. 11, d. 334, ll. 0085",
)


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


@pytest.fixture
def frus_record(db, isolated_index) -> str:
    """Kennan's Long Telegram from the FRUS TEI sample, ingested: an id with a slash, printed
    pages. Returns its id."""
    from opis.ingest import ingest_paths

    report = ingest_paths([require(KENNAN)]).as_json()
    assert report["ingested"] == 1, report
    return report["documents"][0]["id"]


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
    # Several whole-archive OAI harvests run against this one server from one address within
    # seconds; the limiter stays on, generous enough for them (tests/web/test_api_ratelimit.py
    # tests the limits themselves).
    env = {
        **os.environ, "OPIS_DATA": str(data_dir), "PYTHONWARNINGS": "ignore",
        "OPIS_API_RATE_LIMIT": "200/second",
    }  # fmt: skip
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


@pytest.fixture
def researcher_client(client, db):
    """``client`` signed in as a researcher (an account): bulk export needs one (issue 10)."""
    from django.contrib.auth.models import User

    from opis.records.accounts import RESEARCHER, set_role

    user = User.objects.create_user("researcher-client", password="not used")
    set_role(user, RESEARCHER, actor="test")
    client.force_login(user)
    return client
