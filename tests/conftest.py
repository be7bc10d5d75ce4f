"""Fixtures: real catalogues built from the real seed and corpora, real servers.

Two kinds of archive are on offer:

- ``archive`` (in-process, via pytest-django): the seed and one DFAT volume ingested once into the
  test database at session start; each test runs in a transaction rolled back afterwards. The search
  index lives in a session temp folder. Tests that ingest more use ``isolated_index`` so their index
  changes vanish with their rolled-back rows.
- ``corpus_data_dir`` (out of process, via the ``opis`` command): the seed and the whole DFAT corpus
  ingested into a fresh data directory, exactly as a user would; ``reading_room`` serves it with
  ``opis serve`` on a free port for browser tests.

The whole suite runs twice (``make test``): on SQLite, and with ``OPIS_TEST_DATABASE=postgresql``
on a real PostgreSQL server this file starts from Debian's binaries (``pg_server.py``) and stops
when the session ends. In the PostgreSQL pass the in-process test database lives on that server,
and every ``opis`` process a test starts gets a database of its own on it, one per data folder
(``opis_env``): separate data folders never share a catalogue, on either backend.
"""

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest

from pg_server import PostgresServer, pg_bin

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


# The PostgreSQL pass ---------------------------------------------------------------------------
# pytest-django loads the settings (and so reads OPIS_DATABASE_URL) before pytest imports this
# file, so the server cannot be named through the environment in time. It is started here, at
# import, before any test touches a connection, and the default database's settings are replaced
# in place: the dict Django's connection handler holds is this same one.
TEST_DATABASE = os.environ.get("OPIS_TEST_DATABASE", "sqlite")
if TEST_DATABASE not in ("sqlite", "postgresql"):
    raise pytest.UsageError(f"OPIS_TEST_DATABASE={TEST_DATABASE!r}: sqlite or postgresql")
ON_POSTGRES = TEST_DATABASE == "postgresql"
_SERVER: PostgresServer | None = None
_SERVER_URL = ""
_DATABASES_MADE: set[str] = set()


def _use_session_server() -> None:
    global _SERVER, _SERVER_URL
    if pg_bin() is None:
        raise pytest.UsageError(
            "OPIS_TEST_DATABASE=postgresql needs Debian's postgresql (make system-packages)"
        )
    from django.conf import settings
    from django.db import connections
    from django.db.backends.base.base import BaseDatabaseWrapper

    from opis.settings import _database_from_url

    _SERVER = PostgresServer()
    _SERVER_URL = _SERVER.start()
    default = settings.DATABASES["default"]
    default.clear()
    default.update(_database_from_url(_SERVER_URL))
    connections.__dict__.pop("settings", None)  # re-derived (TEST, OPTIONS …) from the new dict
    connections.settings  # noqa: B018 - derived now, onto the dict above
    made = getattr(connections._connections, "default", None)
    if made is not None:  # a SQLite wrapper made while the settings loaded: never opened
        made.close()
        del connections["default"]
    # A test that closes a response itself (a streamed file it did not read) sends
    # request_finished, and Django closes "obsolete" connections, the test's own among them (its
    # transaction leaves autocommit off): SQLite's in-memory test database ignores the close,
    # PostgreSQL would lose the test's transaction. A connection inside one stays open.
    close_if_obsolete = BaseDatabaseWrapper.close_if_unusable_or_obsolete

    def kept_in_a_transaction(connection) -> None:
        if not connection.in_atomic_block:
            close_if_obsolete(connection)

    BaseDatabaseWrapper.close_if_unusable_or_obsolete = kept_in_a_transaction


if ON_POSTGRES:
    _use_session_server()


def pytest_unconfigure(config):
    if _SERVER is not None:
        _SERVER.stop()


def database_url_for(data_dir: Path) -> str:
    """The PostgreSQL pass's catalogue for one data folder: a database on the session server,
    named from the folder's path and created on first use. Separate folders, separate catalogues,
    as separate SQLite files are."""
    name = "opis_" + hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:24]
    if name not in _DATABASES_MADE:
        socket_dir = _SERVER_URL.split("host=", 1)[1]
        with psycopg.connect(host=socket_dir, user="opis", dbname="opis", autocommit=True) as db:
            if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                db.execute(f'CREATE DATABASE "{name}"')
        _DATABASES_MADE.add(name)
    return _SERVER_URL.replace("/opis?", f"/{name}?")


def opis_env(data_dir: Path, *, catalogue_of: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of an ``opis`` process (or any process that loads opis's settings) working
    on ``data_dir``: every test that starts one builds its environment here.

    In the PostgreSQL pass the folder's catalogue is its own database on the session server
    (``database_url_for``; ``catalogue_of`` names another folder, as ``--data`` does), unless the
    test set ``OPIS_DATABASE_URL`` itself: a test that compares the backends names its server, or
    sets it empty for SQLite, and that choice stands."""
    env = {**os.environ, "OPIS_DATA": str(data_dir), "PYTHONWARNINGS": "ignore"}
    if ON_POSTGRES and "OPIS_DATABASE_URL" not in os.environ:
        env["OPIS_DATABASE_URL"] = database_url_for(catalogue_of or data_dir)
    return {**env, **extra}


def catalogue_rows(data_dir: Path, sql: str, *params) -> list[tuple]:
    """Plain SQL (``?`` placeholders) on a data folder's catalogue, read-only, whichever backend
    this pass runs on: a yardstick beside opis's own code. Dates and times come back as text, as
    SQLite stores them."""
    if ON_POSTGRES and not os.environ.get("OPIS_DATABASE_URL"):
        url = database_url_for(data_dir)
        socket_dir, name = url.split("host=", 1)[1], url.split("@/", 1)[1].split("?", 1)[0]
        with psycopg.connect(host=socket_dir, user="opis", dbname=name) as db:
            rows = db.execute(sql.replace("?", "%s"), params).fetchall()
        return [tuple(_as_sqlite_text(value) for value in row) for row in rows]
    connection = sqlite3.connect(f"file:{Path(data_dir) / 'opis.sqlite3'}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def _as_sqlite_text(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    return value.isoformat() if isinstance(value, date) else value


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
    """A fresh, empty index for a test that ingests its own files (undone with its rows): it
    starts at the index log's end instead of being built from the session's catalogue."""
    from opis.search.follower import start_empty

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    start_empty(settings.SEARCH_INDEX_DIR)
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
    """Run the real ``opis`` command against a data directory; return the CompletedProcess.
    ``--data`` among the arguments wins over ``data_dir``, as it does in opis."""
    chosen = Path(args[args.index("--data") + 1]) if "--data" in args else data_dir
    result = subprocess.run(
        [sys.executable, "-m", "opis.cli", *args], cwd=ROOT,
        env=opis_env(data_dir, catalogue_of=chosen), capture_output=True, text=True,
        timeout=timeout,
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


@contextmanager
def opis_serving(env: dict[str, str]) -> Iterator[str]:
    """``opis serve`` with this environment (``opis_env``) on a free port: its base URL once it
    answers, stopped when the block ends. What it printed is kept in a temporary file and shown
    if it exits or stays silent for 60 s (a pipe nobody reads could fill and stall it)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+", encoding="utf-8") as printed:
        server = subprocess.Popen(
            [sys.executable, "-m", "opis.cli", "serve", "--port", str(port)],
            cwd=ROOT, env=env, stdout=printed, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(base + "/", timeout=2).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        printed.seek(0)
                        raise AssertionError(
                            "opis serve exited or did not answer within 60 s:\n" + printed.read()
                        ) from None
                    time.sleep(0.3)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.fixture(scope="session")
def reading_room(corpus_data_dir):
    """``opis serve`` on the corpus data directory; yields its base URL, stops it afterwards."""
    data_dir, _ = corpus_data_dir
    # Several whole-archive OAI harvests run against this one server from one address within
    # seconds; the limiter stays on, generous enough for them (tests/web/test_api_ratelimit.py
    # tests the limits themselves).
    with opis_serving(opis_env(data_dir, OPIS_API_RATE_LIMIT="200/second")) as base:
        yield base


@pytest.fixture
def researcher_client(client, db):
    """``client`` signed in as a researcher (an account): bulk export needs one (issue 10)."""
    from django.contrib.auth.models import User

    from opis.records.accounts import RESEARCHER, set_role

    user = User.objects.create_user("researcher-client", password="not used")
    set_role(user, RESEARCHER, actor="test")
    client.force_login(user)
    return client
