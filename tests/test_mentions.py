"""People named in a document's text are linked to the authority at ingest, each link with its
confidence; a name several persons bear goes to the curators' review list with the candidates; a
person the authority does not know is offered to curators as a candidate, never dropped.

The matcher's rules run against the real authority (the curated list and the Office of the
Historian's people); the end-to-end tests ingest real DFAT documents, and made-up ones only for
what the corpora lack (Chinese text, a name nobody knows).
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import DFAT, DFAT_SAMPLE_VOLUME, require
from opis.ingest import ingest_paths
from opis.records.accounts import set_role
from opis.records.models import AgentRole, Mention, ReviewItem, Text
from opis.search import search
from opis.understand import names
from opis.understand.mentions import LINKED_FROM, MAX_CANDIDATES, find_mentions, matcher

CHIANG = "chiang-kai-shek"
MOLOTOV = "molotov-vyacheslav"


def linked(text: str, year: int | None = None) -> dict[str, float]:
    """Person → confidence of what the text links."""
    return {m.person_id: m.confidence for m in find_mentions([text], year).linked}


def ids(query: str) -> set[str]:
    results = search(query, per_page=100)
    assert results.total <= 100
    return {hit.id for hit in results.results}


def dfat_file(folder: Path, name: str, title: str, body: str) -> Path:
    """A made-up DFAT document, for what the corpora lack."""
    path = folder / name
    path.write_text(
        f"---\ndoc_date: '1950-05-17'\ndoc_num: 1\nnaa_refs: []\ntitle: {title}\nvol_id: 99\n"
        f"vol_title: 'Volume 99: synthetic'\n---\n\nCablegram CANBERRA\n\n{body}\n",
        encoding="utf-8",
    )
    return path


def ingest(*files: Path) -> dict[str, str]:
    report = ingest_paths(list(files))
    assert report.ok, [str(f) for f in report.failed]
    return {Path(d["path"]).name: d["id"] for d in report.documents}


def ambiguous_form() -> tuple[str, list[str]]:
    """A full name (two words or more) that several persons of the authority hold equally,
    with them: the first such form of the first person, in id order, who has one."""
    phrases = matcher().phrases
    for person_id in sorted(names.authority().persons):
        for form in names.authority().persons[person_id].variants:
            words = re.findall(r"[^\W\d_]+", form)
            phrase = phrases.get("".join(w.lower() for w in words))
            if (
                "," not in form and len(words) > 1 and form.isascii() and phrase
                and not phrase.one_word and 1 < len(phrase.holders) <= MAX_CANDIDATES
            ):  # fmt: skip
                return form, list(phrase.holders)
    raise AssertionError("the authority holds no full name that several persons share")


# The rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Talks with Chiang Kai-shek went on.", CHIANG),
        ("Talks with CHIANG KAI-SHEK went on.", CHIANG),
        ("Jiang Jieshi left the mainland.", CHIANG),
        ("一九四九年蒋介石离开大陆。", CHIANG),
        ("一九四九年蔣介石離開大陸。", CHIANG),
        ("Чан Кайши покинул материк.", CHIANG),
        ("Molotov spoke first.", MOLOTOV),
        ("Выступил Молотов.", MOLOTOV),
    ],
)
def test_every_form_of_a_name_links_its_one_person(text, person):
    assert linked(text).get(person, 0) >= LINKED_FROM


def test_a_full_name_is_surer_than_a_name_standing_alone():
    assert linked("Chiang Kai-shek said so.")[CHIANG] > linked("Molotov said so.")[MOLOTOV]


def test_a_shared_surname_alone_is_linked_only_where_the_text_names_one_of_them_in_full():
    assert CHIANG not in linked("Chiang said so.")
    found = find_mentions(["Chiang Kai-shek arrived. Later Chiang said so."])
    forms = {m.form: m for m in found.linked}
    assert forms["Chiang"].person_id == CHIANG
    assert forms["Chiang"].confidence < forms["Chiang Kai-shek"].confidence


def test_a_name_written_in_lower_case_is_a_word_not_a_person():
    assert linked("the molotov cocktail") == {}


def test_a_person_not_yet_of_age_when_the_document_was_written_is_not_the_one_it_names():
    born = names.authority().get("khrushchev-nikita").born
    assert born == 1894
    text = "Khrushchev said so."
    assert "khrushchev-nikita" not in linked(text, year=born + 10)  # a namesake, not he
    assert "khrushchev-nikita" in linked(text, year=1956)


def test_madame_chiang_kai_shek_is_his_wife_not_him():
    assert CHIANG not in linked("Madame Chiang Kai-shek arrived.")
    assert CHIANG in linked("Generalissimo Chiang Kai-shek arrived.")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Copies to A. R. TAYLOR, Counsellor.", "R. TAYLOR"),  # the end of a longer name
        ("Lunch with Ray Bishop, of David Jones Ltd.", "David Jones"),  # a firm
    ],
)
def test_a_name_inside_a_longer_name_or_a_firm_is_not_linked(text, written):
    assert written in text and all(m.form != written for m in find_mentions([text]).linked)


def test_the_word_before_a_name_counts_across_one_line_end_but_not_a_blank_line():
    assert CHIANG not in linked("Madame\nChiang Kai-shek arrived.")
    assert CHIANG in linked("Lunch with Madame.\n\nChiang Kai-shek arrived.")


@pytest.mark.parametrize("text", ["the pro-Molotov faction", "the Pro-Molotov faction"])
def test_a_capital_inside_a_hyphenated_word_begins_no_name(text):
    assert MOLOTOV not in linked(text)
    assert MOLOTOV in linked(text.replace("-", " - "))


def test_a_name_across_a_comma_or_a_blank_line_is_not_one_name():
    assert CHIANG not in linked("Chiang, Kai-shek")
    assert CHIANG not in linked("Chiang\n\nKai-shek")


def test_each_mention_keeps_the_form_as_written_where_it_first_stands_and_how_often():
    text = "Notes. Generalissimo Chiang Kai-shek spoke; Chiang Kai-shek spoke again."
    (mention,) = [m for m in find_mentions(["", text]).linked if m.person_id == CHIANG]
    assert (mention.form, mention.text, mention.count) == ("Chiang Kai-shek", 1, 2)
    assert text[mention.start : mention.end] == "Chiang Kai-shek"


def test_a_full_name_several_persons_bear_is_ambiguous_with_them_as_candidates():
    form, holders = ambiguous_form()
    found = find_mentions([f"A long talk with {form} on the treaty."])
    assert [(a.form, list(a.candidates)) for a in found.ambiguous] == [(form, holders)]
    assert not {m.person_id for m in found.linked} & set(holders)


# Ingest, search and pages --------------------------------------------------------------------


def chiang_files() -> list[Path]:
    """Real DFAT documents whose text names Chiang Kai-shek: the first six, by path, outside the
    session's volume (already in the catalogue, so not ingested again into this test's index)."""
    found = sorted(
        path
        for path in require(DFAT).rglob("*.md")
        if "Chiang Kai-shek" in path.read_text("utf-8") and DFAT_SAMPLE_VOLUME not in path.parents
    )
    assert len(found) >= 6
    return found[:6]


def test_every_form_of_a_name_finds_the_documents_that_mention_him(db, isolated_index):
    made = set(ingest(*chiang_files()).values())
    texts = Text.objects.filter(document_id__in=made, body__regex=r"Chiang\s+Kai-shek")
    naming = set(texts.values_list("document_id", flat=True))
    roles = AgentRole.objects.filter(document_id__in=made, agent__person_id=CHIANG)
    agents = set(roles.values_list("document_id", flat=True))
    assert naming - agents, "some of them mention him without his being an agent"
    found = ids('person:"Chiang Kai-shek"')
    assert naming <= found
    assert ids('person:"Jiang Jieshi"') == ids("person:蒋介石") == found
    assert set(Mention.objects.filter(person_id=CHIANG).values_list("document_id", flat=True))


def test_a_chinese_text_is_found_by_his_latin_name(db, isolated_index, tmp_path):
    made = ingest(dfat_file(tmp_path, "1-zh.md", "Telegram", "一九四九年蒋介石离开大陆。"))
    assert made["1-zh.md"] in ids('person:"Chiang Kai-shek"')
    (mention,) = Mention.objects.filter(document_id=made["1-zh.md"])
    assert (mention.person_id, mention.form) == (CHIANG, "蒋介石")


def test_an_ambiguous_name_is_on_the_review_list_not_linked(db, isolated_index, tmp_path):
    form, holders = ambiguous_form()
    made = ingest(dfat_file(tmp_path, "1-amb.md", "Talks", f"A long talk with {form} today."))
    document = made["1-amb.md"]
    (item,) = ReviewItem.objects.filter(document_id=document, kind="mention")
    assert item.detail["form"] == form
    assert [c["id"] for c in item.detail["candidates"]] == holders
    assert not Mention.objects.filter(document_id=document, person_id__in=holders).exists()
    assert all(document not in ids(f"person:{holder}") for holder in holders)


def test_a_settled_review_item_is_not_raised_again_on_reingest(db, isolated_index, tmp_path):
    form, _ = ambiguous_form()
    path = dfat_file(tmp_path, "1-amb.md", "Talks", f"A long talk with {form} today.")
    document = ingest(path)["1-amb.md"]
    item = ReviewItem.objects.get(kind="mention", document_id=document)
    curie = curator()
    assert curie.post(f"/staff/review/{item.pk}", {"choice": "keep"}).status_code == 302
    ingest_paths([path], force=True)
    reviewed = ReviewItem.objects.filter(kind="mention", document_id=document)
    assert not reviewed.filter(settled_at__isnull=True).exists()


def curator() -> Client:
    user = User.objects.create_user("curie")
    set_role(user, "curator")
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_person_page_lists_the_documents_that_mention_him(db, isolated_index, tmp_path):
    made = ingest(dfat_file(tmp_path, "1-zh.md", "Telegram", "一九四九年蒋介石离开大陆。"))
    page = Client().get(f"/people/{CHIANG}").content.decode()
    mentioned = page.split('id="mentioned-heading"', 1)[1]
    assert f'href="/documents/{made["1-zh.md"]}"' in mentioned
    assert "蒋介石" in mentioned


def test_a_person_the_authority_does_not_know_is_offered_to_curators(db, isolated_index, tmp_path):
    stranger = "Zbigniew Quarterbrook"
    assert names.resolve(stranger) is None and not names.candidates(stranger)
    ingest(
        dfat_file(tmp_path, "1-who.md", f"{stranger} to Casey", "I have the honour to report."),
        dfat_file(tmp_path, "2-who.md", f"{stranger} to Casey", "Further to my last."),
    )
    browser = curator()
    page = browser.get("/staff/people").content.decode()
    candidates = page.split('id="candidates"', 1)[1]
    entry = re.search(rf">{stranger}</a>,\s*(\d+) documents", candidates)
    assert entry and entry.group(1) == "2"
    chosen = browser.get("/staff/people", {"person": MOLOTOV, "name": stranger}).content.decode()
    assert f'name="name" maxlength="300" value="{stranger}"' in chosen  # to record for him
