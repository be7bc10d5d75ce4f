"""The reading room: server-rendered pages over the catalogue and the search index.

Views gather what a page shows and hand it to a template; wording lives in ``display`` and
``filters``. Domain errors are turned into pages by one decorator, ``errors.reports_errors``.
"""

from itertools import groupby
from pathlib import Path

import ninja
from django.contrib.staticfiles import views as staticfiles_views
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.static import serve

from opis.cite import STYLES, Style, csl_json
from opis.cite.coins import context_object
from opis.cite.meta import description, meta_tags
from opis.errors import BadQuery
from opis.records import holdings, workspace
from opis.records.accounts import RESEARCHER, has_role
from opis.records.archive_tree import location_path
from opis.records.models import Document, Status
from opis.records.provenance import shown_source_path, web_link
from opis.records.serialize import citable_records, document_json
from opis.records.threads import threads_of
from opis.records.visibility import is_public, load_visible, readers_threads, today
from opis.web import caching, display, filters
from opis.web.access import staff_view
from opis.web.errors import error_page, is_api, json_error, reports_errors
from opis.web.originals_view import original_link
from opis.web.pagination import numbered_page, page_links, page_number
from opis.web.passages import passages, text_prefix
from opis.web.timeline import FIRST_PLAUSIBLE_YEAR, home_decades, search_timeline

PER_PAGE = 20
COLLECTION_PER_PAGE = 50
NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static"


@reports_errors
def home(request: HttpRequest) -> HttpResponse:
    """What is in the archive: counts, collections by series, documents per decade."""
    public = not staff_view(request)
    collections = list(holdings.collection_summaries(public))
    decades = home_decades(public)  # the span that holds documents; odd dates counted apart
    context = {
        "document_count": holdings.documents(public).count(),
        "collection_count": len(collections),
        "undated_count": decades.undated,
        "suspicious_count": decades.suspicious,
        "first_plausible_year": FIRST_PLAUSIBLE_YEAR,
        "span": display.span_text(*holdings.holdings_span(public)),
        "series": by_series(collections),
        "decades": decades.bars,
    }
    return render(request, "opis/home.html", context)


def by_series(collections: list) -> list[tuple[str, list]]:
    """Collections grouped under their series name, each given a readable date ``span``."""
    for collection in collections:
        collection.span = display.span_text(collection.first, collection.last)
    return [
        (name or "Other collections", list(group))
        for name, group in groupby(collections, key=lambda c: c.series)
    ]


@reports_errors
def search_page(request: HttpRequest) -> HttpResponse:
    """Results, facets, filters and pages for one query; every state is a shareable URL. Readers'
    pages are shared for a short time (``caching.search_page``)."""
    return caching.search_page(request, lambda extra: render_search(request, extra))


def render_search(request: HttpRequest, extra: dict) -> HttpResponse:
    sort = request.GET.get("sort", "relevance")
    page = page_number(request.GET.get("page"))
    staff = staff_view(request)
    query = request.GET.get("q", "")
    results = caching.searched(query, sort=sort, page=page, per_page=PER_PAGE, staff=staff)
    query = results.query  # as read, so that no link on the page grows with what was sent
    if results.total and results.page > results.pages:
        raise BadQuery(
            f"page={results.page} is past the end: this search has {results.pages} page(s) "
            f"of results; go back to {filters.search_url(query, sort)}"
        )
    groups = filters.facet_groups(results, query, sort)
    context = {
        "query": query,
        "sort": results.sort,  # browsing with no words is shown newest first
        "requested_sort": sort,
        "results": results,
        "first_index": (results.page - 1) * results.per_page + 1,
        "last_index": (results.page - 1) * results.per_page + len(results.results),
        "facet_groups": groups,
        "chips": filters.chips(query, sort, results),
        "sort_choices": filters.SORT_CHOICES,
        "pages": [
            (number, filters.search_url(query, sort, number) if number else None)
            for number in filters.page_window(results.page, results.pages)
        ],
        "previous_url": results.page > 1 and filters.search_url(query, sort, results.page - 1),
        "next_url": results.page < results.pages
        and filters.search_url(query, sort, results.page + 1),
        "hits": list(
            zip(
                results.results,
                hit_coins(request, results.results),
                [hit_badge(hit) if staff else "" for hit in results.results],
                strict=True,
            )
        ),
        # bulk export and saved searches: researchers (accounts) and above only
        "researcher": has_role(request.user, RESEARCHER),
        "exports": filters.export_links(query, sort) if has_role(request.user, RESEARCHER) else [],
        "timeline": search_timeline(results, query, sort, staff),
        **extra,
    }
    return render(request, "opis/search.html", context)


def hit_badge(hit) -> str:
    """A hit's status badge for staff: "" when readers find it too."""
    if hit.status == Status.PUBLISHED:
        return ""
    if hit.status == Status.EMBARGOED and hit.embargo_until:
        if hit.embargo_until <= today().isoformat():
            return ""
        return f"Embargoed until {hit.embargo_until}"
    return Status(hit.status).label


def hit_coins(request: HttpRequest, hits: list) -> list[str]:
    """A COinS ContextObject per hit (Zotero's "multiple items" capture), from each document's
    CSL-JSON item; the page's documents are read together (``citable_records``)."""
    records = citable_records([hit.id for hit in hits])
    found = []
    for hit in hits:
        url = request.build_absolute_uri(reverse("document", args=[hit.id]))
        record = records.get(hit.id)
        found.append(context_object(csl_json(record, page_url=url), url) if record else "")
    return found


@reports_errors
def document_page(request: HttpRequest, document_id: str) -> HttpResponse:
    """The full record, in the order of the reference record; NotFound names the id. Readers'
    copies are validated and shared (``caching.record_page``)."""
    return caching.record_page(
        request, document_id, lambda extra: render_document(request, document_id, extra)
    )


def render_document(request: HttpRequest, document_id: str, extra: dict) -> HttpResponse:
    document = load_visible(document_id, request.user)
    threads = threads_of(document.id)
    context = {
        "document": document,
        "source_link": web_link(document.source_url),  # only http(s) becomes an href
        "source_path": shown_source_path(document, staff=staff_view(request)),
        "date_text": display.date_text(document),
        "date_interval": display.date_interval(document),
        "languages": [display.language_label(c) for c in document.original_languages or []],
        "locations": [
            {"raw": loc.raw, "parts": display.location_parts(loc), "tree": location_path(loc)}
            for loc in document.locations.all()
        ],
        "people": [display.person(role) for role in document.agent_roles.all()],
        "texts": texts_with_passages(list(document.texts.all())),
        "cable": display.cable_rows(document.cable),
        "threads": threads if staff_view(request) else readers_threads(threads),
        "status": status_badge(document),
        "footnotes": list(document.footnotes.all()),
        "collections": list(document.collections.all()),
        "original": original_link(document.source_sha256),
        **citation_context(request, document),
        **workspace_context(request, document),
        **extra,
    }
    return render(request, "opis/document.html", context)


def workspace_context(request: HttpRequest, document: Document) -> dict:
    """A researcher's own note on the record and folders to file it in (nothing for readers)."""
    if not has_role(request.user, RESEARCHER):
        return {"researcher": False}
    note = workspace.note_for(request.user, document.pk)
    return {
        "researcher": True,
        "my_note": note.body if note else "",
        "my_folders": [
            (f.folder, any(d.pk == document.pk for d in f.documents))
            for f in workspace.folders(request.user)
        ],
    }


def status_badge(document: Document) -> str:
    """What staff read beside an unpublished record's title ("" when readers see it too)."""
    if is_public(document):
        return ""
    if document.status == Status.EMBARGOED and document.embargo_until:
        return f"Embargoed until {document.embargo_until:%Y-%m-%d}"
    return Status(document.status).label


def texts_with_passages(texts: list) -> list[dict]:
    """Each text cut into anchored paragraphs and printed pages (``passages``), so every passage
    has a URL; anchors carry the text's number only when there are several texts."""
    return [
        {
            "label": text.label,
            "language": display.language_label(text.language),
            "code": text.language,
            "role": display.TEXT_ROLE_NAMES.get(text.role, text.role),
            "number": number,
            "passages": passages(text.body, text.pages, text_prefix(number, len(texts))),
        }
        for number, text in enumerate(texts, 1)
    ]


def citation_context(request: HttpRequest, document: Document) -> dict:
    """The Cite panel (every registered style, in order; the machine-readable ones, those not
    plain text, as file downloads too) and the page's meta tags, all from the one CSL-JSON item."""
    page_url = request.build_absolute_uri(request.path)
    item = csl_json(document_json(document), page_url=page_url)
    base = f"/api/documents/{document.id}/cite?style="
    return {
        "citations": [
            {
                "name": style.name,
                "label": style.label,
                "text": style.render(item),
                "block": _is_file(style),  # shown as preformatted text, line breaks kept
                "download": base + style.name if _is_file(style) else "",
                "type": style.media_type,
            }
            for style in STYLES.values()
        ],
        "meta_tags": meta_tags(item, page_url),
        "page_description": description(item),
    }


def _is_file(style: Style) -> bool:
    """BibTeX, RIS, CSL-JSON: a style read by reference managers, not by people."""
    return style.media_type != "text/plain"


@reports_errors
def collection_list(request: HttpRequest) -> HttpResponse:
    collections = list(holdings.collection_summaries(not staff_view(request)))
    context = {"series": by_series(collections), "collection_count": len(collections)}
    return render(request, "opis/collections.html", context)


@reports_errors
def collection_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One collection's documents in date order, a page at a time."""
    public = not staff_view(request)
    collection = holdings.collection_summary(slug, public)
    documents = holdings.collection_documents(collection, public)
    in_order = documents.order_by(F("date_start").asc(nulls_first=True), "id")  # as on SQLite
    page = numbered_page(in_order, request, COLLECTION_PER_PAGE, "this collection")
    for document in page.object_list:
        document.date_text = display.date_text(document)
    context = {
        "collection": collection,
        "span": display.span_text(collection.first, collection.last),
        "page": page,
        "pages": page_links(page, lambda n: f"?page={n}"),
        "search_url": filters.search_url(f"collection:{slug}"),
    }
    return render(request, "opis/collection.html", context)


def static_file(request: HttpRequest, path: str) -> HttpResponse:
    """Static files for a local server, DEBUG or not: the apps' files, then django-ninja's."""
    try:
        return staticfiles_views.serve(request, path, insecure=True)
    except Http404:
        return serve(request, path, document_root=NINJA_STATIC)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for any URL nothing answers: the JSON shape under /api/, a page elsewhere."""
    if is_api(request):
        return json_error(
            404,
            "not_found",
            f"no API endpoint at {request.path}; the endpoints are listed at /api/docs",
        )
    return error_page(request, 404, "not_found", f"There is no page at {request.path}.")


def server_error(request: HttpRequest) -> HttpResponse:
    """500: an apology, what to try, and no details that belong in the server log."""
    message = (
        "The archive could not answer this request. Please try again; "
        "if it keeps happening, tell whoever runs this archive."
    )
    if is_api(request):
        return json_error(500, "server_error", message)
    return error_page(request, 500, "server_error", message)
