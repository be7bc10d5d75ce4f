"""Ingest: files in, records out, every file accounted for in a report.

Re-ingesting the same files changes nothing; a changed file updates its record; a bad file is
reported (path, where, why) and never stops the good ones or leaves half a record behind.
In-process tests run in the test database with their own index (``isolated_index``); the
``opis ingest`` tests run the real command against a fresh data directory.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import DFAT_VOLUME_2, require, run_opis
from opis.ingest import ingest_paths
from opis.records.models import ArchivalLocation, Document, IngestRun, Text
from opis.search import search
from opis.search.indexer import index_figures

REPORT_KEYS = {"ingested", "updated", "unchanged", "failed", "documents", "skipped"}


@pytest.fixture
def volume_2() -> Path:
    return require(DFAT_VOLUME_2)


@pytest.fixture
def three_files(tmp_path, volume_2) -> list[Path]:
    """Copies of three real DFAT files in a folder of their own."""
    folder = tmp_path / "docs"
    folder.mkdir()
    return [Path(shutil.copy(p, folder)) for p in sorted(volume_2.glob("*.md"))[:3]]


@pytest.fixture
def catalogue(db, isolated_index):
    """The test database (rolled back afterwards) with an index of this test's own."""
    return Document.objects


def ingest(*paths) -> dict:
    return ingest_paths(list(paths)).as_json()


def statuses(report: dict) -> dict[str, str]:
    return {Path(d["path"]).name: d["status"] for d in report["documents"]}


def write_bad(folder: Path, name: str = "bad.md") -> Path:
    bad = folder / name
    bad.write_text("---\ndoc_date: '1946-13-08'\ntitle: Bad\nvol_id: 99\n---\n\nText.\n")
    return bad


# ---------------------------------------------------------------------------------------------
# First ingest, re-ingest, change.


def test_first_ingest_records_and_indexes_every_document(catalogue, three_files):
    before = catalogue.count()
    report = ingest(*three_files)
    assert set(statuses(report).values()) == {"ingested"}
    assert (report["ingested"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert report["failed"] == []
    assert catalogue.count() == before + 3
    for entry in report["documents"]:
        assert Document.objects.get(pk=entry["id"]).source_path == entry["path"]
        assert search(f"id:{entry['id']}").total == 1
    assert index_figures()["pending"] == 0, "the index caught up with everything written"


def test_second_ingest_of_the_same_files_changes_nothing(catalogue, three_files):
    first = ingest(*three_files)
    ids = [d["id"] for d in first["documents"]]
    rows = {d.pk: (d.ingested_at, d.updated_at) for d in catalogue.filter(pk__in=ids)}
    text_rows = sorted(Text.objects.filter(document_id__in=ids).values_list("pk", flat=True))

    second = ingest(*three_files)

    assert (second["ingested"], second["updated"], second["unchanged"]) == (0, 0, 3)
    assert second["failed"] == []
    assert {d.pk: (d.ingested_at, d.updated_at) for d in catalogue.filter(pk__in=ids)} == rows
    assert sorted(Text.objects.filter(document_id__in=ids).values_list("pk", flat=True)) == (
        text_rows
    ), "nothing was rewritten"


def test_a_changed_file_updates_its_record(catalogue, three_files):
    first = ingest(*three_files)
    changed = three_files[1]
    doc_id = next(d["id"] for d in first["documents"] if d["path"] == str(changed))
    before = Document.objects.get(pk=doc_id)
    count = catalogue.count()
    changed.write_text(changed.read_text() + "\nA zanzibarite postscript.\n")

    second = ingest(*three_files)

    assert statuses(second) == {
        three_files[0].name: "unchanged",
        changed.name: "updated",
        three_files[2].name: "unchanged",
    }
    assert catalogue.count() == count
    after = Document.objects.get(pk=doc_id)
    assert "zanzibarite postscript" in after.texts.get().body
    assert after.source_sha256 != before.source_sha256
    assert after.ingested_at == before.ingested_at and after.updated_at > before.updated_at
    assert [hit.id for hit in search("zanzibarite").results] == [doc_id]


def test_a_moved_file_is_unchanged_and_its_record_follows_it(catalogue, three_files, tmp_path):
    first = ingest(three_files[0])
    moved = Path(shutil.move(three_files[0], tmp_path / three_files[0].name))
    second = ingest(moved)
    assert second["unchanged"] == 1 and second["documents"][0]["id"] == first["documents"][0]["id"]
    assert Document.objects.get(pk=first["documents"][0]["id"]).source_path == str(moved)


def test_force_rereads_unchanged_files(catalogue, three_files):
    ingest(*three_files)
    forced = ingest_paths(three_files, force=True).as_json()
    assert forced["updated"] == 3 and forced["unchanged"] == 0


# ---------------------------------------------------------------------------------------------
# Failures: reported, isolated, never partial.


def test_a_bad_file_among_good_ones(catalogue, three_files):
    bad = write_bad(three_files[0].parent)
    before = catalogue.count()

    report = ingest(three_files[0].parent)

    assert report["ingested"] == 3
    [failure] = report["failed"]
    assert failure["path"] == str(bad)
    assert "doc_date" in failure["where"] and "1946-13-08" in failure["reason"]
    assert catalogue.count() == before + 3
    assert not Document.objects.filter(source_path=str(bad)).exists()
    assert not Document.objects.filter(title="Bad").exists()


def test_two_files_producing_the_same_id(catalogue, three_files, tmp_path):
    """The id of a DFAT document is its volume and file name: a copy elsewhere collides."""
    twin = tmp_path / "elsewhere" / three_files[0].name
    twin.parent.mkdir()
    shutil.copy(three_files[0], twin)
    twin.write_text(twin.read_text() + "\nA different ending.\n")

    report = ingest(three_files[0], twin)

    [document] = report["documents"]
    assert document["path"] == str(three_files[0])
    [failure] = report["failed"]
    assert failure["path"] == str(twin)
    assert document["id"] in failure["where"] + failure["reason"]
    assert str(three_files[0]) in failure["reason"], "the message names the first file"
    assert "A different ending" not in Document.objects.get(pk=document["id"]).texts.get().body


def test_a_file_whose_name_is_not_utf8_fails_alone_and_named(catalogue, three_files):
    """A name copied from an old Windows or Mac volume cannot be kept as text in the catalogue:
    it stopped the whole run with a traceback; now it fails alone, its bytes escaped."""
    folder = three_files[0].parent
    odd = os.path.join(os.fsencode(folder), b"caf\xe9-cable.md")  # Latin-1 "café", not UTF-8
    shutil.copy(three_files[0], odd)

    report = ingest(folder)

    assert report["ingested"] == 3
    [failure] = report["failed"]
    assert failure["path"] == f"{folder}/caf\\xe9-cable.md" and failure["where"] == "file name"
    assert "not valid UTF-8" in failure["reason"]
    json.dumps(report, ensure_ascii=False).encode("utf-8")  # printable and storable as it is


def test_a_missing_path_is_reported(catalogue, tmp_path):
    report = ingest(tmp_path / "no-such-folder")
    [failure] = report["failed"]
    assert failure["path"] == str(tmp_path / "no-such-folder")
    assert "no such file" in failure["reason"]


def test_failures_leave_no_rows_anywhere(catalogue, three_files):
    """Not a document, a text or a location of a failed file reaches the catalogue."""
    bad = three_files[0].parent / "half.md"
    text = three_files[0].read_text().replace("doc_date: '", "doc_date: '1946-13-08' #", 1)
    bad.write_text(text)
    counts = (Document.objects.count(), Text.objects.count(), ArchivalLocation.objects.count())
    report = ingest(bad)
    assert [f["path"] for f in report["failed"]] == [str(bad)]
    assert (Document.objects.count(), Text.objects.count(), ArchivalLocation.objects.count()) == (
        counts
    )


# ---------------------------------------------------------------------------------------------
# Folder walks: documents only.

SKIPPED = [
    pytest.param("README.md", id="README"),
    pytest.param("LICENSE", id="LICENSE"),
    pytest.param("CHANGELOG.md", id="CHANGELOG"),
    pytest.param("UPSTREAM-README.txt", id="a README by another name"),
    pytest.param("notes.doc", id="an extension no reader claims"),
    pytest.param(".draft.md", id="hidden file"),
]


@pytest.mark.parametrize("name", SKIPPED)
def test_folder_walks_skip_what_is_not_a_document_and_say_so(name, catalogue, three_files):
    folder = three_files[0].parent
    odd = folder / name
    shutil.copy(three_files[0], odd)  # even a readable record is skipped under such a name
    report = ingest(folder)
    assert report["ingested"] == 3 and report["failed"] == []
    assert str(odd) not in {d["path"] for d in report["documents"]}
    skipped = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert name in skipped, f"{name} should be listed as skipped, with why"
    assert skipped[name]


def test_a_document_whose_name_holds_a_documentation_word_is_still_read(
    catalogue, three_files, volume_2
):
    folder = three_files[0].parent
    titled = folder / "export-licence-for-wool.md"  # a file named after its title
    shutil.copy(sorted(volume_2.glob("*.md"))[3], titled)  # a fourth real DFAT document
    report = ingest(folder)
    assert report["ingested"] == 4 and report["skipped"] == [] and report["failed"] == []
    assert str(titled) in {d["path"] for d in report["documents"]}


def test_the_run_s_record_keeps_its_counts_and_each_document_names_the_run(catalogue, three_files):
    report = ingest(three_files[0].parent)
    kept = IngestRun.objects.get(pk=report["run"]).report
    assert kept["ingested"] == report["ingested"] == 3 and kept["failed"] == []
    assert "documents" not in kept  # a million entries were a 100 MB row (docs/benchmarks.md)
    written = Document.objects.filter(ingest_run=report["run"]).values_list("pk", flat=True)
    assert set(written) == {d["id"] for d in report["documents"]}


@pytest.mark.parametrize(
    "name", [pytest.param("notes.txt", id="a text"), pytest.param("scan.pdf", id="a PDF")]
)
def test_a_file_whose_extension_a_reader_claims_but_no_reader_recognises_fails_in_a_folder(
    name, catalogue, three_files
):
    folder = three_files[0].parent
    odd = folder / name
    shutil.copy(three_files[0], odd)  # a record, but not in the layout its extension promises
    report = ingest(folder)
    assert report["ingested"] == 3 and report["skipped"] == []
    [failure] = report["failed"]
    assert failure["path"] == str(odd) and failure["reason"]


def test_a_file_named_explicitly_is_always_tried(catalogue, tmp_path):
    named = tmp_path / "notes.txt"
    named.write_text("Shopping list: tea, biscuits.\n")
    report = ingest(named)
    [failure] = report["failed"]
    assert failure["path"] == str(named) and "no reader recognises" in failure["reason"]


# ---------------------------------------------------------------------------------------------
# The command: `opis ingest`, its JSON report and its exit status.


def test_opis_ingest_json_report_shape_and_success(tmp_path, three_files):
    result = run_opis(tmp_path / "data", "ingest", str(three_files[0].parent), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert set(report) >= REPORT_KEYS
    assert (report["ingested"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert report["failed"] == []
    for document in report["documents"]:
        assert set(document) == {"id", "path", "status"}
        assert document["status"] == "ingested"


def test_opis_ingest_exits_non_zero_when_anything_failed(tmp_path, three_files):
    bad = write_bad(three_files[0].parent)
    result = run_opis(
        tmp_path / "data", "ingest", str(three_files[0].parent), "--json", check=False
    )
    assert result.returncode != 0
    report = json.loads(result.stdout)
    assert report["ingested"] == 3
    [failure] = report["failed"]
    assert set(failure) == {"path", "where", "reason"}
    assert failure["path"] == str(bad) and failure["where"] and failure["reason"]


def test_opis_ingest_prints_failures_naming_the_file(tmp_path, three_files):
    bad = write_bad(three_files[0].parent)
    result = run_opis(tmp_path / "data", "ingest", str(three_files[0].parent), check=False)
    assert result.returncode != 0
    assert str(bad) in result.stderr and "doc_date" in result.stderr
    assert "3 ingested" in result.stdout and "1 failed" in result.stdout
