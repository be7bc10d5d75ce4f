"""Two ``opis ingest`` runs at once on one PostgreSQL catalogue, of overlapping folders.

On SQLite one writer at a time is the rule (tests/ingest/test_single_writer.py); on PostgreSQL
several ingests may write at once (docs/deploying.md, "Isolation: what each write path relies
on"). Here two runs start together on a new, empty catalogue (so they migrate together too), each
given one DFAT volume they share, first, and one of its own, in small batches so that their
transactions interleave. Both must finish without a failure; every record must be there exactly
once, the same as one run over the three volumes makes it; each shared record ingested by one run
and found unchanged by the other; the originals whole (``opis verify``); and search must agree
with the catalogue.
"""

import json
import subprocess
import sys

import pytest

from conftest import DFAT, ON_POSTGRES, ROOT, database_url_for, opis_env, require
from pg_server import PostgresServer, pg_bin

pytestmark = pytest.mark.postgres

SHARED_VOLUME = "volume-28-australia-and-the-nuclear-non-proliferation-treaty-1945-1974"
OWN_VOLUMES = (
    "volume-17-1923-1929-letters-from-s-m-bruce-to-r-g-casey",
    "volume-19-1950-1959-the-australia-japan-agreement-on-commerce",
)
BATCH = "25"  # files per transaction: a dozen transactions per run, interleaved with the other's


@pytest.fixture(scope="module")
def database_urls(tmp_path_factory):
    """A URL per data folder on a PostgreSQL server: the session's in the PostgreSQL pass, one of
    this module's own in the SQLite pass (the subject is PostgreSQL's, whichever pass runs)."""
    if ON_POSTGRES:
        yield database_url_for
        return
    if pg_bin() is None:
        pytest.fail("PostgreSQL server binaries are missing: `make test` installs them")
    server = PostgresServer()
    try:
        url = server.start()
        made: dict[str, str] = {}

        def url_for(data_dir):
            name = f"db{len(made)}"
            if str(data_dir) not in made:
                server._run(str(server.bin / "createdb"), "-h", str(server.socket), "-U", "opis",
                            name)  # fmt: skip
                made[str(data_dir)] = url.replace("/opis?", f"/{name}?")
            return made[str(data_dir)]

        yield url_for
    finally:
        server.stop()


def _opis(data_dir, url: str, *args: str) -> subprocess.Popen:
    env = opis_env(data_dir, OPIS_DATABASE_URL=url, OPIS_INGEST_BATCH=BATCH)
    return subprocess.Popen(
        [sys.executable, "-m", "opis.cli", *args], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _json(process: subprocess.Popen, timeout: int = 900) -> dict:
    return _report(process, *process.communicate(timeout=timeout))


def _report(process: subprocess.Popen, out: str, err: str) -> dict:
    assert process.returncode == 0, err
    return json.loads(out)


def _run(data_dir, url: str, *args: str) -> dict:
    return _json(_opis(data_dir, url, *args, "--json"))


def _export(data_dir, url: str) -> dict[str, dict]:
    """Every record, keyed by id, without what differs between two runs of the same files: when
    and by which run it was written."""
    process = _opis(data_dir, url, "export", "--format", "jsonl")
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    records = {}
    for line in out.splitlines():
        record = json.loads(line)
        if "id" not in record:
            continue  # the export's header and footer lines
        source = {
            k: v
            for k, v in record.get("source", {}).items()
            if k not in ("ingested_at", "updated_at", "ingest_run")
        }
        assert record["id"] not in records, f"{record['id']} exported twice"
        records[record["id"]] = {**record, "source": source}
    return records


@pytest.fixture(scope="module")
def two_runs(database_urls, tmp_path_factory):
    shared = require(DFAT / SHARED_VOLUME)
    own = [require(DFAT / name) for name in OWN_VOLUMES]
    data = tmp_path_factory.mktemp("concurrent")
    url = database_urls(data)
    runs = [_opis(data, url, "ingest", str(shared), str(mine), "--json") for mine in own]
    # Both are waited for before either is judged: a failed first run must not leave the
    # second one running, its pipes open, into the tests that follow.
    outcomes = [run.communicate(timeout=900) for run in runs]
    reports = [_report(run, *outcome) for run, outcome in zip(runs, outcomes, strict=True)]
    alone = tmp_path_factory.mktemp("one-run")
    reference_url = database_urls(alone)
    reference = _run(alone, reference_url, "ingest", str(shared), *map(str, own))
    return data, url, reports, alone, reference_url, reference


def test_both_runs_finish_without_a_failure(two_runs):
    _, _, reports, _, _, reference = two_runs
    for report in reports:
        assert report["failed"] == [] and report["skipped"] == []
    assert reference["failed"] == [] and reference["ingested"] > 600


def test_every_record_is_there_once_as_one_run_makes_it(two_runs):
    data, url, reports, alone, reference_url, reference = two_runs
    records = _export(data, url)
    expected = _export(alone, reference_url)
    assert len(records) == reference["ingested"]
    assert records.keys() == expected.keys()
    differ = sorted(i for i in records if records[i] != expected[i])
    assert differ == []
    assert {r["version"] for r in records.values()} == {1}  # none written twice over


def test_each_shared_record_is_ingested_by_one_run_and_unchanged_for_the_other(two_runs):
    _, _, reports, _, _, _ = two_runs
    statuses = [{d["id"]: d["status"] for d in report["documents"]} for report in reports]
    shared = statuses[0].keys() & statuses[1].keys()
    assert len(shared) > 150  # the shared volume
    for doc_id in shared:
        assert sorted((statuses[0][doc_id], statuses[1][doc_id])) == ["ingested", "unchanged"]
    mine = [statuses[n].keys() - shared for n in (0, 1)]
    assert all(len(m) > 150 and {statuses[n][i] for i in m} == {"ingested"} for n, m in
               enumerate(mine))  # fmt: skip


def test_the_originals_verify_clean(two_runs):
    data, url, *_ = two_runs
    fixity = _run(data, url, "verify")
    assert (fixity["changed"], fixity["missing"]) == ([], [])


def test_search_agrees_with_the_catalogue(two_runs):
    data, url, _, alone, reference_url, reference = two_runs
    figures = _run(data, url, "stats")
    assert figures["documents"] == reference["ingested"]
    assert figures["index"] == {"documents": figures["documents"], "pending": 0}
    for query in ("treaty", "Bruce", "Japan"):
        found = _run(data, url, "search", query)
        alone_found = _run(alone, reference_url, "search", query)
        assert found["total"] == alone_found["total"] > 0
        assert found["facets"] == alone_found["facets"]
