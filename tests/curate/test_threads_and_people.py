"""A curator confirms or rejects thread links (a rejection survives re-linking and re-ingest),
and merges two persons of the authority and splits them again."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from opis.curate.edit import edit_record
from opis.curate.people import merge_persons, split_person
from opis.curate.threads import decide_link
from opis.errors import BadEdit
from opis.ingest import ingest_paths
from opis.records.accounts import set_role
from opis.records.models import Agent, Document, PersonMerge, RecordVersion, ThreadLink
from opis.records.threads import link_threads, threads_of


@pytest.fixture
def link(archive) -> ThreadLink:
    found = ThreadLink.objects.exclude(target_id=None).order_by("source_id", "position").first()
    assert found is not None, "the session catalogue (seed + a DFAT volume) holds linked cables"
    return found


def decide(link: ThreadLink, decision: str) -> dict:
    version = Document.objects.get(pk=link.source_id).version
    return decide_link(
        link.source_id, link.pk, decision, actor="curie", comment="read both", version=version
    )


def test_a_rejected_link_is_not_shown_and_stays_rejected(link):
    target = link.target_id
    record = decide(link, "reject")
    assert target not in [ref["id"] for ref in record["threads"]["refers_to"]]
    assert link.source_id not in [ref["id"] for ref in threads_of(target)["referred_by"]]
    version = RecordVersion.objects.filter(document_id=link.source_id).latest("number")
    assert (version.action, version.actor) == ("thread", "curie")
    slugs = Document.objects.get(pk=link.source_id).collections.values_list("slug", flat=True)
    link_threads(slugs)  # as after every ingest run
    again = ThreadLink.objects.get(source_id=link.source_id, target_id=target, text=link.text)
    assert (again.state, again.decided_by) == ("rejected", "curie")


def test_a_rejection_survives_re_ingest_of_the_record(link, isolated_index):
    decide(link, "reject")
    source = Document.objects.get(pk=link.source_id).source_path
    assert ingest_paths([source], force=True).ok
    again = ThreadLink.objects.get(source_id=link.source_id, target_id=link.target_id,
                                   text=link.text)  # fmt: skip
    assert again.state == "rejected"


def test_a_confirmed_link_is_shown(link):
    record = decide(link, "confirm")
    assert link.target_id in [ref["id"] for ref in record["threads"]["refers_to"]]
    assert ThreadLink.objects.get(pk=link.pk).state == "confirmed"


def test_the_edit_page_offers_the_decision(link):
    user = User.objects.create_user("curie")
    set_role(user, "curator")
    browser = Client()
    browser.force_login(user)
    page = browser.get(f"/documents/{link.source_id}/edit").content.decode()
    assert f'action="/documents/{link.source_id}/threads/{link.pk}"' in page
    version = Document.objects.get(pk=link.source_id).version
    response = browser.post(
        f"/documents/{link.source_id}/threads/{link.pk}",
        {"decision": "reject", "comment": "not this cable", "version": version},
    )
    assert response.status_code == 302
    assert ThreadLink.objects.get(pk=link.pk).state == "rejected"


def stalins() -> list[str]:
    return list(Agent.objects.filter(person_id="stalin-iosif").values_list("name", flat=True))


def test_merge_and_split_persons(archive, seed_path, tmp_path, isolated_index):
    names = stalins()
    assert names
    moved = merge_persons("stalin-iosif", "molotov-vyacheslav", actor="curie", comment="test")
    assert moved == len(names) and not stalins()
    copy = tmp_path / "seed.md"  # a later ingest links the merged person to the other too
    copy.write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert ingest_paths([copy], force=True).ok
    assert not stalins()
    assert split_person("stalin-iosif", actor="curie", comment="they differ") == len(names)
    assert sorted(stalins()) == sorted(names)
    assert not PersonMerge.objects.exists()


@pytest.mark.parametrize(
    ("person_id", "into", "field"),
    [("nobody-at-all", "stalin-iosif", "person_id"), ("stalin-iosif", "stalin-iosif", "into")],
)
def test_a_bad_merge_is_refused(archive, person_id, into, field):
    with pytest.raises(BadEdit) as refused:
        merge_persons(person_id, into, actor="curie", comment="x")
    assert refused.value.field == field


def test_the_people_page_merges_and_splits(archive):
    user = User.objects.create_user("curie")
    set_role(user, "curator")
    browser = Client()
    browser.force_login(user)
    form = {"person_id": "stalin-iosif", "into": "molotov-vyacheslav", "comment": "same"}
    assert browser.post("/staff/people/merge", form).status_code == 302
    assert "stalin-iosif" in browser.get("/staff/people").content.decode()
    split = {"person_id": "stalin-iosif", "comment": "not the same"}
    assert browser.post("/staff/people/split", split).status_code == 302
    assert not PersonMerge.objects.exists()
    assert Client().post("/staff/people/merge", form).status_code == 302  # to sign in


def test_an_edit_keeps_every_link_and_its_decision(link):
    decide(link, "reject")
    before = list(ThreadLink.objects.filter(source_id=link.source_id).values_list(
        "pk", "target_id", "text", "state"))  # fmt: skip
    version = Document.objects.get(pk=link.source_id).version
    edit_record(link.source_id, {"notes": ["checked"]}, actor="curie", comment="x", version=version)
    after = list(ThreadLink.objects.filter(source_id=link.source_id).values_list(
        "pk", "target_id", "text", "state"))  # fmt: skip
    assert sorted(after) == sorted(before)
