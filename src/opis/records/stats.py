"""Figures about what the archive holds, for ``opis stats`` and the home page."""

from django.db.models import Count, Max, Min

from opis.records.models import Collection, Document, IndexChange


def archive_stats() -> dict:
    from opis.search.index import open_index

    documents = Document.objects.count()
    collections = Collection.objects.annotate(
        count=Count("documents"),
        first=Min("documents__date_start"),
        last=Max("documents__date_start"),
    ).order_by("series", "position", "title")
    decades: dict[int, int] = {}
    for year, count in _years():
        decades[year // 10 * 10] = decades.get(year // 10 * 10, 0) + count
    index = open_index()
    index.reload()
    return {
        "documents": documents,
        "collections": [
            {
                "slug": c.slug,
                "label": c.title,
                "series": c.series,
                "count": c.count,
                "first": c.first.isoformat() if c.first else None,
                "last": c.last.isoformat() if c.last else None,
            }
            for c in collections
        ],  # fmt: skip
        "types": _grouped("doc_type"),
        "languages": _languages(),
        "decades": [{"label": f"{d}s", "value": d, "count": n} for d, n in sorted(decades.items())],
        "undated": Document.objects.filter(date_start__isnull=True).count(),
        "index": {"documents": index.searcher().num_docs, "pending": IndexChange.objects.count()},
    }


def _grouped(field: str) -> list[dict]:
    rows = Document.objects.values(field).annotate(count=Count("pk")).order_by("-count", field)
    return [{"label": r[field] or "unknown", "value": r[field], "count": r["count"]} for r in rows]


def _years() -> list[tuple[int, int]]:
    from django.db.models.functions import ExtractYear

    rows = (
        Document.objects.filter(date_start__isnull=False)
        .annotate(year=ExtractYear("date_start"))
        .values("year")
        .annotate(count=Count("pk"))
    )
    return [(r["year"], r["count"]) for r in rows]


def _languages() -> list[dict]:
    counts: dict[str, int] = {}
    for languages in Document.objects.values_list("original_languages", flat=True).iterator():
        for code in languages or ["und"]:
            counts[code] = counts.get(code, 0) + 1
    return [
        {"label": c, "value": c, "count": n} for c, n in sorted(counts.items(), key=lambda i: -i[1])
    ]
