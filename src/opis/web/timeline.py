"""The timeline: a search's hits by year (by month when the years are few), and the home page's
documents by decade, drawn over the span that holds documents.

Every bar is a link to the same search narrowed to its year or month, written in the query
language (``year:1950``, ``date:1950-07``: overlap, so a document dated "1950–1951" is found
under both years); ``timeline.js`` lets a reader drag across bars to narrow to a range
(``year:1950..1953``). Any date filter already in the query is replaced, never stacked, so the
result of a drag is the drawn range whatever was asked before. Bars count documents by the year
or month they start (the engine's year facet); the figures beside the chart say so.

A date outside ``PLAUSIBLE`` (before 1700, or after this year) is far more likely a misreading
(an OCR "195" for 1950, a typist's 2950) than a diplomatic document, and one such date would
stretch the chart over centuries of empty bars: such documents are counted apart, as are the
undated ones, and the chart spans only the rest.
"""

import calendar
import re
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractYear

from opis.records import holdings
from opis.records.visibility import today
from opis.search import search
from opis.search.results import SearchResults
from opis.search.timeline import month_counts
from opis.web import charts, filters

FIRST_PLAUSIBLE_YEAR = 1700
MONTHS_UP_TO = 3  # years: a search spanning this few is drawn by month
# Each bar's link repeats the query: past this length the bars are drawn without links (a drag
# still works), so that a page of a very long query stays small.
LINKED_QUERY_CHARS = 300
MONTH_NAMES = [calendar.month_abbr[m] for m in range(1, 13)]
_DATE_FILTER = re.compile(r"^(?:year|date|within|decade):", re.IGNORECASE)
_TOKENS = re.compile(r'(?:[^\s"]+|"[^"]*"?)+')


@dataclass
class Timeline:
    chart: charts.Histogram
    unit: str  # "year" or "month"
    base_query: str  # the query less its date filters: what a drag adds its range to
    sort: str
    dated: int
    undated: int
    suspicious: int
    clear_url: str = ""  # the search without its date filters, when it has some
    first: str = ""
    last: str = ""
    notes: list[str] = field(default_factory=list)


def plausible(year: int) -> bool:
    return FIRST_PLAUSIBLE_YEAR <= year <= today().year


def without_dates(query: str) -> str:
    """The query less every year:, date:, within: and decade: filter."""
    return " ".join(t for t in _TOKENS.findall(query) if not _DATE_FILTER.match(t))


def search_timeline(results: SearchResults, query: str, sort: str, staff: bool) -> Timeline | None:
    """The chart over a search's hits, or None when none of them is dated. A search narrowed
    by date is drawn over the years of the same search without the dates, the chosen ones marked,
    unless its hits span so few years that they are drawn by month."""
    years = {int(v.value): v.count for v in results.facets.get("year", [])}
    good = {y: n for y, n in years.items() if plausible(y)}
    if not good:
        return None
    base = without_dates(query)
    first, last = min(good), max(good)
    if last - first < MONTHS_UP_TO:
        unit, bars = "month", _month_bars(query, base, sort, staff, first, last)
    else:
        unit = "year"
        drawn = good
        if base != query.strip():  # the years around the chosen ones, to choose again from
            wider = search(base, per_page=1, staff=staff).facets.get("year", [])
            drawn = {int(v.value): v.count for v in wider if plausible(int(v.value))} or good
        bars = [
            _bar(str(y), drawn.get(y, 0), base, sort, f"year:{y}", str(y), str(y))
            for y in range(min(drawn), max(drawn) + 1)
        ]
    _mark_active(bars, query)
    timeline = Timeline(
        chart=charts.histogram(bars),
        unit=unit,
        base_query=base,
        sort=sort,
        dated=sum(good.values()),
        undated=max(0, results.total - sum(years.values())),
        suspicious=sum(n for y, n in years.items() if not plausible(y)),
        first=bars[0].start,
        last=bars[-1].end,
    )
    if base != query.strip():
        timeline.clear_url = filters.search_url(base, sort)
    return timeline


def _bar(label, count, base, sort, fragment, start, end) -> charts.Bar:
    linked = count and len(base) <= LINKED_QUERY_CHARS
    url = filters.search_url(f"{base} {fragment}".strip(), sort) if linked else ""
    return charts.Bar(label=label, count=count, url=url, start=start, end=end)


def _month_bars(query, base, sort, staff, first, last) -> list[charts.Bar]:
    counts = month_counts(query, staff=staff)
    bars = []
    for year in range(first, last + 1):
        for month in range(1, 13):
            key = f"{year:04d}-{month:02d}"
            label = f"{MONTH_NAMES[month - 1]} {year}"
            bars.append(_bar(label, counts.get(key, 0), base, sort, f"date:{key}", key, key))
    shown = [i for i, b in enumerate(bars) if b.count]
    return bars[shown[0] : shown[-1] + 1] if shown else bars


def _mark_active(bars: list[charts.Bar], query: str) -> None:
    """Bars inside a year or date range the query already asks for are drawn as chosen."""
    for token in _TOKENS.findall(query):
        name, _, value = token.partition(":")
        if name.lower() not in ("year", "date", "within"):
            continue
        low, _, high = value.strip('"').partition("..")
        high = high or low
        for bar in bars:
            bar.active = bar.active or _overlaps(bar.start, bar.end, low, high)
    if all(bar.active for bar in bars if bar.count):  # the range is the whole chart: no emphasis
        for bar in bars:
            bar.active = False


def _overlaps(start: str, end: str, low: str, high: str) -> bool:
    """Whether a bar ("1950", "1950-07") overlaps a range as written ("1950-07-13", "1951"):
    compared at the coarser of the two precisions, as ISO dates sort as text."""
    upper, lower = min(len(start), len(high)), min(len(end), len(low))
    return start[:upper] <= high[:upper] and end[:lower] >= low[:lower]


@dataclass
class Decades:
    bars: list[dict]
    undated: int
    suspicious: int


def home_decades(public: bool = True) -> Decades:
    """Documents per decade over the span that holds plausibly dated documents, for the home
    page; undated and implausibly dated documents counted apart."""
    rows = (
        holdings.documents(public)
        .exclude(date_start=None)
        .annotate(year=ExtractYear("date_start"))
        .values("year")
        .annotate(n=Count("id"))
    )
    decades: dict[int, int] = {}
    suspicious = 0
    for row in rows:
        if plausible(row["year"]):
            decade = row["year"] // 10 * 10
            decades[decade] = decades.get(decade, 0) + row["n"]
        else:
            suspicious += row["n"]
    bars = []
    if decades:
        tallest = max(decades.values())
        for decade in range(min(decades), max(decades) + 10, 10):
            count = decades.get(decade, 0)
            width = 0 if not count else max(2, round(count * 50 / tallest) * 2)
            url = filters.search_url(f"decade:{decade}")
            bars.append({"label": f"{decade}s", "count": count, "width": width, "url": url})
    return Decades(bars, holdings.undated_count(public), suspicious)
