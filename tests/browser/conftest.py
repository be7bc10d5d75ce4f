"""What every browser test needs: one Debian Chromium per test module, and a page that keeps every
console error and CSP violation it saw (``Visit``).

The servers themselves are the real ``opis serve`` (the suite's ``opis_serving``): the seed and
DFAT corpus in ``reading_room``, and the few modules that need data of their own (scans, a curator,
hostile records) start one the same way. Chromium is started per module, not per session: the
rest of the suite runs after these tests, and a browser left open for it is only in the way.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path("/tmp/opis-shots")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless; the module's tests skip where it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """A browser page that remembers every console error and failed request it saw."""

    noticed = ("error", "warning")  # console messages that count as problems
    height = 900

    def __init__(self, browser, base: str, width: int = 1280):
        self.base = base
        self.context = browser.new_context(viewport={"width": width, "height": self.height})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def _console(self, message) -> None:
        if message.type in self.noticed or "Content Security Policy" in message.text:
            self.problems.append(f"console {message.type}: {message.text}")

    def go(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, reading_room):
    """Opens ``Visit``s of the reading room (``visit(width)``); closes them after the test."""
    opened: list[Visit] = []

    def open_visit(width: int = 1280) -> Visit:
        opened.append(Visit(browser, reading_room, width))
        return opened[-1]

    yield open_visit
    for each in opened:
        each.close()
