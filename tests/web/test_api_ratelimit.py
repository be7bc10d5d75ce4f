"""The request budget: a client past it gets 429 in the one error shape with Retry-After; the budget
refills with time, is kept per client, and leaves pages and static files alone."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from test_api import assert_error_shape

from opis.web.ratelimit import Rate, parse_rate, take_token


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


def test_pages_static_files_and_the_docs_page_are_not_limited(client, archive, settings):
    settings.OPIS_API_RATE_LIMIT = "1/minute"
    client.get("/api/collections")
    assert client.get("/api/collections").status_code == 429
    for path in ("/", "/search?q=jet", "/static/opis/favicon.svg", "/api/docs"):
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
