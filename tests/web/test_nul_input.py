"""NUL characters in a request (``opis.web.nul_input``): the same answer on SQLite and PostgreSQL,
and never a 500. PostgreSQL refuses any query that holds one, so before this each of these
addresses was a 500 in the PostgreSQL pass of the suite, and a 404 or a stored NUL on SQLite."""

import json

import pytest

from conftest import SEED_ID
from opis.records.models import Folder

ADDRESSES_WITH_NUL = [
    "/documents/a%00b", "/api/documents/a%00b", f"/documents/{SEED_ID}%00", "/people/a%00b",
    "/api/people/a%00b", "/archives/a%00b", "/api/archives/a%00b", "/iiif/manifest/a%00b",
    "/collections/a%00b", "/api/documents/a%00b/versions",
]  # fmt: skip


@pytest.mark.parametrize("address", ADDRESSES_WITH_NUL)
def test_an_address_with_a_nul_names_nothing(client, archive, address):
    response = client.get(address)
    assert response.status_code == 404
    if address.startswith("/api/"):
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("address", "found"),
    [
        ("/api/search?q=Filippov%00", "control characters"),  # the search language says so
        (f"/unapi?id={SEED_ID}%00&format=ris", "Filippov"),  # what is left is looked up
    ],
)
def test_a_nul_in_a_query_value_is_dropped(client, archive, address, found):
    response = client.get(address)
    assert response.status_code == 200
    assert found in response.content.decode()


@pytest.mark.parametrize("content_type", ["multipart", "urlencoded", "json"])
def test_a_body_with_a_nul_is_refused_naming_it_and_nothing_is_stored(
    researcher_client, archive, content_type
):
    fields = {"name": "Cables\x00"}
    if content_type == "multipart":
        response = researcher_client.post("/me/folders", fields)
    elif content_type == "urlencoded":
        body = "name=Cables%00"
        response = researcher_client.post("/me/folders", body, "application/x-www-form-urlencoded")
    else:
        response = researcher_client.post("/me/folders", json.dumps(fields), "application/json")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not Folder.objects.exists()


def test_an_api_body_with_a_nul_gets_the_one_error_shape(client, archive):
    response = client.patch(
        f"/api/documents/{SEED_ID}", json.dumps({"title": "A\x00"}), "application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "nul_character"
