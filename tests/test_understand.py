"""Understanding text as historians write it: dates, archival citations, types, languages, people.

Every function here takes text as written and returns structure, never raising on odd input, and
keeps the text it was given: what cannot be understood is left unknown, not guessed.
"""

import calendar
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import SEED_CITATION, SEED_TITLE
from opis.understand.agents import agents_from_title, copies_from_text
from opis.understand.citation import parse_archival_locations
from opis.understand.dates import parse_date
from opis.understand.doc_types import doc_type_of
from opis.understand.languages import language_code, language_codes


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# ---------------------------------------------------------------------------------------------
# Dates: an interval (start, end) with a precision; the written form is kept for display.

DATES = [
    # written, start, end, precision
    ("1950-07-13", date(1950, 7, 13), date(1950, 7, 13), "day"),
    ("1950-07", date(1950, 7, 1), date(1950, 7, 31), "month"),
    ("1967-11", date(1967, 11, 1), date(1967, 11, 30), "month"),
    ("1952-02", date(1952, 2, 1), last_day(1952, 2), "month"),  # a leap year: 29 February
    ("1950", date(1950, 1, 1), date(1950, 12, 31), "year"),
    ("July 13, 1950", date(1950, 7, 13), date(1950, 7, 13), "day"),
    ("July 13 1950", date(1950, 7, 13), date(1950, 7, 13), "day"),
    ("Sept. 3, 1950", date(1950, 9, 3), date(1950, 9, 3), "day"),
    ("13 July 1950", date(1950, 7, 13), date(1950, 7, 13), "day"),
    ("13th July 1950", date(1950, 7, 13), date(1950, 7, 13), "day"),
    ("November 1967", date(1967, 11, 1), date(1967, 11, 30), "month"),
    ("Nov 1967", date(1967, 11, 1), date(1967, 11, 30), "month"),
    ("1950-07..1950-08", date(1950, 7, 1), date(1950, 8, 31), "range"),
    ("1950..1953", date(1950, 1, 1), date(1953, 12, 31), "range"),
    ("July 1950 to August 1950", date(1950, 7, 1), date(1950, 8, 31), "range"),
    ("  July   13,\n1950 ", date(1950, 7, 13), date(1950, 7, 13), "day"),
]


@pytest.mark.parametrize(("written", "start", "end", "precision"), DATES)
def test_parse_date_gives_an_interval_with_its_precision(written, start, end, precision):
    parsed = parse_date(written)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)
    assert parsed.display == " ".join(written.split())


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_date_never_raises_and_keeps_the_text(text):
    parsed = parse_date(text)
    assert parsed.display == " ".join(text.split())
    assert parsed.precision in ("day", "month", "year", "range", "unknown")
    if parsed.precision == "unknown":
        assert parsed.start is None and parsed.end is None
    else:
        assert parsed.start <= parsed.end


# ---------------------------------------------------------------------------------------------
# Archival locations: repository, fond, opis, delo, papka, folios, and the raw text as written.

PARTS = ("repository", "fond", "opis", "delo", "papka", "folios")
LOCATIONS = [
    pytest.param(
        SEED_CITATION,
        [
            ("APRF", "45", "1", "331", "", "85", "APRF, Fond 45, Opis 1, Delo 331, List 85"),
            (
                "AVP RF",
                "059a",
                "5a",
                "3",
                "11",
                "118",
                "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118",
            ),
            ("RGASPI", "558", "11", "334", "", "0085", "RGASPI, f. 558, op. 11, d. 334, ll.0085"),
        ],
        id="seed citation: three archives",
    ),  # fmt: skip
    pytest.param(
        "RGANI, ф. 17, оп. 162, д. 44, л. 12–14",
        [("RGANI", "17", "162", "44", "", "12–14", "RGANI, ф. 17, оп. 162, д. 44, л. 12–14")],
        id="Cyrillic abbreviations with a repository",
    ),
    pytest.param(
        "ф. 17, оп. 162, д. 44, л. 12–14",
        [("", "17", "162", "44", "", "12–14", "ф. 17, оп. 162, д. 44, л. 12–14")],
        id="Cyrillic abbreviations without a repository: parts kept, repository not guessed",
    ),
    pytest.param(
        "АПРФ, ф. 45, оп. 1, д. 331, л. 85",
        [("APRF", "45", "1", "331", "", "85", "АПРФ, ф. 45, оп. 1, д. 331, л. 85")],
        id="Cyrillic repository name is canonicalised",
    ),
    pytest.param(
        "APRF, f. 3, op. 65, d. 5, ll. 12ob.-13",
        [("APRF", "3", "65", "5", "", "12ob.-13", "APRF, f. 3, op. 65, d. 5, ll. 12ob.-13")],
        id="folio range with oborot (verso)",
    ),
    pytest.param(
        "GARF, fond 5446",
        [("GARF", "5446", "", "", "", "", "GARF, fond 5446")],
        id="only the parts the citation names",
    ),
    pytest.param(
        "APRF, <i>Fond 45</i>, Opis 1",
        [("APRF", "45", "1", "", "", "", "APRF, <i>Fond 45</i>, Opis 1")],
        id="markup inside a location: raw is the text as written",
    ),
    pytest.param(
        "APRF,\nFond 45, Opis 1",
        [("APRF", "45", "1", "", "", "", "APRF,\nFond 45, Opis 1")],
        id="a line break after the repository",
    ),
    pytest.param(
        "RGASPI, f. 558, op. 11, d. 334; see the editor's note in vol. 5",
        [("RGASPI", "558", "11", "334", "", "", "RGASPI, f. 558, op. 11, d. 334")],
        id="a word ending in l. is not a folio",
    ),
    pytest.param("The ambassador wrote to Moscow on Tuesday.", [], id="free prose"),
    pytest.param("Wilson Center Digital Archive, APRF.", [], id="a repository without parts"),
    pytest.param("", [], id="empty"),
]


@pytest.mark.parametrize(("citation", "expected"), LOCATIONS)
def test_parse_archival_locations(citation, expected):
    found = [
        (*(getattr(loc, p) for p in PARTS), loc.raw) for loc in parse_archival_locations(citation)
    ]
    assert found == expected


CITATION_PIECES = st.sampled_from(
    [
        "APRF", "AVP RF", "RGASPI", "RGANI", "GARF", "АПРФ", "РГАСПИ", "Fond", "fond", "f.", "ф.",
        "Opis", "op.", "оп.", "Delo", "d.", "д.", "Papka", "p.", "List", "ll.", "l.", "л.", "лл.",
        "ob.", "об.", "a", ", ", "; ", " and ", ". ", " ", "-", "–", "<i>", "</i>",
        "<https://digitalarchive.umd.edu/document/110692>", "<", ">",
    ]
)  # fmt: skip
CITATIONS = st.lists(
    st.one_of(CITATION_PIECES, st.integers(0, 999).map(str), st.text(max_size=5)), max_size=30
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), CITATIONS))
@example("APRF, Fond 45<i>, Opis 1</i>")
@example(SEED_CITATION)
def test_parse_archival_locations_never_raises_and_keeps_raw_text(citation):
    for location in parse_archival_locations(citation):
        assert location.raw, "a location always keeps the text it was read from"
        assert location.raw in citation, f"raw {location.raw!r} is not text of {citation!r}"


# ---------------------------------------------------------------------------------------------
# Document types: a small vocabulary; the first phrase that names a type decides.

DOC_TYPES = [
    ((SEED_TITLE,), "telegram"),
    (("Cablegram UN949 NEW YORK, 8 December 1946, 8.08 p.m.",), "telegram"),
    (("Cable to Canberra",), "telegram"),
    (("Record of conversation with Mr Chifley",), "record of conversation"),
    (("Memorandum of conversation",), "record of conversation"),
    (("Memorandum by Burton",), "memorandum"),
    (("Letter from Waller to Shann",), "letter"),
    (("DESPATCH, OLIVER TO BOTTOMLEY",), "despatch"),
    (("Aide-mémoire",), "aide-mémoire"),
    (("Minutes of meeting",), "minutes"),
    (("CABINET DECISION NO. 251",), "decision"),
    (("CABINET SUBMISSION",), "submission"),
    (("Ball to Evatt", "Letter LONDON, 2 May 1946"), "letter"),  # the heading line decides
    (("Cablegram to London", "Letter"), "telegram"),  # the first phrase naming a type wins
    (("Ball to Evatt",), "document"),
    (("",), "document"),
]


@pytest.mark.parametrize(("phrases", "expected"), DOC_TYPES)
def test_doc_type_of(phrases, expected):
    assert doc_type_of(*phrases) == expected


# ---------------------------------------------------------------------------------------------
# Languages: names as written to ISO 639-1 codes.

LANGUAGES = [
    ("Russian", ["ru"]),
    ("russian", ["ru"]),
    ("Russian, Chinese", ["ru", "zh"]),
    ("Russian and English", ["ru", "en"]),
    ("Chinese; Russian", ["zh", "ru"]),
    ("Russian, Russian", ["ru"]),
    ("ru", ["ru"]),
    ("Elvish", []),
    ("", []),
]


@pytest.mark.parametrize(("names", "codes"), LANGUAGES)
def test_language_codes(names, codes):
    assert language_codes(names) == codes


@pytest.mark.parametrize(
    ("name", "code"), [("English", "en"), ("German", "de"), ("", ""), ("?", "")]
)
def test_language_code(name, code):
    assert language_code(name) == code


# ---------------------------------------------------------------------------------------------
# People: the editor's title and the copies list.


def test_agents_from_the_seed_title():
    agents = [(a.name, a.role, a.signed_as) for a in agents_from_title(SEED_TITLE)]
    assert agents == [
        ("Stalin", "signatory", "Filippov"),
        ("Zhou Enlai", "alternative_recipient", ""),
        ("Mao Zedong", "alternative_recipient", ""),
        ("Roshchin", "intermediary", ""),
    ]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Letter, Gromyko to Molotov", [("Gromyko", "author"), ("Molotov", "addressee")]),
        (
            "Cable, Mao Zedong to Stalin and Molotov",
            [("Mao Zedong", "author"), ("Stalin", "addressee"), ("Molotov", "addressee")],
        ),
        ("CABINET DECISION NO. 251", []),
        ("", []),
    ],
)
def test_agents_from_other_titles(title, expected):
    assert [(a.name, a.role) for a in agents_from_title(title)] == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("FILIPPOV [Stalin]\n\nCopies: Stalin (2), Molotov", [("Stalin", 2), ("Molotov", None)]),
        ("copies: Beria(3)", [("Beria", 3)]),
        ("No copies line here.", []),
    ],
)
def test_copies_from_text(body, expected):
    copies = copies_from_text(body)
    assert [(a.name, a.count) for a in copies] == expected
    assert all(a.role == "copy_recipient" for a in copies)
