"""Accounts as a person meets them: signing in and out of the reading room, throttled logins
(here and on /admin/), Argon2 hashes, roles (a "reader" account writes nothing), a curator's
collections, and API tokens end to end (valid, revoked, none; writes in the audit trail)."""

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import SEED_ID
from opis.records.accounts import (
    ADMIN,
    CURATOR,
    READER,
    RESEARCHER,
    can_curate,
    has_role,
    new_token,
    revoke_tokens,
    role_of,
    set_collections,
    set_role,
)  # fmt: skip
from opis.records.audit import AUTHENTICATION, AUTHORIZATION, FAILURE, SUCCESS
from opis.records.models import AuditEvent, Collection, Document

PASSWORD = "a long pass phrase for tests"


def account(name: str, role: str = RESEARCHER) -> User:
    user = User.objects.create_user(name, password=PASSWORD)
    set_role(user, role, actor="test")
    return user


def trail(action: str, **fields) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, **fields).order_by("id"))


def test_passwords_are_hashed_with_argon2(db):
    assert account("ana").password.startswith("argon2$argon2id$")


def test_signing_in_shows_the_name_and_role_and_is_in_the_trail(archive, client):
    account("ana", CURATOR)
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b'name="password"' in page.content
    assert b"Sign in" in client.get("/").content

    signed = client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    assert signed.status_code == 302 and signed["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Signed in as <strong>ana</strong>" in home and ">curator<" in home
    assert [e.outcome for e in trail(AUTHENTICATION, actor="ana")] == [SUCCESS]


def test_a_wrong_password_is_refused_and_recorded_without_the_password(archive, client):
    account("ana")
    refused = client.post("/accounts/login/", {"username": "ana", "password": "wrong one!"})
    assert refused.status_code == 200 and b"do not match" in refused.content
    [event] = trail(AUTHENTICATION, actor="ana")
    assert event.outcome == FAILURE
    assert "wrong one!" not in json.dumps(event.detail)


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_five_failures_lock_the_name_and_address_for_15_minutes(archive, client, login_url):
    account("ana", ADMIN)
    for _ in range(5):
        client.post(login_url, {"username": "ana", "password": "not the password"})
    locked = client.post(login_url, {"username": "ana", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Signing in is paused" in locked.content
    assert "_auth_user_id" not in client.session, "the right password does not get through"
    assert any(e.detail.get("via") == "lockout" for e in trail(AUTHENTICATION, actor="ana"))
    other = Client(REMOTE_ADDR="10.0.0.9")  # another address is not locked out
    assert other.post(login_url, {"username": "ana", "password": PASSWORD}).status_code == 302


def test_signing_out_takes_a_post_with_its_csrf_token(archive):
    account("ana")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/login/")
    token = page.cookies["csrftoken"].value
    signed = browser.post("/accounts/login/", {
        "username": "ana", "password": PASSWORD, "csrfmiddlewaretoken": token})  # fmt: skip
    assert signed.status_code == 302
    assert browser.get("/accounts/logout/").status_code == 405, "a link cannot sign anyone out"
    assert browser.post("/accounts/logout/").status_code == 403, "nor a forged form"
    home = browser.get("/")
    form_token = home.context["csrf_token"]
    assert (
        browser.post("/accounts/logout/", {"csrfmiddlewaretoken": str(form_token)}).status_code
        == 302
    )
    assert b"Sign in" in browser.get("/").content


@pytest.mark.parametrize("role", [READER, RESEARCHER, CURATOR, ADMIN])
def test_each_role_given_is_the_role_held(db, role):
    user = account(f"user-{role}", role)
    assert role_of(user) == role
    assert has_role(user, CURATOR) == (role in (CURATOR, ADMIN))
    assert has_role(user, RESEARCHER) == (role != READER)
    assert trail(AUTHORIZATION, object=f"user:user-{role}")[-1].detail["role"] == role


def test_a_curator_may_be_limited_to_named_collections(archive):
    seed = Document.objects.get(pk=SEED_ID)
    dfat = Document.objects.exclude(collections=None).exclude(pk=SEED_ID).first()
    theirs = dfat.collections.first()
    assert not seed.collections.filter(pk=theirs.pk).exists()

    everywhere, limited = account("ana", CURATOR), account("ben", CURATOR)
    set_collections(limited, [theirs.slug], actor="test")
    assert can_curate(everywhere, seed) and can_curate(everywhere, dfat)
    assert can_curate(limited, dfat) and not can_curate(limited, seed)
    assert can_curate(account("root", ADMIN), seed)
    for role in (READER, RESEARCHER):
        assert not can_curate(account(f"not-{role}", role), dfat)
    assert not can_curate(None, dfat)
    with pytest.raises(ValueError, match="no collection no-such-volume"):
        set_collections(limited, ["no-such-volume"])
    set_role(limited, RESEARCHER)  # a scope limits curators only: it goes with the role
    set_role(limited, CURATOR)
    assert can_curate(limited, seed)
    assert Collection.objects.filter(pk=theirs.pk).exists()


def test_an_api_token_signs_a_script_in_until_it_is_revoked(archive, client):
    user = account("robot", CURATOR)
    token = new_token(user, actor="test")
    assert token.startswith("opis_") and token not in json.dumps(
        [e.detail for e in AuditEvent.objects.all()])  # fmt: skip
    url = "/api/collections"

    assert client.get(url).status_code == 200  # no token: anonymous, a reader
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION="Bearer opis_made-up").status_code == 401

    assert revoke_tokens(user, actor="test") == 1
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "not_signed_in"
    assert [e.detail.get("token") for e in trail(AUTHORIZATION, object="user:robot")][-2:] == [
        "created", "revoked"]  # fmt: skip


def test_writes_with_a_token_are_in_the_audit_trail(archive, client):
    url = f"/api/documents/{SEED_ID}"
    version = Document.objects.get(pk=SEED_ID).version
    body = json.dumps({"summary": "Checked against the original.", "comment": "proof-read"})
    for name, role in (("reading-robot", RESEARCHER), ("editing-robot", CURATOR)):
        token = new_token(account(name, role))
        answer = client.patch(url, body, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {token}",
                              HTTP_IF_MATCH=f'"{version}"')  # fmt: skip
        assert answer.status_code == (403 if role == RESEARCHER else 200), answer.content
        [event] = [e for e in trail(AUTHENTICATION, actor=name) if e.detail.get("via") == "token"]
        assert event.object == url and event.detail["method"] == "PATCH"
        assert event.outcome == (FAILURE if role == RESEARCHER else SUCCESS)
