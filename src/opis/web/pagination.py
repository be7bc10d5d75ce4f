"""Pagination: signed cursors for the API's lists, numbered pages for the reading room's.

A cursor is what a client needs to ask for the following page, signed with the server's secret
(``django.core.signing``) so that a client cannot forge or edit one, and bound to one list (its
``scope``: "documents", "collection:dfat-v22", …) so that a cursor from one list is refused by
another. Lists read from the catalogue are *keyset* paginated: the cursor holds the sort key of the
last record shown, and the next page is whatever sorts after it, so records added or removed
between two requests shift nothing. Lists that only page by position (search, whose engine pages
by offset; the few persons a name stands for) say so: their cursor holds an offset.

The reading room's lists (a collection, a level of the archive tree, a person's documents) are
numbered pages a reader can link to: Django's ``Paginator``, with a page past the end or a page
number that is not one answered as a ``BadQuery`` that says how many pages there are.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core import signing
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from ninja import Query

from opis.errors import BadQuery, OpisError
from opis.web.filters import page_window

MAX_LIMIT = 100
SALT = "opis.api.cursor"


class BadCursor(OpisError):
    """A cursor this server did not make for this list: edited, truncated or from elsewhere."""

    http_status = 400
    exit_code = 2
    code = "bad_cursor"


@dataclass(frozen=True)
class Cursor:
    """The decoded cursor: where the next page starts (``after``), its size, the filters."""

    after: list
    limit: int
    filters: dict

    def offset(self) -> int:
        """The position of a list paged by offset (search, the persons a name stands for)."""
        [offset] = self.key(int)
        if offset < 0:
            raise BadCursor("the cursor holds a position before the first record; start again")
        return offset

    def key(self, *kinds: type) -> tuple:
        """``after`` as a sort key of these types, one per part, or BadCursor."""
        after = self.after
        if len(after) != len(kinds) or not all(
            type(part) is kind for part, kind in zip(after, kinds, strict=False)
        ):
            raise BadCursor("the cursor does not hold a position in this list; start again")
        return tuple(after)


# Bounds on what a cursor may hold. Only this server can sign one, but a server still running on
# the published default SECRET_KEY signs for anyone, so each field is checked as if forged.
MAX_AFTER_PARTS = 8
MAX_POSITION = 10**9
MAX_TEXT = 2000  # characters in a text part or a filter (a query is cut to 1000)


def make_cursor(scope: str, after: list, limit: int, **filters) -> str:
    return signing.dumps(
        {"s": scope, "a": after, "l": limit, "f": filters}, salt=SALT, compress=True
    )


def read_cursor(scope: str, token: str, *filters: str) -> Cursor:
    """The cursor's content, or BadCursor naming what is wrong and what to do instead.

    ``filters`` names the filters this list's cursors carry; each must be there, as text."""
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError):  # ValueError: signed, but not JSON we can read
        raise BadCursor(
            f"cursor={_shown(token)} is not a cursor this archive made (it may have been cut or"
            " edited); follow the `next` link of the previous page, or start without a cursor"
        ) from None
    if not isinstance(payload, dict) or payload.get("s") != scope:
        raise BadCursor(
            f"cursor={_shown(token)} belongs to another list; use it only with the request whose"
            " `next` link gave it"
        )
    after, limit, given = payload.get("a"), payload.get("l"), payload.get("f")
    if not (
        _is_after(after)
        and type(limit) is int
        and 1 <= limit <= MAX_LIMIT
        and isinstance(given, dict)
        and all(_is_text(given.get(name)) for name in filters)
    ):
        raise BadCursor(
            f"cursor={_shown(token)} does not hold a page of this list (its position, size or"
            " filters are not ones this archive makes); start again without a cursor"
        )
    return Cursor(after=after, limit=limit, filters={name: given[name] for name in filters})


def _is_after(after) -> bool:
    return (
        isinstance(after, list)
        and len(after) <= MAX_AFTER_PARTS
        and all(
            part is None
            or type(part) is bool
            or (type(part) is int and -MAX_POSITION <= part <= MAX_POSITION)
            or _is_text(part)
            for part in after
        )
    )


def _is_text(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _shown(token: str) -> str:
    return repr(token if len(token) <= 40 else token[:37] + "...")


def next_url(request: HttpRequest, cursor: str | None) -> str | None:
    """The absolute URL of the next page: this path with the cursor as its only parameter."""
    if cursor is None:
        return None
    return request.build_absolute_uri(f"{request.path}?{urlencode({'cursor': cursor})}")


def choose_limit(given: int | None, cursor: Cursor | None, default: int) -> int:
    """The page size: as asked, else as the first page was asked, else the list's default."""
    if given is not None:
        return given
    return cursor.limit if cursor else default


# Keyset pages of documents in date order -------------------------------------------------------

DATE_ORDER = (F("date_start").asc(nulls_first=True), "id")


def document_key(document) -> list:
    """The sort key a cursor keeps: [ISO date or None, id]."""
    start = document.date_start
    return [start.isoformat() if start else None, document.id]


def documents_after(documents: QuerySet, after: list | None) -> QuerySet:
    """Documents that sort after ``after`` in date order (undated first, then by id)."""
    documents = documents.order_by(*DATE_ORDER)
    if not after:
        return documents
    start, last_id = _document_key(after)
    if start is None:
        return documents.filter(
            Q(date_start__isnull=True, id__gt=last_id) | Q(date_start__isnull=False)
        )
    return documents.filter(Q(date_start__gt=start) | Q(date_start=start, id__gt=last_id))


def _document_key(after: list) -> tuple[date | None, str]:
    try:
        start, last_id = after
        return (date.fromisoformat(start) if start else None), str(last_id)
    except (TypeError, ValueError):
        raise BadCursor("the cursor does not hold a document position; start again") from None


def keyset_page(
    scope: str, documents: QuerySet, cursor: Cursor | None, limit: int, offset: int = 0, **filters
) -> tuple[list, str | None]:
    """One page of ``documents`` after the cursor (or from ``offset``, where a list still takes
    page numbers), and the cursor of the page after it, or None on the last page."""
    ordered = documents_after(documents, cursor.after if cursor else None)
    rows = list(ordered[offset : offset + limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, make_cursor(scope, document_key(rows[-1]), limit, **filters)


# The cursor parameter every paged endpoint takes, described once.
CURSOR = Query(None, description="Where to continue: the cursor in the previous page's next URL")


# Numbered pages of the reading room ----------------------------------------------------------


def page_number(raw: str | None) -> int:
    """A page number from the URL, or BadQuery saying what a page number looks like."""
    if not raw:
        return 1
    try:
        number = int(raw)
    except ValueError:
        number = 0
    if number < 1:
        raise BadQuery(f"page={raw!r} is not a page number; pages are counted from page=1")
    return number


def numbered_page(items, request: HttpRequest, per_page: int, holder: str) -> Page:
    """The page of ``items`` that ``?page=`` asks for; past the last one, BadQuery saying how many
    pages ``holder`` ("this collection", "this person") has."""
    paginator = Paginator(items, per_page)
    number = page_number(request.GET.get("page"))
    try:
        return paginator.page(number)
    except EmptyPage:
        raise BadQuery(
            f"page={number} is past the end; {holder} has {paginator.num_pages} page(s)"
        ) from None


def page_links(page: Page, link: Callable[[int], str]) -> list[tuple[int | None, str | None]]:
    """The page numbers to offer around ``page``, each with its link; (None, None) marks a gap."""
    return [(n, link(n) if n else None) for n in page_window(page.number, page.paginator.num_pages)]
