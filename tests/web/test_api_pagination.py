"""Cursor pagination: every list walks whole by following ``next``, keyset lists stay put when a
record arrives between two pages, page sizes have bounds, and cursors cannot be forged or mixed."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import F
from django.utils import timezone
from test_api import assert_error_shape

from opis.records.models import Collection, Document

LISTS = [
    "/api/documents",
    "/api/search",
    "/api/collections",
    "/api/collections/wilson-center-digital-archive",
    "/api/people",
    "/api/people/stalin-iosif",
]


def items(body: dict) -> list:
    return body.get("results", body.get("documents"))


def walk(client, url: str, params: dict | None = None) -> list[dict]:
    """Every page of a list, following ``next`` until it is null."""
    pages = []
    while url:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.content
        pages.append(response.json())
        url, params = pages[-1]["next"], None
    return pages


def ids(pages: list[dict]) -> list[str]:
    return [item["id"] for page in pages for item in items(page)]


def catalogue_order() -> list[str]:
    ordered = Document.objects.order_by(F("date_start").asc(nulls_first=True), "id")
    return list(ordered.values_list("id", flat=True))


def add_document(document_id: str, day: date) -> None:
    now = timezone.now()
    Document.objects.create(
        id=document_id, title=f"Inserted between two pages ({day})", date_start=day,
        date_end=day, source_path="/nowhere", reader="test", ingested_at=now, updated_at=now,
    )  # fmt: skip


def test_following_next_walks_every_document_once_in_date_order(client, archive):
    pages = walk(client, "/api/documents", {"limit": 40})
    assert ids(pages) == catalogue_order()
    assert len(pages) == -(-archive.count() // 40) and pages[-1]["next"] is None
    assert all(page["total"] == archive.count() and page["limit"] == 40 for page in pages)
    assert pages[0]["next"].startswith("http://testserver/api/documents?cursor=")


def test_a_record_added_between_pages_shifts_nothing(client, archive):
    """Keyset, not offset: a record sorting before the cursor is not repeated or skipped over; one
    sorting after it appears in its place."""
    before = catalogue_order()
    first = client.get("/api/documents", {"limit": 10}).json()
    assert ids([first]) == before[:10]

    add_document("inserted-early", date(1801, 1, 1))  # sorts before everything seen
    last_seen = Document.objects.get(id=before[9]).date_start
    add_document("inserted-later", last_seen.replace(year=last_seen.year + 1))

    rest = walk(client, first["next"])
    walked = ids([first]) + ids(rest)
    assert "inserted-early" not in walked
    assert walked == [i for i in catalogue_order() if i != "inserted-early"]
    assert len(walked) == len(set(walked)) == len(before) + 1


def test_a_collection_pages_by_cursor_after_a_numbered_page(client, archive):
    volume = Collection.objects.exclude(slug="wilson-center-digital-archive").get()
    order = list(
        volume.documents.order_by(F("date_start").asc(nulls_first=True), "id").values_list(
            "id", flat=True
        )
    )
    page_two = client.get(f"/api/collections/{volume.slug}", {"page": 2, "limit": 10}).json()
    assert [d["id"] for d in page_two["documents"]] == order[10:20]
    following = client.get(page_two["next"]).json()
    assert following["page"] is None and following["per_page"] == 10
    assert [d["id"] for d in following["documents"]] == order[20:30]
    rest = walk(client, following["next"])
    assert [d["id"] for p in rest for d in p["documents"]] == order[30:]


def test_search_cursor_continues_the_query_by_offset(client, archive):
    """The search engine pages by position: the cursor holds the query, sort and offset, and
    following it gives the same hits as asking for each page by number."""
    params = {"q": "", "sort": "date", "limit": 25}
    first = client.get("/api/search", params).json()
    second = client.get(first["next"]).json()
    assert (second["query"], second["sort"], second["page"], second["per_page"]) == (
        "",
        "date",
        2,
        25,
    )
    by_number = client.get("/api/search", {**params, "page": 2}).json()
    assert second["results"] == by_number["results"]
    pages = walk(client, "/api/search", {**params, "limit": 100})
    assert sum(len(p["results"]) for p in pages) == first["total"]


def test_collections_list_pages_in_series_order(client, archive):
    whole = client.get("/api/collections").json()
    pages = walk(client, "/api/collections", {"limit": 1})
    assert [p["results"][0]["slug"] for p in pages] == [c["slug"] for c in whole["results"]]
    assert len(pages) == whole["total"] == Collection.objects.count()


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("limit", [0, -1, 101, 10**9, "ten"])
def test_limit_outside_1_to_100_is_refused_in_the_error_shape(client, archive, path, limit):
    error = assert_error_shape(client.get(path, {"limit": limit}), 400, "invalid_parameter")
    assert f"limit={str(limit)!r}" in error["message"]


@pytest.mark.parametrize("path", LISTS)
def test_limit_100_is_allowed(client, archive, path):
    response = client.get(path, {"limit": 100})
    assert response.status_code == 200
    assert len(items(response.json())) <= 100


def test_a_tampered_cursor_is_refused(client, archive):
    cursor = parse_qs(urlsplit(client.get("/api/documents", {"limit": 2}).json()["next"]).query)
    token = cursor["cursor"][0]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    error = assert_error_shape(
        client.get("/api/documents", {"cursor": tampered}), 400, "bad_cursor"
    )
    assert "previous page" in error["message"]
    assert_error_shape(client.get("/api/documents", {"cursor": "not a cursor"}), 400, "bad_cursor")


def test_a_cursor_belongs_to_its_own_list(client, archive):
    next_documents = client.get("/api/documents", {"limit": 2}).json()["next"]
    token = parse_qs(urlsplit(next_documents).query)["cursor"][0]
    for other in ("/api/collections", "/api/search", "/api/people", "/api/people/stalin-iosif"):
        error = assert_error_shape(client.get(other, {"cursor": token}), 400, "bad_cursor")
        assert "another list" in error["message"]


def test_search_parameters_beside_a_cursor_must_agree(client, archive):
    first = client.get("/api/search", {"q": "telegram", "limit": 5}).json()
    token = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    same = client.get("/api/search", {"q": "telegram", "cursor": token})
    assert same.status_code == 200 and same.json()["page"] == 2
    error = assert_error_shape(
        client.get("/api/search", {"q": "jet", "cursor": token}), 400, "bad_cursor"
    )
    assert "q='jet'" in error["message"] and "telegram" in error["message"]
    assert_error_shape(client.get("/api/search", {"page": 3, "cursor": token}), 400, "bad_cursor")
    assert_error_shape(client.get("/api/search", {"limit": 5, "per_page": 6}), 400, "bad_query")
