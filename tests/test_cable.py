"""Cable headers, read from the seed, real DFAT cablegrams and real FRUS telegram headers.

Expected values were checked by reading each file: the heading line, the grading lines under it,
the editors' title and the signature.
"""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DFAT, require
from opis.readers.dfat_markdown import READER as DFAT_READER
from opis.readers.source import SourceFile
from opis.readers.wilson_record import READER as WILSON_READER
from opis.understand.cable import cable_json, cable_numbers, normalise_number, parse_cable

CABLE_KEYS = {
    "number",
    "origin",
    "destination",
    "sent",
    "received",
    "handling",
    "classification",
    "addressees",
    "intermediary",
    "recipients_any_of",
    "action",
    "signed_as",
    "signatory",
    "copies",
}


def test_the_seed_header_reads_whole(seed_path):
    draft = next(WILSON_READER.read(SourceFile(seed_path)))
    cable = cable_json(parse_cable(draft.title, draft.texts[0].body))
    assert cable == {
        "number": "3305",
        "origin": None,  # Moscow, but the header does not say so
        "destination": "BEIJING",
        "sent": "1950-07-13T03:15",
        "received": None,
        "handling": "Only by ciphered telegraph",
        "classification": None,
        "addressees": ["SOVIET AMBASSADOR"],
        "intermediary": "Roshchin",
        "recipients_any_of": ["ZHOU ENLAI", "MAO ZEDONG"],
        "action": "Telegraph fulfillment",  # "Communicate your views" is a request in the text
        "signed_as": "FILIPPOV",
        "signatory": "Stalin",
        "copies": [{"name": "Stalin", "count": 2}, {"name": "Molotov", "count": None}],
    }


def _dfat(relative: str) -> dict:
    path = require(DFAT / relative)
    draft = next(DFAT_READER.read(SourceFile(path)))
    cable = parse_cable(draft.title, draft.texts[0].body, collection_hint="dfat")
    assert cable is not None, f"{relative} should read as a cable"
    data = cable_json(cable)
    assert set(data) == CABLE_KEYS
    return data


V = {
    1: "volume-1-1937-38",
    2: "volume-2-1939",
    3: "volume-3-1940-january-june",
    4: "volume-4-1940-july-1941-june",
    5: "volume-5-1941-july-1942-june",
    8: "volume-8-1945",
    10: "volume-10-1946-july-december",
    11: "volume-11-1947-indonesia",
    12: "volume-12-1947-other-than-indonesia",
    13: "volume-13-1948-indonesia",
    15: "volume-15-1949-indonesia",
    16: "volume-16-1948-49-australia-and-the-postwar-world-beyond-the-region",
    19: "volume-19-1950-1959-the-australia-japan-agreement-on-commerce",
    20: "volume-20-australia-and-the-indonesian-incorporation-of-portuguese-timor-1974-1976",
    23: "volume-23-the-negotiation-of-the-australia-new-zealand-closer-economic-relations-trade-"
    "agreement-1983",
    25: "volume-25-australia-and-the-formation-of-malaysia-1961-1966",
    27: "volume-27-australia-and-the-united-kingdom-1960-1975",
}

DFAT_HEADERS = [
    # "Cablegram 316 OTTAWA, 3 September 1946, 12.39 p.m." / SECRET
    (
        f"{V[10]}/102-wheeler-to-heyes.md",
        {"number": "316", "origin": "OTTAWA", "sent": "1946-09-03T12:39"},
        {"classification": "SECRET", "addressees": ["Heyes"]},
    ),
    (
        f"{V[10]}/143-chifley-to-attlee.md",
        {"number": "347", "origin": "CANBERRA", "sent": "1946-09-30T20:20"},
        {"addressees": ["Attlee"]},
    ),
    # a subject-series number under the heading: "Security 548."
    (
        f"{V[11]}/486-hood-to-burton.md",
        {"number": "UN1245, Security 548", "origin": "NEW YORK", "sent": "1947-12-23T14:56"},
        {"handling": "MOST IMMEDIATE", "classification": "SECRET"},
    ),
    # an editor-supplied number: "Cablegram [K1] BATAVIA, 24 November 1947, 5 p.m."
    (
        f"{V[11]}/434-kirby-to-burton.md",
        {"number": "K1", "origin": "BATAVIA", "sent": "1947-11-24T17:00"},
        {"classification": None},  # "PART THREE" is not a grading
    ),
    # early volumes print no place for cables from Australia: "Cablegram 148 21 October 1939,"
    (
        f"{V[2]}/303-commonwealth-government-to-mr-a-eden-u-k-secretary-of-state-for-dominion-"
        "affairs.md",
        {"number": "148", "origin": None, "sent": "1939-10-21"},
        {"addressees": ["Mr A. Eden, U.K. Secretary of State for Dominion Affairs"]},
    ),
    # a bracketed date and a footnote mark: "Cablegram 97 [15 February 1941] [1],"
    (
        f"{V[4]}/300-commonwealth-government-to-lord-cranborne-u-k-secretary-of-state-for-dominion"
        "-affairs.md",
        {"number": "97", "sent": "1941-02-15"},
        {},
    ),
    # "Cablegrams 320, 79 CANBERRA" to two addressees
    (
        f"{V[8]}/155-evatt-to-king-and-smuts.md",
        {"number": "320, 79", "origin": "CANBERRA", "sent": "1945-08-04"},
        {"handling": "PERSONAL", "classification": "SECRET", "addressees": ["King", "Smuts"]},
    ),
    (
        f"{V[8]}/111-cranborne-to-commonwealth-government.md",
        {"number": "D1050", "origin": "LONDON", "sent": "1945-06-13T21:20"},
        {"handling": "IMMEDIATE", "classification": "TOP SECRET"},
    ),
    # "4.30 [p.m.]": an editor's completion of the time
    (
        f"{V[13]}/455-department-of-external-affairs-to-hodgson.md",
        {"number": "P296", "origin": "CANBERRA", "sent": "1948-12-24T16:30"},
        {"handling": "IMMEDIATE", "classification": "CONFIDENTIAL"},
    ),
    (
        f"{V[5]}/7-lord-cranborne-u-k-secretary-of-state-for-dominion-affairs-to-mr-r-g-menzies-"
        "prime-minister.md",
        {"number": "M151", "origin": "LONDON", "sent": "1941-07-12T23:51"},
        {"classification": "MOST SECRET"},
    ),
    (
        f"{V[15]}/112-burton-to-department-of-external-affairs.md",
        {"number": "53", "origin": "NEW DELHI", "sent": "1949-01-19T23:55"},
        {"addressees": ["Department of External Affairs"]},
    ),
    (
        f"{V[12]}/493-department-of-external-affairs-to-embassy-in-washington.md",
        {"number": None, "origin": "CANBERRA", "sent": "1947-08-12T23:10"},  # "unnumbered"
        {},
    ),
    # "IMMEDIATE PERSONAL AND SECRET": PERSONAL is handling, SECRET the grading
    (
        f"{V[16]}/13-beasley-to-chifley.md",
        {"number": "40", "origin": "LONDON", "sent": "1949-02-09"},
        {"handling": "IMMEDIATE PERSONAL", "classification": "SECRET"},
    ),
    # a receipt line under the heading
    (
        f"{V[11]}/347-officer-to-department-of-external-affairs.md",
        {"number": "Hag 168", "origin": "THE HAGUE", "sent": "1947-09-23T17:45"},
        {"received": "1947-09-24T09:30"},
    ),
    # the signature line, and the editors' title naming the signer
    (
        f"{V[1]}/110-mr-j-d-l-hood-external-affairs-office-london-to-department-of-external-"
        "affairs.md",
        {"number": "141", "origin": "LONDON", "sent": "1937-11-22T18:00"},
        {"signed_as": "HOOD", "signatory": "Mr J. D. L. Hood"},
    ),
    (
        f"{V[3]}/293-mr-s-m-bruce-high-commissioner-in-london-to-mr-r-g-menzies-prime-minister.md",
        {"number": "360", "origin": "LONDON", "sent": "1940-05-27T21:15"},  # "[?27] [1] May"
        {"handling": "FOR PRIME MINISTER PERSONAL HIMSELF", "signed_as": "BRUCE"},
    ),
    # "1[7] September": an editor's digit inside the date
    (
        f"{V[13]}/245-department-of-external-affairs-to-embassy-in-washington.md",
        {"number": "812", "origin": "CANBERRA", "sent": "1948-09-17T17:45"},
        {},
    ),
    (
        f"{V[10]}/13-hodgson-to-evatt-and-department-of-external-affairs.md",
        {"number": "9, 99", "origin": "PARIS", "sent": "1946-07-08T15:40"},
        {"addressees": ["Evatt", "Department of External Affairs"], "signed_as": "HODGSON"},
    ),
    # "194[9]": an editor's digit inside the year
    (
        f"{V[15]}/26-fraser-to-australian-government.md",
        {"number": "2", "origin": "WELLINGTON", "sent": "1949-01-05T21:20"},
        {},
    ),
    # later volumes: a dateline, then "339\. Secret"
    (
        f"{V[25]}/67-cablegram-to-kuala-lumpur.md",
        {"number": "339", "origin": "CANBERRA", "sent": "1963-05-06"},
        {"classification": "SECRET", "addressees": ["Kuala Lumpur"]},
    ),
    (
        f"{V[20]}/105-cablegram-to-jakarta-and-lisbon.md",
        {"number": "O.CH183503", "origin": "CANBERRA", "sent": "1975-03-05"},
        {"handling": "ROUTINE", "classification": "SECRET", "addressees": ["Jakarta", "Lisbon"]},
    ),
    # "24th June, 1957 / 1465\. RESTRICTED / LONDON"
    (
        f"{V[19]}/215-cablegram-from-menzies-to-mcewen.md",
        {"number": "1465", "origin": "LONDON", "sent": "1957-06-24"},
        {"classification": "RESTRICTED"},
    ),
    (
        f"{V[27]}/156-cablegram-menzies-to-harrison.md",
        {"number": "3191", "origin": "CANBERRA", "sent": "1961-10-06"},
        {"classification": "SECRET", "addressees": ["HARRISON"]},
    ),
    # "No 624. CONFIDENTIAL (NZEO) PRIORITY"
    (
        f"{V[23]}/10-telegram-from-new-zealand-high-commission-in-canberra-to-ministry-of-foreign-"
        "affairs.md",
        {"number": "624", "origin": "CANBERRA", "sent": "1978-03-17"},
        {"handling": "NZEO PRIORITY", "classification": "CONFIDENTIAL"},
    ),
]


@pytest.mark.parametrize(("relative", "header", "more"), DFAT_HEADERS, ids=lambda v: str(v)[:40])
def test_dfat_cablegram_headers(relative, header, more):
    data = _dfat(relative)
    for key, value in {**header, **more}.items():
        assert data[key] == value, f"{relative}: {key}"


@pytest.mark.parametrize(
    "relative",
    [
        f"{V[10]}/101-department-of-external-affairs-to-evatt-submission-canberra-3-september-"
        "1946.md",
        f"{V[10]}/106-report-of-conversation-between-auge-and-watt-forsyth-and-pyman.md",
    ],
)
def test_documents_that_are_not_telegrams_have_no_cable(relative):
    path = require(DFAT / relative)
    draft = next(DFAT_READER.read(SourceFile(path)))
    assert parse_cable(draft.title, draft.texts[0].body, collection_hint="dfat") is None


# FRUS: title, dateline, body, signature and source note as the FRUS TEI reader keeps them
# (frus1917Supp02v02 d5 and d7; frus1934v04 d621 and d480).
FRUS_HEADERS = [
    (
        "The Secretary of State to the Minister in Denmark (Egan)",
        "Washington, April 20, 1917, 6 p.m.",
        "Washington, April 20, 1917, 6 p.m.\n\n327. Your 586, April 16, 4 p.m.[1] A bill has been",
        "Lansing",
        "File No. 600.119/42 [Telegram]",
        {"number": "327", "origin": "WASHINGTON", "sent": "1917-04-20T18:00", "received": None},
    ),
    (
        "The Ambassador in Spain (Willard) to the Secretary of State",
        "Madrid, April 27, 1917, 10 a.m. [Received 7.45 p.m.]",
        "Madrid, April 27, 1917, 10 a.m.\n[Received 7.45 p.m.]\n\n512. British Embassy has "
        "furnished this Embassy with complete black list of Spanish firms.",
        "Willard",
        "File No. 763.72112/3536 [Telegram]",
        {
            "number": "512",
            "origin": "MADRID",
            "sent": "1917-04-27T10:00",
            "received": "1917-04-27T19:45",
            "signed_as": "Willard",
            "signatory": "Willard",
        },
    ),
    (
        "The Ambassador in Argentina (Weddell) to the Secretary of State",
        "Buenos Aires, July 5, 1934—11 p.m. [Received July 6—1:02 a.m.]",
        "Buenos Aires, July 5, 1934—11 p.m.\n[Received July 6—1:02 a.m.]\n\n98. For Secretary "
        "and Under Secretary. Referring to Department’s No. 55",
        "Weddell",
        "835.30/20: Telegram",
        {
            "number": "98",
            "origin": "BUENOS AIRES",
            "sent": "1934-07-05T23:00",
            "received": "1934-07-06T01:02",
        },
    ),
    (
        "The Ambassador in Peru (Dearing) to the Secretary of State",
        "Lima, April 10, 1934—11 p.m. [Received April 10—3:07 p.m.]",
        "Lima, April 10, 1934—11 p.m.\n[Received April 10—3:07 p.m.]\n\n45. 1. Subsequent to "
        "Cabinet meeting Foreign Minister informed me",
        "Dearing",
        "721.23/2186: Telegram",
        # "1." is the first paragraph's number; received before sent: Washington's clock
        {"number": "45", "origin": "LIMA", "received": "1934-04-10T15:07"},
    ),
]


@pytest.mark.parametrize(("title", "dateline", "body", "signed", "note", "expected"), FRUS_HEADERS)
def test_frus_telegram_headers(title, dateline, body, signed, note, expected):
    cable = parse_cable(
        title, body, dateline=dateline, note=note, signed=signed, collection_hint="frus"
    )
    data = cable_json(cable)
    for key, value in expected.items():
        assert data[key] == value, key


def test_a_frus_despatch_is_not_a_cable():
    assert parse_cable("The Minister in Denmark to the Secretary of State", "Sir: I have") is None
    assert (
        parse_cable("The Minister to the Secretary", "No. 5. Sir:", note="File No. 1 [Despatch]")
        is None
    )


@pytest.mark.parametrize(
    ("written", "keys"),
    [
        ("UN949", ["UN949"]),
        ("UN.949", ["UN949"]),
        ("United Nations 572", ["UN572"]),
        ("102, 647, 32, 79", ["102", "647", "32", "79"]),
        ("D. No. 364", ["D364"]),
        ("Circular B.69", ["B69"]),
        ("Johcu 14 Taut 335", ["JOHCU14", "TAUT335"]),
        ("unnumbered", []),
        ("", []),
    ],
)
def test_cable_numbers_normalise_for_matching(written, keys):
    assert cable_numbers(written) == keys
    assert all(normalise_number(k) == k for k in keys)


@settings(max_examples=150, deadline=None)
@given(
    st.text(max_size=200),
    st.text(max_size=400),
    st.sampled_from(["", "Cablegram 12 LONDON, 3 May 1946, 4 p.m.\n", "CIPHERED TELEGRAM No. 1\n"]),
)
def test_any_text_reads_without_error(title, body, heading):
    cable = parse_cable(title, heading + body, dateline=body[:50], signed=title[:20])
    if cable is not None:
        assert set(cable_json(cable)) == CABLE_KEYS


def test_paths_in_the_table_exist():
    """A renamed corpus file should fail loudly here rather than skip quietly."""
    missing = [r for r, *_ in DFAT_HEADERS if DFAT.exists() and not (DFAT / r).exists()]
    assert missing == []


def test_seed_path_is_the_real_record(seed_path: Path):
    assert "CIPHERED TELEGRAM No. 3305" in seed_path.read_text(encoding="utf-8")
