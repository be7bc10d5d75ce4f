"""Cross-origin reading of the API and the OAI-PMH endpoint, and nothing more.

A web page on any site may GET records from ``/api/`` and ``/oai`` (an exhibit, a notebook, a
citation manager's browser extension); no page elsewhere may POST, PUT or DELETE here. The paths
come from ``CORS_URLS_REGEX`` in the settings; this middleware (django-cors-headers, narrowed)
additionally enables CORS only for reading methods, and for preflights that ask for one. A
preflight asking for POST therefore gets no CORS headers, and the browser refuses the request.
No credentials are ever allowed (``CORS_ALLOW_CREDENTIALS`` stays False), so the answer is
``Access-Control-Allow-Origin: *``.
"""

from corsheaders.middleware import CorsMiddleware
from django.http import HttpRequest

READING = frozenset({"GET", "HEAD"})


def cross_origin_method(request: HttpRequest) -> str:
    """The method a cross-origin request is for: a preflight names it in a header."""
    if request.method == "OPTIONS":
        return request.headers.get("access-control-request-method", "").upper()
    return request.method


class ReadOnlyCorsMiddleware(CorsMiddleware):
    def is_enabled(self, request: HttpRequest) -> bool:
        return cross_origin_method(request) in READING and super().is_enabled(request)
