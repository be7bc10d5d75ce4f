"""A request budget per client for the JSON API: a token bucket kept in Django's cache.

Each client (its address, see ``client_address``) has a bucket that holds at most N tokens and
refills at N per period (``OPIS_API_RATE_LIMIT``, e.g. "120/minute"; "0" turns the limit off).
A request to ``/api/`` takes one token; with none left the answer is 429 in the one error shape,
with ``Retry-After`` saying when the next token arrives. Bursts up to N are allowed, which suits a
script fetching a page of records after a search.

The buckets live in the cache framework (``CACHES["default"]``; LocMemCache unless configured), so
web workers that share a cache (Redis, Memcached, the database cache) share the budget. Reading
and writing a bucket are two cache calls, not one atomic step: two simultaneous requests from one
client may both take the last token, so a client can exceed its budget by at most the number of
requests it has in flight at once. That is the price of working with every cache backend.
"""

import hashlib
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from opis.web.errors import json_error

API_PREFIX = "/api/"
EXEMPT = {"/api/docs"}  # the HTML page of the API's documentation, like any other page
PERIODS = {
    "s": 1, "sec": 1, "second": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600,
    "d": 86400, "day": 86400,
}  # fmt: skip


@dataclass(frozen=True)
class Rate:
    requests: int
    period: int  # seconds

    def __str__(self) -> str:
        return f"{self.requests} requests per {self.period} s"


@lru_cache(maxsize=16)
def parse_rate(text: str) -> Rate | None:
    """ "120/minute" → Rate(120, 60); "0" or "" → None (no limit); anything else is refused."""
    text = (text or "").strip().lower()
    if text in ("", "0"):
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?", text)
    if not match or match.group(3) not in PERIODS or int(match.group(1)) < 1:
        raise ImproperlyConfigured(
            f"OPIS_API_RATE_LIMIT={text!r} is not a rate; write requests/period such as"
            " '120/minute', '5/second', '10000/day', or '0' for no limit"
        )
    period = PERIODS[match.group(3)] * int(match.group(2) or 1)
    return Rate(int(match.group(1)), period)


def client_address(request: HttpRequest) -> str:
    """Who is asking: REMOTE_ADDR, or behind a trusted reverse proxy the address that proxy saw.

    A proxy appends the address it saw to X-Forwarded-For, so with one trusted proxy in front the
    client is the *last* entry; earlier entries come from the client itself and could be forged to
    dodge the limit. Without ``OPIS_TRUST_X_FORWARDED_FOR`` the header is ignored altogether.
    """
    if getattr(settings, "OPIS_TRUST_X_FORWARDED_FOR", False):
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops and hops[-1]:
            return hops[-1]
    return request.META.get("REMOTE_ADDR") or "unknown"


def take_token(client: str, rate: Rate, now: float | None = None) -> float:
    """Take one token from the client's bucket: 0 if granted, else seconds until the next token."""
    now = time.time() if now is None else now
    key = "opis:ratelimit:" + hashlib.sha256(client.encode()).hexdigest()[:32]
    tokens, updated = cache.get(key) or (float(rate.requests), now)
    refill = max(0.0, now - updated) * rate.requests / rate.period
    tokens = min(float(rate.requests), tokens + refill)
    if tokens < 1:
        cache.set(key, (tokens, now), timeout=rate.period)
        return (1 - tokens) * rate.period / rate.requests
    cache.set(key, (tokens - 1, now), timeout=rate.period)
    return 0.0


class RateLimitMiddleware:
    """Answers 429 to a client past its budget on ``/api/``; pages and static files are free."""

    def __init__(self, get_response):
        self.get_response = get_response
        parse_rate(getattr(settings, "OPIS_API_RATE_LIMIT", "0"))  # a bad value fails at start

    def __call__(self, request: HttpRequest):
        rate = parse_rate(getattr(settings, "OPIS_API_RATE_LIMIT", "0"))
        path = request.path_info
        if rate is None or not path.startswith(API_PREFIX) or path in EXEMPT:
            return self.get_response(request)
        client = client_address(request)
        wait = take_token(client, rate)
        if not wait:
            return self.get_response(request)
        seconds = max(1, math.ceil(wait))
        response = json_error(
            429,
            "rate_limited",
            f"too many requests from {client}: the API allows {rate}; wait {seconds} s"
            " (see Retry-After) and try again, or fetch up to 100 records a page with limit=",
        )
        response["Retry-After"] = str(seconds)
        return response
