"""The JSON API at /api/: search, documents, collections, people and citations, described by
OpenAPI at /api/docs.

Responses are exactly what the CLI's ``--json`` prints (``SearchResults.as_json``,
``document_json``), declared as schemas (``api_schemas``) so the OpenAPI description is exact;
every list carries ``next`` (``pagination``). Every failure, django-ninja's own validation errors
included, comes back in the one shape from ``error_body``, and each operation declares its error
statuses, so a client generated from the OpenAPI knows them. People live in ``api_people``; the
request budget and CORS are middleware (``ratelimit``, ``cors``).
"""

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI, Path, Query
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger

from opis.cite import STYLES, cite, get_style
from opis.errors import BadQuery, OpisError
from opis.records import holdings
from opis.records.visibility import load_visible, visible_record
from opis.search.engine import MAX_OFFSET
from opis.web import caching
from opis.web.access import staff_view
from opis.web.api_curate import declare_curation, etag
from opis.web.api_people import people_router
from opis.web.api_schemas import (  # noqa: F401  (the record schemas are part of this module's API)
    ERRORS,
    CollectionListOut,
    CollectionPageOut,
    DocumentListOut,
    DocumentOut,
    ErrorOut,
    SearchOut,
    document_brief,
)
from opis.web.errors import abbreviated, error_body, method_errors_as_json
from opis.web.pagination import (
    CURSOR,
    MAX_LIMIT,
    BadCursor,
    choose_limit,
    keyset_page,
    make_cursor,
    next_url,
    read_cursor,
)

logger = logging.getLogger("opis.web")


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's bundled files, served by opis: no CDN, no inline script."""

    template = "opis/api_docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, self.template, {"api": api, "swagger_settings": self.settings})


api = NinjaAPI(
    title="opis API",
    version="1",
    description=(
        "Search and read the opis archive of diplomatic documents. Answers are JSON (citations"
        ' are text in their own format); errors have the shape {"error": {"status", "code",'
        ' "message"}}. Lists answer one page and `next`, the URL of the following page (null on'
        " the last); `limit` is 1 to 100. Each client may make OPIS_API_RATE_LIMIT requests"
        " (default 120 a minute); past it the answer is 429 with Retry-After."
    ),
    docs=LocalSwagger(),
    urls_namespace="api",
)


# --- Endpoints ------------------------------------------------------------------------------

LIMIT = Query(None, ge=1, le=MAX_LIMIT, description=f"Records per page, 1 to {MAX_LIMIT}")
PER_PAGE = Query(None, ge=1, le=MAX_LIMIT, description="The former name of limit; still accepted")
DOCUMENT_ID = Path(..., description="The record's id; may contain /", example="wcda-110692")


@api.get("/search", response={200: SearchOut, **ERRORS}, summary="Search the archive")
def search_documents(
    request: HttpRequest,
    q: str = Query(
        None,
        description="The query, as in the search box",
        example="jet fighter type:telegram",
    ),
    sort: str = Query(
        None,
        description="relevance (default), date (oldest first), -date",
        example="date",
    ),
    page: int = Query(None, ge=1, description="Page number; or follow next instead"),
    limit: int = LIMIT,
    per_page: int = PER_PAGE,
    cursor: str = CURSOR,
):
    """What ``opis search --json`` prints, with ``next``; ``messages`` say how the query was read.

    The search engine ranks and pages by position, so a search cursor holds the offset of the next
    page with the query: a record indexed between two requests can shift a search's pages (unlike
    the catalogue's lists, which are keyset paginated)."""
    size = one_limit(limit, per_page)
    if cursor:
        position = read_cursor("search", cursor, "q", "sort")
        query, order = position.filters["q"], position.filters["sort"]
        agree(q=(q, query), sort=(sort, order), limit=(size, position.limit), page=(page, None))
        size, offset = position.limit, position.offset()
    else:
        query, order, size = q or "", sort or "relevance", size or 20
        offset = ((page or 1) - 1) * size
    staff = staff_view(request)
    kept = caching.search_key(request, query, order, offset, size, staff)
    return caching.kept_response(
        kept,
        lambda: api.create_response(
            request, _found(request, query, order, offset, size, staff), status=200
        ),
    )


def _found(request: HttpRequest, query: str, order: str, offset: int, size: int, staff: bool):
    """One page of a search as ``SearchOut`` writes it (validated here, so that a kept answer is
    sent as it was made)."""
    results = caching.searched(
        query, sort=order, page=offset // size + 1, per_page=size, staff=staff
    )
    following = offset + size
    more = following < results.total and following <= MAX_OFFSET
    token = make_cursor("search", [following], size, q=results.query, sort=order) if more else None
    return SearchOut.model_validate(
        {**results.as_json(), "next": next_url(request, token)}
    ).model_dump()


@api.get("/documents", response={200: DocumentListOut, **ERRORS}, summary="List documents")
def list_documents(request: HttpRequest, limit: int = LIMIT, cursor: str = CURSOR):
    """Every document in date order (undated first), keyset paginated: records added between two
    requests never shift the pages already seen, nor repeat a record across pages."""
    position = read_cursor("documents", cursor) if cursor else None
    size = choose_limit(limit, position, 50)
    shown = holdings.documents(public=not staff_view(request))
    documents, token = keyset_page("documents", shown, position, size)
    return {
        "total": shown.count(),
        "limit": size,
        "next": next_url(request, token),
        "results": [document_brief(d) for d in documents],
    }


@api.get(
    "/documents/{path:document_id}/cite",
    response=ERRORS,
    summary="Cite a document",
    openapi_extra={
        "responses": {
            200: {
                "description": "The citation, as text in its format",
                "content": {
                    style.media_type: {
                        "schema": {"type": "array" if "json" in style.media_type else "string"}
                    }
                    for style in STYLES.values()
                },
            }
        }
    },
)
def cite_document(
    request: HttpRequest,
    document_id: str = DOCUMENT_ID,
    style: str = Query("chicago-note", description=", ".join(STYLES)),
):
    """The citation in one style, as ``opis cite`` prints it, with the style's media type.
    Declared before the record's route: ids may contain ``/``, so that route would match too."""
    chosen = get_style(style)
    record = visible_record(load_visible(document_id, request.user), request.user)
    unchanged = caching.not_modified(request, etag(record))  # the record's rule: its version
    if unchanged is not None:
        return unchanged
    page = request.build_absolute_uri(reverse("document", args=[record["id"]]))
    text = cite(record, chosen.name, page_url=page)  # the page: for records with no source URL
    response = caching.with_validators(
        HttpResponse(text, content_type=f"{chosen.media_type}; charset=utf-8"), etag(record)
    )
    safe_id = "".join(c if c.isalnum() or c in "-_." else "-" for c in document_id)
    filename = f"{safe_id}.{chosen.extension}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


declare_curation(api.default_router)  # PATCH and versions: before the record's route, as cite


@api.get("/documents/{path:document_id}", response={200: DocumentOut, **ERRORS})
def get_document(request: HttpRequest, response: HttpResponse, document_id: str = DOCUMENT_ID):
    """One record, as ``opis show --json`` prints it, its version as the ETag (``If-Match`` of a
    PATCH); a GET with If-None-Match of that version is 304. Ids may contain ``/``."""
    record = visible_record(load_visible(document_id, request.user), request.user)
    unchanged = caching.not_modified(request, etag(record))
    if unchanged is not None:
        return unchanged
    caching.with_validators(response, etag(record))
    return record


@api.get("/collections", response={200: CollectionListOut, **ERRORS}, summary="List collections")
def list_collections(request: HttpRequest, limit: int = LIMIT, cursor: str = CURSOR):
    """Collections in series order (a series' volumes by number), keyset paginated."""
    position = read_cursor("collections", cursor) if cursor else None
    size = choose_limit(limit, position, MAX_LIMIT)
    ordered = sorted(holdings.collection_summaries(not staff_view(request)), key=collection_key)
    after = position.key(str, bool, int, str, str) if position else None
    remaining = [c for c in ordered if after is None or collection_key(c) > after]
    shown = remaining[:size]
    token = None
    if len(remaining) > size:
        token = make_cursor("collections", list(collection_key(shown[-1])), size)
    return {
        "total": len(ordered),
        "limit": size,
        "next": next_url(request, token),
        "results": [collection_json(c) for c in shown],
    }


@api.get("/collections/{slug}", response={200: CollectionPageOut, **ERRORS})
def get_collection(
    request: HttpRequest,
    slug: str = Path(..., example="wilson-center-digital-archive"),
    page: int = Query(None, ge=1, description="Page number; or follow next instead"),
    limit: int = LIMIT,
    per_page: int = PER_PAGE,
    cursor: str = CURSOR,
):
    """A collection and one page of its documents in date order, keyset paginated (``page``
    still picks a page by number; its ``next`` continues by cursor)."""
    public = not staff_view(request)
    collection = holdings.collection_summary(slug, public)
    scope = f"collection:{slug}"
    position = read_cursor(scope, cursor) if cursor else None
    if position:
        agree(page=(page, None))
    size = choose_limit(one_limit(limit, per_page), position, 50)
    pages = max(1, -(-collection.count // size))
    if page and page > pages:
        raise BadQuery(
            f"page={page} is past the end; collection {slug!r} has {pages} page(s) of {size}"
        )
    offset = (page - 1) * size if page else 0
    shown = holdings.collection_documents(collection, public)
    documents, token = keyset_page(scope, shown, position, size, offset)
    return {
        **collection_json(collection),
        "page": page if position is None else None,
        "per_page": size,
        "pages": pages,
        "next": next_url(request, token),
        "documents": [document_brief(d) for d in documents],
    }


def collection_key(collection) -> tuple:
    """Series order: series, then volume number (unnumbered last), title, slug (unique)."""
    position = collection.position
    return (collection.series, position is None, position or 0, collection.title, collection.slug)


def collection_json(collection) -> dict:
    return {
        "slug": collection.slug,
        "title": collection.title,
        "series": collection.series or None,
        "position": collection.position,
        "count": collection.count,
        "span": {
            "first": collection.first.isoformat() if collection.first else None,
            "last": collection.last.isoformat() if collection.last else None,
        },
    }


def one_limit(limit: int | None, per_page: int | None) -> int | None:
    """``limit``, or ``per_page`` (its former name) for clients written before cursors."""
    if limit is not None and per_page is not None and limit != per_page:
        raise BadQuery(f"limit={limit} and per_page={per_page} disagree; send only limit")
    return limit if limit is not None else per_page


def agree(**given) -> None:
    """A cursor carries its list's parameters; the same ones given beside it must not differ."""
    for name, (value, expected) in given.items():
        if value is not None and value != expected:
            kept = f"the cursor continues {name}={expected!r}" if expected is not None else ""
            raise BadCursor(
                f"{name}={value!r} does not fit the cursor ({kept or 'a cursor replaces it'});"
                f" drop {name}= to continue, or drop cursor= to start a new list"
            )


api.add_router("/people", people_router)


# --- Errors: one shape for all -------------------------------------------------------------


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(request, error_body(status, code, message), status=status)


@api.exception_handler(OpisError)
def opis_error(request: HttpRequest, exc: OpisError) -> HttpResponse:
    return _error(request, exc.http_status, exc.code, exc.message)


@api.exception_handler(ValidationError)
def invalid_parameter(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Name each bad parameter, the value given and the rule, instead of pydantic's list."""
    problems = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        name = location[-1] if location else "request"
        given = request.GET.get(name)
        shown = f"{name}={given!r}" if given is not None else name
        problems.append(f"{shown}: {str(error.get('msg', 'invalid')).lower()}")
    message = "; ".join(problems) + " (each parameter's rules are at /api/docs)"
    return _error(request, 400, "invalid_parameter", message)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, "http_error", exc.message)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", f"nothing at {request.path}; see /api/docs")


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug, not an input problem: logged with its traceback, reported without one."""
    logger.exception("unexpected error on %s", abbreviated(request.get_full_path()))
    return _error(
        request, 500, "server_error", "the archive could not answer this request; please try again"
    )


def urls():
    """The API's URL patterns for the root URLconf, each answering a wrong method in JSON."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = method_errors_as_json(pattern.callback)
    return patterns, app_name, namespace
