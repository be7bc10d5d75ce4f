"""A request budget per client for everything that costs the server work: a token bucket kept in
Django's cache.

Each client (its address, see ``client_address``) has one bucket that holds at most N tokens and
refills at N per period (``OPIS_API_RATE_LIMIT``, e.g. "120/minute"; "0" turns the limit off).
A request to the API, the search page or OAI-PMH takes one token; a download of a search's results
(``/export/``) takes ``EXPORT_COST`` and a scan page rendered from its PDF ``RENDER_COST`` (an image
rendered before is a file and free), each at most N. With too few left the answer says when enough
will have come back, in ``Retry-After``: 429 in the one error shape under ``/api/``, 429 with a page
in the reading room, and 503 at ``/oai``, the status OAI-PMH gives harvesters for "come back later"
(OAI-PMH 2.0, 3.1.2.2). Bursts up to N are allowed, which suits a script fetching a page of records
after a search. Pages that only read the catalogue (a document, a collection) and static files are
not counted.

The buckets live in the cache framework (``CACHES["default"]``; LocMemCache unless configured), so
web workers that share a cache (Redis, Memcached, the database cache) share the budget. Reading
and writing a bucket are two cache calls, not one atomic step: two simultaneous requests from one
client may both take the last token, so a client can exceed its budget by at most the number of
requests it has in flight at once. That is the price of working with every cache backend.
"""

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from opis.web.errors import error_page, json_error
from opis.web.scan_pages import is_rendered

EXPORT_COST = 10  # tokens a download of a search's results takes: it reads every matching record
RENDER_COST = 5  # tokens a scan page takes when it must be rendered from its PDF
# by URL name; every "export-<format>" costs EXPORT_COST
COSTS = {"search": 1, "oai": 1, "network": 1, "network-json": 1, "scan-words": 1}
API_NAMESPACE = "api"  # every API operation takes one token, except its documentation page:
FREE_API_VIEWS = {"openapi-view"}
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


def client_ip(request: HttpRequest) -> str | None:
    """``client_address`` as django-axes keeps it (``AXES_CLIENT_IP_CALLABLE``): an IP address,
    or None. Its tables hold the address in an IP column, which PostgreSQL checks: "unknown" (no
    REMOTE_ADDR) or a proxy's odd hop would make a sign-in a 500 there, while SQLite stores any
    text."""
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def take_token(client: str, rate: Rate, now: float | None = None, cost: int = 1) -> float:
    """Take ``cost`` tokens (at most the bucket's size) from the client's bucket: 0 if granted,
    else seconds until there are enough."""
    now = time.time() if now is None else now
    cost = min(cost, rate.requests)
    key = "opis:ratelimit:" + hashlib.sha256(client.encode()).hexdigest()[:32]
    tokens, updated = cache.get(key) or (float(rate.requests), now)
    refill = max(0.0, now - updated) * rate.requests / rate.period
    tokens = min(float(rate.requests), tokens + refill)
    if tokens < cost:
        cache.set(key, (tokens, now), timeout=rate.period)
        return (cost - tokens) * rate.period / rate.requests
    cache.set(key, (tokens - cost, now), timeout=rate.period)
    return 0.0


def request_cost(request: HttpRequest, view_kwargs: dict) -> int:
    """The tokens a request takes, by the route it resolved to; 0 for routes not counted."""
    match = request.resolver_match
    if match is None:
        return 0
    if match.namespace == API_NAMESPACE:
        return 0 if match.url_name in FREE_API_VIEWS else 1
    if match.url_name in ("scan-page", "iiif-image", "iiif-info"):  # the same PNG, rendered once
        rendered = is_rendered(str(view_kwargs.get("sha256")), int(view_kwargs.get("n", 0)))
        return 0 if rendered else RENDER_COST
    if (match.url_name or "").startswith("export-"):
        return EXPORT_COST
    return COSTS.get(match.url_name, 0)


class RateLimitMiddleware:
    """Answers a client past its budget before the view runs; free routes pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response
        parse_rate(getattr(settings, "OPIS_API_RATE_LIMIT", "0"))  # a bad value fails at start

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, view_args, view_kwargs):
        """Runs once the URL is resolved, so a route is known by its name, not its path."""
        rate = parse_rate(getattr(settings, "OPIS_API_RATE_LIMIT", "0"))
        cost = request_cost(request, view_kwargs) if rate else 0
        if not cost:
            return None
        client = client_address(request)
        wait = take_token(client, rate, cost=cost)
        return refusal(request, client, rate, max(1, math.ceil(wait))) if wait else None


def refusal(request: HttpRequest, client: str, rate: Rate, seconds: int) -> HttpResponse:
    """429 in the API's error shape or as a page, or 503 for OAI-PMH; Retry-After on each."""
    name = request.resolver_match.url_name if request.resolver_match else None
    if request.resolver_match and request.resolver_match.namespace == API_NAMESPACE:
        response = json_error(
            429,
            "rate_limited",
            f"too many requests from {client}: the API allows {rate}; wait {seconds} s"
            " (see Retry-After) and try again, or fetch up to 100 records a page with limit=",
        )
    elif name == "oai":
        response = HttpResponse(
            f"Too many requests from {client}: this repository allows {rate}; retry after"
            f" {seconds} s.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    else:
        response = error_page(
            request,
            429,
            "rate_limited",
            f"Too many requests from {client}: this archive allows {rate} (a download of"
            f" results counts as {EXPORT_COST}, a scan page shown for the first time as"
            f" {RENDER_COST}). Wait {seconds} s and try again.",
        )
    response["Retry-After"] = str(seconds)
    return response
