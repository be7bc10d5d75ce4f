"""Issue 12: a JSON Lines or CSV table of any size is read row by row, in bounded transactions.

A table larger than a text record may be (``OPIS_MAX_TEXT_FILE_MB``, lowered here to 50 KB so that
a few hundred synthetic rows stand for a gigabyte) used to be refused, or held whole with all its
drafts. Now its rows are written ``OPIS_INGEST_BATCH_RECORDS`` at a time as they are read; a row
that cannot be read fails alone, named by file and row, and nothing is left out silently. The
tables are made up here (synthetic cables), not archival records.
"""

import csv
import json

import pytest

from opis.ingest import ingest_paths
from opis.ingest.report import ONE_ROW, REST_OF_FILE
from opis.records.models import Document, Text

LIMIT_MB = "0.05"  # 52 KB: every table below is several times that
ROWS = 350
PER_TRANSACTION = 100


def cable(n: int, text_bytes: int = 600) -> dict:
    sentence = f"Telegram {n}. The Embassy reports talks on the border question resumed. "
    text = (sentence * (text_bytes // len(sentence) + 1))[:text_bytes]
    title, date = f"Telegram {n} from Moscow", f"1962-10-2{n % 9}"
    return {"id": f"big-{n}", "title": title, "date": date, "text": text}


def write_table(path, rows: list[dict]):
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        return path
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["id", "title", "date", "text"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def small_limits(monkeypatch, db, isolated_index):
    monkeypatch.setenv("OPIS_MAX_TEXT_FILE_MB", LIMIT_MB)
    monkeypatch.setenv("OPIS_INGEST_BATCH_RECORDS", str(PER_TRANSACTION))


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_table_past_the_record_limit_is_written_in_bounded_transactions(
    tmp_path, small_limits, suffix
):
    path = write_table(tmp_path / f"cables{suffix}", [cable(n) for n in range(ROWS)])
    assert path.stat().st_size > 3 * float(LIMIT_MB) * 1048576
    transactions: list[list[str]] = []
    report = ingest_paths([path], committed=transactions.append)
    assert report.failed == [] and report.skipped == []
    assert report.count("ingested") == ROWS
    assert [len(ids) for ids in transactions] == [100, 100, 100, 50]
    assert transactions[0][0] == "big-0" and transactions[-1][-1] == f"big-{ROWS - 1}"
    assert Text.objects.get(document_id=f"big-{ROWS - 1}").body == cable(ROWS - 1)["text"]
    again = ingest_paths([path])
    assert again.count("unchanged") == ROWS and again.count("ingested") == 0


def test_bad_rows_of_a_streamed_table_fail_alone_naming_the_file_and_the_row(
    tmp_path, small_limits
):
    lines = [json.dumps(cable(n)) for n in range(ROWS)]
    lines[2] = '{"title": "Telegram cut short", "text": "The Emb'  # row 3: not JSON
    lines[6] = json.dumps({**cable(6), "title": ""})  # row 7: no title
    lines[8] = json.dumps(cable(8, text_bytes=60_000))  # row 9: longer than a record may be
    path = tmp_path / "cables.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest_paths([path])
    assert report.count("ingested") == ROWS - 3
    failed = {f.where: f for f in report.failed}
    assert sorted(failed) == ["row 3", "row 7", "row 9"]
    assert all(f.path == str(path.resolve()) and f.scope == ONE_ROW for f in report.failed)
    assert "not JSON" in failed["row 3"].reason and "no title" in failed["row 7"].reason
    assert "longer than the 0.05 MB" in failed["row 9"].reason
    assert str(failed["row 7"]).endswith("the row was not ingested; the file's other rows were")
    assert not Document.objects.filter(pk__in=["big-2", "big-6", "big-8"]).exists()
    assert Document.objects.filter(pk="big-9").exists()


def test_a_fault_late_in_a_streamed_table_keeps_the_rows_before_it(tmp_path, small_limits):
    """Bytes that are not UTF-8 near the end stop the reading there: the rows before them were
    already written (a table read whole would have failed before writing any), and the report
    says where it stopped and that the rest was not ingested."""
    path = tmp_path / "cables.jsonl"
    good = "".join(json.dumps(cable(n)) + "\n" for n in range(ROWS))
    path.write_bytes(good.encode() + b'{"title": "Telegram \xff", "text": "x"}\n')
    report = ingest_paths([path])
    assert report.count("ingested") == ROWS
    [failure] = report.failed
    assert failure.scope == REST_OF_FILE and "not UTF-8" in failure.reason
    assert failure.where == f"line {ROWS + 1}"
    assert str(failure).endswith("the rows before it were ingested, the rest of the file was not")
