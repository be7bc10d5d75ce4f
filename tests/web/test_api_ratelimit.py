"""The request budget: a client past it gets 429 in the one error shape with Retry-After; the budget
refills with time, is kept per client, covers search, exports, OAI-PMH and scan renders as well as
the API, and leaves catalogue pages and static files alone."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from test_api import assert_error_shape

from conftest import SEED_ID
from opis.records.models import Document
from opis.web import ratelimit
from opis.web.ratelimit import EXPORT_COST, RENDER_COST, Rate, parse_rate, take_token
from opis.web.scan_pages import cache_dir


@pytest.fixture
def budget_of_3(settings):
    settings.OPIS_API_RATE_LIMIT = "3/minute"


def test_the_fourth_request_in_a_minute_is_429_with_retry_after(client, archive, budget_of_3):
    for _ in range(3):
        assert client.get("/api/collections").status_code == 200
    response = client.get("/api/documents")
    error = assert_error_shape(response, 429, "rate_limited")
    assert "127.0.0.1" in error["message"] and "3 requests per 60 s" in error["message"]
    assert 1 <= int(response["Retry-After"]) <= 20  # one token comes back every 20 s


def test_a_429_is_readable_by_other_sites(client, archive, budget_of_3):
    for _ in range(4):
        response = client.get("/api/collections", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 429
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in response["Access-Control-Expose-Headers"]


def test_each_client_has_its_own_budget(client, archive, budget_of_3):
    for _ in range(4):
        client.get("/api/collections", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/collections", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/collections", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(client, archive, settings):
    settings.OPIS_API_RATE_LIMIT = "1/minute"
    forged = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/api/collections", **forged).status_code == 200
    forged["HTTP_X_FORWARDED_FOR"] = "203.0.113.10"  # ignored: the proxy is not trusted
    assert client.get("/api/collections", **forged).status_code == 429

    settings.OPIS_TRUST_X_FORWARDED_FOR = True
    proxied = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "spoofed, 203.0.113.20"}
    assert client.get("/api/collections", **proxied).status_code == 200  # the proxy saw .20
    proxied["HTTP_X_FORWARDED_FOR"] = "another-spoof, 203.0.113.20"
    assert client.get("/api/collections", **proxied).status_code == 429


def test_catalogue_pages_static_files_and_the_docs_page_are_not_limited(client, archive, settings):
    settings.OPIS_API_RATE_LIMIT = "1/minute"
    client.get("/api/collections")
    assert client.get("/api/collections").status_code == 429
    for path in ("/", f"/documents/{SEED_ID}", "/static/opis/favicon.svg", "/api/docs"):
        response = client.get(path)
        response.close()  # a static file is streamed from an open file
        assert response.status_code == 200, path


def test_zero_turns_the_limit_off(client, archive, settings):
    settings.OPIS_API_RATE_LIMIT = "0"
    assert all(client.get("/api/collections").status_code == 200 for _ in range(130))


def test_the_bucket_refills_with_time():
    rate = Rate(2, 60)
    assert take_token("198.51.100.7", rate, now=1000.0) == 0
    assert take_token("198.51.100.7", rate, now=1000.0) == 0
    assert take_token("198.51.100.7", rate, now=1001.0) == pytest.approx(29.0)
    assert take_token("198.51.100.7", rate, now=1030.0) == 0  # 30 s: one token back


@pytest.mark.parametrize(
    ("text", "rate"),
    [("120/minute", Rate(120, 60)), ("5/s", Rate(5, 1)), ("10000/day", Rate(10000, 86400)),
     ("30/5min", Rate(30, 300)), ("0", None), ("", None)],
)  # fmt: skip
def test_rates_are_read_as_written(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["120", "lots/minute", "120/fortnight", "-1/minute", "0/minute"])
def test_a_bad_rate_is_refused_at_start_naming_the_setting(text):
    with pytest.raises(ImproperlyConfigured, match="OPIS_API_RATE_LIMIT=.*'120/minute'"):
        parse_rate(text)


# ---------------------------------------------------------------------------------------------
# The same budget covers every route that costs the server work (issue 10): searching, exporting,
# harvesting and rendering scans. Pages answer 429 with a page; OAI-PMH answers 503, the status
# its harvesters take as "come back later".


@pytest.fixture
def frozen_clock(monkeypatch):
    """The limiter's clock stopped, so no token comes back while a test spends the budget."""
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_000_000.0))


def seed_scan_url() -> str:
    """A scan page that has not been rendered (the seed is not a PDF: 404 once let through)."""
    return f"/scans/{Document.objects.get(pk=SEED_ID).source_sha256}/1.png"


ROUTES = [  # path, status when refused, content type when refused
    ("/search?q=jet", 429, "text/html"),
    ("/export/search.jsonl?q=jet", 429, "text/html"),
    ("/export/search.csv?q=jet", 429, "text/html"),
    ("/oai?verb=Identify", 503, "text/plain"),
    (None, 429, "text/html"),  # a scan page (its URL needs the catalogue)
]


@pytest.mark.parametrize(("path", "status", "content_type"), ROUTES)
def test_each_costly_route_is_limited_with_retry_after(
    researcher_client, archive, settings, frozen_clock, path, status, content_type
):
    client = researcher_client  # bulk export needs an account
    settings.OPIS_API_RATE_LIMIT = "1/minute"
    path = path or seed_scan_url()
    first = client.get(path)
    assert first.status_code not in (429, 503), path
    refused = client.get(path)
    assert refused.status_code == status, path
    assert refused["Content-Type"].startswith(content_type)
    assert int(refused["Retry-After"]) == 60
    assert "1 requests per 60 s" in refused.content.decode()
    assert_error_shape(client.get("/api/collections"), 429, "rate_limited")  # one budget for all


@pytest.mark.parametrize(
    ("path", "cost"),
    [("/search?q=jet", 1), ("/api/documents", 1), ("/oai?verb=Identify", 1),
     ("/export/search.csv?q=jet", EXPORT_COST), ("/export/search.jsonl?q=jet", EXPORT_COST),
     (None, RENDER_COST)],
)  # fmt: skip
def test_heavier_routes_take_more_of_the_budget(
    researcher_client, archive, settings, frozen_clock, path, cost
):
    client = researcher_client  # bulk export needs an account
    settings.OPIS_API_RATE_LIMIT = "20/minute"
    path = path or seed_scan_url()
    allowed = 0
    while client.get(path).status_code not in (429, 503):
        allowed += 1
    assert allowed == 20 // cost
    refused = client.get(path)
    assert int(refused["Retry-After"]) == cost * 3  # 20 a minute: a token every 3 s


def test_a_scan_page_already_rendered_is_served_free(client, archive, settings, tmp_path):
    settings.OPIS_API_RATE_LIMIT = "1/minute"
    settings.DATA_DIR = tmp_path
    sha256 = archive.get(pk=SEED_ID).source_sha256  # a published record's: readers may see it
    (cache_dir() / sha256).mkdir(parents=True)
    (cache_dir() / sha256 / "1.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    for _ in range(3):
        response = client.get(f"/scans/{sha256}/1.png")
        response.close()
        assert response.status_code == 200
    assert client.get(f"/scans/{sha256}/2.png").status_code == 404  # a render: the one token
    assert client.get(f"/scans/{sha256}/2.png").status_code == 429


def test_a_request_costing_more_than_the_whole_budget_waits_for_a_full_bucket():
    rate = Rate(3, 60)
    assert take_token("198.51.100.8", rate, now=1000.0, cost=EXPORT_COST) == 0  # 3 tokens taken
    assert take_token("198.51.100.8", rate, now=1000.0, cost=EXPORT_COST) == pytest.approx(60.0)
