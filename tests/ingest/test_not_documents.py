"""Issue 12: no file is left behind. In a folder walk, a file that no reader recognises fails with
the reason, unless it is recognised as a corpus's data rather than a document (then it is listed
as skipped, saying what it is). Named on the command line, even such a file fails.

The authority files are the Office of the Historian's own (../shared/corpora/hsg-authority),
copied into tmp_path beside one real DFAT document; the tables are made up here.
"""

import shutil

import pytest

from conftest import CORPORA, DFAT, require
from opis.ingest import ingest_paths
from opis.readers.not_documents import root_element

HSG = CORPORA / "hsg-authority"
PERSON = HSG / "pocom" / "people" / "b" / "blaney-john-william.xml"
TRIPS = HSG / "travels" / "president-travels" / "nixon-richard-m.xml"
CHAPTER = HSG / "milestones" / "chapters" / "1945-1952.xml"  # TEI, but no document divs
GOOD = DFAT / "volume-2-1939" / "1-mr-r-g-casey-treasurer-to-mr-j-a-lyons-prime-minister.md"


@pytest.fixture
def corpus_folder(tmp_path, db, isolated_index):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for original in (require(GOOD), require(PERSON), require(TRIPS)):
        shutil.copy(original, folder / original.name)
    return folder


def test_authority_files_beside_documents_are_set_aside_saying_what_they_are(corpus_folder):
    report = ingest_paths([corpus_folder])
    assert report.failed == []
    assert report.count("ingested") == 1
    reasons = {item["path"].rsplit("/", 1)[-1]: item["reason"] for item in report.skipped}
    assert set(reasons) == {PERSON.name, TRIPS.name}
    assert reasons[PERSON.name].startswith("authority data, not a document: <person>")
    assert "<trips>" in reasons[TRIPS.name] and "Office of the Historian" in reasons[TRIPS.name]


def test_a_tei_article_without_document_divs_is_set_aside_as_not_an_edition(corpus_folder):
    chapter = corpus_folder / CHAPTER.name
    shutil.copy(require(CHAPTER), chapter)
    report = ingest_paths([corpus_folder])
    assert report.failed == [] and report.count("ingested") == 1
    [reason] = [s["reason"] for s in report.skipped if s["path"] == str(chapter)]
    assert reason.startswith('a TEI text with no <div type="document">: an article or chapter')


def test_an_authority_file_named_on_the_command_line_fails_saying_what_it_is(corpus_folder):
    named = corpus_folder / PERSON.name
    report = ingest_paths([named])
    [failure] = report.failed
    assert failure.path == str(named.resolve())
    assert "authority data, not a document: <person>" in failure.reason
    assert report.skipped == []


def test_xml_of_a_layout_nobody_knows_fails_in_a_folder_walk(corpus_folder):
    odd = corpus_folder / "inventory.xml"
    odd.write_text('<?xml version="1.0"?>\n<inventory><item>Box 3</item></inventory>\n')
    report = ingest_paths([corpus_folder])
    [failure] = report.failed
    assert failure.path == str(odd) and "no reader recognises this layout" in failure.reason
    assert report.count("ingested") == 1 and len(report.skipped) == 2


def test_a_table_of_documents_without_a_text_column_fails_naming_the_column(corpus_folder):
    table = corpus_folder / "catalogue.csv"
    table.write_text("doc_id,title,date\nd1,Note to the Secretary,1986-03-20\n")
    report = ingest_paths([corpus_folder])
    [failure] = report.failed
    assert failure.path == str(table) and failure.where == "header"
    assert "no column for text among doc_id, title, date" in failure.reason
    assert "catalogue.csv.mapping.json" in failure.reason


def test_a_lookup_table_naming_no_field_of_a_document_is_set_aside(corpus_folder):
    table = corpus_folder / "barcodes.csv"
    table.write_text("barcode,series,control\n216921,A10158,118\n")
    report = ingest_paths([corpus_folder])
    assert report.failed == []
    [reason] = [s["reason"] for s in report.skipped if s["path"] == str(table)]
    assert reason == (
        "a data table, not documents: its columns (barcode, series, control) name no title or text"
    )


@pytest.mark.parametrize(
    "head",
    [
        "<person>",
        '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- pocom -->\n<person id="x">',
        '<?xml version="1.0"?><!DOCTYPE person [<!ENTITY a "b">]>\n<person/>',
        '<p:person xmlns:p="urn:x">',
    ],
)
def test_the_root_element_is_read_past_declaration_comments_doctype_and_prefix(head):
    assert root_element(head) == "person"


def test_text_that_is_not_xml_has_no_root_element():
    assert root_element("Dear Minister, <b>") == ""
