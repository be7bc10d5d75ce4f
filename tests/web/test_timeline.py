"""The timeline: a search's hits by year (by month when the years are few), every bar a link in
the query language; the home page's decades over the span that holds documents, undated and
implausible dates counted apart."""

import re
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import SEED_ID
from opis.records.models import Document
from opis.records.publication import set_status
from opis.search import search
from opis.search.indexer import reindex
from opis.search.timeline import month_counts
from opis.web.timeline import _overlaps, without_dates

BAR = re.compile(
    r'<a href="(?P<url>[^"]+)" class="timeline__bar[^"]*" data-start="(?P<start>[^"]+)" '
    r'data-end="[^"]+" aria-label="[^:]+: (?P<count>\d+) documents?"'
)


def bars(client, query: str) -> list[dict]:
    response = client.get("/search", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    found = [m.groupdict() for m in BAR.finditer(body)]
    for bar in found:
        bar["q"] = parse_qs(urlsplit(bar["url"].replace("&amp;", "&")).query)["q"][0]
        bar["count"] = int(bar["count"])
    return found


def test_the_search_page_draws_the_hits_by_year(client, archive):
    drawn = bars(client, "China")
    results = search("China", per_page=1)
    years = {int(v.value): v.count for v in results.facets["year"]}
    assert len(drawn) > 3
    assert {int(b["start"]): b["count"] for b in drawn} == years
    for bar in drawn[:3]:  # each bar narrows the same search to its year
        assert bar["q"] == f"China year:{bar['start']}"
        assert search(bar["q"], per_page=1).total == bar["count"]  # DFAT dates are days


def test_a_narrow_search_is_drawn_by_month(client, archive):
    year = int(search("China", per_page=1).facets["year"][0].value)
    drawn = bars(client, f"China year:{year}")
    assert drawn and all(re.fullmatch(rf"{year}-\d\d", b["start"]) for b in drawn)
    assert sum(b["count"] for b in drawn) == search(f"China year:{year}", per_page=1).total
    for bar in drawn:  # the year filter is replaced by the month, never stacked
        assert bar["q"] == f"China date:{bar['start']}"
    busiest = max(drawn, key=lambda b: b["count"])
    assert search(busiest["q"], per_page=1).total == busiest["count"]


def test_a_search_narrowed_by_years_is_drawn_over_all_its_years_the_chosen_marked(client, archive):
    everything = {int(b["start"]) for b in bars(client, "China")}
    body = client.get("/search", {"q": "China year:1937..1950"}).content.decode()
    drawn = re.findall(r'class="timeline__bar( is-active)?" data-start="(\d+)"', body)
    assert {int(year) for _, year in drawn} == everything
    chosen = {int(year) for active, year in drawn if active}
    assert chosen == {y for y in everything if 1937 <= y <= 1950}


def test_a_date_filter_is_replaced_and_can_be_cleared(client, archive):
    response = client.get("/search", {"q": "China decade:1950"})
    body = response.content.decode()
    assert 'data-base-query="China"' in body
    assert 'href="/search?q=China">Any date</a>' in body


@pytest.mark.parametrize(
    ("query", "left"),
    [
        ("Korea year:1950..1953", "Korea"),
        ('Korea DATE:1950-07 archive:"AVP RF"', 'Korea archive:"AVP RF"'),
        ("within:1950 decade:1950 Stalin", "Stalin"),
        ("yearly report", "yearly report"),
    ],
)
def test_without_dates(query, left):
    assert without_dates(query) == left


@pytest.mark.parametrize(
    ("bar", "low", "high", "inside"),
    [
        ("1950", "1950", "1950", True),
        ("1951", "1950", "1950", False),
        ("1950-07", "1950", "1953", True),
        ("1950", "1950-07-13", "1950-07-13", True),
        ("1950-06", "1950-07", "1950-09", False),
        ("1950-09", "1950-07", "1950-09", True),
    ],
)
def test_a_bar_is_chosen_when_it_overlaps_the_asked_range(bar, low, high, inside):
    assert _overlaps(bar, bar, low, high) is inside


def test_readers_timeline_leaves_out_a_draft(client, archive, isolated_index):
    reindex()
    assert [b["start"] for b in bars(client, "signed:Filippov")] == ["1950-07"]
    set_status(SEED_ID, "draft", reason="timeline test")
    reindex()
    assert bars(client, "signed:Filippov") == []


def test_an_embargoed_record_leaves_readers_months_but_not_staffs(archive, isolated_index):
    reindex()
    everyone = month_counts("signed:Filippov", staff=True)
    assert month_counts("signed:Filippov") == everyone == {"1950-07": 1}
    set_status(SEED_ID, "embargoed", until=date.today() + timedelta(days=2))
    reindex()
    assert month_counts("signed:Filippov") == {}
    assert month_counts("signed:Filippov", staff=True) == everyone


def test_the_home_page_draws_only_the_span_that_holds_documents(client, archive):
    odd = Document.objects.exclude(pk=SEED_ID).order_by("pk")
    first, second, third = list(odd[:3])
    Document.objects.filter(pk=first.pk).update(date_start=date(250, 1, 1), date_end=None)
    Document.objects.filter(pk=second.pk).update(date_start=date(2950, 1, 1), date_end=None)
    Document.objects.filter(pk=third.pk).update(date_start=None, date_end=None)
    body = client.get("/").content.decode()
    decades = re.findall(r'class="bars__label"[^>]*>(\d+)s<', body)
    assert decades and int(decades[0]) >= 1900 and int(decades[-1]) <= date.today().year
    assert "250s" not in body and "2950s" not in body
    assert "2 documents have a date before 1700 or in the future" in body
    undated = Document.objects.filter(date_start=None).count()
    assert f"{undated} document{'s' if undated != 1 else ''} ha" in body
