"""HTTP caching: validators and 304s, and the rendered pages and searches each process keeps.

**Validators.** A record's page, its JSON, its citations, originals and page images carry an
``ETag`` (and ``Last-Modified`` where a time is known), and a conditional GET that still matches
is answered ``304 Not Modified`` before a page is rendered or a file opened. The JSON record and
its citations use the API's rule, the record's ``version`` (``api_curate.etag``: +1 for every
change, the If-Match of a PATCH); originals and page images are named by their sha256, which is
their ETag. A validator is computed only *after* the requester is known to be allowed the thing
(``visibility``): a 304 must never tell a reader that an unpublished record exists.

**What a page is made from.** A record's page shows more than the record: the thread links other
records make to it, whether those are published, its collections. None of that moves the record's
``version``, but every catalogue change reaches the search index, whose commit rewrites
``index/meta.json`` (edits at once, ``records.publication`` and ingest through the index queue).
That file's identity (``generation``) is one ``stat``, so every request can afford it; with the
record's version, its ``updated_at`` and today's date (an embargo ends at midnight with no write at
all) it names the page exactly enough. A change made between a catalogue commit and the index
commit that follows is at worst seen that much later on *other* records' pages; a record's own
change is seen at once, by its version.

**Where pages are kept.** In each web process's own LocMemCache (``CACHES["default"]``), under a
key that carries that generation. ``opis serve --workers N`` runs N processes, and a LocMemCache
cannot be emptied from another process; it need not be: after an ingest or an edit the key is new,
so every process misses once and renders afresh, and old entries age out (LRU, ``MAX_ENTRIES``). A
shared cache (Django's FileBasedCache in the data folder, or the database cache) would need no
generation but costs a file read or a query per hit: 342 µs against 22 µs for a 26 KB page from
FileBasedCache and LocMemCache (docs/benchmarks.md, "Serving"); N copies of a page are a few MB.

**Only pages that do not depend on who asks are shared**: an anonymous reader's. A signed-in
person's page names them, a curator's shows drafts and edit controls; those are rendered every time
and sent ``private, no-store``. The one per-person thing on a reader's page is the CSRF token of
the correction form: a shared page is rendered with a placeholder in its place and each reader's
own token is put in as it is sent, so no token is ever stored or given to someone else.

**Searches** (results with their facets, for the page and ``/api/search``) are kept for
``OPIS_SEARCH_CACHE_SECONDS`` under the same generation: an ingest's index commit or an edit ends
them at once. A process's index reader notices another process's commit by polling (every half
second); so that nothing older is kept under a new commit's key, the first request to see a new
``meta.json`` reloads its process's reader first (``search.index.see_commit``).
"""

import hashlib
import threading
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from opis.records.visibility import readers_version, today
from opis.search import SearchResults, search
from opis.search.index import commit_identity, see_commit

PAGE_SECONDS = 3600  # a shared page's longest life; a new generation ends it sooner
# The CSRF field a shared page is rendered with, and the requester's own token replaces: only
# whole hidden inputs are replaced, and escaped record text can hold no bare quote.
CSRF_PLACEHOLDER = "opis-csrf-placeholder"
_FIELD = 'name="csrfmiddlewaretoken" value="{}"'
VARY = ("Cookie", "Authorization")
# One render per page key at a time in a process: after an index commit every thread of a busy
# process misses the same key at once, and rendering it once is enough. Striped, so that the
# locks are bounded however many pages there are (two keys may share a stripe: harmless).
_RENDERING = [threading.Lock() for _ in range(64)]


def generation() -> str:
    """Which state of the catalogue the index reflects: the identity of the index's last commit."""
    return _index_commit()[0]


def _index_commit() -> tuple[str, datetime | None]:
    """The index's last commit: its identity, and when it was made (a page may have changed
    then); one ``stat``."""
    identity, made = commit_identity()
    if made is None:
        return identity, None
    see_commit(identity)  # what is searched and kept under this identity is at least this new
    return identity, datetime.fromtimestamp(int(made), tz=UTC)


def signed_in(request: HttpRequest) -> bool:
    """Whether the page may name or depend on the requester (a session or an API token)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def not_modified(
    request: HttpRequest, etag: str, last_modified: datetime | None = None
) -> HttpResponse | None:
    """A 304 when the request's If-None-Match (or, lacking one, If-Modified-Since) still holds;
    else None. Only for what the requester may see: callers check visibility first."""
    stamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is not None:
        with_validators(response, etag, last_modified)
    return response


def with_validators(
    response: HttpResponse, etag: str, last_modified: datetime | None = None
) -> HttpResponse:
    """The validators on a response; it varies with who asks (a session, a token)."""
    response.headers.setdefault("ETag", etag)
    if last_modified is not None:
        response.headers.setdefault("Last-Modified", http_date(int(last_modified.timestamp())))
    patch_vary_headers(response, VARY)
    return response


# A record's page -------------------------------------------------------------------------------


def record_page(
    request: HttpRequest, document_id: str, render: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """A record's page: 304 for a reader whose copy still holds, a shared page from this process's
    cache, or ``render(extra_context)``. Signed-in people always get a fresh, unstored page."""
    if signed_in(request):
        response = render({})
        patch_cache_control(response, private=True, no_store=True)
        return response
    mark, committed = _index_commit()  # read first: what is read after it is at least this new
    state = readers_version(document_id)
    if state is None:
        return render({})  # not there for readers: the view's own 404
    version, updated = state
    digest = _digest(mark, updated, today(), request.GET.urlencode())
    etag = f'W/"{version}-{digest}"'
    last_modified = max(updated, committed) if committed else updated
    cached = not_modified(request, etag, last_modified)
    if cached is None:
        key = f"opis:page:{request.get_host()}:{document_id}:{etag}" if not request.GET else None
        cached = shared_page(request, key, render)
        with_validators(cached, etag, last_modified)
    patch_cache_control(cached, private=True, no_cache=True)  # revalidated: 304 when unchanged
    return cached


def shared_page(
    request: HttpRequest, key: str | None, render: Callable[[dict], HttpResponse]
) -> HttpResponse:
    """The page kept under ``key`` (None: keep nothing), rendered when missing, with the
    requester's own CSRF token put where the placeholder is."""
    kept = cache.get(key) if key else None
    if kept is None:
        with _RENDERING[hash(key) % len(_RENDERING)] if key else nullcontext():
            kept = cache.get(key) if key else None  # rendered by another thread meanwhile?
            if kept is None:
                response = render({"csrf_token": CSRF_PLACEHOLDER})
                if response.status_code != 200 or response.streaming:
                    return response
                kept = (response.content, response["Content-Type"])
                if key:
                    cache.set(key, kept, PAGE_SECONDS)
    content, content_type = kept
    placeholder = _FIELD.format(CSRF_PLACEHOLDER).encode()
    if placeholder in content:
        content = content.replace(placeholder, _FIELD.format(get_token(request)).encode())
    return HttpResponse(content, content_type=content_type)


# Searches --------------------------------------------------------------------------------------


def search_page(request: HttpRequest, render: Callable[[dict], HttpResponse]) -> HttpResponse:
    """The search page: an anonymous reader's is shared for ``OPIS_SEARCH_CACHE_SECONDS``."""
    if signed_in(request) or not settings.OPIS_SEARCH_CACHE_SECONDS:
        return render({})
    asked = sorted(request.GET.lists())  # every parameter: the page may read any of them
    key = "opis:search-page:" + _digest(request.get_host(), generation(), today(), asked)
    return shared_page(request, key, render)


def searched(query: str, *, sort: str, page: int, per_page: int, staff: bool) -> SearchResults:
    """``search()``, kept for ``OPIS_SEARCH_CACHE_SECONDS`` under the index's generation (hits
    and facets are the same for everyone of one audience: readers, or staff)."""
    seconds = settings.OPIS_SEARCH_CACHE_SECONDS
    if not seconds:
        return search(query, sort=sort, page=page, per_page=per_page, staff=staff)
    key = "opis:search:" + _digest(generation(), today(), query, sort, page, per_page, staff)
    results = cache.get(key)
    if results is None:
        results = search(query, sort=sort, page=page, per_page=per_page, staff=staff)
        cache.set(key, results, seconds)
    return results


def search_key(request: HttpRequest, *parts) -> str | None:
    """The key of one answer of ``/api/search`` (None: keep nothing); its ``next`` link names the
    host it was asked on."""
    if not settings.OPIS_SEARCH_CACHE_SECONDS:
        return None
    return "opis:api-search:" + _digest(request.get_host(), generation(), today(), parts)


def kept_response(key: str | None, make: Callable[[], HttpResponse]) -> HttpResponse:
    """The body kept under ``key`` for ``OPIS_SEARCH_CACHE_SECONDS``, or ``make()``'s, kept if
    it is a 200. Serialising a page of hits and facets cost more than finding them."""
    kept = cache.get(key) if key else None
    if kept is None:
        response = make()
        if not key or response.status_code != 200 or response.streaming:
            return response
        kept = (response.content, response["Content-Type"])
        cache.set(key, kept, settings.OPIS_SEARCH_CACHE_SECONDS)
    content, content_type = kept
    return HttpResponse(content, content_type=content_type)


def _digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
