"""Issue 12: a run of any size commits everything, and no file is silently left behind.

The tables here are synthetic (made up in tmp_path, not archival records). SQLite's limit on SQL
variables is lowered to 999 for the catalogue's connection (old builds' limit, and what Django
itself assumes) so that a batch of a few thousand records shows what a million once did: a query
whose parameters grow with the batch fails the run ("too many SQL variables").
"""

import json
import sqlite3

import pytest
from django.db import connection

from opis.ingest import ingest_paths
from opis.ingest.pipeline import _batches
from opis.readers import reader_for
from opis.readers.source import SourceFile
from opis.records.chunks import IN_CHUNK, chunked
from opis.records.models import Document, Text

BIG = 100 * 1024  # a record longer than any head detection reads at first (4 KB)


def cable_rows(stem: str, count: int, text_bytes: int = 60) -> list[dict]:
    filler = ("The Embassy reports no change in the position of the government. " * 2000)[
        :text_bytes
    ]
    return [
        {
            "id": f"{stem}-{n}",
            "title": f"Telegram {n} from {stem}",
            "date": f"19{50 + n % 40}-0{1 + n % 9}-1{n % 9}",
            "text": f"{filler} Cable {stem} {n}.",
        }
        for n in range(count)
    ]


def write_jsonl(path, rows: list[dict]):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


@pytest.fixture
def small_variable_limit(db):
    """The catalogue connection refuses statements with more than 999 parameters, as an old
    SQLite does; restored afterwards (the connection outlives the test)."""
    connection.ensure_connection()
    raw = connection.connection
    if not isinstance(raw, sqlite3.Connection):
        # PostgreSQL allows 65,535 parameters and has no way to lower it: the batch below must
        # still commit every record, and the parameter count test holds on both backends.
        yield
        return
    before = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    yield 999
    raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


class _ParameterCounter:
    """Every statement's parameter count (per row for executemany), seen at the driver."""

    def __init__(self):
        self.most = 0

    def __call__(self, execute, sql, params, many, context):
        if many:
            params = list(params)  # an iterator would be spent here, before the driver sees it
        for row in params if many else [params]:
            if len(row or ()) > self.most:
                self.most, self.sql = len(row or ()), sql
        return execute(sql, params, many, context)


def test_a_batch_larger_than_sqlites_variable_limit_commits_every_record(
    tmp_path, monkeypatch, isolated_index, small_variable_limit
):
    monkeypatch.setenv("OPIS_INGEST_BATCH_RECORDS", "500")
    folder = tmp_path / "cables"
    folder.mkdir()
    sizes = {"a": 400, "b": 400, "c": 700, "d": 400, "e": 400}  # 2,300 records, in one batch
    for stem, count in sizes.items():
        write_jsonl(folder / f"{stem}.jsonl", cable_rows(stem, count))
    transactions: list[list[str]] = []
    counter = _ParameterCounter()
    with connection.execute_wrapper(counter):
        report = ingest_paths([folder], committed=transactions.append)
    assert report.failed == [] and report.skipped == []
    assert report.count("ingested") == sum(sizes.values())
    assert Document.objects.count() >= sum(sizes.values())
    assert Text.objects.filter(document_id="c-699").exists()
    # whole files per transaction, at most 500 records unless one file holds more
    assert sorted(len(ids) for ids in transactions) == [400, 400, 400, 400, 700]
    assert all(len({i.split("-")[0] for i in ids}) == 1 for ids in transactions)
    # ours name at most IN_CHUNK ids; Django's own bulk statements fill up to the 999 it assumes
    assert IN_CHUNK <= counter.most <= 999, f"{counter.most} parameters: {counter.sql[:300]}"


def test_batches_are_bounded_by_bytes_as_well_as_files(tmp_path):
    paths = []
    for n, size in enumerate([300, 300, 300, 900, 100, 100]):
        path = tmp_path / f"{n}.jsonl"
        path.write_bytes(b"x" * size)
        paths.append(path)
    batches = [[p.name for p in batch] for batch in _batches(paths, 10, 700)]
    assert batches == [["0.jsonl", "1.jsonl"], ["2.jsonl"], ["3.jsonl"], ["4.jsonl", "5.jsonl"]]
    assert [len(b) for b in _batches(paths, 4, 1 << 30)] == [4, 2]


def test_chunked_never_yields_more_than_its_size():
    assert [len(part) for part in chunked(range(1201), 500)] == [500, 500, 201]
    assert list(chunked([], 500)) == []
    assert list(chunked({"a": 1, "b": 2}, 1)) == [["a"], ["b"]]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_first_record_of_100_kb_is_recognised(tmp_path, suffix):
    rows = cable_rows("long", 3, text_bytes=BIG)
    path = tmp_path / f"long{suffix}"
    if suffix == ".jsonl":
        write_jsonl(path, rows)
    else:
        body = "".join(f'{r["id"]},"{r["title"]}",{r["date"]},"{r["text"]}"\n' for r in rows)
        path.write_text("id,title,date,text\n" + body, encoding="utf-8")
    source = SourceFile(path)
    assert source.size > 3 * BIG
    assert reader_for(source).name == "tabular"


def test_a_folder_of_files_with_100_kb_records_is_ingested_whole(tmp_path, db, isolated_index):
    folder = tmp_path / "long"
    folder.mkdir()
    for stem in ("x", "y", "z"):
        write_jsonl(folder / f"{stem}.jsonl", cable_rows(stem, 4, text_bytes=BIG))
    report = ingest_paths([folder])
    assert report.failed == [] and report.skipped == []
    assert report.count("ingested") == 12
    assert len(Text.objects.get(document_id="z-3").body) > BIG


def test_a_damaged_json_lines_file_in_a_folder_fails_with_the_reason(tmp_path, db, isolated_index):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", cable_rows("good", 2))
    damaged = folder / "damaged.jsonl"
    damaged.write_text('{"title": "Telegram 1", "text": "cut sh\n', encoding="utf-8")
    report = ingest_paths([folder])
    assert report.count("ingested") == 2
    assert report.skipped == []
    [failure] = report.failed
    assert failure.path == str(damaged.resolve())
    assert failure.where == "line 1" and "is not JSON" in failure.reason


def test_a_first_record_past_the_record_limit_fails_naming_the_limit(
    tmp_path, db, isolated_index, monkeypatch
):
    monkeypatch.setenv("OPIS_MAX_TEXT_FILE_MB", "0.05")  # 52 KB: the 100 KB record is over it
    folder = tmp_path / "huge"
    folder.mkdir()
    path = write_jsonl(folder / "huge.jsonl", cable_rows("huge", 2, text_bytes=BIG))
    report = ingest_paths([folder])
    [failure] = report.failed
    assert failure.path == str(path.resolve()) and report.skipped == []
    assert "longer than the 0.05 MB" in failure.reason and "OPIS_MAX_TEXT_FILE_MB" in failure.reason
