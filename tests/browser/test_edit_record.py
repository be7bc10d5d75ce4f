"""A curator signs in, edits a record's title in Chromium, sees it, and finds the change in the
record's history with its diff: against ``opis serve`` on a data folder of its own (the seed)."""

import subprocess
import sys

import pytest

from conftest import ROOT, SEED, SEED_ID, opis_env, opis_serving, require, run_opis

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <_io.FileIO name=[0-9]+ mode='rb' closefd=True>"
        ":pytest.PytestUnraisableExceptionWarning"
    ),
]

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
    with opis_serving(env) as base:
        yield base


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
