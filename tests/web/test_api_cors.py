"""CORS: any site may read the API and OAI-PMH with GET; no site may POST, PUT or DELETE here."""

import pytest

ORIGIN = "https://exhibit.example.org"


@pytest.mark.parametrize("path", ["/api/documents", "/api/search?q=jet", "/api/no-such-thing"])
def test_a_get_from_another_site_may_be_read(client, archive, path):
    response = client.get(path, headers={"Origin": ORIGIN})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" in response["Vary"].lower()


def test_a_get_preflight_is_answered(client, archive):
    response = client.options(
        "/api/documents",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in response["Access-Control-Allow-Methods"].split(",")}
    assert "GET" in methods and not methods & {"POST", "PUT", "PATCH", "DELETE"}


def test_oai_is_open_to_other_sites_too(client, archive):
    response = client.options(
        "/oai", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_a_preflight_for_writing_gets_no_permission(client, archive, method):
    response = client.options(
        "/api/documents",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": method},
    )
    assert "Access-Control-Allow-Origin" not in response  # so the browser refuses the request
    assert response.status_code == 405


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_write_from_another_site_is_not_shared_with_it(client, archive, method):
    response = getattr(client, method)("/api/search", headers={"Origin": ORIGIN})
    assert response.status_code == 405
    assert "Access-Control-Allow-Origin" not in response


def test_pages_of_the_reading_room_are_not_shared(client, archive):
    response = client.get("/search?q=jet", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
