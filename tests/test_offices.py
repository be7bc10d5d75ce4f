"""Offices of the State Department resolved to the person who held them on a day (issue 13).

The table is the Office of the Historian's "Principal Officers and Chiefs of Mission", reduced
by tools/build_offices.py to ``understand/data/offices.json``; these rows are offices as FRUS
titles write them, with the day of the document and who the Office of the Historian says held
the office then.
"""

import json
from datetime import date

import pytest

from conftest import CORPORA, ROOT, require
from opis.understand import names, offices
from opis.understand.offices import holder, is_country, officer_named


@pytest.mark.parametrize(
    "office, day, name, hsg_id",
    [
        ("The Secretary of State", date(1894, 2, 1), "Gresham, Walter Quintin", "105187"),
        ("the Minister in Nicaragua", date(1894, 2, 1), "Baker, Lewis", "100782"),
        ("the Minister in Nicaragua", date(1930, 6, 1), "Hanna, Matthew Elting", "105501"),
        ("the American Ambassador in Great Britain", date(1934, 7, 25), "Bingham, Robert Worth",
         "101328"),
        ("the Minister in Switzerland", date(1917, 6, 1), "Stovall, Pleasant Alexander", "113082"),
        ("the Counselor for the Department of State", date(1915, 1, 1), "Lansing, Robert",
         "107658"),
    ],
)  # fmt: skip
def test_an_office_on_a_day_is_the_person_who_held_it(office, day, name, hsg_id):
    found = holder(office, day)
    assert found is not None
    assert (found.name, found.hsg_id) == (name, hsg_id)


def test_the_same_office_on_another_day_is_another_person():
    before, after = date(1894, 2, 1), date(1930, 6, 1)
    assert holder("the Minister in Nicaragua", before) != holder("the Minister in Nicaragua", after)


@pytest.mark.parametrize(
    "office, day",
    [
        # a minister was chief of mission that day: the chargé ad interim was someone else
        ("the Chargé in Switzerland", date(1917, 12, 21)),
        ("the Acting Secretary of State", date(1934, 1, 17)),  # acting officers are not listed
        ("Secretary of State for Dominion Affairs", date(1944, 1, 1)),  # another government's
        ("the Minister for External Affairs", date(1945, 6, 5)),
        ("the Secretary of State", date(1700, 1, 1)),  # before there was one
        ("the Minister in Atlantis", date(1900, 1, 1)),
    ],
)
def test_an_office_the_table_cannot_settle_names_nobody(office, day):
    assert holder(office, day) is None


def test_a_surname_is_the_one_officer_of_that_name_in_office_that_day():
    found = officer_named("Mr. Gresham", date(1894, 5, 1))
    assert found is not None and found.office == "Secretary of State"
    assert officer_named("Mr. Baker", date(1894, 5, 1)).name == "Baker, Lewis"
    # the initials choose between two officers of one name
    washburne = officer_named("Mr. E. B. Washburne", date(1870, 9, 1))
    assert washburne is not None and washburne.name == "Washburne, Elihu Benjamin"
    assert officer_named("Mr. X. Y. Washburne", date(1870, 9, 1)) is None


def test_two_officers_of_one_name_in_office_leave_a_surname_unresolved():
    """William H. Seward was Secretary of State and his son Frederick W. Assistant Secretary."""
    assert officer_named("Mr. Seward", date(1861, 6, 1)) is None
    assert officer_named("W. H. Seward", date(1861, 6, 1)).name.startswith("Seward, William")


def test_a_foreign_name_is_no_officer():
    assert officer_named("Mr. Wu", date(1901, 1, 1)) is None


@pytest.mark.parametrize("text", ["Nicaragua", "Great Britain", "the Netherlands", "Persia"])
def test_countries_are_known_as_countries(text):
    assert is_country(text)


@pytest.mark.parametrize("text", ["Evatt", "Canberra", "the Secretary of State", "Mr. Baker"])
def test_people_offices_and_capitals_are_not_countries(text):
    assert not is_country(text)


@pytest.mark.corpus
def test_a_holder_is_linked_to_the_same_person_in_the_authority():
    """The name the table gives is one the persons authority resolves to the record the Office
    of the Historian describes the holder by: ingest links it by name."""
    require(CORPORA / "hsg-authority" / "people" / "people-data.tar.gz")
    for office, day in [
        ("The Secretary of State", date(1894, 2, 1)),
        ("the Minister in Nicaragua", date(1930, 6, 1)),
        ("the Ambassador in Great Britain", date(1934, 7, 25)),
    ]:
        found = holder(office, day)
        person = names.resolve(found.name)
        assert person is not None and person.hsg_id == found.hsg_id, (office, found)


@pytest.mark.corpus
def test_the_table_is_what_the_build_script_derives_from_the_corpus():
    """offices.json is derived, never edited: rebuilding it from pocom gives the same table."""
    require(CORPORA / "hsg-authority" / "pocom")
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_offices", ROOT / "tools/build_offices.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.build(CORPORA) == json.loads(offices.DATA.read_text("utf-8"))
