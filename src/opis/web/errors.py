"""Errors as people and programs see them: built here, once, for the whole web layer.

Library code raises ``OpisError`` subclasses that know their HTTP status. The API turns every
failure, including django-ninja's own validation errors and 404s under ``/api/``, into the one
JSON shape made by ``error_body``; the reading room turns them into an HTML page in the house
style made by ``error_page``.
"""

import logging
from functools import wraps

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from opis.errors import OpisError
from opis.search.query import MAX_QUERY_CHARS

logger = logging.getLogger("opis.web")
LOGGED_CHARS = 200  # of a path, a query or a message in a log line, not a 100 KB URL whole

API_PREFIX = "/api/"
TITLES = {
    400: "This request could not be understood",
    404: "Not found",
    422: "This input could not be read",
    429: "Too many requests",
    500: "Something went wrong on our side",
}


def error_body(status: int, code: str, message: str) -> dict:
    """The one JSON error shape: ``{"error": {"status", "code", "message"}}``."""
    return {"error": {"status": int(status), "code": str(code), "message": str(message)}}


def json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(status, code, message), status=status)


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def error_page(
    request: HttpRequest, status: int, code: str, message: str, **context
) -> HttpResponse:
    """The HTML error page; ``context`` may add e.g. ``missing_id`` for an unknown document."""
    html = render_to_string(
        "opis/error.html",
        {
            "status": status,
            "code": code,
            "heading": TITLES.get(status, "This request could not be completed"),
            "message": message,
            "query": request.GET.get("q", "")[:MAX_QUERY_CHARS] if request.method == "GET" else "",
            **context,
        },
        request=request,
    )
    return HttpResponse(html, status=status)


def opis_error_response(request: HttpRequest, error: OpisError, **context) -> HttpResponse:
    """Translate a domain error for whoever asked: JSON under /api/, a page everywhere else."""
    if error.http_status >= 500:
        logger.error(
            "%s on %s: %s", error.code, abbreviated(request.path), abbreviated(error.message)
        )
    if is_api(request):
        return json_error(error.http_status, error.code, error.message)
    return error_page(request, error.http_status, error.code, error.message, **context)


def abbreviated(text: str) -> str:
    """Text for a log line: whole up to LOGGED_CHARS, else its start and its length."""
    if len(text) <= LOGGED_CHARS:
        return text
    return f"{text[:LOGGED_CHARS]}… ({len(text)} characters)"


def method_errors_as_json(view):
    """django-ninja answers a wrong HTTP method with a bare 405; give it the one error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405:
            return response
        allowed = response.get("Allow", "GET")
        error = json_error(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed on {request.path}; use {allowed}",
        )
        error["Allow"] = allowed
        return error

    return wrapper


def reports_errors(view):
    """Show a domain error as a page; the view's URL arguments let the page name what was asked."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except OpisError as error:
            return opis_error_response(request, error, **kwargs)

    return wrapper
