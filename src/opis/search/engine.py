"""The one search interface: a query string in, ranked hits with snippets and facets out.

Used by ``opis search``, the reading room and ``/api/search`` alike. Never raises for a query
string: whatever cannot be understood is explained in ``messages``.
"""

import html
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import TypedDict, cast

import tantivy
from django.utils import timezone

from opis.drafts import DateInterval
from opis.errors import BadQuery
from opis.records.models import Collection
from opis.search import facets
from opis.search.compile import Compiler
from opis.search.index import NEVER_PUBLIC, day_number, open_index, snapshot
from opis.search.query import And, Or, Text, parse
from opis.search.results import FACETS, SORTS, FacetValue, Hit, SearchResults
from opis.understand.dates import format_display
from opis.understand.names import authority
from opis.understand.places import places_by_id

MAX_PER_PAGE = 100
MAX_OFFSET = 10_000
SNIPPET_CHARS = 280


def search(
    query: str = "",
    *,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    staff: bool = False,
) -> SearchResults:
    """``staff`` (curators, admins, the operator's CLI) finds every record; otherwise only what
    readers may see (``records.visibility``): hits, facets and counts alike."""
    if sort not in SORTS:
        raise BadQuery(f"sort {sort!r} is not one of {', '.join(SORTS)}")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise BadQuery(f"per_page must be between 1 and {MAX_PER_PAGE}")
    if page < 1 or (page - 1) * per_page > MAX_OFFSET:
        raise BadQuery(
            f"page must be between 1 and {MAX_OFFSET // per_page + 1} for {per_page} per page"
        )
    parsed = parse(query or "")
    index = open_index()
    searcher, commit = snapshot(index)
    compiler = Compiler(index.schema, parsed.messages)
    compiled = compiler.compile(parsed.node)
    today = timezone.localdate()  # one day for the filters and the totals kept for them
    audience = "staff" if staff else f"readers {today.isoformat()}"
    scope = (commit, audience) if commit else None
    everything, selected = tantivy.Query.all_query(), compiled
    if not staff and hides_any(index.schema, searcher, today):
        everything = public_only(index.schema, everything, today)
        selected = public_only(index.schema, compiled, today)
    if parsed.node is None and sort == "relevance":
        sort = "-date"  # browsing everything: newest first reads better than arbitrary order
    counting = _aside().submit(
        facets.count, searcher, selected, node=parsed.node, compiled=compiled,
        everything=everything, scope=scope,
    )  # fmt: skip
    listed = _listing_by_date(
        searcher, index.schema, parsed.node, sort, page * per_page, scope, everything
    )
    if listed is None:
        found = _run(searcher, selected, sort, page, per_page)
        total = found.count or 0
    else:
        years, total = listed
        narrowed = tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, selected), (tantivy.Occur.Must, years)]
        )
        found = _run(searcher, narrowed, sort, page, per_page, count=False)
    results = SearchResults(
        query=parsed.text, total=total, page=page, per_page=per_page, sort=sort,
        messages=parsed.messages,
    )  # fmt: skip
    has_words = _has_words(parsed.node)
    highlighted = compiler.for_snippets(compiled)
    results.results = _hits(searcher, index.schema, highlighted, found, sort, has_words)
    results.facets = _facets(counting)
    return results


_POOL: dict[int, ThreadPoolExecutor] = {}  # process id → its pool
_POOL_LOCK = threading.Lock()
FACET_THREADS = min(4, os.cpu_count() or 1)


def _fresh_lock_in_child() -> None:
    """A process forked while another thread held the lock would inherit it held, for ever."""
    global _POOL_LOCK
    _POOL_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_fresh_lock_in_child)


def _aside() -> ThreadPoolExecutor:
    """Threads that count the facets while the calling thread ranks the hits and cuts their
    snippets. Tantivy lets go of Python's lock while it aggregates, so on two cores a search
    takes the longer of the two rather than their sum: counting nine facets over a million hits
    is most of a search's time. One pool per process, made when first asked: a pool made before
    gunicorn forks its workers would have no threads in them."""
    pid = os.getpid()
    with _POOL_LOCK:  # the first searches of a process may come on several threads at once
        if pid not in _POOL:
            _POOL.clear()
            _POOL[pid] = ThreadPoolExecutor(FACET_THREADS, thread_name_prefix="opis-facets")
        return _POOL[pid]


def public_only(schema, compiled, today: date | None = None) -> tantivy.Query:
    """The query, kept to records readers may see today (``index.public_from``)."""
    day = day_number(today or timezone.localdate())
    public = tantivy.Query.range_query(schema, "public_from", tantivy.FieldType.Integer, 0, day)
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, compiled), (tantivy.Occur.Must, public)]
    )


def hides_any(schema, searcher: tantivy.Searcher, today: date) -> bool:
    """Whether the searcher holds any record readers may not see today (a draft, a withdrawn or
    embargoed record). When it holds none, as in a reading room where every record is published,
    the readers' filter would keep every hit and can be left out: it tests every hit, and a
    common word at a million cables ranks in 8.4 ms without it, 10.6 with it. Asked of this very
    searcher, not remembered: the days after today are a few terms, so the count takes
    microseconds at a million documents, and is exact whatever was committed a moment ago."""
    hidden = tantivy.Query.range_query(
        schema, "public_from", tantivy.FieldType.Integer, day_number(today) + 1, NEVER_PUBLIC,
        use_inverted_index=True,  # the terms after today, not a test of every document's value
    )  # fmt: skip
    found = searcher.search(hidden, 1, count=True)
    return bool(found.count)  # type: ignore[attr-defined]  # the stubs leave out `count`


def _run(searcher, compiled, sort, page, per_page, count: bool = True):
    offset = (page - 1) * per_page
    if sort == "relevance":
        return searcher.search(compiled, per_page, count=count, offset=offset)
    order = tantivy.Order.Asc if sort == "date" else tantivy.Order.Desc
    return searcher.search(
        compiled, per_page, count=count, offset=offset, order_by_field="date_start", order=order
    )


def _listing_by_date(searcher, schema, node, sort: str, through: int, scope, everything):
    """Everything listed by date (the reading room's list, newest or oldest first): the years
    that hold its first ``through`` records, and how many records there are; None where that
    is not known (a query, relevance, totals not counted for this commit yet).

    Sorting a million records by date took 8–12 ms; the page lies in the last (or first)
    years, whose counts the facets' totals keep per commit (``facets.totals``), and the records
    of those years, read from the index's terms, sort in under a millisecond. The page is the
    same: a year is taken whole, so no record sharing a date with one on the page is left out,
    and undated records sort after every dated one in both orders."""
    if node is not None or sort == "relevance" or scope is None:
        return None
    counted = facets.totals(searcher, everything, scope)
    if counted is None:
        return None
    years_held = cast(dict[int, int], counted["year"])  # Tantivy gives an integer's terms as int
    by_year = sorted(years_held.items(), reverse=sort == "-date")
    held, year = 0, None
    for candidate, n in by_year:
        held += n
        if held >= through:
            year = candidate
            break
    if year is None:
        return None  # the page reaches past the dated records
    low, high = (year, None) if sort == "-date" else (None, year)
    years = tantivy.Query.range_query(
        schema, "year", tantivy.FieldType.Integer, low, high, use_inverted_index=True
    )
    # every record has one type (``index_documents``: "document" when none is known)
    return years, sum(counted["type"].values())


def _has_words(node) -> bool:
    """Whether a query looks for words (which snippets can highlight) rather than only filters."""
    if isinstance(node, Text):
        return True
    if isinstance(node, And | Or):
        return any(_has_words(n) for n in node.nodes)
    return False  # None (everything), a filter, or a negation: nothing to highlight


def _hits(searcher, schema, compiled, found, sort, has_words: bool = True) -> list[Hit]:
    generators = {}
    hits = []
    for score, address in found.hits:
        stored = searcher.doc(address)
        snippet = ""
        for name in ("body", "summary", "title") if has_words else ():
            if name not in generators:
                generators[name] = tantivy.SnippetGenerator.create(searcher, compiled, schema, name)
                generators[name].set_max_num_chars(SNIPPET_CHARS)
            snippet = generators[name].snippet_from_doc(stored).to_html()
            if snippet.strip():
                break
        if not snippet.strip():
            snippet = html.escape(_opening(_first(stored, "summary") or _first(stored, "body")))
        hits.append(
            Hit(
                id=_first(stored, "id"),
                title=_first(stored, "title"),
                date=_date(stored),
                doc_type=_first(stored, "doc_type") or None,
                snippet=snippet,
                score=round(score, 4) if sort == "relevance" else None,
                status=_first(stored, "status") or "published",
                embargo_until=_embargo_until(stored),
            )
        )
    return hits


def _embargo_until(stored) -> str | None:
    if _first(stored, "status") != "embargoed":
        return None
    day = _first(stored, "public_from")
    return f"{day // 10000:04d}-{day // 100 % 100:02d}-{day % 100:02d}" if day else None


def _opening(text: str) -> str:
    """The first words of a text, cut at a word boundary, for hits with nothing to highlight."""
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def _first(stored: tantivy.Document, name: str):
    values = stored.get_all(name)
    return values[0] if values else ""


def _date(stored) -> dict:
    as_date = lambda n: date(n // 10000, n // 100 % 100, n % 100) if n else None  # noqa: E731
    start, end = as_date(_first(stored, "date_start")), as_date(_first(stored, "date_end"))
    display = _first(stored, "date_display")
    precision = _first(stored, "precision") or "unknown"
    if not display and start:
        display = format_display(DateInterval(start, end, precision))
    return {
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "precision": precision,
        "display": display or None,
    }


def _facets(counting: Future) -> dict[str, list[FacetValue]]:
    raw = counting.result()
    raw["decade"] = {"buckets": _decades(raw.get("year", {}).get("buckets", []))}
    slugs = {b["key"] for b in raw.get("collection", {}).get("buckets", [])}
    titles = _collection_titles(slugs)
    facets = {}
    for name in FACETS:
        buckets = raw.get(name, {}).get("buckets", [])
        values = [_facet_value(name, b, titles) for b in buckets if b.get("doc_count")]
        if name in ("decade", "year"):
            values.sort(key=lambda v: v.value)
        facets[name] = values
    return facets


def _decades(years: list[dict]) -> list[dict]:
    """The decade facet, summed from the year facet's buckets (a document has one year): a
    second histogram over the same field would read every hit's year again."""
    counts: dict[int, int] = {}
    for bucket in years:
        decade = int(bucket["key"]) // 10 * 10
        counts[decade] = counts.get(decade, 0) + bucket["doc_count"]
    return [{"key": decade, "doc_count": n} for decade, n in counts.items()]


class _TitleCache(TypedDict):
    at: float  # time.monotonic() when the titles were read
    titles: dict[str, str]  # slug → title


_TITLES: _TitleCache = {"at": 0.0, "titles": {}}
TITLES_TTL = 30.0  # seconds: titles change only when a collection is first ingested


def _collection_titles(needed: set[str]) -> dict[str, str]:
    """Collection titles for facet labels: read again when a slug is new or TITLES_TTL has passed
    (a title edited in place shows within that time)."""
    now = time.monotonic()
    if now - _TITLES["at"] > TITLES_TTL or not needed <= _TITLES["titles"].keys():
        _TITLES["titles"] = dict(Collection.objects.values_list("slug", "title"))
        _TITLES["at"] = now
    return _TITLES["titles"]


def _facet_value(name: str, bucket: dict, titles: dict[str, str]) -> FacetValue:
    key = bucket["key"]
    value = str(int(key)) if isinstance(key, float) else str(key)
    label = value
    if name == "decade":
        label = f"{value}s"
    elif name == "collection":
        label = titles.get(value, value)
    elif name == "lang":
        label = _language_name(value)
    elif name == "person":
        label = _person_name(value)
    elif name == "place":
        place = places_by_id().get(value)
        label = place.canonical if place else value
    quoted = f'"{value}"' if any(ch.isspace() for ch in value) else value
    return FacetValue(
        value=value, count=bucket["doc_count"], label=label, filter=f"{name}:{quoted}"
    )


def _person_name(person_id: str) -> str:
    person = authority().get(person_id)
    return person.canonical if person else person_id


def _language_name(code: str) -> str:
    import pycountry

    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return language.name if language else ("undetermined" if code == "und" else code)
