"""US State Department telegrams (FOIA scans), read into the cable fields every cable has.

The headers below are written in the Department's telegram format of the 1980s, with the OCR
misreadings the FOIA scans' text layers show ("AMEMSASSY", "SECSTAZE WASHOC", "IMMEOIATE",
"UNCLASSIFIEO"); they are synthetic, not copies. The corpus test measures the real release.
"""

import pytest

from conftest import FOIA, require
from opis.evaluate.us_telegrams import TARGET, evaluate
from opis.understand.cable import parse_cable

MOSCOW = """TEXT OF TELEGRAM 86MOSCOW017709
LIMITED OFFICIAL USE
PAGE 01        MOSCOW 17709 141545Z
ACTION EUR-00
INFO LOG-00 COPY-01 ADS-00 INR-10 SS-00 /054 W
O 141540Z OCT 86
FM AMEMBASSY MOSCOW
TO SECSTATE WASHDC IMMEDIATE 1693
INFO USIA WASHDC 6364
E.O. 12356: N/A
TAGS: PREL, UR, US
SUBJECT: SOVIET MEDIA ON REYKJAVIK
1. THE MEDIA ON REYKJAVIK HAVE GENERALLY FOLLOWED THE PRESS CONFERENCE LINE.
"""


def header(
    fm: str, to: str, *, first: str = "TEXT OF TELEGRAM 86ROME 024465", dtg: str = ""
) -> str:
    return (
        f"{first}\nUNCLASSIFIEO\nPAGE 01 ROME 24465 01 OF 02 161647Z\nACTION EUR-00\n"
        f"{dtg or 'O 161644Z OCT 86'}\nFM {fm}\nTO {to}\nE.O. 12356: N/A\nTAGS: PREL\n"
        "SUBJECT: SPECIAL ENVOY MEETS PREMIER\n1. AS PART OF ITS CAMPAIGN."
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(MOSCOW, {"number": "MOSCOW 17709", "origin": "MOSCOW",
                              "destination": "WASHINGTON", "sent": "1986-10-14T15:40",
                              "handling": "IMMEDIATE", "classification": "LIMITED OFFICIAL USE"},
                     id="clean embassy telegram"),
        pytest.param(header("AMEMSASSY ROME", "SECSTAZE WASHOC IMMEOIATE 5814"),
                     {"number": "ROME 24465", "origin": "ROME", "destination": "WASHINGTON",
                      "handling": "IMMEDIATE", "classification": "UNCLASSIFIED"},
                     id="OCR in prefix, Department and precedence"),
        pytest.param(header("AMEMBAS.SY ROME", "SECSTAM,.WASHDC PRIORITY 5814"),
                     {"origin": "ROME", "destination": "WASHINGTON", "handling": "PRIORITY"},
                     id="punctuation inside words"),
        pytest.param(header("SECSTATE WASHDC", "USDEL SECRETARY NIACT IMMEDIATE",
                            first="TEXT OF TELEGRAM 86STATE 321944"),
                     {"number": "STATE 321944", "origin": "WASHINGTON",
                      "destination": "USDEL SECRETARY", "handling": "NIACT IMMEDIATE"},
                     id="the Department to a delegation"),
        pytest.param(header("USMISSION USNATO", "SECSTATE WASHDC IMMEDIATE 2301"),
                     {"origin": "USNATO", "destination": "WASHINGTON"}, id="a mission"),
        pytest.param(header("SECSTATE WASHDC", "ALL NATO CAPITALS PRIORITY"),
                     {"origin": "WASHINGTON", "destination": "ALL NATO CAPITALS",
                      "handling": "PRIORITY"}, id="a collective"),
        pytest.param(header("AMEMBASSY ROME", "SECSTATE WASHDC IMMEDIATE 5814",
                            dtg="0 161644Z OCT 96"),
                     {"sent": "1986-10-16T16:44"}, id="OCR year in the date-time group"),
        pytest.param(header("SEGSTATEe WASHOG", "AMEMBASSY BRUSSELS",
                            first="TEXT DF TELEGRAM &6STATE 327693"),
                     {"number": "STATE 327693", "origin": "WASHINGTON",
                      "destination": "BRUSSELS"}, id="Tesseract's reading of the first line"),
        pytest.param(header("AMEMBASSY THE HAGUE", "SECSTATE WASHDC ROUTINE 77"),
                     {"origin": "THE HAGUE", "handling": "ROUTINE"}, id="a two-word post"),
    ],
)  # fmt: skip
def test_us_telegram_header(text, expected):
    cable = parse_cable("Meeting of President Reagan and Soviet leader Mikhail Gorbachev", text)
    assert cable is not None
    assert {key: getattr(cable, key) for key in expected} == expected


@pytest.mark.parametrize(
    "text",
    [
        "Memorandum for the President\nFROM: George P. Shultz\nSUBJECT: Reykjavik",
        "FM radio stations reported the meeting.\nTo the Secretary: a note.",
        "WHITE HOUSE DOCUMENT\nACTION: TO THE PRESIDENT",
    ],
)
def test_not_a_us_telegram(text):
    assert parse_cable("Memorandum", text) is None


@pytest.mark.corpus
def test_foia_telegrams_read_with_origin_destination_and_number():
    require(FOIA)
    score = evaluate(FOIA)
    assert score.telegrams >= 25
    assert score.read_rate >= TARGET, score.misses
    assert score.numbers_right == score.numbers_stated
