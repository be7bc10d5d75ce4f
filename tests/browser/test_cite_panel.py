"""Citing and sharing as a historian does it, in Debian's Chromium against ``opis serve``.

The Cite panel opens, switches between styles, copies a citation to the clipboard and downloads
BibTeX and RIS files; ¶ links go to their passage and copy its URL; the Zotero (Highwire and
Dublin Core) tags are on a DFAT document page; search results carry COinS. Any console error or
CSP violation fails the test (``Visit`` records them).
"""

import re
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from browser.conftest import Visit
from conftest import SEED_ID, SEED_LOCATIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name=[0-9]+ mode='rb' closefd=True>"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

STYLES = {
    "chicago-note": "Chicago, full note",
    "chicago-short": "Chicago, short note",
    "chicago-bib": "Chicago, bibliography",
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl-json": "CSL-JSON",
}
FILES = {"bibtex": ("application/x-bibtex", ".bib", "@letter{wcda-110692,"), "ris": (
    "application/x-research-info-systems", ".ris", "TY  - PCOMM")}  # fmt: skip


@pytest.fixture
def person(browser, reading_room):
    visit = Visit(browser, reading_room)
    visit.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=reading_room)
    yield visit
    visit.close()


def test_the_cite_panel_switches_styles_copies_and_downloads(person):
    page = person.go(f"/documents/{SEED_ID}")
    note = page.locator("#cite-chicago-note")
    assert not note.is_visible(), "the panel starts closed"
    page.get_by_text("Cite this document").click()
    assert note.is_visible()
    for location in SEED_LOCATIONS:
        assert location in note.inner_text()

    for name, label in STYLES.items():
        page.get_by_label(label, exact=True).check()
        shown = [n for n in STYLES if page.locator(f"#cite-{n}").is_visible()]
        assert shown == [name]
        served = page.request.get(f"{person.base}/api/documents/{SEED_ID}/cite?style={name}")
        assert page.locator(f"#cite-{name}").inner_text().strip() == served.text().strip()

    page.get_by_label("Chicago, full note", exact=True).check()
    copy = page.locator('.cite__form[data-style="chicago-note"] .cite__copy')
    copy.click()
    expect(copy).to_have_text("Copied")  # the clipboard write is asynchronous: wait for it
    assert page.evaluate("navigator.clipboard.readText()") == note.inner_text().strip()

    for name, (media_type, extension, first_line) in FILES.items():
        page.get_by_label(STYLES[name], exact=True).check()
        link = page.get_by_role("link", name=f"Download as a {STYLES[name]} file")
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == f"{SEED_ID}{extension}"
        assert Path(download.value.path()).read_text().startswith(first_line)
        served = page.request.get(person.base + link.get_attribute("href"))
        assert served.headers["content-type"] == f"{media_type}; charset=utf-8"
    person.shot("cite-panel")
    assert person.problems == []


def test_a_passage_link_goes_to_its_paragraph_and_copies_its_url(person):
    page = person.go(f"/documents/{SEED_ID}")
    page.get_by_role("link", name="Link to this passage: paragraph 5", exact=True).click()
    page.wait_for_url(f"**/documents/{SEED_ID}#p-5")
    assert page.evaluate("document.querySelector(':target').id") == "p-5"
    assert page.locator("#p-5").inner_text().startswith("The English ask the Soviet government")
    page.wait_for_function("navigator.clipboard.readText().then(t => t.endsWith('#p-5'))")
    assert (
        page.evaluate("navigator.clipboard.readText()") == f"{person.base}/documents/{SEED_ID}#p-5"
    )
    assert page.get_by_role("status").count() == 1

    page = person.go(f"/documents/{SEED_ID}#p-12")
    assert page.evaluate("document.querySelector(':target').id") == "p-12"
    assert page.locator("#p-12").evaluate("p => getComputedStyle(p).backgroundColor") != (
        page.locator("#p-11").evaluate("p => getComputedStyle(p).backgroundColor")
    ), "the targeted passage is marked"
    assert page.locator("#cite-passage").is_hidden(), "no printed page: no page citation"
    assert person.problems == []


def test_a_dfat_document_page_has_the_tags_zotero_reads(person):
    page = person.go("/search?q=collection%3Adfat-v1")
    page.locator(".hit__title a").first.click()
    page.wait_for_url(re.compile(r".*/documents/.+"))

    def tag(name: str) -> list[str]:
        return page.locator(f'meta[name="{name}"]').evaluate_all("ms => ms.map(m => m.content)")

    assert tag("citation_title") == [page.locator("h1").inner_text()]
    assert tag("DC.title") == tag("citation_title")
    assert tag("citation_public_url") == [page.url] == tag("DC.identifier")
    # the volume goes in Zotero's "extra", never in tags that make a creator-less book section
    assert tag("citation_inbook_title") == [] and tag("citation_author") == []
    volume = page.locator("a[href='/collections/dfat-v1']").inner_text()
    assert volume == "Volume 1: 1937-38"
    assert f"Documents on Australian Foreign Policy, {volume}, Document" in tag("z.extra")[0]
    assert re.fullmatch(r"\d{4}(/\d{2}){0,2}", tag("citation_date")[0])
    assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", tag("DC.date")[0])
    assert tag("citation_language") and tag("DC.type")[0] in ("letter", "manuscript")
    assert person.problems == []


def test_search_results_carry_coins_and_no_export_link_for_readers(person):
    page = person.go("/search?q=korea&sort=date")
    hits = page.locator("li.hit")
    assert hits.count() > 0
    assert page.locator("li.hit span.Z3988").count() == hits.count()
    first = parse_qs(page.locator("li.hit span.Z3988").first.get_attribute("title"))
    href = page.locator(".hit__title a").first.get_attribute("href")
    assert first["ctx_ver"] == ["Z39.88-2004"] and first["rft_id"] == [person.base + href]
    assert page.locator(".results__export a").count() == 0  # bulk export: researchers only
    assert person.problems == []
