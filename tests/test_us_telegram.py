"""US State Department telegrams (FOIA scans), read into the cable fields every cable has.

The headers below are written in the Department's telegram format of the 1980s, with the OCR
misreadings the FOIA scans' text layers show ("AMEMSASSY", "SECSTAZE WASHOC", "IMMEOIATE",
"UNCLASSIFIEO"); they are synthetic, not copies. The corpus test measures the real release, read
as ingest reads it (OCR with the real Tesseract, cached by file hash after the first run).

The scans whose text layer passes the word test but has no legible FM or TO line are reproduced
from a development-half telegram (``split.py``): its first page, the scan image kept, its layer
written again without the FM and TO lines (``without_head``).
"""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from conftest import FOIA, require
from opis.evaluate.split import DEV, part_of
from opis.evaluate.us_telegrams import TARGET, evaluate
from opis.ingest import ingest_paths
from opis.readers.pdf_scan import READER, text_layer, usable
from opis.readers.source import ReadOptions, SourceFile
from opis.records.models import Document
from opis.understand.cable import parse_cable
from opis.understand.us_telegram import has_telegram_marks

SCANS = FOIA / "F-1986-04261"
STATE_TO_LONDON = SCANS / "C09000020.pdf"  # "FM SECSTATE WASHDC / TO AMEMBASSY LONDON", dev half

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


STATE_HEAD = """UNCLASSIFIED
PAGE 01 STATE 322566
ORIGIN PM-10
O 142207Z OCT 86
FM SECSTATE WASHDC
TO AMEMBASSY LONDON IMMEDIATE
E.O. 12356: N/A
TAGS: OVIP
SUBJECT: PRESS CONFERENCE
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
        pytest.param(header("AMEMBASSY eVIENNA", "SECSTATE WASHDC PRIORITY 77"),
                     {"origin": "VIENNA"}, id="a speck before the post"),
        pytest.param(header("SECSTATE WASHDC", "wmpAssr PRAGUE PRIORITY"),
                     {"destination": "PRAGUE", "handling": "PRIORITY"},
                     id="the prefix garbled beyond recognition"),
        pytest.param(header("AMEMBASSY ROME", "SECSTATE WASHDC IMMEDIATE 5814").replace(
                         "FM AMEMBASSY", "Fi# AMEMBASSY"),
                     {"origin": "ROME", "destination": "WASHINGTON"}, id="FM read as Fi#"),
        pytest.param(STATE_HEAD, {"number": "STATE 322566", "destination": "LONDON"},
                     id="the Department's page header, without a time"),
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
    assert not has_telegram_marks(text)


def test_a_telegram_whose_fm_and_to_lines_are_illegible_still_shows_its_marks():
    """What decides whether ingest OCRs a head the text layer garbles."""
    garbled = "\n".join(line for line in MOSCOW.splitlines() if line[:3] not in ("FM ", "TO "))
    assert has_telegram_marks(garbled.replace("TEXT OF TELEGRAM", "TEXT 0F TELEGRAM"))
    assert has_telegram_marks(STATE_HEAD.replace("FM ", "sutagE ").replace("TO ", "wmp "))
    assert not has_telegram_marks("MEMORANDUM\nSECRET\nSUBJECT: Reykjavik\nE.O. 12356: N/A")


@pytest.mark.corpus
def test_foia_telegrams_read_with_origin_destination_and_number():
    require(FOIA)
    score = evaluate(FOIA)
    assert score.telegrams >= 25
    assert score.read_rate >= TARGET, score.misses
    assert score.numbers_right == score.numbers_stated


def first_page(source: Path, target: Path, drop_lines: str | None = None) -> Path:
    """The first page of a scan; with ``drop_lines``, its text layer is written again (invisible
    text over the same image, as scanners write it) without the lines that pattern matches."""
    writer = PdfWriter()
    page = writer.add_page(PdfReader(source).pages[0])
    if drop_lines:
        kept = [line for line in page.extract_text().splitlines() if not re.match(drop_lines, line)]
        writer.remove_text()
        page.merge_page(_invisible_text(kept, float(page.mediabox.height)))
    with target.open("wb") as out:
        writer.write(out)
    return target


def _invisible_text(lines: list[str], height: float):
    overlay = PdfWriter().add_blank_page(612, height)
    font = {"/Type": "/Font", "/Subtype": "/Type1", "/BaseFont": "/Courier"}
    font["/Encoding"] = "/WinAnsiEncoding"
    overlay[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/FL"): _names(font)})}
    )
    shown = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
    operators = f"BT 3 Tr /FL 9 Tf 11 TL 40 {height - 40:.0f} Td "
    operators += " ".join(f"({line}) Tj T*" for line in shown) + " ET"
    stream = DecodedStreamObject()
    stream.set_data(operators.encode("cp1252", "replace"))
    overlay[NameObject("/Contents")] = stream
    return overlay


def _names(entries: dict[str, str]) -> DictionaryObject:
    return DictionaryObject({NameObject(k): NameObject(v) for k, v in entries.items()})


@pytest.fixture
def telegram_without_head(tmp_path) -> Path:
    """A real telegram's first page whose layer is usable but has no FM or TO line."""
    assert part_of(STATE_TO_LONDON.stem, [p.stem for p in SCANS.glob("*.pdf")]) == DEV
    scan = first_page(require(STATE_TO_LONDON), tmp_path / "state-to-london.pdf", r"\s*(FM|TO)\s")
    (layer,), _ = text_layer(scan)
    assert usable(layer) and "LONDON" not in layer  # the word test passes; the head is gone
    return scan


def read_as(scan: Path, ocr: str):
    (draft,) = READER.read(SourceFile(scan), ReadOptions(ocr=ocr))
    return draft


@pytest.mark.corpus
@pytest.mark.django_db
def test_a_telegram_whose_layer_lacks_the_head_is_read_by_ocr_at_ingest(
    telegram_without_head, isolated_index
):
    assert not read_as(telegram_without_head, "never").cable["destination"]  # the layer alone
    report = ingest_paths([telegram_without_head], ocr="auto")
    assert report.ok, [str(f) for f in report.failed]
    (record,) = report.documents
    document = Document.objects.get(pk=record["id"])
    cable = document.cable
    assert (cable["origin"], cable["destination"]) == ("WASHINGTON", "LONDON")
    assert cable["number"] == "STATE 322566"
    assert document.texts.get().pages[0]["method"] == "ocr"


@pytest.mark.corpus
def test_a_telegram_whose_layer_reads_the_head_keeps_its_layer(tmp_path, monkeypatch):
    """The head read whole from the layer: no OCR at all (it would cost seconds a page)."""
    scan = first_page(require(STATE_TO_LONDON), tmp_path / "state-to-london.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))  # no Tesseract on it: OCR would fail loudly
    draft = read_as(scan, "auto")
    assert draft.texts[0].method == "text-layer"
    assert (draft.cable["origin"], draft.cable["number"]) == ("WASHINGTON", "STATE 322566")
    assert draft.cable["destination"]
