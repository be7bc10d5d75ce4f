"""Readers propose corrections (throttled, CSRF-protected); curators accept them as credited
versions or decline them; fields where source and curation disagree are settled on a page."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import SEED_ID, SEED_TITLE
from opis.curate.corrections import FIELDS
from opis.records.accounts import set_role
from opis.records.models import Correction, RecordVersion, ReviewItem
from opis.records.serialize import load_document

PROPOSE = f"/documents/{SEED_ID}/corrections"
PROPOSAL = {"field": "title", "proposed": "Telegram No. 3305", "note": "see the header",
            "name": "A. Reader"}  # fmt: skip


def signed_in(role: str) -> Client:
    user = User.objects.get_or_create(username=f"{role}-1")[0]
    set_role(user, role)
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_record_page_offers_every_proposable_field(client, archive):
    page = client.get(f"/documents/{SEED_ID}").content.decode()
    assert f'action="{PROPOSE}"' in page
    offered = set(re.findall(r'<option value="([a-z_]+)">', page.split('id="correct"')[1]))
    assert offered == set(FIELDS)


def test_an_anonymous_reader_proposes_and_a_curator_accepts(client, archive):
    response = client.post(PROPOSE, PROPOSAL)
    assert response.status_code == 302
    proposal = Correction.objects.get(document_id=SEED_ID)
    assert (proposal.proposer, proposal.state) == ("A. Reader", "proposed")
    curator = signed_in("curator")
    listed = curator.get("/staff/corrections").content.decode()
    assert "see the header" in listed and f'action="/staff/corrections/{proposal.pk}"' in listed
    assert (
        curator.post(f"/staff/corrections/{proposal.pk}", {"decision": "accept"}).status_code == 302
    )
    assert load_document(SEED_ID).title == "Telegram No. 3305"
    version = RecordVersion.objects.get(document_id=SEED_ID, number=2)
    assert (version.action, version.actor) == ("correction", "curator-1")
    assert "proposed by A. Reader" in version.comment
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == ("accepted", "curator-1")


def test_a_curator_declines(client, archive):
    client.post(PROPOSE, PROPOSAL)
    proposal = Correction.objects.get(document_id=SEED_ID)
    signed_in("curator").post(f"/staff/corrections/{proposal.pk}", {"decision": "decline"})
    proposal.refresh_from_db()
    assert proposal.state == "declined"
    assert load_document(SEED_ID).title == SEED_TITLE


def test_proposals_are_throttled_per_client(client, archive):
    statuses = [client.post(PROPOSE, PROPOSAL).status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert Correction.objects.count() == 5


def test_a_proposal_needs_the_csrf_token(archive):
    assert Client(enforce_csrf_checks=True).post(PROPOSE, PROPOSAL).status_code == 403
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "bad", [{"note": ""}, {"field": "source_url"}, {"proposed": ""}, {"note": "x" * 2001}]
)
def test_a_bad_proposal_is_refused(client, archive, bad):
    assert client.post(PROPOSE, {**PROPOSAL, **bad}).status_code == 422
    assert not Correction.objects.exists()


def test_staff_lists_are_for_curators(client, archive):
    for url in ("/staff/corrections", "/staff/review"):
        assert client.get(url).status_code == 302
        assert signed_in("researcher").get(url).status_code == 403
    assert client.post("/staff/corrections/1", {"decision": "accept"}).status_code == 302


def test_review_items_are_listed_and_settled(archive):
    from django.utils import timezone

    item = ReviewItem.objects.create(
        document_id=SEED_ID, kind="source-changed", field="title", message="the source changed",
        detail={"source_before": "a", "source_now": "b", "curated": SEED_TITLE},
        created_at=timezone.now(),
    )  # fmt: skip
    curator = signed_in("curator")
    page = curator.get("/staff/review").content.decode()
    assert f'action="/staff/review/{item.pk}"' in page and f'href="/documents/{SEED_ID}"' in page
    assert curator.post(f"/staff/review/{item.pk}", {"choice": "keep"}).status_code == 302
    item.refresh_from_db()
    assert item.settled_by == "curator-1"
    assert "Nothing to review" in curator.get("/staff/review").content.decode()
