"""The UN General Debate reader, specified against the real corpus (../shared/corpora)."""

import re
from pathlib import Path

import pytest

from conftest import CORPORA, require
from opis.readers import reader_for
from opis.readers.source import SourceFile
from opis.readers.un_speech import READER, country_name, speakers

UNGD = CORPORA / "un-general-debates"
NAME = re.compile(r"^[A-Z]{3}_\d{1,2}_\d{4}\.txt$")


@pytest.fixture(scope="module")
def speeches() -> list[Path]:
    return sorted(p for p in require(UNGD / "TXT").rglob("*.txt") if NAME.match(p.name))


def test_every_speech_file_is_one_document(speeches):
    drafts = [d for path in speeches for d in READER.read(SourceFile(path))]
    assert len(speeches) == 1700  # the README's count
    assert len(drafts) == len(speeches)
    assert len({d.id for d in drafts}) == len(drafts)


def test_a_speech_matches_its_file_name_and_the_speakers_table(speeches):
    path = next(p for p in speeches if p.name == "GRC_05_1950.txt")
    source = SourceFile(path)
    assert reader_for(source) is READER
    (draft,) = READER.read(source)
    speaker = speakers(UNGD / "Speakers_by_session.xlsx")[("GRC", 5)]
    assert speaker["name"] == "Mr. KANELLOPOULOS"
    assert draft.id == "ungd-grc-05-1950"
    assert draft.title == (
        "Statement by Greece (Mr. KANELLOPOULOS), General Assembly, 5th session (1950)"
    )
    assert draft.doc_type == "speech"
    assert (draft.date.precision, draft.date.display) == ("year", "1950")
    assert draft.original_languages == ["en"]
    assert draft.texts[0].role == "transcript"
    assert draft.texts[0].body.startswith("This year Greece presents itself")
    assert [(a.name, a.kind, a.role) for a in draft.agents] == [
        ("Greece", "organisation", "author"),
        ("Mr. KANELLOPOULOS", "person", "author"),
    ]
    (collection,) = draft.collections
    assert (collection.slug, collection.title, collection.series, collection.position) == (
        "ungd-session-05",
        "UN General Assembly, 5th session (1950), General Debate",
        "United Nations General Debate",
        5,
    )


@pytest.mark.parametrize(
    ("code", "year", "name"),
    [
        ("RUS", 1950, "Union of Soviet Socialist Republics"),
        ("RUS", 2000, "Russian Federation"),
        ("YUG", 1965, "Yugoslavia"),
        ("CSK", 1950, "Czechoslovakia"),
        ("YMD", 1968, "Democratic Yemen"),
        ("BOL", 1950, "Bolivia"),
        ("XXX", 1950, "XXX"),
    ],
)
def test_country_names_from_codes_including_dissolved_states(code, year, name):
    assert country_name(code, year) == name


@pytest.mark.parametrize(
    ("name", "recognised"),
    [("GRC_05_1950.txt", True), ("README.txt", False), ("grc_05_1950.txt", False)],
)
def test_only_speech_file_names_are_recognised(tmp_path, name, recognised):
    path = tmp_path / name
    path.write_text("Synthetic text, not a real speech.\n", encoding="utf-8")
    assert READER.detect(SourceFile(path), "") is recognised


def test_ingested_speeches_are_found_by_a_phrase(db, isolated_index, speeches):
    from opis.ingest import ingest_paths
    from opis.records.models import Document
    from opis.search import search

    chosen = [p for p in speeches if p.name in {"GRC_05_1950.txt", "USA_05_1950.txt"}]
    report = ingest_paths(chosen)
    assert report.ok, [str(f) for f in report.failed]
    assert Document.objects.filter(id__startswith="ungd-").count() == 2
    results = search('"Greece presents itself before the United Nations General Assembly"')
    assert "ungd-grc-05-1950" in [hit.id for hit in results.results]
