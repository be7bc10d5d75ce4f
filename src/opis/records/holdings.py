"""What the archive holds: collections with counts and date spans, documents per type, language
and decade.

One home for these figures, shared by ``opis stats``, the home page, the collection pages and the
API, so that their counts and spans always agree. A collection's span runs from its earliest start
to its latest *end* (a document dated "June 5–17, 1864" reaches the 17th), the same rule for every
reader of these figures.

Every function counts what readers may see (``public=True``, the default: the home page, the
collection pages, the API) or, with ``public=False``, everything (``opis stats``, staff).
"""

from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from opis.errors import NotFound
from opis.records.models import Collection, Document
from opis.records.visibility import public_q

if TYPE_CHECKING:  # django-stubs-ext helps the type checker only; it is no dependency
    from datetime import date
    from typing import TypedDict

    from django_stubs_ext import WithAnnotations

    class _Summary(TypedDict):
        count: int
        first: date | None
        last: date | None

    CollectionSummary = WithAnnotations[Collection, _Summary]  # what collection_summaries() adds


def collection_summaries(public: bool = True) -> "QuerySet[CollectionSummary]":
    """Collections in series order, each with ``count``, ``first`` and ``last`` dates.

    The order is spelled out because Django drops ``Meta.ordering`` from aggregate queries.
    """
    shown = public_q("documents__") if public else Q()
    return Collection.objects.annotate(
        count=Count("documents", filter=shown),
        first=Min("documents__date_start", filter=shown),
        last=Max(Coalesce("documents__date_end", "documents__date_start"), filter=shown),
    ).order_by("series", "position", "title")


def collection_documents(collection: Collection, public: bool = True) -> QuerySet[Document]:
    """A collection's documents (readers: the published ones)."""
    documents = collection.documents.all()
    return documents.filter(public_q()) if public else documents


def documents(public: bool = True) -> QuerySet[Document]:
    return Document.objects.filter(public_q()) if public else Document.objects.all()


def collection_summary(slug: str, public: bool = True) -> "CollectionSummary":
    collection = collection_summaries(public).filter(slug=slug).first()
    if collection is None:
        raise NotFound(f"no collection with slug {slug!r}; the list is at /collections/")
    return collection


def decade_counts(public: bool = True) -> dict[int, int]:
    """Dated documents per decade (1950 for the 1950s), from the catalogue itself."""
    per_year = (
        documents(public)
        .exclude(date_start=None)
        .annotate(year=ExtractYear("date_start"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("year")
    )
    decades: dict[int, int] = {}
    for row in per_year:
        decade = row["year"] // 10 * 10
        decades[decade] = decades.get(decade, 0) + row["n"]
    return decades


def holdings_span(public: bool = True) -> tuple:
    """First start and last end of dated documents, or (None, None)."""
    span = documents(public).aggregate(
        first=Min("date_start"), last=Max(Coalesce("date_end", "date_start"))
    )
    return span["first"], span["last"]


def undated_count(public: bool = True) -> int:
    return documents(public).filter(date_start=None).count()


def status_counts() -> dict[str, int]:
    """Documents by status; ``unpublished``: those readers cannot see today."""
    rows = Document.objects.values("status").annotate(n=Count("pk")).order_by("status")
    counts = {row["status"]: row["n"] for row in rows}
    counts["unpublished"] = Document.objects.exclude(public_q()).count()
    return counts


def archive_stats() -> dict:
    """The figures of ``opis stats --json``: every record (the home page shows readers' share),
    with ``statuses`` saying how many of them readers cannot see."""
    first, last = holdings_span(public=False)
    return {
        "documents": Document.objects.count(),
        "statuses": status_counts(),
        "collections": [
            {
                "slug": c.slug,
                "label": c.title,
                "series": c.series,
                "count": c.count,
                "first": c.first.isoformat() if c.first else None,
                "last": c.last.isoformat() if c.last else None,
            }
            for c in collection_summaries(public=False)
        ],  # fmt: skip
        "span": {
            "first": first.isoformat() if first else None,
            "last": last.isoformat() if last else None,
        },
        "types": _grouped("doc_type"),
        "languages": _languages(),
        "decades": [
            {"label": f"{d}s", "value": d, "count": n}
            for d, n in sorted(decade_counts(public=False).items())
        ],
        "undated": undated_count(public=False),
    }


def _grouped(field: str) -> list[dict]:
    rows = Document.objects.values(field).annotate(count=Count("pk")).order_by("-count", field)
    return [{"label": r[field] or "unknown", "value": r[field], "count": r["count"]} for r in rows]


def _languages() -> list[dict]:
    counts: dict[str, int] = {}
    for languages in Document.objects.values_list("original_languages", flat=True).iterator():
        for code in languages or ["und"]:
            counts[code] = counts.get(code, 0) + 1
    return [
        {"label": c, "value": c, "count": n} for c, n in sorted(counts.items(), key=lambda i: -i[1])
    ]
