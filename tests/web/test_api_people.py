"""People: a name in any spelling finds the person, and the person lists the documents naming them,
whatever name each document used."""

import pytest
from test_api import assert_error_shape

from conftest import SEED_ID
from opis.records.models import AgentRole


@pytest.mark.parametrize(
    ("name", "person_id", "canonical"),
    [
        ("Filippov", "stalin-iosif", "Stalin, Iosif Vissarionovich"),  # the pseudonym he signed
        ("Chou En-lai", "zhou-enlai", "Zhou Enlai"),  # Wade-Giles
        ("Чжоу Эньлай", "zhou-enlai", "Zhou Enlai"),  # as Soviet documents wrote it
    ],
)
def test_a_name_resolves_to_the_person_and_their_documents(
    client, archive, name, person_id, canonical
):
    found = client.get("/api/people", {"q": name}).json()
    assert found["query"] == name and found["resolved"] == person_id
    first = found["results"][0]
    assert (first["id"], first["canonical"]) == (person_id, canonical)
    assert first["documents"] >= 1
    assert first["url"] == f"http://testserver/api/people/{person_id}"

    person = client.get(f"/api/people/{person_id}").json()
    assert person["id"] == person_id and person["canonical"] == canonical
    assert SEED_ID in [d["id"] for d in person["documents"]]
    assert person["total"] == first["documents"]


def test_the_seed_names_stalin_as_filippov(client, archive):
    stalin = client.get("/api/people/stalin-iosif").json()
    seed = next(d for d in stalin["documents"] if d["id"] == SEED_ID)
    assert "Filippov" in seed["written"] and seed["roles"]
    assert any(p["name"] == "Filippov" and p["from_year"] for p in stalin["pseudonyms"])
    assert "Сталин" in stalin["variants"] and stalin["born"] == 1878


def test_people_without_a_query_are_those_the_archive_names(client, archive):
    body = client.get("/api/people", {"limit": 100}).json()
    linked = set(
        AgentRole.objects.exclude(agent__person_id="").values_list("agent__person_id", flat=True)
    )
    assert body["query"] == "" and body["resolved"] is None
    assert {p["id"] for p in body["results"]} == linked and body["total"] == len(linked)
    assert [p["id"] for p in body["results"]] == sorted(linked)
    assert all(p["documents"] >= 1 for p in body["results"])


def test_an_unknown_name_finds_nobody(client, archive):
    body = client.get("/api/people", {"q": "Nobody Ever-Heard-Of"}).json()
    assert (body["resolved"], body["total"], body["results"], body["next"]) == (None, 0, [], None)


def test_an_unknown_person_is_404_in_the_error_shape(client, archive):
    error = assert_error_shape(client.get("/api/people/no-such-person"), 404, "not_found")
    assert "no-such-person" in error["message"] and "/api/people?q=" in error["message"]


def test_a_persons_documents_page_by_cursor(client, archive):
    whole = client.get("/api/people/stalin-iosif").json()
    pages, url, params = [], "/api/people/stalin-iosif", {"limit": 1}
    while url:
        pages.append(client.get(url, params).json())
        url, params = pages[-1]["next"], None
    assert [p["documents"][0]["id"] for p in pages] == [d["id"] for d in whole["documents"]]
