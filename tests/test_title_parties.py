"""Sender and recipients from titles that name them (issue 13): the forms editors write.

The table holds forms, not a corpus: each row is one way DFAT's or FRUS's editors title a document
by its correspondents, or a title that names nobody and must give nothing. With the record's day
(American correspondence only), an office becomes the person who held it. The corpus tests then
judge the titles against what the editors marked (``opis.evaluate.title_parties``): development
and held-out halves alike must read both sides of 90 % of them.
"""

import re
from datetime import date

import pytest
import yaml

from conftest import DFAT, FRUS, require
from opis.evaluate import title_parties as measured
from opis.evaluate.split import DEV, HELD_OUT, only
from opis.understand.title_parties import parties_from_title

A, TO, VIA, WITH = "author", "addressee", "intermediary", "participant"


def parties(title: str) -> list[tuple[str, str, str]]:
    return [(a.role, a.name, a.kind) for a in parties_from_title(title)]


@pytest.mark.parametrize(
    "title, expected",
    [
        ("Critchley to Burton", [(A, "Critchley", "person"), (TO, "Burton", "person")]),
        ("Evatt to Chifley and Dunk", [(A, "Evatt", "person"), (TO, "Chifley", "person"),
                                       (TO, "Dunk", "person")]),
        ("Mr S. M. Bruce, High Commissioner in London, to Mr R. G. Menzies, Prime Minister",
         [(A, "S. M. Bruce", "person"), (TO, "R. G. Menzies", "person")]),
        ("Department of External Affairs to Embassy in Washington",
         [(A, "Department of External Affairs", "organisation"),
          (TO, "Embassy in Washington", "organisation")]),
        ("Cablegram from Barwick to Critchley", [(A, "Barwick", "person"),
                                                 (TO, "Critchley", "person")]),
        ("MINUTE, WILFORD TO BRIMELOW", [(A, "Wilford", "person"), (TO, "Brimelow", "person")]),
        ("Submission 32 To Cabinet By O'sullivan", [(A, "O'sullivan", "person"),
                                                   (TO, "Cabinet", "organisation")]),
        ("Cablegram to Canberra", [(TO, "Canberra", "organisation")]),
        ("Statement by Kirby", [(A, "Kirby", "person")]),
        ("Marshall to Evatt via Deschamps", [(A, "Marshall", "person"), (TO, "Evatt", "person"),
                                             (VIA, "Deschamps", "person")]),
        ("[Quinn] [1] to Hood", [(A, "Quinn", "person"), (TO, "Hood", "person")]),
        ("Eaton to Burton BATAVIA, 11 October 1947, 3 p.m.", [(A, "Eaton", "person"),
                                                              (TO, "Burton", "person")]),
        ("Record of Conversation between Willesee and Callaghan",
         [(WITH, "Willesee", "person"), (WITH, "Callaghan", "person")]),
        ("Note by Bruce of Conversation with Attlee", [(A, "Bruce", "person"),
                                                       (WITH, "Attlee", "person")]),
        ("The Secretary of State to the Minister in Nicaragua (Hanna)",
         [(A, "The Secretary of State", "organisation"), (TO, "Hanna", "person")]),
        ("Mr. Seward to Mr. Adams", [(A, "Seward", "person"), (TO, "Adams", "person")]),
        ("Evatt to Chifley", [(A, "Evatt", "person"), (TO, "Chifley", "person")]),
        ("The Premier's [Zhou Enlai's] Conversation with Soviet Ambassador Yudin on 5 March 1956",
         [(WITH, "Zhou Enlai", "person"), (WITH, "Yudin", "person")]),
        ("Memorandum of Conversation between the Chancellor and President Eisenhower",
         [(WITH, "the Chancellor", "organisation"), (WITH, "Eisenhower", "person")]),
        ("Statement of John Smith, Assistant Secretary of State, Opposing the Bill",
         [(A, "John Smith", "person")]),
        ("Ministerial Submission to Fife from Evans", [(A, "Evans", "person"),
                                                      (TO, "Fife", "person")]),
        ("Submission No. 416 from Fadden to Cabinet", [(A, "Fadden", "person"),
                                                       (TO, "Cabinet", "organisation")]),
        ("Extract from Minute from Laurie to Hughes and Lang",
         [(A, "Laurie", "person"), (TO, "Hughes", "person"), (TO, "Lang", "person")]),
        # a document's number before its title is no party
        ("No. 59. Mr. Fish to General Schenck", [(A, "Fish", "person"), (TO, "Schenck", "person")]),
        ("* Mr. Dayton, United States minister, to Mr. Seward, Secretary of State.",
         [(A, "Dayton", "person"), (TO, "Seward", "person")]),
        # offices the rules once did not know, with or without their holder
        ("The Secretary of State to the consular agent at Bluefields",
         [(A, "The Secretary of State", "organisation"),
          (TO, "the consular agent at Bluefields", "organisation")]),
        ("The Counselor to the American Delegation to the Seventh International Conference of "
         "American States (Norweb) to the Secretary of State",
         [(A, "Norweb", "person"), (TO, "the Secretary of State", "organisation")]),
        ("The Ambassador in Great Britain(Bingham) to the Secretary of State",
         [(A, "Bingham", "person"), (TO, "the Secretary of State", "organisation")]),
        # an office before a name is the person's title: the person is the party
        ("The Secretary of State to President Roosevelt",
         [(A, "The Secretary of State", "organisation"), (TO, "Roosevelt", "person")]),
        ("Memorandum by the Economic Adviser (Young) of a Telephone Conversation With Mr. Hugh "
         "Knowlton of the International Acceptance Bank",
         [(A, "Young", "person"), (WITH, "Hugh Knowlton", "person")]),
        ("Memorandum by Mr. Eugene H. Dooman, of the Division of Far Eastern Affairs, of a "
         "Conversation With the Counselor of the Japanese Embassy (Yoshizawa)",
         [(A, "Eugene H. Dooman", "person"), (WITH, "Yoshizawa", "person")]),
        ("The Commission to Negotiate Peace to President Wilson",
         [(A, "The Commission to Negotiate Peace", "organisation"), (TO, "Wilson", "person")]),
        ("The Secretary of State to the Minister in Switzerland (Wilson), at Geneva",
         [(A, "The Secretary of State", "organisation"), (TO, "Wilson", "person")]),
        ("Earl of Clarendon to Sir H. J. Parkes, K. C. B.",
         [(A, "Earl of Clarendon", "person"), (TO, "H. J. Parkes", "person")]),
        # an office is never a person: not "General" of "Secretary General"
        ("Secretary General to the Council of the League",
         [(A, "Secretary General", "organisation"),
          (TO, "the Council of the League", "organisation")]),
        # a country is a government, never a person
        ("Great Britain to Nicaragua", [(A, "Great Britain", "organisation"),
                                        (TO, "Nicaragua", "organisation")]),
        # a speech is its speaker's: the document's word is no party
        ("Speech by Mr J. A. Lyons, Prime Minister, to Imperial Conference",
         [(A, "J. A. Lyons", "person"), (TO, "Imperial Conference", "organisation")]),
    ],
)  # fmt: skip
def test_titles_that_name_their_correspondents(title, expected):
    assert parties(title) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Visit to Moscow",
        "Annex to the report",
        "Thursday, 1st November 1928",
        "Minutes of Meeting to discuss Defence Questions",
        "Cabinet Decision No. 39",
        "Australia-Japan Trade Negotiations: Japanese Reactions To",
        "Circular to consuls.",
        "[Untitled]",
        # a document or a meeting before "to" is not a sender
        "Memorandum prepared for Delegation to Imperial Conference",
        "Minutes of Eleventh Meeting of Principal Delegates to Imperial Conference",
    ],
)
def test_titles_that_name_nobody_give_nothing(title):
    assert parties(title) == []


@pytest.mark.parametrize(
    "title, day, expected",
    [
        ("The Secretary of State to the Minister in Nicaragua", date(1894, 2, 1),
         [(A, "Gresham, Walter Quintin", "The Secretary of State"), (TO, "Baker, Lewis", "")]),
        ("Mr. Gresham to Mr. Baker", date(1894, 2, 1),
         [(A, "Gresham, Walter Quintin", ""), (TO, "Baker, Lewis", "")]),
        ("The Secretary of State to the Minister in Nicaragua (Hanna)", date(1930, 6, 1),
         [(A, "Stimson, Henry Lewis", "The Secretary of State"),
          (TO, "Hanna, Matthew Elting", "")]),
        # two Sewards were in office: the surname stays as written; Adams was minister in London
        ("Mr. Seward to Mr. Adams", date(1861, 6, 1),
         [(A, "Seward", ""), (TO, "Adams, Charles Francis", "")]),
        # an acting officer and a foreign minister are not in the table: kept as written
        ("The Acting Secretary of State to the Chinese Minister", date(1934, 1, 17),
         [(A, "The Acting Secretary of State", ""), (TO, "the Chinese Minister", "")]),
    ],
)  # fmt: skip
def test_with_the_day_an_office_is_the_person_who_held_it(title, day, expected):
    found = parties_from_title(title, on=day)
    assert [(a.role, a.name, a.signed_as) for a in found] == expected
    resolved = [a for a in found if "," in a.name]
    assert all(a.kind == "person" for a in resolved)


def test_without_a_day_offices_stay_offices():
    """DFAT and other non-American titles are read without a day: "the Secretary of State" in an
    Australian title may be Britain's, and no American table settles it."""
    assert parties("The Secretary of State to the Minister in Nicaragua") == [
        (A, "The Secretary of State", "organisation"),
        (TO, "the Minister in Nicaragua", "organisation"),
    ]


def _dfat_titles(volumes) -> list[str]:
    titles = []
    for volume in volumes:
        for path in sorted(volume.glob("*.md")):
            front = path.read_text(encoding="utf-8").split("---")[1]
            titles.append(str(yaml.safe_load(front).get("title") or ""))
    return titles


CORRESPONDENCE = re.compile(r"^[A-Z][\w.' -]{1,40} to [A-Z][\w.' -]{1,40}$")
# "Cablegram to Canberra", "Submission to Whitlam": the title names the recipient only.
RECIPIENT_ONLY = re.compile(
    r"^(?:Cablegram|Memorandum|Submission|Savingram|Telegraph Message|Dispatch|Despatch|Report|"
    r"Note|Letter|Minute|Telegram|Brief) to ",
    re.I,
)


@pytest.mark.corpus
def test_dfat_correspondence_titles_give_sender_and_recipient():
    """Titles of the plain form "Name to Name" (the commonest in DFAT's volumes): both sides."""
    volumes = sorted(p for p in require(DFAT).iterdir() if p.is_dir())
    titles = [
        t
        for t in _dfat_titles(volumes)
        if CORRESPONDENCE.match(t) and not (RECIPIENT_ONLY.match(t) and " from " not in t)
    ]
    both = [t for t in titles if {"author", "addressee"} <= {r for r, _, _ in parties(t)}]
    assert len(titles) > 3000
    assert len(both) / len(titles) >= 0.97, sorted(set(titles) - set(both))[:40]


@pytest.mark.corpus
@pytest.mark.parametrize("part", [DEV, HELD_OUT])
def test_frus_heads_give_the_correspondents_the_editors_marked(part):
    """Every FRUS head where the editors marked sender or recipient (``persName``/``gloss``
    type from/to), read as plain text: both sides come back in 90 % of them, on the held-out
    volumes (never read while writing the rules) as on the development ones."""
    require(FRUS / "volumes")
    with only(part):
        score = measured.evaluate_frus(failures=20)
    assert score.titles > 2000
    assert score.rate >= measured.TARGET, score.misses


@pytest.mark.corpus
@pytest.mark.parametrize("part", [DEV, HELD_OUT])
def test_dfat_signed_documents_are_sent_by_their_signer(part):
    """Where a DFAT document is signed ("MENZIES") and its title names correspondents, the
    title's sender is the signer."""
    require(DFAT)
    with only(part):
        plain, signed = measured.evaluate_dfat(failures=20)
    assert plain.rate >= measured.TARGET, plain.misses
    assert signed.signed > 100
    assert signed.author_is_signer / signed.signed >= measured.TARGET, signed.misses


@pytest.mark.corpus
def test_offices_named_with_their_holder_resolve_to_that_holder():
    """ "The Minister in Switzerland (Stovall)": the office on the document's day is the person
    the editors name, wherever the table settles it."""
    require(FRUS / "volumes")
    score = measured.evaluate_offices(failures=20)
    assert score.offices > 1000
    assert score.right / score.resolved >= 0.97, score.misses
