"""CSRF on every state-changing route: a write that rides a signed-in person's cookies from
another site changes nothing.

Every pattern of the URLconf (the reading room, the staff pages, the ninja API's operations, the
admin) is sent POST, PUT, PATCH and DELETE by a signed-in admin's browser session without a CSRF
token: each answer must be a refusal (403, or 405 where the route takes no such method) and the
catalogue, its history, the review list, the corrections and the accounts must be as they were.
OAI-PMH is the one route that answers POST, because the protocol asks it to; it only reads.
A token-authenticated script carries no cookie, so it needs no CSRF token (tests/web/
test_accounts.py); the same writes with a session and a valid token are tested where each is
built (tests/curate/, tests/web/test_edit_pages.py).
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from test_access_matrix import url_patterns

from conftest import SEED_ID
from opis.records.accounts import ADMIN, set_role
from opis.records.models import (
    AuditEvent,
    Correction,
    Document,
    RecordVersion,
    ReviewItem,
    ThreadLink,
)

WRITES = ("post", "put", "patch", "delete")
READ_ONLY_POST = {"oai"}  # OAI-PMH 2.0 §3.1.1.2: POST is a way to ask, not to change
PARAMETERS = {
    "document_id": SEED_ID,
    "number": "1",
    "link_id": "1",
    "item_id": "1",
    "correction_id": "1",
    "slug": "wilson-center-digital-archive",
    "sha256": "0" * 64,
    "n": "1",
    "section": "documents",
    "person_id": "stalin-iosif",
    "object_id": "1",
    "path": "opis/opis.css",
    "app_label": "records",
    "url": "x",
}


def concrete(route: str) -> str:
    """A route with its parameters filled (``<path:document_id>``, regex groups)."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PARAMETERS.get(m.group(1), "1"), route)
    path = re.sub(r"\{(\w+)\}", lambda m: PARAMETERS.get(m.group(1), "1"), path)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: PARAMETERS.get(m.group(1), "1"), path)
    path = re.sub(r"\.\+|\.\*", "x", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def state() -> tuple:
    return (
        list(Document.objects.order_by("pk").values_list("pk", "title", "version", "status")),
        RecordVersion.objects.count(),
        ReviewItem.objects.filter(settled_at__isnull=False).count(),
        list(Correction.objects.values_list("pk", "state")),
        list(ThreadLink.objects.order_by("pk").values_list("pk", "state")),
        list(User.objects.order_by("pk").values_list("pk", "username", "is_active")),
        AuditEvent.objects.exclude(action="authentication").count(),
    )


@pytest.fixture
def admin_browser(archive, settings):
    settings.OPIS_API_RATE_LIMIT = "0"  # hundreds of requests from one address, in a second
    user = User.objects.create_user("csrf-admin", password="a long enough passphrase 1950")
    set_role(user, ADMIN)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def test_no_write_without_a_csrf_token_changes_anything(admin_browser):
    before = state()
    tried, answered = 0, []
    for route, name in url_patterns():
        path = concrete(route)
        for method in WRITES:
            response = getattr(admin_browser, method)(path, data={"title": "Forged"})
            tried += 1
            if name in READ_ONLY_POST and method == "post":
                assert response.status_code < 500, path
                continue
            if response.status_code not in (403, 405):
                answered.append(f"{method.upper()} {path} → {response.status_code}")
    assert answered == []
    assert state() == before
    assert tried >= 4 * 60  # every route of the reading room, the API and the admin
