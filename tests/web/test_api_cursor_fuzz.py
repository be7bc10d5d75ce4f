"""Cursors as an attacker would send them (issue 10): damaged, random, or signed with the server's
key but holding what the server never makes. Each is refused with 400 in the one error shape,
never a 500, and no cursor lifts the page size above its cap."""

import random
import string

import pytest
from django.core import signing
from test_api import assert_error_shape

from opis.web.pagination import MAX_LIMIT, SALT

SEARCH_FILTERS = {"q": "", "sort": "relevance"}
LISTS = {  # URL, scope, filters a genuine cursor of that list carries, a genuine position
    "search": ("/api/search", "search", SEARCH_FILTERS, [20]),
    "documents": ("/api/documents", "documents", {}, [None, "a"]),
    "collections": ("/api/collections", "collections", {}, ["", True, 0, "a", "a"]),
    "collection": (
        "/api/collections/wilson-center-digital-archive",
        "collection:wilson-center-digital-archive",
        {},
        [None, "a"],
    ),
    "people": ("/api/people", "people", {"q": ""}, ["a"]),
    "named": ("/api/people", "people", {"q": "Filippov"}, [0]),
    "person": ("/api/people/stalin-iosif", "person:stalin-iosif", {}, [None, "a"]),
}
HUGE = 10**30
# What a forger might sign in place of each field.
LIMITS = [0, -1, MAX_LIMIT + 1, 10**6, HUGE, -HUGE, 1.5, "20", None, True, [20], {"l": 1}]
AFTERS = [None, "x", 5, {}, [HUGE], [-HUGE], [-1], [1.5], [[1]], [{}], ["x" * 10_000],
          [None] * 100, [True], ["x"], [1, 2, 3]]  # fmt: skip
FILTERS = [None, [], "q", {"q": 5}, {"q": None}, {"q": ["a"]}, {"q": "x" * 100_000}, {"s": 1}]


def signed(payload) -> str:
    return signing.dumps(payload, salt=SALT, compress=True)


def forged_payloads(scope: str, filters: dict, after: list):
    genuine = {"s": scope, "a": after, "l": 20, "f": filters}
    yield "not a dict", [genuine]
    for key in genuine:
        yield f"no {key}", {k: v for k, v in genuine.items() if k != key}
    for value in LIMITS:
        yield f"l={value!r:.30}", {**genuine, "l": value}
    for value in AFTERS:
        yield f"a={value!r:.30}", {**genuine, "a": value}
    for value in FILTERS:
        yield f"f={value!r:.30}", {**genuine, "f": value}
    yield "another list", {**genuine, "s": "elsewhere"}


def damaged(token: str, rng: random.Random):
    """Truncations, bit flips, insertions and random text, from one genuine token."""
    for cut in sorted({1, 5, len(token) // 2, len(token) - 1, *rng.sample(range(len(token)), 5)}):
        yield token[:cut]
    for _ in range(20):
        at = rng.randrange(len(token))
        flipped = chr(ord(token[at]) ^ (1 << rng.randrange(7)))
        yield token[:at] + flipped + token[at + 1 :]
    yield token + "A"
    yield token.replace(":", "")
    for size in (1, 10, 60, 500):
        yield "".join(rng.choice(string.printable) for _ in range(size))
        yield rng.randbytes(size).decode("latin-1")


def assert_refused_or_capped(response) -> None:
    if response.status_code == 200:  # a forger who signs a real position gets a real page
        body = response.json()
        size = body.get("limit", body.get("per_page"))
        assert size <= MAX_LIMIT
        assert len(body.get("results", body.get("documents"))) <= MAX_LIMIT
    else:
        assert_error_shape(response, 400)


@pytest.mark.parametrize("name", LISTS)
def test_a_signed_cursor_holding_what_no_page_makes_is_400(client, archive, name):
    url, scope, filters, after = LISTS[name]
    genuine = client.get(url, {"cursor": signed({"s": scope, "a": after, "l": 20, "f": filters})})
    assert genuine.status_code == 200, genuine.content
    for why, payload in forged_payloads(scope, filters, after):
        response = client.get(url, {"cursor": signed(payload)})
        assert response.status_code != 500, why
        assert_refused_or_capped(response)


@pytest.mark.parametrize("limit", [0, -1, MAX_LIMIT + 1, 10**6, HUGE])
@pytest.mark.parametrize("name", LISTS)
def test_no_cursor_lifts_the_page_size_cap(client, archive, name, limit):
    url, scope, filters, after = LISTS[name]
    response = client.get(
        url, {"cursor": signed({"s": scope, "a": after, "l": limit, "f": filters})}
    )
    assert_error_shape(response, 400, "bad_cursor")


@pytest.mark.parametrize("name", LISTS)
def test_a_damaged_cursor_is_400(client, archive, name):
    url, scope, filters, after = LISTS[name]
    token = signed({"s": scope, "a": after, "l": 20, "f": filters})
    rng = random.Random(f"cursor {name}")
    for bad in damaged(token, rng):
        response = client.get(url, {"cursor": bad})
        assert response.status_code == 400, (bad, response.content[:300])
        assert_error_shape(response, 400)
