"""The JSON API: the same answers as the CLI's --json, one error shape, no 500 for any input."""

import pytest
from hostile import HOSTILE_QUERIES

from conftest import SEED_ID
from opis.records.models import Collection
from opis.records.provenance import readers_source
from opis.records.serialize import document_json, load_document
from opis.search import search


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    """Every API error: this status, JSON, and exactly {"error": {status, code, message}}."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def test_search_answers_exactly_what_search_returns(client, archive):
    response = client.get("/api/search", {"q": "jet fighter"})
    assert response.status_code == 200
    body = response.json()
    assert body == {**search("jet fighter").as_json(), "next": None}
    assert body["results"][0]["id"] == SEED_ID
    assert "<b>jet</b>" in body["results"][0]["snippet"]
    assert set(body["facets"]) == {
        "decade", "year", "type", "lang", "archive", "collection", "person", "place",
        "classification",
    }  # fmt: skip


def test_search_pages_and_sorts(client, archive):
    body = client.get("/api/search", {"q": "", "sort": "date", "page": 2, "per_page": 5}).json()
    assert (body["page"], body["per_page"], body["sort"]) == (2, 5, "date")
    starts = [hit["date"]["start"] for hit in body["results"]]
    assert len(starts) == 5 and starts == sorted(starts)


def test_per_page_is_capped_at_100(client, archive):
    assert client.get("/api/search", {"per_page": 100}).status_code == 200
    error = assert_error_shape(
        client.get("/api/search", {"per_page": 101}), 400, "invalid_parameter"
    )
    assert "per_page='101'" in error["message"] and "100" in error["message"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"page": "abc"}, "invalid_parameter"),
        ({"page": 0}, "invalid_parameter"),
        ({"per_page": 0}, "invalid_parameter"),
        ({"sort": "sideways"}, "bad_query"),
        ({"page": 10**6}, "bad_query"),
    ],
)
def test_bad_parameters_are_400_in_the_error_shape(client, archive, params, code):
    assert_error_shape(client.get("/api/search", params), 400, code)


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:20]))
def test_hostile_queries_never_fail(client, archive, query):
    response = client.get("/api/search", {"q": query})
    if response.status_code == 200:
        assert response.json()["messages"] == search(query).messages
    else:
        assert_error_shape(response, 400)


def test_document_is_document_json(client, archive):
    response = client.get(f"/api/documents/{SEED_ID}")
    assert response.status_code == 200
    body = response.json()
    document = load_document(SEED_ID)
    # A reader gets the JSON contract with the source path relative to the folder ingested
    # (no server folders); everything else is document_json exactly.
    assert body == readers_source(document_json(document), document)
    assert body["source"]["path"] == "stalin-to-mao-zhou-1950-07-13.md"
    assert [loc["repository"] for loc in body["locations"]] == ["APRF", "AVP RF", "RGASPI"]


@pytest.mark.parametrize("document_id", ["no-such-id", "frus1918Russiav03/d101"])
def test_unknown_document_is_404_in_the_error_shape(client, archive, document_id):
    error = assert_error_shape(client.get(f"/api/documents/{document_id}"), 404, "not_found")
    assert document_id in error["message"]


def test_collections(client, archive):
    listing = client.get("/api/collections").json()["results"]
    assert {c["slug"] for c in listing} == set(Collection.objects.values_list("slug", flat=True))
    wilson = next(c for c in listing if c["slug"] == "wilson-center-digital-archive")
    assert wilson["count"] == 1
    assert wilson["span"] == {"first": "1950-07-13", "last": "1950-07-13"}

    volume = next(c for c in listing if c["slug"].startswith("dfat-"))
    page = client.get(f"/api/collections/{volume['slug']}", {"per_page": 10, "page": 2}).json()
    assert page["count"] == volume["count"] and len(page["documents"]) == 10
    assert page["pages"] == -(-volume["count"] // 10)
    starts = [d["date"]["start"] for d in page["documents"]]
    assert starts == sorted(starts)


def test_collection_errors(client, archive):
    assert_error_shape(client.get("/api/collections/no-such-volume"), 404, "not_found")
    assert_error_shape(
        client.get("/api/collections/wilson-center-digital-archive", {"page": 5}), 400, "bad_query"
    )
    assert_error_shape(
        client.get("/api/collections/wilson-center-digital-archive", {"per_page": 500}),
        400,
        "invalid_parameter",
    )


@pytest.mark.parametrize("path", ["/api/", "/api/nothing", "/api/documents/"])
def test_unknown_api_urls_are_404_in_the_error_shape(client, archive, path):
    assert_error_shape(client.get(path), 404, "not_found")


def test_openapi_describes_the_endpoints(client, archive):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {"/api/search", "/api/documents/{document_id}", "/api/collections"} <= set(
        schema["paths"]
    )
    search_op = schema["paths"]["/api/search"]["get"]
    assert {"200", "400"} <= set(search_op["responses"])
    assert {"SearchOut", "DocumentOut", "ErrorOut"} <= set(schema["components"]["schemas"])
    per_page = next(p for p in search_op["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == 100


def test_docs_page_uses_local_files_only(client, archive):
    response = client.get("/api/docs")
    assert response.status_code == 200
    content = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in content
    assert "cdn" not in content.lower() and "https://" not in content
    assert '<script id="swagger-settings" type="application/json">' in content


def test_the_document_schema_declares_every_key_of_the_record(client, archive):
    """OpenAPI must not lag behind ``document_json``: each key, nested ones too, is declared."""
    from opis.web.api import DocumentOut

    record = document_json(load_document(SEED_ID))

    def undeclared(value, schema, where):
        missing = [f"{where}.{key}" for key in value if key not in schema.model_fields]
        for key, field in schema.model_fields.items():
            inner = value.get(key)
            model = getattr(field.annotation, "__args__", (field.annotation,))[0]
            if isinstance(inner, dict) and hasattr(model, "model_fields"):
                missing += undeclared(inner, model, f"{where}.{key}")
            if isinstance(inner, list) and inner and isinstance(inner[0], dict):
                missing += undeclared(inner[0], model, f"{where}.{key}[]")
        return missing

    assert undeclared(record, DocumentOut, "document") == []


def test_a_wrong_method_is_405_in_the_error_shape(client, archive):
    response = client.post("/api/search", {"q": "x"})
    error = assert_error_shape(response, 405, "method_not_allowed")
    assert "POST" in error["message"] and response["Allow"] == "GET"
