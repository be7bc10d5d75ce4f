"""Walking the reading room as a historian does, in Debian's Chromium against ``opis serve`` on the
seed and the DFAT corpus: down the archive tree from the seed's APRF location and back to the
telegram; from "Filippov" to Stalin's page and on to a correspondent; dragging across the timeline
of a search to narrow it to a range of years. Any console error, a CSP violation included, fails.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import SEED_ID

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name=[0-9]+ mode='rb' closefd=True>"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]


def results_total(page) -> int:
    heading = page.locator("#results-heading").inner_text()
    return int(re.search(r"of (\d+) document", heading).group(1))


def test_from_the_seeds_aprf_location_down_the_tree_and_back(visit):
    person = visit()
    page = person.go(f"/documents/{SEED_ID}")
    aprf = page.locator(".location").first.locator(".location__tree")
    aprf.get_by_role("link", name="APRF").click()
    page.wait_for_url("**/archives/APRF")
    assert "Archive of the President of the Russian Federation" in page.locator("h1").inner_text()
    for level, url in (
        ("Fond 45", "**/archives/APRF?fond=45"),
        ("Opis 1", "**/archives/APRF?fond=45&opis=1"),
        ("Delo 331", "**/archives/APRF?fond=45&opis=1&delo=331"),
    ):
        page.locator(".tree-table").get_by_role("link", name=level).click()
        page.wait_for_url(url)
        assert page.locator("h1").inner_text() == level
        assert "1 document" in page.locator(".lede").inner_text()
    person.shot("archive-tree-delo")
    page.get_by_role("link", name="Ciphered telegram, Filippov [Stalin]").click()
    page.wait_for_url(f"**/documents/{SEED_ID}")
    assert page.locator("#record-title").is_visible()
    assert person.problems == []


def test_from_filippov_to_stalin_to_a_correspondent(visit):
    person = visit()
    page = person.go(f"/documents/{SEED_ID}")
    signed = page.locator(".people li").filter(has_text="signed as Filippov")
    signed.get_by_role("link", name="Stalin").click()
    page.wait_for_url("**/people/stalin-iosif")
    assert page.locator("h1").inner_text() == "Stalin, Iosif Vissarionovich"
    filippov = page.locator(".names-table tr").filter(has_text="Filippov")
    assert "1950–1953" in filippov.inner_text()
    assert page.locator("svg.chart--strip rect.chart__bar").count() == 2  # signatory, copy
    person.shot("person-stalin")
    wrote_to = page.locator("table[aria-labelledby='they-wrote-to']")
    wrote_to.get_by_role("link", name="Zhou Enlai").click()
    page.wait_for_url("**/people/zhou-enlai")
    assert "Zhou Enlai" in page.locator("h1").inner_text()
    wrote = page.locator("table[aria-labelledby='wrote-to-them']")
    assert wrote.get_by_role("link", name="Stalin, Iosif Vissarionovich").is_visible()
    assert person.problems == []


def test_dragging_across_the_timeline_narrows_the_search(visit):
    person = visit()
    page = person.go("/search?q=China")
    before = results_total(page)
    bars = page.locator("#timeline a.timeline__bar")
    assert bars.count() > 10
    first, last = bars.nth(2), bars.nth(6)
    low, high = first.get_attribute("data-start"), last.get_attribute("data-end")
    start = first.locator(".timeline__hit").bounding_box()
    end = last.locator(".timeline__hit").bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] - 5)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] - 5, steps=8)
    assert page.locator("#timeline-status").inner_text() == f"From {low} to {high}"
    person.shot("timeline-dragging")
    page.mouse.up()
    page.wait_for_url("**/search?q=China+year*")
    query = parse_qs(urlsplit(page.url).query)["q"][0]
    assert query == f"China year:{low}..{high}"
    after = results_total(page)
    assert 0 < after < before
    assert page.get_by_role("link", name=re.compile("Any date")).is_visible()
    chosen = page.locator("#timeline a.timeline__bar.is-active")
    assert chosen.first.get_attribute("data-start") == low  # drawn among all years, marked
    assert chosen.last.get_attribute("data-end") == high
    years = [
        int(re.search(r"\d{4}", d).group()) for d in page.locator(".hit__date").all_inner_texts()
    ]
    assert years and all(int(low) - 1 <= y <= int(high) for y in years)  # overlap: may start before
    assert person.problems == []
