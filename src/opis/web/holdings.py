"""What the archive holds: collections with counts and date spans, documents per decade.

Shared by the home page, the collection pages and the API so their counts always agree.
"""

from django.db.models import Count, Max, Min, QuerySet
from django.db.models.functions import Coalesce, ExtractYear

from opis.errors import NotFound
from opis.records.models import Collection, Document


def collection_summaries() -> QuerySet[Collection]:
    """Collections in series order, each with ``count``, ``first`` and ``last`` dates.

    The order is spelled out because Django drops ``Meta.ordering`` from aggregate queries.
    """
    return Collection.objects.annotate(
        count=Count("documents"),
        first=Min("documents__date_start"),
        last=Max(Coalesce("documents__date_end", "documents__date_start")),
    ).order_by("series", "position", "title")


def collection_summary(slug: str) -> Collection:
    collection = collection_summaries().filter(slug=slug).first()
    if collection is None:
        raise NotFound(f"no collection with slug {slug!r}; the list is at /collections/")
    return collection


def decade_counts() -> dict[int, int]:
    """Dated documents per decade (1950 for the 1950s), from the catalogue itself."""
    per_year = (
        Document.objects.exclude(date_start=None)
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


def holdings_span() -> tuple:
    """First and last dates of dated documents, or (None, None)."""
    span = Document.objects.aggregate(first=Min("date_start"), last=Max("date_start"))
    return span["first"], span["last"]
