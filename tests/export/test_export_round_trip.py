"""The JSON Lines round trip: export an archive, ingest the export into an empty catalogue, export
again, and get the same records back, field for field, with the same search answers.

Only the times of ingest differ (``source.ingested_at``, ``source.updated_at``) and, in the
header, the time of export: the original file's path, checksum and reader survive the trip.
"""

import json

import pytest

from conftest import SEED_ID, run_opis
from opis.export import Selection, export
from opis.ingest import ingest_paths
from opis.records.models import Agent, Collection, Document, IndexChange, IngestRun, ThreadLink

QUERIES = ("Japan", '"trade commissioner"', "type:telegram", "year:1938 -type:letter", "Filippov")
HONESTLY_DIFFERENT = ("ingested_at", "updated_at")  # in each record's "source"


def read_export(path) -> tuple[dict, list[dict], dict]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return lines[0], lines[1:-1], lines[-1]


def comparable(record: dict) -> dict:
    source = {k: v for k, v in record["source"].items() if k not in HONESTLY_DIFFERENT}
    return {**record, "source": source}


def empty_the_catalogue() -> None:
    """A fresh archive inside this test's transaction (rolled back afterwards)."""
    ThreadLink.objects.all().delete()
    Document.objects.all().delete()
    for model in (Agent, Collection, IngestRun, IndexChange):
        model.objects.all().delete()


@pytest.mark.parametrize("size", ["under the record limit", "past the record limit"])
def test_an_export_ingested_into_an_empty_archive_exports_the_same_records(
    archive, settings, tmp_path, monkeypatch, size
):
    """Past ``OPIS_MAX_TEXT_FILE_MB`` (lowered here below the export's size, as a million
    records would be past 20 MB) the export is written record by record in transactions of at
    most ``OPIS_INGEST_BATCH_RECORDS``, not held whole: the records come back the same."""
    first = tmp_path / "first.jsonl"
    export("jsonl", Selection(), first)
    hits = {query: Selection(query).ids() for query in QUERIES}
    empty_the_catalogue()
    settings.SEARCH_INDEX_DIR = tmp_path / "restored-index"
    if size == "past the record limit":
        monkeypatch.setenv("OPIS_MAX_TEXT_FILE_MB", str(first.stat().st_size / 3 / 1048576))
        monkeypatch.setenv("OPIS_INGEST_BATCH_RECORDS", "100")

    transactions: list[list[str]] = []
    report = ingest_paths([first], committed=transactions.append)
    second = tmp_path / "second.jsonl"
    export("jsonl", Selection(), second)

    assert report.ok, [str(f) for f in report.failed]
    if size == "past the record limit":
        assert len(transactions) > 3 and max(map(len, transactions)) <= 100
    else:
        assert len(transactions) == 1, "a file commits whole"
    header, records, trailer = read_export(first)
    header2, records2, trailer2 = read_export(second)
    assert header["count"] == trailer["count"] == len(records) == archive.count() > 300
    assert {**header2, "exported_at": None} == {**header, "exported_at": None}
    assert trailer2 == trailer
    assert (
        [r["id"] for r in records2]
        == [r["id"] for r in records]
        == sorted(r["id"] for r in records)
    )
    for before, after in zip(records, records2, strict=True):
        assert comparable(after) == comparable(before)
    assert {query: Selection(query).ids() for query in QUERIES} == hits
    assert all(hits.values()), "every query should find something, or the comparison is empty"


def test_the_round_trip_keeps_what_makes_the_record_rich(archive, tmp_path):
    """A guard on the comparison above: the export carries the parts worth comparing."""
    path = tmp_path / "all.jsonl"
    export("jsonl", Selection(), path)
    _, records, _ = read_export(path)
    seed = next(r for r in records if r["id"] == SEED_ID)
    assert len(seed["locations"]) == 3 and seed["texts"] and seed["agents"]
    assert seed["source"]["sha256"] and seed["source"]["reader"] == "wilson-record"
    assert any(r["threads"]["refers_to"] for r in records)
    assert any(r["cable"] for r in records)
    assert any(a["person_id"] for r in records for a in r["agents"])
    assert any(c["position"] is not None for r in records for c in r["collections"])


def test_opis_ingest_of_an_export_restores_it_in_a_fresh_data_folder(archive, tmp_path):
    """The path a person takes: `opis export -q …`, `opis ingest export.jsonl`, `opis export`.

    A whole collection, so its thread links (recomputed on ingest) are all there to compare; a
    DFAT volume, whose records name no persons, so the subprocess need not load the authority."""
    path = tmp_path / "volume.jsonl"
    export("jsonl", Selection("collection:dfat-v1"), path)
    data = tmp_path / "restored"

    run_opis(data, "ingest", str(path))
    restored = run_opis(data, "export", "--format", "jsonl").stdout

    _, records, trailer = read_export(path)
    lines = [json.loads(line) for line in restored.splitlines()]
    assert [comparable(r) for r in lines[1:-1]] == [comparable(r) for r in records]
    assert lines[-1] == trailer == {"opis_export_end": 1, "count": len(records)}
    assert any(r["threads"]["referred_by"] for r in records)
