"""The JSON API at /api/: search, documents and collections, described by OpenAPI at /api/docs.

Responses are exactly what the CLI's ``--json`` prints (``SearchResults.as_json``,
``document_json``), declared as schemas so the OpenAPI description is useful. Every failure,
django-ninja's own validation errors included, comes back in the one shape from ``error_body``.
"""

import logging

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger
from pydantic import ConfigDict

from opis.errors import BadQuery, OpisError
from opis.records.serialize import date_json, document_json, load_document
from opis.search import search
from opis.web import holdings
from opis.web.errors import error_body, method_errors_as_json

logger = logging.getLogger("opis.web")
MAX_PER_PAGE = 100


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
        "Search and read the opis archive of diplomatic documents. Every response is JSON; "
        'errors have the shape {"error": {"status", "code", "message"}}.'
    ),
    docs=LocalSwagger(),
    urls_namespace="api",
)


# --- Schemas --------------------------------------------------------------------------------


class Record(Schema):
    """Record schemas document every key, and pass through keys added to ``document_json`` later,
    so the API always answers exactly what ``opis show --json`` prints."""

    model_config = ConfigDict(extra="allow")


class ErrorDetail(Schema):
    status: int
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class DateOut(Record):
    start: str | None
    end: str | None
    precision: str
    display: str | None


class HitOut(Schema):
    id: str
    title: str
    date: DateOut
    doc_type: str | None
    snippet: str
    score: float | None


class FacetValueOut(Schema):
    value: str
    count: int
    label: str
    filter: str


class SearchOut(Schema):
    query: str
    total: int
    page: int
    per_page: int
    sort: str
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    messages: list[str]


class LocationOut(Record):
    repository: str | None
    fond: str | None
    opis: str | None
    delo: str | None
    papka: str | None
    folios: str | None
    series: str | None
    control_symbol: str | None
    barcode: str | None
    reference: str | None
    raw: str


class TextOut(Record):
    language: str | None
    role: str
    label: str | None
    body: str
    pages: list[dict]


class FootnoteOut(Record):
    label: str | None
    body: str


class AgentOut(Record):
    name: str
    kind: str
    person_id: str | None
    role: str
    signed_as: str | None
    count: int | None


class CollectionRef(Record):
    slug: str
    title: str
    series: str | None


class ThreadRef(Record):
    id: str | None
    text: str


class ThreadsOut(Record):
    refers_to: list[ThreadRef]
    referred_by: list[ThreadRef]


class CableCopy(Record):
    name: str
    count: int | None


class CableOut(Record):
    number: str | None
    origin: str | None
    destination: str | None
    sent: str | None
    received: str | None
    handling: str | None
    classification: str | None
    addressees: list[str]
    intermediary: str | None
    recipients_any_of: list[str]
    action: str | None
    signed_as: str | None
    signatory: str | None
    copies: list[CableCopy]


class SourceOut(Record):
    path: str
    sha256: str
    reader: str
    ingested_at: str | None
    updated_at: str | None


class DocumentOut(Record):
    id: str
    title: str
    date: DateOut
    doc_type: str | None
    doc_number: str | None
    summary: str | None
    original_languages: list[str]
    source_url: str | None
    citation: str | None
    classification: str | None
    dateline: str | None
    signed: str | None
    cable: CableOut | None
    locations: list[LocationOut]
    texts: list[TextOut]
    footnotes: list[FootnoteOut]
    agents: list[AgentOut]
    collections: list[CollectionRef]
    threads: ThreadsOut
    notes: list[str]
    source: SourceOut


class SpanOut(Schema):
    first: str | None
    last: str | None


class CollectionOut(Schema):
    slug: str
    title: str
    series: str | None
    position: int | None
    count: int
    span: SpanOut


class DocumentBrief(Schema):
    id: str
    title: str
    date: DateOut
    doc_type: str | None


class CollectionPageOut(CollectionOut):
    page: int
    per_page: int
    pages: int
    documents: list[DocumentBrief]


# --- Endpoints ------------------------------------------------------------------------------

ERRORS = {400: ErrorOut, 404: ErrorOut}


@api.get("/search", response={200: SearchOut, 400: ErrorOut}, summary="Search the archive")
def search_documents(
    request: HttpRequest,
    q: str = Query("", description="The query, as in the search box: jet fighter type:telegram"),
    sort: str = Query("relevance", description="relevance, date (oldest first) or -date"),
    page: int = Query(1, ge=1),
    per_page: int = Query(20, ge=1, le=MAX_PER_PAGE),
):
    """Exactly what ``opis search --json`` prints; ``messages`` say how the query was read."""
    return search(q, sort=sort, page=page, per_page=per_page).as_json()


@api.get(
    "/documents/{path:document_id}/cite",
    response={200: str, **ERRORS},
    summary="Cite a document",
    openapi_extra={"responses": {200: {"description": "The citation, as text in its format"}}},
)
def cite_document(
    request: HttpRequest,
    document_id: str,
    style: str = Query(
        "chicago-note",
        description="chicago-note, chicago-short, chicago-bib, bibtex, ris or csl-json",
    ),
):
    """The citation in one style, as ``opis cite`` prints it, with the style's media type.
    Declared before the record's route: ids may contain ``/``, so that route would match too."""
    from opis.cite import cite, get_style

    chosen = get_style(style)
    text = cite(document_json(load_document(document_id)), chosen.name)
    response = HttpResponse(text, content_type=f"{chosen.media_type}; charset=utf-8")
    safe_id = "".join(c if c.isalnum() or c in "-_." else "-" for c in document_id)
    filename = f"{safe_id}.{chosen.extension}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@api.get("/documents/{path:document_id}", response={200: DocumentOut, **ERRORS})
def get_document(request: HttpRequest, document_id: str):
    """One record, as ``opis show --json`` prints it. Ids may contain ``/``."""
    return document_json(load_document(document_id))


@api.get("/collections", response=list[CollectionOut], summary="List collections")
def list_collections(request: HttpRequest):
    return [collection_json(c) for c in holdings.collection_summaries()]


@api.get("/collections/{slug}", response={200: CollectionPageOut, **ERRORS})
def get_collection(
    request: HttpRequest,
    slug: str,
    page: int = Query(1, ge=1),
    per_page: int = Query(50, ge=1, le=MAX_PER_PAGE),
):
    """A collection and one page of its documents, in date order."""
    collection = holdings.collection_summary(slug)
    paginator = Paginator(collection.documents.order_by("date_start", "id"), per_page)
    try:
        documents = paginator.page(page).object_list
    except EmptyPage:
        raise BadQuery(
            f"page={page} is past the end; collection {slug!r} has {paginator.num_pages} page(s)"
            f" of {per_page}"
        ) from None
    return {
        **collection_json(collection),
        "page": page,
        "per_page": per_page,
        "pages": paginator.num_pages,
        "documents": [
            {"id": d.id, "title": d.title, "date": date_json(d), "doc_type": d.doc_type or None}
            for d in documents
        ],
    }


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
    logger.exception("unexpected error on %s", request.get_full_path())
    return _error(
        request, 500, "server_error", "the archive could not answer this request; please try again"
    )


def urls():
    """The API's URL patterns for the root URLconf, each answering a wrong method in JSON."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = method_errors_as_json(pattern.callback)
    return patterns, app_name, namespace
