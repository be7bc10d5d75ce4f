"""Reading an export back: recognised by its header, refused whole when damaged, and no other
JSON Lines file is taken for one (those stay with the tabular reader)."""

import json

import pytest

from conftest import SEED_ID
from opis.export import Selection, export
from opis.ingest import ingest_paths
from opis.ingest.reading import streams
from opis.readers import reader_for
from opis.readers.source import SourceFile
from opis.records.models import Document


@pytest.fixture
def seed_export(archive, tmp_path):
    path = tmp_path / "seed.jsonl"
    export("jsonl", Selection(f"id:{SEED_ID}"), path)
    return path


def lines_of(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_an_export_is_read_by_its_own_reader_and_other_jsonl_by_the_tabular_one(
    seed_export, tmp_path
):
    table = tmp_path / "letters.jsonl"
    table.write_text(json.dumps({"title": "A letter", "text": "Dear Sir"}) + "\n")
    assert reader_for(SourceFile(seed_export)).name == "opis-export"
    assert reader_for(SourceFile(table)).name == "tabular"


def test_the_draft_is_the_record(seed_export):
    (draft,) = reader_for(SourceFile(seed_export)).read(SourceFile(seed_export))
    seed = Document.objects.get(pk=SEED_ID)
    assert (draft.id, draft.title, draft.date.start, draft.date.display) == (
        seed.id, seed.title, seed.date_start, seed.date_display,
    )  # fmt: skip
    assert [loc.raw for loc in draft.locations] == [loc.raw for loc in seed.locations.all()]
    assert [(a.name, a.role, a.signed_as) for a in draft.agents] == [
        (r.agent.name, r.role, r.signed_as) for r in seed.agent_roles.all()
    ]
    assert draft.provenance.sha256 == seed.source_sha256
    assert draft.provenance.path == seed.source_path


def damaged(lines: list[str], how: str) -> list[str]:
    if how == "cut short":
        return lines[:-1]
    if how == "count wrong":
        return [*lines[:-1], '{"opis_export_end":1,"count":2}\n']
    if how == "broken line":
        return [lines[0], lines[1][: len(lines[1]) // 2] + "\n", lines[2]]
    if how == "not a record":
        return [lines[0], '{"id": "x", "title": "no more"}\n', lines[2]]
    if how == "other version":
        return [lines[0].replace('"opis_export":1', '"opis_export":99'), *lines[1:]]
    raise AssertionError(how)


@pytest.mark.parametrize(
    ("how", "where", "says"),
    [
        ("cut short", "end of file", "cut short"),
        ("count wrong", "line 3", "counts 2 records but it holds 1"),
        ("broken line", "line 2", "not JSON"),
        ("not a record", "line 2", "record 'x' has no 'date'"),
        ("other version", "line 1", "export version 99"),
    ],
)
@pytest.mark.parametrize("size", ["under the record limit", "past the record limit"])
def test_a_damaged_export_fails_whole_naming_the_line(
    seed_export, tmp_path, isolated_index, how, where, says, size, monkeypatch
):
    """Past the limit an export is written record by record; damaged, it still fails whole."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(damaged(lines_of(seed_export), how)), encoding="utf-8")
    Document.objects.filter(pk=SEED_ID).delete()
    if size == "past the record limit":
        monkeypatch.setenv("OPIS_MAX_TEXT_FILE_MB", str(bad.stat().st_size / 2 / 1048576))
        assert streams(bad), "read record by record"

    report = ingest_paths([bad])

    (failure,) = report.failed
    assert failure.where == where and says in failure.reason
    assert str(failure).endswith("the file was skipped, nothing else changed")
    assert not Document.objects.filter(pk=SEED_ID).exists()
