"""The export formats, each read back by the tool its users read it with: the csv module (as a
spreadsheet would), lxml (as a harvester would), the bagit library (as a repository would)."""

import csv
import io
import json
from pathlib import Path

import bagit
import pytest
from django.utils import timezone
from lxml import etree

from opis.errors import OpisError
from opis.export import Selection, export, formats
from opis.export.csv_table import COLUMNS
from opis.ingest import ingest_paths
from opis.records.models import ArchivalLocation, Collection, Document, Text

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
HOSTILE = {
    "title": 'Line one\nline two, "quoted"; <script>alert(1)</script> & \x0b',
    "summary": '=HYPERLINK("http://evil.example","click")',
    "doc_number": "+1-555",
    "citation": "@SUM(A1:A9)\r\nsecond line",
    "classification": "SECRET,\tNOFORN",
    "source_url": 'https://example.org/a,b?c="d"',
}


@pytest.fixture
def hostile(archive, tmp_path) -> Document:
    """A record whose every field tries to break a CSV or an XML file; its original is gone."""
    now = timezone.now()
    document = Document.objects.create(
        id="zz-hostile", date_precision="unknown", original_languages=["ru", "zh"],
        source_path=str(tmp_path / "gone.md"), source_sha256="0" * 64, reader="dfat-markdown",
        ingested_at=now, updated_at=now, **HOSTILE,
    )  # fmt: skip
    for position, raw in enumerate(["AVP RF, f. 06, op. 9; d. 1", "FO 371/84057"]):
        ArchivalLocation.objects.create(document=document, position=position, raw=raw)
    Text.objects.create(document=document, body="Молотов — 周恩来\n<p>body</p>")
    collection = Collection.objects.create(slug="zz", title='Letters, "odd" ones', series="")
    document.collections.add(collection)
    return document


def test_the_command_line_offers_what_the_registry_offers():
    from click.testing import CliRunner

    from opis.cli import main

    result = CliRunner().invoke(main, ["export", "--help"])
    assert f"--format [{'|'.join(formats())}]" in result.output


def test_an_unknown_format_is_refused_with_the_formats_there_are(archive, tmp_path):
    with pytest.raises(OpisError, match="unknown export format 'xml'; choose one of jsonl, csv"):
        export("xml", Selection(), tmp_path / "out.xml")
    assert not list(tmp_path.iterdir())


# --- CSV --------------------------------------------------------------------------------------


def test_csv_rows_keep_hostile_text_and_defuse_formulas(hostile, tmp_path):
    path = tmp_path / "archive.csv"
    export("csv", Selection(), path, base_url="https://archive.example.org/")

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,title,") and b"\r\n" in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == Document.objects.count()
    row = next(r for r in rows if r["id"] == "zz-hostile")
    assert row["title"] == HOSTILE["title"]
    assert row["summary"] == "'" + HOSTILE["summary"]
    assert row["doc_number"] == "'+1-555"
    assert row["citation"] == "'" + HOSTILE["citation"]
    assert row["classification"] == HOSTILE["classification"]
    assert row["source_url"] == HOSTILE["source_url"]
    assert row["languages"] == "ru ; zh"
    assert row["archival_locations"] == "AVP RF, f. 06, op. 9; d. 1 ; FO 371/84057"
    assert row["collections"] == 'Letters, "odd" ones'
    assert row["url"] == "https://archive.example.org/documents/zz-hostile"
    assert row["date_start"] == "" and row["date_precision"] == "unknown"


# --- oai_dc -----------------------------------------------------------------------------------


def test_oai_dc_is_well_formed_and_in_the_right_namespaces(hostile, tmp_path):
    path = tmp_path / "archive.xml"
    export("oai_dc", Selection(), path)

    root = etree.parse(str(path)).getroot()  # raises if the file is not well-formed XML
    assert root.tag == "records"
    records = list(root)
    assert len(records) == Document.objects.count()
    assert {r.tag for r in records} == {f"{{{OAI_DC}}}dc"}
    assert {child.tag.split("}")[0] + "}" for r in records for child in r} == {f"{{{DC}}}"}
    by_id = {r.findtext(f"{{{DC}}}identifier"): r for r in records}
    assert by_id["zz-hostile"].findtext(f"{{{DC}}}title").startswith("Line one\nline two")
    titles = [r.findtext(f"{{{DC}}}title") for r in records]
    expected = Document.objects.order_by("pk").values_list("title", flat=True)
    assert titles[:-1] == list(expected)[:-1]  # id order; the hostile title is cleaned for XML


def test_oai_dc_of_a_search_holds_its_hits_only(archive, tmp_path):
    path = tmp_path / "japan.xml"
    export("oai_dc", Selection("Japan"), path)
    root = etree.parse(str(path)).getroot()
    assert root.get("query") == "Japan"
    assert len(root) == Selection("Japan").count() > 10


# --- BagIt ------------------------------------------------------------------------------------


def test_a_bag_validates_carries_the_originals_and_fails_when_tampered_with(hostile, tmp_path):
    folder = tmp_path / "bag"
    summary = export("bagit", Selection(), folder)

    bag = bagit.Bag(str(folder))
    bag.validate()
    assert set(bag.algorithms) == {"sha256", "sha512"}
    info = bag.info
    assert info["Source-Organization"] and info["Bagging-Date"] and info["Payload-Oxum"]
    assert info["External-Description"] == "opis export of the whole archive"
    lines = (folder / "data" / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1])["count"] == summary["count"] == Document.objects.count()
    originals = sorted((folder / "data" / "originals").iterdir())
    seed = Document.objects.get(pk="wcda-110692")
    kept = folder / "data" / "originals" / seed.source_sha256
    assert kept.read_bytes() == Path(seed.source_path).read_bytes()
    assert (
        len(originals)
        == summary["originals"]
        == len(set(Document.objects.values_list("source_sha256", flat=True))) - 1
    )
    assert summary["originals_missing"] == 1 and info["Originals-Missing"] == "1"
    listing = (folder / "data" / "originals.tsv").read_text(encoding="utf-8").splitlines()
    assert listing[0] == "sha256\tname\tsource_path\tin_bag"
    assert (
        f"{seed.source_sha256}\tstalin-to-mao-zhou-1950-07-13.md\t{seed.source_path}\tyes"
        in listing
    )
    assert f"{'0' * 64}\tgone.md\t{hostile.source_path}\tmissing" in listing

    with originals[0].open("ab") as original:
        original.write(b" ")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(folder)).validate()


def test_opis_ingest_of_a_bag_restores_its_records_and_lists_the_originals(
    archive, settings, tmp_path
):
    """The originals in a bag carry no extension, so a bag is restored from its records once,
    not read a second time from its originals (which would meet every id twice)."""
    folder = tmp_path / "bag"
    summary = export("bagit", Selection("Japan"), folder)
    ids = Selection("Japan").ids()
    Document.objects.filter(pk__in=ids).delete()
    settings.SEARCH_INDEX_DIR = tmp_path / "index"

    report = ingest_paths([folder])

    assert report.failed == []
    assert sorted(d["id"] for d in report.documents) == ids
    assert len(report.skipped) == summary["originals"] + 1  # and originals.tsv


def test_a_bag_needs_a_new_or_empty_folder(archive, tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(OpisError, match="not an empty folder"):
        export("bagit", Selection(), tmp_path)
    with pytest.raises(OpisError, match="writes a folder; name one with --output"):
        export("bagit", Selection(), "-")
    assert (tmp_path / "mine.txt").read_text() == "keep me"


# --- web downloads ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_a_search_result_downloads_streamed(researcher_client, archive, suffix):
    response = researcher_client.get(f"/export/search.{suffix}", {"q": "Japan"})

    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="opis-search-')
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    expected = Selection("Japan").count()
    if suffix == "csv":
        rows = list(csv.DictReader(io.StringIO(body, newline="")))
        assert len(rows) == expected and rows[0]["url"].startswith("http://testserver/documents/")
    else:
        lines = [json.loads(line) for line in body.splitlines()]
        assert lines[0]["query"] == "Japan" and lines[-1]["count"] == expected == len(lines) - 2


@pytest.mark.parametrize("query", ['"unclosed', "year:99999", "((((", "\x00", "a" * 5000, "-"])
def test_a_download_of_any_query_string_is_never_a_server_error(researcher_client, archive, query):
    response = researcher_client.get("/export/search.csv", {"q": query})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfid,")
