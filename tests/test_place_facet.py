"""The place facet: a document's places under the gazetteer's one name, counted and filtered.

A document's places are its cable's origin and destination and the places its title names, each
resolved to its place in the gazetteer (``understand/data/places.json``) when it is indexed: a
telegram to Peking, a minister in Peiping and an embassy in Beijing are three documents of one
place, Beijing. Documents made up here are DFAT-shaped files (``dfat_file``) ingested into an
index of their own; the seed comes from the session archive.
"""

import re
from pathlib import Path

import pytest

from conftest import SEED_ID
from opis.ingest import ingest_paths
from opis.records.models import Document, IndexChange
from opis.search import search
from opis.search.indexer import apply_pending, index_figures

FILLER = "The minister discussed shipping, wool prices and the conference timetable."


def dfat_file(folder: Path, name: str, title: str, heading: str = "Cablegram CANBERRA") -> Path:
    path = folder / name
    path.write_text(
        f"---\ndoc_date: '1966-05-17'\ndoc_num: 1\nnaa_refs: []\ntitle: {title}\nvol_id: 99\n"
        f"vol_title: 'Volume 99: synthetic'\n---\n\n{heading}\n\n{FILLER}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def three_names_of_beijing(db, isolated_index, tmp_path) -> dict[str, str]:
    """Three documents of Beijing under its three names (two by title, one by a cable's origin),
    and two of no place the gazetteer knows; ids by file name."""
    files = [
        dfat_file(tmp_path, "peking.md", "Cablegram to Peking"),
        dfat_file(tmp_path, "peiping.md", "The Minister in China (Peiping) to the Secretary"),
        dfat_file(tmp_path, "beijing.md", "Cablegram to Canberra", "Cablegram 45 BEIJING"),
        dfat_file(tmp_path, "london.md", "Cablegram to London"),
        dfat_file(tmp_path, "salisbury.md", "Lord Salisbury to Mr Chamberlain"),
    ]
    report = ingest_paths(files)
    assert report.ok, [str(f) for f in report.failed]
    return {Path(d["path"]).name: d["id"] for d in report.documents}


def found(query: str) -> set[str]:
    return {hit.id for hit in search(query, per_page=100).results}


def test_peking_peiping_and_beijing_documents_count_under_one_place(three_names_of_beijing):
    made = three_names_of_beijing
    (place,) = search("").facets["place"]
    assert (place.value, place.label, place.count) == ("beijing", "Beijing", 3)
    assert found(place.filter) == {made["peking.md"], made["peiping.md"], made["beijing.md"]}


@pytest.mark.parametrize("written", ["beijing", "Peking", "Peiping", '"Pei-p\'ing"', "北京"])
def test_a_place_filter_takes_the_id_or_any_name(three_names_of_beijing, written):
    assert found(f"place:{written}") == found("place:beijing")
    assert len(found("place:beijing")) == 3


def test_a_place_facet_narrows_other_searches(three_names_of_beijing):
    made = three_names_of_beijing
    assert found("china place:beijing") == {made["peiping.md"]}
    assert found("cablegram -place:beijing") >= {made["london.md"], made["salisbury.md"]}


def test_a_word_that_also_names_a_person_is_not_taken_for_a_place(three_names_of_beijing):
    """ "Salisbury" is Harare's old name and a British foreign secretary: a title's word is
    not guessed to be the city."""
    assert found("place:harare") == set()
    assert found("Salisbury") == {three_names_of_beijing["salisbury.md"]}


def test_an_unknown_place_matches_nothing_and_says_so(three_names_of_beijing):
    results = search("place:Atlantis")
    assert results.total == 0
    assert any("place:Atlantis" in message for message in results.messages)


def test_the_seeds_telegram_to_beijing_is_under_beijing(archive):
    place = {value.value: value for value in search("").facets["place"]}["beijing"]
    assert place.label == "Beijing"
    assert SEED_ID in found("place:Peking")
    assert place.count == len(found("place:beijing"))


def test_the_search_page_shows_the_place_facet(three_names_of_beijing, client):
    page = client.get("/search?q=cablegram").content.decode()
    assert 'id="facet-place"' in page and ">Place</h3>" in page
    assert re.search(r'href="/search\?q=cablegram\+place(?::|%3A)beijing"', page)
    assert '<span class="facet__label">Beijing</span> <span class="facet__count">3' in page


def test_an_index_written_before_places_is_rebuilt_with_them(archive, isolated_index):
    isolated_index.mkdir(parents=True, exist_ok=True)
    (isolated_index / "opis-index.json").write_text('{"schema_version": 3}')
    IndexChange.objects.all().delete()
    assert found("place:beijing") == set()  # opened: set aside, empty until the log is applied
    assert index_figures()["pending"] == Document.objects.count()
    apply_pending()
    assert SEED_ID in found("place:beijing")
