"""Person pages: /people/<id> with the canonical name, pseudonyms and their years, offices, the
documents by role and year (an SVG chart and its table), and correspondents, each a link; readers
never meet a draft's people there."""

import re

from django.contrib.auth.models import User
from django.utils import timezone

from conftest import SEED_ID
from opis.records.accounts import CURATOR, set_role
from opis.records.appearances import appearances
from opis.records.models import Agent, AgentRole, PersonMerge, PersonName
from opis.records.publication import set_status


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def section(body: str, heading_id: str) -> str:
    """The HTML from one heading to the next heading of its level or above."""
    start = body.index(f'id="{heading_id}"')
    following = re.search(r"<h[23] ", body[start + 10 :])
    return body[start : start + 10 + following.start()] if following else body[start:]


def test_every_person_on_the_seed_links_to_their_page(client, archive):
    body = page(client, f"/documents/{SEED_ID}")
    people = section(body, "people-heading")
    for person_id in ("stalin-iosif", "zhou-enlai", "mao-zedong", "roshchin-nikolai"):
        assert f'href="/people/{person_id}"' in people
    # "Filippov" is said beside the link to Stalin's page
    [stalin] = [li for li in people.split("<li>") if "Filippov" in li]
    assert 'href="/people/stalin-iosif"' in stalin


def test_stalins_page_names_him_under_his_pseudonyms_with_their_years(client, archive):
    body = page(client, "/people/stalin-iosif")
    assert '<h1 id="person-name">Stalin, Iosif Vissarionovich</h1>' in body
    names = section(body, "names-heading")
    assert re.search(r"Filippov.*?pseudonym.*?1950–1953", names, re.S)
    assert re.search(r"Fyn Si.*?pseudonym.*?1949", names, re.S)
    assert "Джугашвили" in names  # every variant, other scripts too
    assert "1878–1953" in body
    offices = section(body, "offices-heading")
    assert "Council of Ministers of the USSR, 1941-1953" in offices


def test_a_curators_recorded_name_shows_with_its_years(client, archive):
    PersonName.objects.create(
        person_id="stalin-iosif", name="Koba", kind="pseudonym", from_year=1904, to_year=1917,
        source="a test", actor="test", created_at=timezone.now(),
    )  # fmt: skip
    names = section(page(client, "/people/stalin-iosif"), "names-heading")
    assert re.search(r"Koba.*?pseudonym \(recorded by a curator\).*?1904–1917", names, re.S)


def test_the_correspondents_are_tables_of_links(client, archive):
    body = page(client, "/people/stalin-iosif")
    wrote_to = section(body, "they-wrote-to")
    for person_id in ("zhou-enlai", "mao-zedong"):
        assert f'href="/people/{person_id}"' in wrote_to
    assert "stalin-iosif" not in wrote_to  # he signs and is copied: never his own correspondent
    assert 'href="/people/roshchin-nikolai"' in section(body, "through")
    assert "None in the documents" in section(body, "wrote-to-them")
    carried = section(page(client, "/people/roshchin-nikolai"), "carried-for")
    assert 'href="/people/stalin-iosif"' in carried and 'href="/people/mao-zedong"' in carried


def test_documents_by_role_over_time_are_a_chart_and_a_table(client, archive):
    body = page(client, "/people/stalin-iosif")
    roles = section(body, "roles-heading")
    assert '<svg class="chart chart--strip"' in roles
    assert "<title>1950: 1 document as signatory</title>" in roles
    assert "<title>1950: 1 document as copy recipient</title>" in roles
    assert re.search(r"Signatory</th><td class=\"num\">1</td>", roles)
    found = appearances("stalin-iosif")
    assert found.by_role == {"signatory": {1950: 1}, "copy_recipient": {1950: 1}}
    assert f'href="/documents/{SEED_ID}"' in section(body, "documents-heading")


def test_a_person_of_the_authority_without_documents_has_a_page(client, archive):
    body = page(client, "/people/acheson-dean")  # curated, with his offices and their years
    assert "No document in this archive names Acheson" in body
    assert "Secretary of State, 1949-1953" in section(body, "offices-heading")
    body = page(client, "/people/aaron-david-laurence")  # the Office of the Historian's only
    assert "Aaron, David Laurence" in body and "history.state.gov" in body


def test_no_such_person_is_a_404(client, archive):
    assert "nobody-at-all" in page(client, "/people/nobody-at-all", 404)


def test_a_merged_person_sends_readers_to_the_one_they_were_merged_into(client, archive):
    PersonMerge.objects.create(
        person_id="zhou-enlai", into="mao-zedong", actor="t", created_at=timezone.now()
    )
    response = client.get("/people/zhou-enlai")
    assert response.status_code == 302 and response["Location"] == "/people/mao-zedong"


def test_a_drafts_people_never_show_to_readers(client, archive):
    set_status(SEED_ID, "draft", reason="person test")
    body = page(client, "/people/stalin-iosif")  # he is in the authority: the page exists
    assert SEED_ID not in body
    for correspondent in ("zhou-enlai", "mao-zedong", "roshchin-nikolai", "molotov-vyacheslav"):
        assert f'href="/people/{correspondent}"' not in body
    assert "0 documents in this archive" in body
    curator = User.objects.create_user("person-curator", password="not used")
    set_role(curator, CURATOR, actor="test")
    client.force_login(curator)
    body = page(client, "/people/stalin-iosif")
    assert SEED_ID in body and 'href="/people/zhou-enlai"' in body


def test_an_organisation_the_authority_does_not_know_has_a_page_too(client, archive):
    politburo = Agent.objects.create(name="Politburo of the CPSU", kind="organisation")
    AgentRole.objects.create(
        document_id=SEED_ID, agent=politburo, position=99, role="copy_recipient"
    )
    here = f"/people/agent-{politburo.pk}"
    assert f'href="{here}"' in section(page(client, f"/documents/{SEED_ID}"), "people-heading")
    body = page(client, here)
    assert '<h1 id="person-name">Politburo of the CPSU</h1>' in body
    assert "An organisation." in body and f'href="/documents/{SEED_ID}"' in body
    assert 'href="/people/stalin-iosif"' in section(body, "wrote-to-them")
    stalin = page(client, "/people/stalin-iosif")
    assert f'href="{here}"' in section(stalin, "they-wrote-to")
    set_status(SEED_ID, "draft", reason="organisation test")
    page(client, here, 404)
    assert f'href="{here}"' not in page(client, "/people/stalin-iosif")
