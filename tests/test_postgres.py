"""The same catalogue on PostgreSQL: server mode gives the same records and search as SQLite."""

import pytest

from conftest import run_opis_json
from pg_server import PostgresServer, pg_bin

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def postgres_url():
    if pg_bin() is None:
        pytest.fail(
            "PostgreSQL server binaries are missing: `make test` installs Debian's postgresql"
        )
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture(scope="module")
def both_catalogues(postgres_url, tmp_path_factory, seed_path, dfat_volume, monkeypatch_module):
    sqlite_dir = tmp_path_factory.mktemp("sqlite-data")
    postgres_dir = tmp_path_factory.mktemp("postgres-data")
    monkeypatch_module.setenv("OPIS_DATABASE_URL", "")  # SQLite, in either pass of the suite
    reports = {"sqlite": run_opis_json(sqlite_dir, "ingest", str(seed_path), str(dfat_volume))[0]}
    monkeypatch_module.setenv("OPIS_DATABASE_URL", postgres_url)
    reports["postgres"] = run_opis_json(postgres_dir, "ingest", str(seed_path), str(dfat_volume))[0]
    monkeypatch_module.delenv("OPIS_DATABASE_URL")
    return {"sqlite": sqlite_dir, "postgres": postgres_dir}, reports, postgres_url


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _on(backend, catalogues, monkeypatch_module, *args):
    dirs, _, url = catalogues
    monkeypatch_module.setenv("OPIS_DATABASE_URL", url if backend == "postgres" else "")
    try:
        return run_opis_json(dirs[backend], *args)[0]
    finally:
        monkeypatch_module.delenv("OPIS_DATABASE_URL", raising=False)


def _without_times(record: dict) -> dict:
    source = {k: v for k, v in record["source"].items() if k not in ("ingested_at", "updated_at")}
    return {**record, "source": source}


def test_postgres_ingests_everything_sqlite_does(both_catalogues):
    _, reports, _ = both_catalogues
    assert reports["postgres"]["failed"] == []
    assert reports["postgres"]["ingested"] == reports["sqlite"]["ingested"] > 1


def test_the_seed_record_is_identical_on_both_backends(both_catalogues, monkeypatch_module):
    records = {
        backend: _on(backend, both_catalogues, monkeypatch_module, "show", "wcda-110692")
        for backend in ("sqlite", "postgres")
    }
    assert _without_times(records["postgres"]) == _without_times(records["sqlite"])
    assert [loc["repository"] for loc in records["postgres"]["locations"]] == [
        "APRF",
        "AVP RF",
        "RGASPI",
    ]


def test_search_agrees_on_both_backends(both_catalogues, monkeypatch_module):
    found = {
        backend: _on(backend, both_catalogues, monkeypatch_module, "search", "telegram")
        for backend in ("sqlite", "postgres")
    }
    assert found["postgres"]["total"] == found["sqlite"]["total"] > 0
    assert found["postgres"]["facets"] == found["sqlite"]["facets"]


def test_reingest_on_postgres_changes_nothing(both_catalogues, monkeypatch_module, seed_path):
    dirs, reports, url = both_catalogues
    monkeypatch_module.setenv("OPIS_DATABASE_URL", url)
    try:
        again = run_opis_json(dirs["postgres"], "ingest", str(seed_path))[0]
        figures = run_opis_json(dirs["postgres"], "stats")[0]
    finally:
        monkeypatch_module.delenv("OPIS_DATABASE_URL")
    assert again["unchanged"] == 1 and again["ingested"] == again["updated"] == 0
    assert figures["documents"] == reports["postgres"]["ingested"]
    assert figures["index"] == {"documents": figures["documents"], "pending": 0}
