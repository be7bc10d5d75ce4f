"""The reading room's edit form, history with diffs and restore: a curator's pages, CSRF-protected,
validated as the API validates, with the same protection against overwriting a newer version."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import SEED_ID, SEED_TITLE
from opis.records.accounts import set_role
from opis.records.models import Document, RecordVersion
from opis.records.serialize import document_json, load_document
from opis.web.edit_form import form_values

EDIT = f"/documents/{SEED_ID}/edit"
HISTORY = f"/documents/{SEED_ID}/history"


def signed_in(role: str, csrf: bool = False) -> Client:
    user = User.objects.create_user(f"{role}-user", password="unused")
    set_role(user, role)
    browser = Client(enforce_csrf_checks=csrf)
    browser.force_login(user)
    return browser


@pytest.fixture
def curator(archive) -> Client:
    return signed_in("curator")


def form(record: dict | None = None, **changed) -> dict:
    """The edit form as a browser posts it, unchanged but for ``changed``."""
    record = record or document_json(load_document(SEED_ID))
    values = form_values(record)
    posted = {k: v for k, v in values.items() if isinstance(v, str)}
    for prefix, rows in (("loc", "locations"), ("agent", "agents"), ("text", "texts")):
        for n, row in enumerate(values[rows]):
            posted |= {f"{prefix}-{n}-{part}": value for part, value in row.items()}
            if prefix == "text":
                posted[f"text-{n}-n"] = str(n)
    return {**posted, "version": str(record["version"]), "comment": "a reason", **changed}


def test_a_curator_sees_edit_and_history_links(curator):
    page = curator.get(f"/documents/{SEED_ID}").content.decode()
    assert f'href="{EDIT}"' in page and f'href="{HISTORY}"' in page


def test_readers_see_no_edit_link_and_cannot_open_the_form(client, archive):
    assert f'href="{EDIT}"' not in client.get(f"/documents/{SEED_ID}").content.decode()
    assert client.get(EDIT).status_code == 302  # to the sign-in page
    assert signed_in("researcher").get(EDIT).status_code == 403


def test_the_form_shows_the_record(curator):
    page = curator.get(EDIT).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="version" value="1"' in page
    assert 'name="title" value="Ciphered telegram, Filippov [Stalin]' in page
    assert 'name="loc-0-fond" value="45"' in page


def test_an_unchanged_form_saves_nothing_but_says_so(curator):
    response = curator.post(EDIT, form())
    assert response.status_code == 422
    assert Document.objects.get(pk=SEED_ID).version == 1


def test_saving_the_form_makes_a_version(curator):
    response = curator.post(
        EDIT, form(title="Telegram No. 3305", **{"text-0-label": "English translation"})
    )
    assert response.status_code == 302, response.context["errors"]
    record = document_json(load_document(SEED_ID))
    assert (record["title"], record["version"]) == ("Telegram No. 3305", 2)
    version = RecordVersion.objects.get(document_id=SEED_ID, number=2)
    assert (version.actor, version.comment) == ("curator-user", "a reason")
    before = RecordVersion.objects.get(document_id=SEED_ID, number=1).record
    assert record["locations"] == before["locations"]  # rows not touched stay exactly
    assert record["agents"] == before["agents"]
    assert [t["pages"] for t in record["texts"]] == [t["pages"] for t in before["texts"]]


def test_adding_a_translation(curator):
    count = len(document_json(load_document(SEED_ID))["texts"])
    added = {f"text-{count}-body": "Перевод", f"text-{count}-language": "ru",
             f"text-{count}-role": "translation", f"text-{count}-label": "Russian"}  # fmt: skip
    assert curator.post(EDIT, form(**added)).status_code == 302
    texts = document_json(load_document(SEED_ID))["texts"]
    assert len(texts) == count + 1 and texts[-1]["body"] == "Перевод"


@pytest.mark.parametrize(
    ("changed", "field"),
    [
        ({"title": ""}, "title"),
        ({"date_start": "1950-07-13", "date_end": "1950-07-01"}, "date"),
        ({"agent-0-name": ""}, "agents"),
        ({"loc-0-fond": "x" * 61}, "locations"),
        ({"comment": ""}, "comment"),
    ],
)
def test_errors_are_shown_on_the_field_and_keep_the_input(curator, changed, field):
    response = curator.post(EDIT, form(**{"summary": "my new summary", **changed}))
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="e-{field}"' in page
    assert "my new summary" in page  # the curator's input is kept
    assert Document.objects.get(pk=SEED_ID).version == 1


def test_a_stale_form_is_a_conflict_showing_the_current_record(curator):
    stale = form()
    assert curator.post(EDIT, form(title="Someone else's title")).status_code == 302
    response = curator.post(EDIT, {**stale, "title": "My title"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else&#x27;s title" in page  # the current record
    assert 'value="My title"' in page  # and the curator's input
    assert 'name="version" value="2"' in page  # saving again applies it on top
    assert load_document(SEED_ID).title == "Someone else's title"


def test_the_form_needs_its_csrf_token(archive):
    browser = signed_in("curator", csrf=True)
    assert browser.post(EDIT, form(title="Forged")).status_code == 403
    assert load_document(SEED_ID).title == SEED_TITLE


def test_history_shows_each_version_with_its_diff_escaped(curator):
    curator.post(EDIT, form(title="<script>alert(1)</script>", comment="why <b>not</b>"))
    page = curator.get(HISTORY).content.decode()
    assert "Version 2 (current)" in page and "Version 1" in page
    assert "why &lt;b&gt;not&lt;/b&gt;" in page
    assert '<span class="diff__add">+  &quot;title&quot;: &quot;&lt;script&gt;' in page
    assert f'<span class="diff__remove">-  &quot;title&quot;: &quot;{SEED_TITLE[:20]}' in page
    assert "<script>alert" not in page
    assert f'action="/documents/{SEED_ID}/history/1/restore"' in page


def test_restore_from_the_history_page(curator):
    curator.post(EDIT, form(title="Changed"))
    response = curator.post(f"{HISTORY}/1/restore", {"comment": "the source was right"})
    assert response.status_code == 302
    assert load_document(SEED_ID).title == SEED_TITLE
    latest = RecordVersion.objects.filter(document_id=SEED_ID).latest("number")
    assert (latest.number, latest.action, latest.comment) == (3, "restore", "the source was right")


def test_restore_is_a_post_for_curators(client, archive):
    assert client.post(f"{HISTORY}/1/restore", {"comment": "x"}).status_code == 302  # sign in
    assert signed_in("researcher").post(f"{HISTORY}/1/restore").status_code == 403
    assert Document.objects.get(pk=SEED_ID).version == 1
