"""Issue 15 in Debian's Chromium: the correspondence network, the zoomable scan with the searched
word marked on it, axe-core on every page type, and the screenshots in docs/screenshots/.

Two real servers: ``reading_room`` (conftest: the seed and the DFAT corpus) and, for scans, a few
State Department FOIA PDFs ingested with their own text layers (``--ocr never``, as
tests/test_corpus_scans.py does, a few seconds) and served by ``opis serve``. axe-core is the npm
package vendored under tests/browser/vendor (``make vendor``), evaluated in the page: the strict
CSP stays on. Any console error or CSP violation fails a test.
"""

import json
import urllib.request
from pathlib import Path

import pytest

from browser.conftest import Visit
from conftest import FOIA, ROOT, SEED_ID, opis_env, opis_serving, require, run_opis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name=[0-9]+ mode='rb' closefd=True>"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
# Scans with a text layer naming Reykjavik: one page, and several (the viewer on each page).
SCANS = ("C09000024.pdf", "C09000025.pdf")
SCAN_ID = "foia-C09000024"
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def scan_room(tmp_path_factory):
    """``opis serve`` on a data folder holding a few FOIA scans; yields its base URL."""
    folder = require(FOIA) / "F-1986-04261"
    data_dir = tmp_path_factory.mktemp("scan-room")
    run_opis(data_dir, "ingest", "--ocr", "never", *(str(folder / name) for name in SCANS))
    # the catalogue the ingest above wrote, on either backend
    with opis_serving(opis_env(data_dir)) as base:
        yield base


class AxeVisit(Visit):
    """A ``Visit`` at 1280 x 800 (the screenshots' size) that counts console errors
    and CSP violations, not warnings, and runs axe-core."""

    noticed = ("error",)
    height = 800

    def axe(self) -> list[str]:
        """Serious or critical axe-core violations of the page, one line each."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        found = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        )
        return [
            f"{v['impact']} {v['id']}: {v['help']} at {v['nodes']}"
            for v in found
            if v["impact"] in BLOCKING
        ]

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))  # the viewport: 1280 x 800
        return path


@pytest.fixture
def visit(browser):
    opened: list[AxeVisit] = []

    def open_visit(base: str) -> AxeVisit:
        opened.append(AxeVisit(browser, base))
        return opened[-1]

    yield open_visit
    for each in opened:
        each.close()


def dfat_volume_query(base: str) -> str:
    """The first DFAT volume's collection filter, read from the reading room's own API."""
    with urllib.request.urlopen(base + "/api/collections") as answer:
        rows = json.load(answer)["results"]
    return "collection:" + next(c["slug"] for c in rows if c["slug"].startswith("dfat-"))


def test_opening_a_network_edge_lands_on_its_documents(visit, reading_room):
    person = visit(reading_room)
    page = person.go("/search/network?q=" + dfat_volume_query(reading_room))
    edge = page.locator("a.network__edge").first
    label = edge.get_attribute("aria-label")
    count = int(label.split(": ")[1].split(" ")[0])  # "A to B: 45 documents, via …"
    edge.focus()  # edges are links: the keyboard reaches them
    page.keyboard.press("Enter")
    page.wait_for_url("**from=**")
    listed = page.locator("#edge-documents li a")
    assert listed.count() == count
    assert label.split(":")[0] in page.locator("#edge-documents-heading").inner_text()
    listed.first.click()
    page.wait_for_url("**/documents/**")
    assert page.locator("#record-title").is_visible()
    assert person.problems == []


def test_a_searched_word_is_marked_on_the_scan(visit, scan_room):
    person = visit(scan_room)
    page = person.go("/search?q=Reykjavik")
    page.locator(f'a[href="/documents/{SCAN_ID}"]').first.click()
    page.wait_for_url(f"**/documents/{SCAN_ID}")
    page.locator(".scan-viewer canvas").first.wait_for()
    marks = page.locator(".scan-hit")
    marks.first.wait_for(state="attached")
    assert marks.count() >= 1
    assert {title.lower().strip(".,;:") for title in page.locator(".scan-hit").evaluate_all(
        "marks => marks.map(m => m.title)")} == {"reykjavik"}  # fmt: skip
    box = marks.first.bounding_box()
    viewer = page.locator(".scan-viewer").first.bounding_box()
    assert box and viewer and box["width"] > 2 and box["height"] > 2
    assert viewer["x"] <= box["x"] <= viewer["x"] + viewer["width"]
    assert "searched word" in page.locator(".scan-page__hits").first.inner_text()
    page.locator(".scan-page__image a").first.wait_for(state="hidden")
    page.locator("#scan-pages-heading").evaluate("e => e.scrollIntoView({block: 'start'})")
    person.screenshot("scan-document")
    assert person.problems == []


def test_the_iiif_manifest_opens_every_page_of_a_scan(scan_room):
    with urllib.request.urlopen(f"{scan_room}/iiif/manifest/{SCAN_ID}") as answer:
        manifest = json.load(answer)
    assert manifest["type"] == "Manifest"
    for canvas in manifest["items"]:
        body = canvas["items"][0]["items"][0]["body"]
        service = body["service"][0]["id"]
        with urllib.request.urlopen(service + "/info.json") as answer:
            info = json.load(answer)
        assert info["profile"] == "level0" and info["sizes"][0]["width"] == info["width"]
        with urllib.request.urlopen(body["id"]) as answer:
            assert answer.headers["Content-Type"] == "image/png"
            assert answer.read(8) == b"\x89PNG\r\n\x1a\n"


def person_path(base: str) -> str:
    """A person page (/people/<id>) when the reading room has them, else ""."""
    try:
        with urllib.request.urlopen(base + "/people/stalin-iosif") as answer:
            return "/people/stalin-iosif" if answer.status == 200 else ""
    except OSError:
        return ""


def page_types(base: str) -> dict[str, str]:
    query = dfat_volume_query(base)
    found = {
        "home": "/",
        "search": "/search?q=telegram",
        "document": f"/documents/{SEED_ID}",
        "collections": "/collections/",
        "collection": "/collections/" + query.split(":")[1],
        "network": f"/search/network?q={query}",
        "login": "/accounts/login/",
        "api-docs": "/api/docs",
    }
    if person_path(base):
        found["person"] = person_path(base)
    return found


def test_axe_finds_no_serious_violation_on_any_page_type(visit, reading_room, scan_room):
    violations = {}
    for name, path in page_types(reading_room).items():
        person = visit(reading_room)
        person.go(path)
        violations[name] = person.axe() + person.problems
        person.screenshot(name)
    person = visit(scan_room)
    person.go(f"/documents/{SCAN_ID}")
    person.page.locator(".scan-viewer canvas").first.wait_for()
    violations["scan-document"] = person.axe() + person.problems
    assert {name: found for name, found in violations.items() if found} == {}


THREADED = (
    "dfat-v13-130-critchley-to-department-of-external-affairs"  # answers 125, answered by 133
)


def test_a_threaded_cable_shows_its_chain_in_date_order(visit, reading_room):
    person = visit(reading_room)
    page = person.go(f"/documents/{THREADED}")
    page.locator(".thread-chain").scroll_into_view_if_needed()
    links = page.locator(".thread-chain__link")
    here = [i for i in range(links.count()) if links.nth(i).get_attribute("aria-current")]
    assert len(here) == 1 and 0 < here[0] < links.count() - 1  # earlier above, replies below
    assert "dfat-v13-125" in links.nth(here[0] - 1).locator("a").get_attribute("href")
    person.screenshot("document-thread")
    assert person.problems == []


def test_a_printed_record_has_no_navigation_and_shows_its_citation_and_text(visit, reading_room):
    person = visit(reading_room)
    page = person.go(f"/documents/{SEED_ID}")
    assert not page.locator(".cite-print").is_visible()  # on screen the Cite panel does it
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form").first.is_visible()
    cite = page.locator(".cite-print")
    assert cite.is_visible() and "Wilson Center Digital Archive" in cite.inner_text()
    assert page.locator(".passage").last.is_visible()
    assert person.problems == []
