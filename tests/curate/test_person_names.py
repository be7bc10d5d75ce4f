"""A curator records a person's names and pseudonyms with their years of use: agents written so
are linked to the person, those already stored and those a later ingest meets; removing the name
links them back to what their names resolve to."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import SEED_ID
from opis.curate.people import add_name, remove_name
from opis.errors import BadEdit
from opis.ingest import ingest_paths
from opis.records.accounts import RESEARCHER, set_role
from opis.records.models import Agent, AgentRole, AuditEvent, IndexChange, PersonName

STALIN = "stalin-iosif"


def petrov(name: str = "Petrov") -> Agent:
    """An agent of the seed document whose name no authority entry holds for Stalin."""
    agent = Agent.objects.create(name=name, kind=Agent.Kind.PERSON)
    AgentRole.objects.create(document_id=SEED_ID, agent=agent, role="author", position=99)
    return agent


def curator_browser(enforce_csrf: bool = False) -> Client:
    user = User.objects.create_user("curie")
    set_role(user, "curator")
    browser = Client(enforce_csrf_checks=enforce_csrf)
    browser.force_login(user)
    return browser


def test_a_pseudonym_links_existing_agents_and_is_audited(archive):
    agent = petrov()
    IndexChange.objects.all().delete()
    row = add_name(STALIN, "Petrov", "pseudonym", 1941, "1945", "a test", actor="curie")
    assert (row.from_year, row.to_year, row.kind) == (1941, 1945, "pseudonym")
    assert Agent.objects.get(pk=agent.pk).person_id == STALIN
    assert IndexChange.objects.filter(document_id=SEED_ID).exists()
    event = AuditEvent.objects.filter(object=f"person:{STALIN}").latest("at")
    assert (event.actor, event.action) == ("curie", "metadata modification")
    assert event.detail["name_added"] == "Petrov" and event.detail["agents"] == 1
    moved = remove_name(row.pk, actor="curie")
    assert moved == 1 and Agent.objects.get(pk=agent.pk).person_id != STALIN
    assert not PersonName.objects.exists()
    assert (
        AuditEvent.objects.filter(object=f"person:{STALIN}").latest("at").detail["name_removed"]
        == "Petrov"
    )


def test_a_later_ingest_links_the_pseudonym(archive, seed_path, tmp_path, isolated_index):
    add_name(STALIN, "Petrov", "pseudonym", 1941, 1945, "", actor="curie")
    copy = tmp_path / "seed.md"  # the same telegram, signed with the recorded pseudonym only
    text = seed_path.read_text(encoding="utf-8").replace("Filippov [Stalin]", "Petrov")
    assert "Petrov" in text
    copy.write_text(text, encoding="utf-8")
    assert ingest_paths([copy], force=True).ok
    linked = AgentRole.objects.filter(document_id=SEED_ID, agent__name="Petrov")
    assert linked.exists()
    assert {role.agent.person_id for role in linked} == {STALIN}


@pytest.mark.parametrize(
    ("person_id", "name", "kind", "start", "end", "field"),
    [
        ("nobody-at-all", "Petrov", "pseudonym", 1941, 1945, "person_id"),
        (STALIN, "", "pseudonym", 1941, 1945, "name"),
        (STALIN, "x" * 301, "pseudonym", 1941, 1945, "name"),
        (STALIN, "Petrov", "alias", 1941, 1945, "kind"),
        (STALIN, "Petrov", "pseudonym", 999, 1945, "from_year"),
        (STALIN, "Petrov", "pseudonym", 1941, 2101, "to_year"),
        (STALIN, "Petrov", "pseudonym", "soon", 1945, "from_year"),
        (STALIN, "Petrov", "pseudonym", 1945, 1941, "to_year"),
    ],
)
def test_a_bad_name_is_refused(archive, person_id, name, kind, start, end, field):
    with pytest.raises(BadEdit) as refused:
        add_name(person_id, name, kind, start, end, "", actor="curie")
    assert refused.value.field == field
    assert not PersonName.objects.exists()


def test_a_name_serves_one_person(archive):
    add_name(STALIN, "Petrov", "pseudonym", None, None, "", actor="curie")
    with pytest.raises(BadEdit) as refused:
        add_name("molotov-vyacheslav", "PETROV", "name", None, None, "", actor="curie")
    assert refused.value.field == "name"


def test_the_people_page_records_and_removes_a_name(archive):
    agent = petrov()
    browser = curator_browser()
    page = browser.get(f"/staff/people?person={STALIN}").content.decode()
    assert 'action="/staff/people/names"' in page and "Filippov" in page  # the authority's own
    assert page.count('action="/staff/people/names"') == 1  # once, in the page, not the <title>
    assert "<title>Persons: merges, names and pseudonyms — opis</title>" in page
    form = {"person_id": STALIN, "name": "Petrov", "kind": "pseudonym", "from_year": "1941",
            "to_year": "1945", "source": "a test"}  # fmt: skip
    response = browser.post("/staff/people/names", form)
    assert response.status_code == 302 and response["Location"].endswith(f"?person={STALIN}")
    assert Agent.objects.get(pk=agent.pk).person_id == STALIN
    row = PersonName.objects.get()
    page = browser.get(f"/staff/people?person={STALIN}").content.decode()
    assert "Petrov" in page and "1941–1945" in page
    assert f'action="/staff/people/names/{row.pk}/remove"' in page
    removed = browser.post(f"/staff/people/names/{row.pk}/remove", {"person_id": STALIN})
    assert removed.status_code == 302 and not PersonName.objects.exists()


def test_a_refusal_is_shown_on_its_field(archive):
    browser = curator_browser()
    form = {"person_id": STALIN, "name": "Petrov", "kind": "pseudonym", "from_year": "1945",
            "to_year": "1941"}  # fmt: skip
    response = browser.post("/staff/people/names", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="error-to_year"' in page and "before the first" in page
    assert 'value="Petrov"' in page  # what was typed is kept
    assert not PersonName.objects.exists()


def test_only_curators_record_names(archive):
    form = {"person_id": STALIN, "name": "Petrov", "kind": "pseudonym"}
    anonymous = Client().post("/staff/people/names", form)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    user = User.objects.create_user("reader")
    set_role(user, RESEARCHER)
    researcher = Client()
    researcher.force_login(user)
    assert researcher.post("/staff/people/names", form).status_code == 403
    assert researcher.get(f"/staff/people?person={STALIN}").status_code == 403
    assert not PersonName.objects.exists()


def test_no_name_is_recorded_without_a_csrf_token(archive):
    browser = curator_browser(enforce_csrf=True)
    form = {"person_id": STALIN, "name": "Petrov", "kind": "pseudonym"}
    assert browser.post("/staff/people/names", form).status_code == 403
    assert not PersonName.objects.exists()
