"""NUL characters (U+0000) in a request: never a 500, the same answer on SQLite and PostgreSQL.

PostgreSQL holds no NUL in text, and refuses a query that merely compares a column with one: a
``%00`` in a document's address, an ``?id=`` or a folder's name made every view that looks it up
a 500 there (SQLite answered 404 or stored it). No id, name or field of opis holds one (ingest
refuses them, ``ingest.validate``), so:

- in the path, it names nothing: 404;
- in a query-string value, it is dropped (what is left is looked up), except in ``q``: the
  search language reads its own input, drops control characters and says so (docs/search.md);
- in a form or JSON body, it is refused, 400, naming the character: a write would store it.
  Uploaded files may hold any byte: only a multipart body's fields are checked (Django's CSRF
  check reads them anyway, before any view).
"""

from django.http import HttpRequest, HttpResponse, QueryDict

from opis.web.errors import error_page, is_api, json_error

NUL = "\x00"
SEARCH_PARAMETER = "q"  # the search language's own: it drops NUL itself, and tells the reader
MULTIPART = "multipart/form-data"


class NulInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            message = "no page has a NUL character (%00) in its address"
            return _answer(request, 404, "not_found", message)
        if NUL in request.GET.urlencode() or "%00" in request.META.get("QUERY_STRING", ""):
            request.GET = _without_nul(request.GET)
        if _body_has_nul(request):
            message = (
                "the request holds a NUL character (U+0000), which no field of opis can hold; "
                "remove it and send again"
            )
            return _answer(request, 400, "nul_character", message)
        return self.get_response(request)


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        if key == SEARCH_PARAMETER:
            cleaned.setlist(key, values)
        else:
            cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


def _body_has_nul(request: HttpRequest) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.content_type == MULTIPART:
        return any(NUL in key or NUL in value for key, value in _fields(request.POST))
    if request.content_type == "application/json":
        return b"\\u0000" in request.body.lower() or b"\x00" in request.body
    if request.content_type == "application/x-www-form-urlencoded":
        return b"%00" in request.body or b"\x00" in request.body
    return False


def _fields(form: QueryDict):
    for key, values in form.lists():
        for value in values:
            yield key, value


def _answer(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if is_api(request):
        return json_error(status, code, message)
    return error_page(request, status, code, message)
