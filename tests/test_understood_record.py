"""The seed understood end to end: cable apparatus, people under every name, threads, fields.

These tests go through the whole path (reader → understand → catalogue → index → search/JSON) on
the session archive (the seed and one DFAT volume), so they fail if any stage drops what an
earlier one understood.
"""

import pytest

from conftest import SEED_ID
from opis.records.models import ThreadLink
from opis.records.serialize import document_json, load_document
from opis.search import search


@pytest.fixture
def seed(archive):
    return document_json(load_document(SEED_ID))


def test_the_seed_carries_its_telegram_apparatus(seed):
    cable = seed["cable"]
    assert cable["number"] == "3305"
    assert cable["destination"] == "BEIJING"
    assert cable["handling"] == "Only by ciphered telegraph"
    assert cable["sent"] == "1950-07-13T03:15"
    assert cable["intermediary"] == "Roshchin"
    assert cable["recipients_any_of"] == ["ZHOU ENLAI", "MAO ZEDONG"]
    assert cable["action"] == "Telegraph fulfillment"
    assert (cable["signed_as"], cable["signatory"]) == ("FILIPPOV", "Stalin")
    assert cable["copies"] == [{"name": "Stalin", "count": 2}, {"name": "Molotov", "count": None}]


@pytest.mark.parametrize(
    ("name", "role", "person_id"),
    [
        ("Stalin", "signatory", "stalin-iosif"),
        ("Zhou Enlai", "alternative_recipient", "zhou-enlai"),
        ("Mao Zedong", "alternative_recipient", "mao-zedong"),
        ("Roshchin", "intermediary", "roshchin-nikolai"),
    ],
)
def test_people_on_the_seed_are_linked_to_the_authority(seed, name, role, person_id):
    from opis.understand.names import resolve

    [agent] = [a for a in seed["agents"] if a["name"] == name and a["role"] == role]
    assert agent["person_id"] == resolve(name).id
    assert agent["person_id"].split("-")[0] == person_id.split("-")[0]


@pytest.mark.parametrize(
    "query",
    [
        "Chou En-lai",
        "Mao Tse-tung",
        "Filippov",
        "Сталин",
        "Чжоу Эньлай",
        'person:"Chou En-lai"',
        "signed_as:Filippov",
        "via:Roshchin",
        "to:Beijing",
        "number:3305",
        "fond:45",
        "fond:059a",
        "archive:RGASPI",
    ],
)
def test_any_name_or_field_of_the_seed_finds_it(archive, query):
    found = search(query, per_page=50)
    assert SEED_ID in [hit.id for hit in found.results], (query, found.messages)


def test_a_person_filter_is_exact_not_a_word_match(archive):
    """person:Stalin finds documents linked to Stalin, not any text containing the word."""
    found = search('person:"Stalin"', per_page=100)
    assert found.total >= 1
    for hit in found.results:
        agents = document_json(load_document(hit.id))["agents"]
        assert any((a["person_id"] or "").startswith("stalin") for a in agents), hit.id


def test_person_and_classification_facets_show_canonical_names(archive):
    from opis.understand.names import resolve

    # the seed's telegram: the facet counts the 30 persons of most hits, and the DFAT volume's
    # people (agents and persons its texts mention) outnumber Zhou Enlai's one telegram
    people = {v.value: v.label for v in search("Roshchin").facets["person"]}
    zhou = resolve("Zhou Enlai")
    assert people.get(zhou.id) == zhou.canonical
    found = search("telegram OR cablegram")
    assert found.facets["classification"], "DFAT cablegrams state classifications"


def test_threads_link_cables_within_a_collection_both_ways(archive):
    link = ThreadLink.objects.exclude(target_id=None).first()
    assert link is not None, "the DFAT volume holds cables that cite each other"
    source = document_json(load_document(link.source_id))["threads"]
    target = document_json(load_document(link.target_id))["threads"]
    assert {"id": link.target_id, "text": link.text} in source["refers_to"]
    assert {"id": link.source_id, "text": link.text} in target["referred_by"]
    assert link.source_id != link.target_id


def test_every_record_has_the_threads_and_cable_keys(seed):
    assert set(seed["threads"]) == {"refers_to", "referred_by"}
    assert seed["threads"]["refers_to"] == [] or all(
        set(ref) == {"id", "text"} for ref in seed["threads"]["refers_to"]
    )


@pytest.mark.parametrize(
    ("query", "finds_the_seed"),
    [
        ("within:1950", True),
        ("within:1950-07..1950-08", True),
        ("within:1950-07-13", True),
        ("within:1950-07-14..1950-12", False),
        ("date:1950", True),
    ],
)
def test_within_asks_for_dates_inside_a_range(archive, query, finds_the_seed):
    found = search(query, per_page=100)
    assert (SEED_ID in [hit.id for hit in found.results]) is finds_the_seed


def test_within_is_narrower_than_date_for_intervals_that_straddle(archive):
    """A year-precision document of 1938 overlaps 1938-06 but does not lie within it."""
    from opis.records.models import Document

    straddler = Document.objects.filter(date_precision="year").first()
    if straddler is None:
        straddler = Document.objects.filter(date_precision="month").first()
    year = straddler.date_start.year
    month_range = (
        f"{year}-{straddler.date_start.month:02d}-10..{year}-{straddler.date_start.month:02d}-20"
    )
    overlapping = {h.id for h in search(f"date:{month_range}", per_page=100).results}
    contained = {h.id for h in search(f"within:{month_range}", per_page=100).results}
    assert straddler.id in overlapping
    assert straddler.id not in contained
    assert contained <= overlapping
