"""PATCH /api/documents/{id}: a curator's edit with If-Match; everyone else changes nothing."""

import json

import pytest
from django.contrib.auth.models import User

from conftest import SEED_ID, SEED_TITLE
from opis.records.accounts import new_token, set_role
from opis.records.models import Document, RecordVersion

URL = f"/api/documents/{SEED_ID}"


def account(name: str, role: str) -> str:
    user = User.objects.create_user(name, password="not-used-here")
    set_role(user, role)
    return new_token(user)


@pytest.fixture
def curator(archive) -> str:
    return account("curie", "curator")


def patch(client, body: dict, token: str | None = None, version: str | None = '"1"', url=URL):
    headers = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if version is not None:
        headers["HTTP_IF_MATCH"] = version
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_get_gives_the_version_in_the_body_and_as_etag(client, archive):
    response = client.get(URL)
    assert response.json()["version"] == 1
    assert response["ETag"] == '"1"'


def test_a_curator_patches_with_if_match(client, curator):
    response = patch(client, {"title": "A curated title", "comment": "misread"}, curator)
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    body = response.json()
    assert (body["title"], body["version"]) == ("A curated title", 2)
    assert client.get(URL).json()["title"] == "A curated title"
    version = RecordVersion.objects.get(document_id=SEED_ID, number=2)
    assert (version.actor, version.action, version.comment) == ("curie", "edit", "misread")


def test_a_stale_patch_gets_409_with_the_current_record(client, curator):
    assert patch(client, {"title": "First", "comment": "one"}, curator).status_code == 200
    response = patch(client, {"title": "Second", "comment": "two"}, curator, '"1"')
    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "version_conflict"
    assert (body["current"]["title"], body["current"]["version"]) == ("First", 2)
    assert Document.objects.get(pk=SEED_ID).title == "First"


def test_without_if_match_428(client, curator):
    response = patch(client, {"title": "x", "comment": "y"}, curator, version=None)
    assert response.status_code == 428
    assert Document.objects.get(pk=SEED_ID).version == 1


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("researcher", 403), ("reader", 403)])
def test_without_the_role_nothing_changes(client, archive, role, status):
    token = account("someone", role) if role else None
    response = patch(client, {"title": "Vandalised", "comment": "ha"}, token)
    assert response.status_code == status
    assert response.json()["error"]["status"] == status
    assert Document.objects.get(pk=SEED_ID).title == SEED_TITLE
    assert not RecordVersion.objects.filter(document_id=SEED_ID).exists()


def test_an_unknown_token_is_401(client, archive):
    assert patch(client, {"title": "x", "comment": "y"}, "opis_wrong").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x"}, "comment"),
        ({"title": "", "comment": "c"}, "title"),
        ({"shoe_size": 9, "comment": "c"}, "shoe_size"),
        ({"date": {"start": "13 July"}, "comment": "c"}, "date.start"),
        ({"locations": [{"fond": 45}], "comment": "c"}, "locations[0].fond"),
    ],
)
def test_an_invalid_patch_is_422_naming_the_field(client, curator, body, field):
    response = patch(client, body, curator)
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(f"{field}: ")
    assert Document.objects.get(pk=SEED_ID).version == 1


def test_a_session_write_needs_the_csrf_token(archive):
    from django.test import Client

    user = User.objects.create_user("sess", password="x")
    set_role(user, "curator")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = patch(browser, {"title": "Forged", "comment": "csrf"})
    assert response.status_code == 403
    assert Document.objects.get(pk=SEED_ID).title == SEED_TITLE


def test_versions_list_read_and_restore(client, curator):
    patch(client, {"title": "Changed", "comment": "edit"}, curator)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {curator}"}
    listed = client.get(f"{URL}/versions", **auth).json()
    assert [v["number"] for v in listed["versions"]] == [1, 2]
    first = client.get(f"{URL}/versions/1", **auth).json()
    assert first["title"] == SEED_TITLE
    restored = client.post(
        f"{URL}/versions/1/restore", json.dumps({"comment": "back"}),
        content_type="application/json", **auth,
    )  # fmt: skip
    assert restored.status_code == 200, restored.content
    body = restored.json()
    assert (body["title"], body["version"]) == (SEED_TITLE, 3)
    assert client.get(f"{URL}/versions/9", **auth).status_code == 404
    assert client.get(f"{URL}/versions").status_code == 401


def test_a_patch_changes_the_status_too(client, curator):
    body = {"status": "draft", "title": "Not yet checked", "comment": "hold it back"}
    response = patch(client, body, curator)
    assert response.status_code == 200, response.content
    record = response.json()
    assert (record["status"], record["title"]) == ("draft", "Not yet checked")
    assert record["version"] == 3  # the edit, then the status change: each a version
    assert client.get(URL).status_code == 404  # readers no longer see it
    embargo = {"embargo_until": "2099-01-01", "comment": "until the family agrees"}
    record = patch(client, embargo, curator, '"3"').json()
    assert (record["status"], record["embargo_until"]) == ("embargoed", "2099-01-01")


def test_a_bad_status_is_refused(client, curator):
    response = patch(client, {"status": "secret", "comment": "x"}, curator)
    assert response.status_code in (400, 422)
    assert Document.objects.get(pk=SEED_ID).status == "published"


def test_a_curator_of_other_collections_gets_403(client, archive):
    from opis.records.accounts import set_collections
    from opis.records.models import Collection

    user = User.objects.create_user("scoped")
    set_role(user, "curator")
    other = Collection.objects.exclude(documents=SEED_ID).first()
    set_collections(user, [other.slug])
    response = patch(client, {"title": "Out of scope", "comment": "x"}, new_token(user))
    assert response.status_code == 403
    assert Document.objects.get(pk=SEED_ID).title == SEED_TITLE
