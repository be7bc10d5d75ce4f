"""HTTP methods: HEAD wherever GET is, TRACE and CONNECT nowhere.

django-ninja routes an API operation for the methods it is declared with, and every API operation
is a GET, so a HEAD (a link checker, a cache revalidating, ``curl -I``) was answered 405. HEAD is
GET without the body (RFC 9110, 9.3.2): this middleware lets an API HEAD run as the GET and sends
its status and headers alone, Content-Length included, so no operation needs declaring twice and
the OpenAPI description stays GET only. The reading room's views take HEAD already; their bodies
are dropped here too, whatever server runs the site.

TRACE echoes the request back (cookies and all) and CONNECT opens a tunnel: neither means anything
here, and a view that ignores the method answered them 200. Both are 405 on every path, in the one
JSON error shape under ``/api/``.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed

from opis.web.errors import is_api, json_error

REFUSED = frozenset({"TRACE", "CONNECT"})
ALLOWED = "GET, HEAD"


class HttpMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in REFUSED:
            return refused(request)
        if request.method != "HEAD":
            return self.get_response(request)
        if is_api(request):
            request.method = "GET"
            try:
                response = self.get_response(request)
            finally:
                request.method = "HEAD"
        else:
            response = self.get_response(request)
        return without_body(response)


def refused(request: HttpRequest) -> HttpResponse:
    message = f"{request.method} is not allowed on {request.path[:200]}; use {ALLOWED}"
    if is_api(request):
        response = json_error(405, "method_not_allowed", message)
        response["Allow"] = ALLOWED
        return response
    return HttpResponseNotAllowed(["GET", "HEAD"], message, content_type="text/plain")


def without_body(response: HttpResponse) -> HttpResponse:
    """The response's status and headers (its Content-Length as for GET) with an empty body."""
    if response.streaming:
        response.close()  # a file being streamed is closed unread
        response.streaming_content = []
        return response
    length = len(response.content)
    response.content = b""
    response["Content-Length"] = str(length)
    return response
