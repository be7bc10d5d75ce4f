"""`opis export` as a person runs it: a subprocess against a data folder of its own (empty here:
what the exports hold is specified in-process by the other export tests)."""

import json

import pytest

from conftest import run_opis


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export-data")
    run_opis(folder, "stats")  # creates the empty catalogue
    return folder


def test_an_empty_export_says_so_and_succeeds(data):
    result = run_opis(data, "export", "--format", "jsonl", "--query", "zzqxv")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [lines[0]["count"], lines[0]["query"], lines[1]] == [
        0, "zzqxv", {"opis_export_end": 1, "count": 0},
    ]  # fmt: skip
    assert "the search 'zzqxv' matched no document; the export is empty" in result.stderr


def test_a_file_export_prints_a_json_summary(data, tmp_path):
    path = tmp_path / "archive.csv"
    result = run_opis(data, "export", "--format", "csv", "-o", str(path), "--json")
    summary = json.loads(result.stdout)
    assert (summary["format"], summary["count"], summary["output"]) == ("csv", 0, str(path))
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid,title,date_start")
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (["--format", "xml"], 2, "'xml' is not one of 'jsonl', 'csv', 'oai_dc', 'bagit'"),
        (["--format", "jsonl", "-o", "{file}/out.jsonl"], 1, "cannot write the export to"),
        (["--format", "bagit", "-o", "{tmp}"], 1, "is not an empty folder"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(data, tmp_path, args, status, says):
    (tmp_path / "a-file").write_text("not a folder")
    args = [a.format(file=tmp_path / "a-file", tmp=tmp_path) for a in args]
    result = run_opis(data, "export", *args, check=False)
    assert result.returncode == status
    assert says in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
