"""Backup and restore: what comes back is the archive that was backed up, nothing missing.

Each archive is compared through its own JSON Lines export (every record, provenance and
times included) and ``opis verify`` (every original present and intact), on SQLite and on a real
PostgreSQL server, and a backup taken while an ingest is writing restores to a consistent state.
"""

import json
import subprocess
import sys
import time

import pytest

from conftest import DFAT_VOLUME_2, ROOT, SEED, opis_env, require, run_opis, run_opis_json
from pg_server import PostgresServer, pg_bin


def export_lines(data_dir, tmp_path, name: str, env_url: str | None = None) -> list[dict]:
    out = tmp_path / f"{name}.jsonl"
    run_opis(data_dir, "export", "--format", "jsonl", "-o", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if "id" in line]  # records, without header and trailer


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory, dfat_volume):
    source = tmp_path_factory.mktemp("archive")
    run_opis_json(source, "ingest", str(require(SEED)), str(dfat_volume))
    bag = tmp_path_factory.mktemp("backups") / "first"
    summary, _ = run_opis_json(source, "backup", str(bag))
    return source, bag, summary


def test_a_restored_archive_exports_the_same_records(backed_up, tmp_path):
    source, bag, summary = backed_up
    restored = tmp_path / "restored"
    report, _ = run_opis_json(restored, "restore", str(bag))
    assert report["documents"] == summary["documents"] > 1
    assert report["originals"] == summary["originals"] > 0
    assert export_lines(restored, tmp_path, "b") == export_lines(source, tmp_path, "a")
    fixity, _ = run_opis_json(restored, "verify")
    assert (fixity["changed"], fixity["missing"]) == ([], [])
    hits, _ = run_opis_json(restored, "search", "Roshchin")
    assert hits["total"] >= 1  # the index was rebuilt from the restored catalogue


def audit_actions(data_dir) -> list[str]:
    done = run_opis(data_dir, "audit", "--json")
    return [json.loads(line)["action"] for line in done.stdout.splitlines() if line.strip()]


def test_the_audit_trail_travels_with_the_backup(backed_up, tmp_path):
    source, bag, _ = backed_up
    assert "replication" in audit_actions(source)  # the backup itself, after its snapshot
    restored = tmp_path / "restored"
    run_opis_json(restored, "restore", str(bag))
    actions = audit_actions(restored)
    assert "ingestion" in actions and actions[-1] == "recovery"


def test_a_damaged_backup_is_refused_naming_the_file(backed_up, tmp_path):
    _, bag, _ = backed_up
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-a", str(bag), str(damaged)], check=True)
    original = next(p for p in (damaged / "data" / "originals").rglob("*") if p.is_file())
    original.chmod(0o644)
    original.write_bytes(original.read_bytes() + b"rot")
    done = run_opis(tmp_path / "target", "restore", str(damaged), check=False)
    assert done.returncode == 2
    assert "failed its checksums" in done.stderr and original.name in done.stderr


def test_restore_refuses_an_archive_that_holds_documents(backed_up, tmp_path):
    source, bag, _ = backed_up
    done = run_opis(source, "restore", str(bag), check=False)
    assert done.returncode == 2 and "already holds documents" in done.stderr


def test_a_backup_taken_during_an_ingest_restores_consistent(tmp_path, seed_path):
    source = tmp_path / "busy"
    run_opis_json(source, "ingest", str(seed_path))
    env = opis_env(source, OPIS_INGEST_BATCH="20")
    ingest = subprocess.Popen(
        [sys.executable, "-m", "opis.cli", "ingest", str(require(DFAT_VOLUME_2))],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(1.5)
    run_opis_json(source, "backup", str(tmp_path / "bag"))
    assert ingest.wait(timeout=600) == 0
    report, _ = run_opis_json(tmp_path / "restored", "restore", str(tmp_path / "bag"))
    restored = {r["id"]: r for r in export_lines(tmp_path / "restored", tmp_path, "b")}
    now = {r["id"]: r for r in export_lines(source, tmp_path, "a")}
    assert 1 <= len(restored) <= len(now)
    # Every restored record is whole and the same as in the archive; none half-written. Thread
    # links are derived from the records an archive holds, so the restored ones point only at
    # restored records (the ingest went on adding targets after the snapshot).
    differ = {
        (i, key)
        for i, record in restored.items()
        for key in record.keys() | now[i].keys()
        if record.get(key) != now[i].get(key) and key != "threads"
    }
    assert differ == set()
    targets = {
        link["id"]
        for record in restored.values()
        for side in ("refers_to", "referred_by")
        for link in record["threads"][side]
    }
    assert targets <= set(restored) | {None}
    fixity, _ = run_opis_json(tmp_path / "restored", "verify")
    assert (fixity["changed"], fixity["missing"]) == ([], [])


@pytest.mark.postgres
def test_postgres_backup_restores_into_an_empty_database(tmp_path, seed_path, dfat_volume):
    if pg_bin() is None:
        pytest.fail("PostgreSQL server binaries are missing: `make test` installs them")
    server = PostgresServer()
    try:
        url = server.start()
        server._run(str(server.bin / "createdb"), "-h", str(server.socket), "-U", "opis", "copy")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("OPIS_DATABASE_URL", url)
            run_opis_json(tmp_path / "a", "ingest", str(seed_path), str(dfat_volume))
            summary, _ = run_opis_json(tmp_path / "a", "backup", str(tmp_path / "bag"))
            assert summary["catalogue"] == "postgresql"
            before = export_lines(tmp_path / "a", tmp_path, "a")
            patch.setenv("OPIS_DATABASE_URL", url.replace("/opis?", "/copy?"))
            report, _ = run_opis_json(tmp_path / "b", "restore", str(tmp_path / "bag"))
            assert report["documents"] == summary["documents"]
            assert export_lines(tmp_path / "b", tmp_path, "b") == before
            fixity, _ = run_opis_json(tmp_path / "b", "verify")
            assert (fixity["changed"], fixity["missing"]) == ([], [])
    finally:
        server.stop()
