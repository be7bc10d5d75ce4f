"""A curator signs in, edits a record's title in Chromium, sees it, and finds the change in the
record's history with its diff: against ``opis serve`` on a data folder of its own (the seed)."""

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SEED, SEED_ID, _free_port, opis_env, require, run_opis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name=[0-9]+ mode='rb' closefd=True>"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a-long-curator-passphrase-for-tests"


@pytest.fixture(scope="module")
def curated_room(tmp_path_factory):
    """``opis serve`` on the seed alone, with a curator account ``curie``."""
    require(SEED)
    data = tmp_path_factory.mktemp("edit-data")
    run_opis(data, "ingest", str(SEED))
    env = opis_env(data)
    subprocess.run(
        [sys.executable, "-m", "opis.cli", "users", "add", "curie", "--role", "curator"],
        cwd=ROOT, env=env, input=PASSWORD + "\n", text=True, check=True, capture_output=True,
    )  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "opis.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            if server.poll() is not None:
                raise AssertionError("opis serve exited:\n" + server.stdout.read()) from None
            time.sleep(0.3)
    yield base
    server.terminate()
    server.wait(timeout=10)
    server.stdout.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def test_a_curator_edits_a_title_and_sees_the_history(browser, curated_room):
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(f"{curated_room}/accounts/login/?next=/documents/{SEED_ID}")
    page.get_by_label("User name").fill("curie")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/documents/{SEED_ID}")

    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(f"**/documents/{SEED_ID}/edit")
    page.get_by_label("Title").fill("Ciphered telegram No. 3305, Filippov to Zhou Enlai")
    page.get_by_label("Why this change (required)").fill("the number is in the header")
    page.get_by_role("button", name="Save as version 2").click()
    page.wait_for_url(f"**/documents/{SEED_ID}?saved=1")
    heading = page.locator("#record-title").inner_text()
    assert heading == "Ciphered telegram No. 3305, Filippov to Zhou Enlai"

    page.get_by_role("link", name="History").click()
    page.wait_for_url(f"**/documents/{SEED_ID}/history")
    assert page.get_by_text("the number is in the header").is_visible()
    added = page.locator(".diff__add").all_inner_texts()
    assert any("Ciphered telegram No. 3305" in line for line in added)
    assert page.locator(".diff__remove").count() >= 1
    assert problems == []
    context.close()
