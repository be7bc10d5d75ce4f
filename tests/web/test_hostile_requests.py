"""Requests as an attacker would send them (issue 10): whatever the query, the method or the file
asked for, every route answers quickly, in bounded size, never 500, and logs nothing unbounded."""

import json
import logging
import time
from urllib.parse import urlencode

import pytest
from hostile import HOSTILE_QUERIES
from test_api import assert_error_shape

from conftest import SEED_ID
from opis.records.models import Collection, Document
from opis.search import search
from opis.search.query import MAX_QUERY_CHARS
from opis.web import caching
from opis.web.filters import chips

# Every route a query reaches. The exports stream every hit, so only their header is bounded.
QUERY_ROUTES = ["/api/search", "/search", "/export/search.jsonl", "/export/search.csv"]
# A page echoes the query in each facet link (at most ~80: types, languages, archives, collections,
# 30 persons, years), each at most MAX_QUERY_CHARS characters, three bytes each when escaped
# ("(" is %28), beside ~60 KB of page: bounded by the query's cap, whatever was sent.
MAX_PAGE_BYTES = 60_000 + 80 * 3 * MAX_QUERY_CHARS
LONG = [q for q in HOSTILE_QUERIES if len(q) > MAX_QUERY_CHARS]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("route", QUERY_ROUTES)
@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:20]) + f"×{len(q)}")
def test_every_route_answers_every_query_quickly_in_bounded_size(
    researcher_client, archive, route, query
):
    client = researcher_client  # bulk export needs an account
    started = time.perf_counter()
    response = client.get(route, {"q": query})
    body = body_of(response)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, body[:500]
    assert elapsed < 3, f"{elapsed:.1f} s"  # 13 s before chips were built in one pass
    if route == "/export/search.jsonl":
        header = json.loads(body.split(b"\n", 1)[0])
        assert len(header["query"] or "") <= MAX_QUERY_CHARS
    elif not route.startswith("/export/"):
        assert len(body) < MAX_PAGE_BYTES, f"{len(body):,} bytes"


@pytest.mark.parametrize("query", LONG, ids=lambda q: repr(q[:20]) + f"×{len(q)}")
def test_a_long_query_is_read_to_its_bound_and_says_so(client, archive, query):
    body = client.get("/api/search", {"q": query}).json()
    assert len(body["query"]) <= MAX_QUERY_CHARS
    assert f"first {MAX_QUERY_CHARS} characters" in " ".join(body["messages"])
    page = client.get("/search", {"q": query})
    assert f"first {MAX_QUERY_CHARS} characters" in page.content.decode()
    assert len(page.context["query"]) <= MAX_QUERY_CHARS


def test_an_error_page_does_not_echo_a_long_query_whole(client, archive):
    response = client.get("/search", {"q": "x" * 100_000, "page": "abc"})
    assert response.status_code == 400
    assert len(response.content) < MAX_PAGE_BYTES


# ---------------------------------------------------------------------------------------------
# Chips: one per filter, however often it is written, built in one pass.


@pytest.mark.parametrize(
    ("query", "labels", "removed"),
    [
        ("type:telegram", ["Document type: telegram"], [""]),
        ("lang:ru korea Language:RU", ["Language: Russian (ru)"], ["korea"]),
        ("year:1950 type:telegram year:1950", ["Year: 1950", "Document type: telegram"],
         ["type:telegram", "year:1950 year:1950"]),
        ("year:1950..1940 " * 6000, ["Year: 1950..1940"], [""]),
    ],
)  # fmt: skip
def test_a_filter_written_many_times_is_one_chip(archive, query, labels, removed):
    results = search("")
    started = time.perf_counter()
    found = chips(query, "relevance", results)
    assert time.perf_counter() - started < 1
    assert [chip.label for chip in found] == labels
    assert [chip.remove_url for chip in found] == [
        "/search?" + urlencode({"q": r}) for r in removed
    ]


# ---------------------------------------------------------------------------------------------
# Scans: only a PDF has pages.


@pytest.mark.parametrize("page", [1, 2, 999999])
def test_the_pages_of_an_original_that_is_not_a_pdf_are_404(client, archive, page):
    sha256 = Document.objects.get(pk=SEED_ID).source_sha256  # the seed is Markdown, kept
    response = client.get(f"/scans/{sha256}/{page}.png")
    assert response.status_code == 404
    assert "not a PDF" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Methods: HEAD wherever GET is, TRACE nowhere.


def api_get_urls() -> dict[str, str]:
    """A URL for each GET operation the OpenAPI declares, keyed by its path template."""
    slug = Collection.objects.order_by("slug").values_list("slug", flat=True).first()
    return {
        "/api/search": "/api/search?q=jet",
        "/api/documents": "/api/documents?limit=2",
        "/api/documents/{document_id}/cite": f"/api/documents/{SEED_ID}/cite?style=bibtex",
        "/api/documents/{document_id}": f"/api/documents/{SEED_ID}",
        "/api/documents/{document_id}/versions": f"/api/documents/{SEED_ID}/versions",
        "/api/documents/{document_id}/versions/{n}": f"/api/documents/{SEED_ID}/versions/1",
        "/api/collections": "/api/collections",
        "/api/collections/{slug}": f"/api/collections/{slug}?limit=2",
        "/api/people": "/api/people?q=Filippov",
        "/api/people/{person_id}": "/api/people/stalin-iosif",
    }


def test_head_answers_every_api_get_as_get_does_without_a_body(client, archive):
    declared = client.get("/api/openapi.json").json()["paths"]
    urls = api_get_urls()
    assert {path for path, ops in declared.items() if "get" in ops} == set(urls)
    for url in [*urls.values(), "/api/openapi.json", "/api/no-such-thing", "/api/documents/nope"]:
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code, url
        assert head["Content-Type"] == got["Content-Type"], url
        assert head.content == b"", url
        assert int(head["Content-Length"]) == len(got.content), url


@pytest.mark.parametrize("path", ["/", "/search?q=jet", f"/documents/{SEED_ID}", "/oai"])
def test_head_on_a_page_is_its_get_without_a_body(client, archive, path):
    got, head = client.get(path), client.head(path)
    assert (head.status_code, head.content) == (got.status_code, b"")


@pytest.mark.parametrize("method", ["trace", "connect"])
@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=jet", f"/documents/{SEED_ID}", "/collections/", "/export/search.csv",
     "/oai", "/api/search", "/api/documents", "/api/docs", "/static/opis/favicon.svg"],
)  # fmt: skip
def test_trace_and_connect_are_405_everywhere(client, archive, method, path):
    response = client.generic(method.upper(), path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    if path.startswith("/api/"):
        assert_error_shape(response, 405, "method_not_allowed")


# ---------------------------------------------------------------------------------------------
# Logs: a long URL is logged by its start and its length.


def test_an_unexpected_error_logs_a_long_url_cut(client, archive, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(caching, "search", broken)  # the API searches through its cache
    with caplog.at_level(logging.ERROR, logger="opis.web"):
        response = client.get("/api/search", {"q": "x" * 100_000})
    assert_error_shape(response, 500, "server_error")
    [record] = [r for r in caplog.records if r.name == "opis.web"]
    logged = record.getMessage()
    assert len(logged) < 400 and "characters)" in logged
