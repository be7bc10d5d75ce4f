"""The CSV / JSON Lines reader, on small synthetic tables (made up here, not archival records)."""

import json

import pytest

from opis.errors import ReaderError
from opis.readers import reader_for
from opis.readers.source import SourceFile
from opis.readers.tabular import READER, column_mapping

HEADER = "id,Title,Date,Summary,Source,Language,Text_Body,Citation\n"


def write(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return SourceFile(path)


def read(source: SourceFile) -> list:
    return list(READER.read(source))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["Title", "Text_Body", "DATE"], {"title": "Title", "text": "Text_Body", "date": "DATE"}),
        (["title", "content", "doc_date", "URL"], {"text": "content", "source_url": "URL"}),
        (["title", "body", "source"], {"text": "body", "source_url": "source"}),
    ],
)
def test_header_names_and_synonyms_map_to_fields(header, expected):
    assert column_mapping(header).items() >= expected.items()


def test_a_synthetic_wilson_export_row_becomes_a_document(tmp_path):
    source = write(
        tmp_path,
        "export.csv",
        HEADER + 'syn-1,Synthetic letter,1950-07-13,A test,https://example.org/1,Russian,"Body",'
        "Test citation\n",
    )
    assert reader_for(source) is READER
    (draft,) = read(source)
    assert (draft.id, draft.title, draft.summary) == ("syn-1", "Synthetic letter", "A test")
    assert (draft.date.precision, draft.source_url) == ("day", "https://example.org/1")
    assert draft.original_languages == ["ru"]
    assert (draft.texts[0].body, draft.citation) == ("Body", "Test citation")


def test_ids_fall_back_to_file_stem_and_row(tmp_path):
    source = write(tmp_path, "letters.csv", "title;text\nOne;First\nTwo;Second\n")
    assert [d.id for d in read(source)] == ["letters-row1", "letters-row2"]


def test_a_side_car_mapping_overrides_the_defaults(tmp_path):
    source = write(tmp_path, "odd.csv", "Headline,Full text,title\nReal title,Words,Not this\n")
    (tmp_path / "odd.csv.mapping.json").write_text(
        json.dumps({"title": "headline", "text": "Full text"}), encoding="utf-8"
    )
    (draft,) = read(source)
    assert (draft.title, draft.texts[0].body) == ("Real title", "Words")


def test_rejected_rows_are_reported_with_their_numbers(tmp_path):
    source = write(tmp_path, "mixed.csv", "title,text\nGood,Text\n,No title\nNo text,\nAlso,ok\n")
    drafts = read(source)
    assert [d.title for d in drafts] == ["Good", "Also"]
    assert drafts[0].notes == [
        "row 2 of mixed.csv was not ingested: no title",
        "row 3 of mixed.csv was not ingested: no text",
    ]
    assert drafts[1].notes == []


def test_a_file_with_no_valid_row_fails_naming_the_first_bad_row(tmp_path):
    source = write(tmp_path, "bad.csv", "title,text\n,x\ny,\n")
    with pytest.raises(ReaderError) as caught:
        read(source)
    assert caught.value.where == "row 1"
    assert "row 2: no text" in caught.value.reason


def test_json_lines_rows(tmp_path):
    lines = [
        {"id": "j1", "title": "First", "text": "One", "date": "1951"},
        "not json",
        {"title": "Third", "body": "Three"},
    ]
    content = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    source = write(tmp_path, "records.jsonl", content)
    assert reader_for(source) is READER
    drafts = read(source)
    assert [d.id for d in drafts] == ["j1", "records-row3"]
    assert drafts[0].date.precision == "year"
    assert drafts[0].notes[0].startswith("row 2 of records.jsonl was not ingested: line is not")


def test_html_in_a_text_cell_is_kept_verbatim(tmp_path):
    html = '<p>Dear <b>comrade</b>,</p>\n<p>a "quoted" line</p>'
    escaped = html.replace('"', '""')
    source = write(tmp_path, "html.csv", f'title,text_body\nHTML letter,"{escaped}"\n')
    (draft,) = read(source)
    assert draft.texts[0].body == html


def test_bom_and_large_fields_are_read(tmp_path):
    big = "word " * 40_000  # over the csv module's default 131,072-character field limit
    path = tmp_path / "big.csv"
    path.write_bytes(("\ufefftitle,text\nBig," + big + "\n").encode("utf-8"))
    (draft,) = read(SourceFile(path))
    assert draft.title == "Big"
    assert len(draft.texts[0].body) == len(big.strip())


@pytest.mark.parametrize("content", ["title,text\n", "title,text\n\n\n"])
def test_a_table_without_rows_is_refused(tmp_path, content):
    with pytest.raises(ReaderError, match="no rows"):
        read(write(tmp_path, "empty.csv", content))


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(ReaderError, match="empty"):
        reader_for(write(tmp_path, "nothing.csv", ""))


def test_a_table_without_title_and_text_columns_is_not_recognised(tmp_path):
    source = write(tmp_path, "numbers.csv", "a,b\n1,2\n")
    assert READER.detect(source, "a,b\n1,2\n") is False


def test_non_utf8_is_refused(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("title,text\nCaf\xe9,x\n".encode("latin-1"))
    with pytest.raises(ReaderError, match="not UTF-8"):
        read(SourceFile(path))
