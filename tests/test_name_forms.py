"""A person's name in a query finds the documents that mention the person in any form.

DFAT's 1949 Indonesia volume prints the president as "Soekarno" (the Dutch-era spelling) in some
documents and "Sukarno" in others; the authority of persons knows both. Expectations come from the
catalogue's text, not from the index: what a spelling finds must hold every document printing any
spelling, and ``literal:`` must find exactly one spelling's documents.
"""

import pytest

from all_pages import found_ids
from conftest import CORPORA, require
from opis.ingest import ingest_paths
from opis.records.models import Text
from opis.search import search
from opis.search.name_forms import expansion

INDONESIA_1949 = CORPORA / "dfat" / "volumes" / "volume-15-1949-indonesia"
SPELLINGS = ["Sukarno", "Soekarno"]


def printed(spelling: str) -> set[str]:
    """Documents of the volume whose text prints this spelling as a word, by the catalogue (the
    same pattern on SQLite and PostgreSQL: no \\b, which PostgreSQL reads otherwise)."""
    word = rf"(^|[^A-Za-z0-9]){spelling}([^A-Za-z0-9]|$)"
    texts = Text.objects.filter(document__pk__startswith="dfat-v15-", body__iregex=word)
    return set(texts.values_list("document_id", flat=True))


@pytest.fixture
def indonesia_1949(db, isolated_index):
    report = ingest_paths([require(INDONESIA_1949)])
    assert report.ok


def test_every_spelling_finds_the_documents_of_every_other(indonesia_1949):
    everyone = printed("Sukarno") | printed("Soekarno")
    assert printed("Soekarno") - printed("Sukarno") and printed("Sukarno") - printed("Soekarno")
    for query in [*SPELLINGS, "Bung Karno", '"Soekarno"', "Сукарно"]:
        assert everyone <= found_ids(query), query


def test_a_place_under_any_of_its_names(indonesia_1949):
    """Batavia was renamed Djakarta in 1942 (Jakarta from 1972); the volume prints all three."""
    everywhere = printed("Batavia") | printed("Djakarta") | printed("Jakarta")
    assert printed("Djakarta") - printed("Batavia")
    for query in ["Jakarta", "Djakarta", "Batavia", "Джакарта"]:
        assert everywhere <= found_ids(query), query
    assert found_ids("literal:Djakarta") == printed("Djakarta")


def test_literal_finds_one_spelling_and_the_page_says_so(indonesia_1949):
    literal = found_ids("literal:Soekarno")
    assert literal == printed("Soekarno") | (literal & printed("soekarno"))
    assert not literal >= printed("Sukarno")
    assert not [m for m in search("literal:Soekarno").messages if "authority" in m]
    message = next(m for m in search("Soekarno").messages if "authority of persons" in m)
    assert "Sukarno" in message and "literal:Soekarno" in message


def test_a_pseudonym_finds_the_person(archive):
    """Filippov was Stalin's signature on ciphered telegrams (1950-1953)."""
    assert found_ids("Filippov") >= found_ids("literal:Stalin")


@pytest.mark.parametrize(
    "words, person",
    [
        ("Jiang Jieshi", "chiang-kai-shek"),
        ("蒋介石", "chiang-kai-shek"),
        ("Молотов", "molotov-vyacheslav"),
        ("Хрущёв", "khrushchev-nikita"),
        ("Soekarno", "sukarno"),
    ],
)
def test_names_expand_to_their_person(words, person):
    assert expansion(words).person.id == person


@pytest.mark.parametrize(
    "words, place, also",
    [
        ("Peking", "Beijing", {"Peiping", "北京"}),
        ("Pei-p'ing", "Beijing", {"Peking"}),
        ("Batavia", "Jakarta", {"Djakarta"}),
        ("Saigon", "Ho Chi Minh City", {"Ho Chi Minh City"}),
        ("Leningrad", "Saint Petersburg", {"Petrograd", "Ленинград"}),
        ("Konigsberg", "Kaliningrad", {"Kaliningrad", "Калининград"}),
    ],
)
def test_places_expand_to_every_name(words, place, also):
    found = expansion(words)
    assert found.canonical == place and found.authority == "places"
    assert also <= set(found.forms) and words not in found.forms


def test_from_and_to_take_any_name_of_a_place():
    from opis.search.compile import Compiler
    from opis.search.index import build_schema
    from opis.search.query import parse

    messages: list[str] = []
    Compiler(build_schema(), messages).compile(parse("from:Peiping to:Moscow").node)
    assert any("Beijing" in m for m in messages) and any("Москва" in m for m in messages)


@pytest.mark.parametrize("words", ["Chiang", "Smith", "Adams", "telegram", "Washington"])
def test_words_that_name_nobody_or_several_persons_stay_as_typed(words):
    assert expansion(words) is None


def test_a_form_that_could_be_someone_else_is_never_added():
    """ "Chiang" alone could be Chiang Ching-kuo: "Chiang Kai-shek" never widens to it."""
    forms = {form.lower() for form in expansion("Chiang Kai-shek").forms}
    assert "chiang" not in forms and "蒋介石" in forms
