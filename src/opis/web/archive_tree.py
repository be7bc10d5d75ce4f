"""The archive tree in the reading room: ``/archives/`` down to a delo or a file, and its JSON.

Each node shows what a finding aid would: how many documents, their date span, the levels below
with theirs, and the documents themselves a page at a time. The same node is JSON at
``/api/archives/…`` with the same query parameters. What is counted and listed is the catalogue's
(``records.archive_tree``), as readers or staff may see it.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from opis.records import archive_tree
from opis.web import display, filters
from opis.web.access import staff_view
from opis.web.errors import reports_errors
from opis.web.pagination import numbered_page, page_links

PER_PAGE = 50


@reports_errors
def archives_page(request: HttpRequest) -> HttpResponse:
    """Every repository the catalogue cites, with its count and date span."""
    repositories = archive_tree.repositories(public=not staff_view(request))
    for child in repositories:
        child.span = display.span_text(child.first, child.last)
    return render(request, "opis/archives.html", {"repositories": repositories})


@reports_errors
def archives_json(request: HttpRequest) -> HttpResponse:
    repositories = archive_tree.repositories(public=not staff_view(request))
    return JsonResponse({"repositories": [_child_json(request, c) for c in repositories]})


@reports_errors
def node_page(request: HttpRequest, repository: str) -> HttpResponse:
    """One repository, fond, opis, delo, series or file: its levels below and its documents."""
    path, node, page = _node_and_page(request, repository)
    held = archive_tree.folios_at(repository, path, [d.pk for d in page.object_list])
    for document in page.object_list:
        document.date_text = display.date_text(document)
        document.held_at = held.get(document.pk, "")
    for child in node.children:
        child.span = display.span_text(child.first, child.last)
    base = dict(path)
    here = node.path[-1] if node.path else None
    context = {
        "node": node,
        "here": here,
        "span": display.span_text(node.first, node.last),
        "page": page,
        "pages": page_links(page, lambda n: "?" + urlencode({**base, "page": n})),
        "repository_url": archive_tree.node_url(repository, []),
        "json_url": "/api" + archive_tree.node_url(repository, path),
        "search_url": _search_url(node),
    }
    return render(request, "opis/archive_node.html", context)


@reports_errors
def node_json(request: HttpRequest, repository: str) -> HttpResponse:
    _, node, page = _node_and_page(request, repository)
    return JsonResponse(
        {
            "repository": node.repository,
            "repository_name": node.repository_name,
            "path": [{"level": s.field, "label": s.label, "value": s.value} for s in node.path],
            "documents_total": node.count,
            "first": node.first.isoformat() if node.first else None,
            "last": node.last.isoformat() if node.last else None,
            "children": [_child_json(request, c) for c in node.children],
            "page": page.number,
            "pages": page.paginator.num_pages,
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "date": d.date_start.isoformat() if d.date_start else None,
                    "url": request.build_absolute_uri(f"/documents/{d.id}"),
                }
                for d in page.object_list
            ],
        }
    )


def _node_and_page(request: HttpRequest, repository: str):
    """The level a request names and its page of documents, as this reader may see them."""
    path = archive_tree.path_from(request.GET)
    public = not staff_view(request)
    node = archive_tree.node(repository, path, public)
    documents = archive_tree.node_documents(repository, path, public)
    return path, node, numbered_page(documents, request, PER_PAGE, "this level")


def _search_url(node: archive_tree.Node) -> str:
    """The search for this repository (and fond, which the query language knows)."""
    parts = [f'archive:"{node.repository}"'] if node.repository != archive_tree.UNNAMED else []
    parts += [f'fond:"{s.value}"' for s in node.path if s.field == "fond"]
    return filters.search_url(" ".join(parts)) if parts else ""


def _child_json(request: HttpRequest, child: archive_tree.Child) -> dict:
    return {
        "label": child.label,
        "value": child.value,
        "documents": child.count,
        "first": child.first.isoformat() if child.first else None,
        "last": child.last.isoformat() if child.last else None,
        "url": request.build_absolute_uri(child.url),
        "json": request.build_absolute_uri("/api" + child.url),
    }
