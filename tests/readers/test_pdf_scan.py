"""Scans and PDFs: text layer, OCR (OCRmyPDF + Tesseract), side-car metadata, damaged files, pages.

Real FOIA scans from ../shared/corpora/state-foia-reykjavik-1986; real Tesseract. OCR is kept to
three single pages (an English scan with its text layer removed, a Russian page rendered here, a
Chinese one), each a few seconds.
"""

import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from conftest import FOIA, require, run_opis
from opis.errors import ReaderError
from opis.readers import reader_for
from opis.readers.ocr import ocr_pages
from opis.readers.pdf_scan import usable
from opis.readers.sidecar import metadata_for, side_car_date
from opis.readers.source import SourceFile

SCANS = FOIA / "F-1986-04261"
CLEAN_PAGE = SCANS / "C09000025.pdf"  # page 1: "THE REYKJAVIK MEETING", a clean typescript
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
RUSSIAN = (
    "Советский Союз и Соединённые Штаты\n"
    "договорились о встрече в Рейкьявике.\n"
    "Переговоры о сокращении ядерных\n"
    "вооружений будут продолжены."
)


def read(path: Path):
    source = SourceFile(path)
    reader = reader_for(source)
    assert reader.name == "pdf-scan"
    (draft,) = reader.read(source)
    return draft


def image_pdf(images: list[Image.Image], target: Path) -> Path:
    """An image-only PDF (no text layer) at 300 dpi, as a flatbed scanner makes them."""
    images[0].save(target, "PDF", resolution=300, save_all=True, append_images=images[1:])
    return target


def rasterised(pdf: Path, page: int, tmp_path: Path) -> Image.Image:
    stem = tmp_path / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-f", str(page), "-l", str(page), "-singlefile"]
        + [str(pdf), str(stem)],
        check=True,
    )
    return Image.open(f"{stem}.pgm").convert("L")


def rendered(text: str, font: Path, size: int = 56) -> Image.Image:
    """A page of text drawn with a real font: what a scanned typescript looks like to Tesseract."""
    image = Image.new("L", (2480, 900), 255)
    ImageDraw.Draw(image).multiline_text(
        (150, 150), text, font=ImageFont.truetype(str(font), size), fill=0, spacing=24
    )
    return image


@pytest.fixture
def ocr(monkeypatch):
    def set_mode(mode: str):
        monkeypatch.setenv("OPIS_OCR", mode)

    return set_mode


def test_the_text_layer_of_a_real_foia_pdf_is_read_page_by_page(ocr):
    ocr("never")
    draft = read(require(CLEAN_PAGE))
    (text,) = draft.texts
    assert text.method == "text-layer" and text.confidence is None
    assert [p["n"] for p in text.pages] == ["1", "2"]
    assert text.pages[0]["offset"] == 0 < text.pages[1]["offset"] < len(text.body)
    first_page = text.body[: text.pages[1]["offset"]]
    assert "Reykjavik meeting between President Reagan" in first_page
    assert text.language == "en"


@pytest.mark.parametrize(
    ("layer", "is_usable"),
    [
        ("The Reykjavik meeting between President Reagan and General Secretary Gorbachev.", True),
        (
            "4hist weuldoretally:gthenre:00.10wort ot arse econtfol tgriptart! i.E • : •: 7,11",
            False,
        ),
        ("• • ••• • • . .. •• • •.. • •.. •e • • •", False),
        ("SECRET", False),  # too little to trust: the scan may hold more than its layer says
        ("", False),
    ],
)
def test_a_text_layer_is_used_only_when_it_reads_as_words(layer, is_usable):
    assert usable(layer) is is_usable


def test_a_real_scan_without_its_text_layer_is_read_by_ocr(tmp_path, ocr):
    ocr("auto")
    scan = image_pdf([rasterised(require(CLEAN_PAGE), 1, tmp_path)], tmp_path / "scan.pdf")
    assert not PdfReader(scan).pages[0].extract_text().strip()  # truly image-only
    draft = read(scan)
    (text,) = draft.texts
    assert text.method == "ocr" and text.pages[0]["method"] == "ocr"
    for word in ("REYKJAVIK", "President", "Gorbachev", "nuclear", "Iceland"):
        assert word in text.body
    assert 60 <= text.confidence <= 100
    assert text.pages[0]["confidence"] == text.confidence
    assert text.language == "en"
    assert draft.id == "scan" and draft.title == "scan"  # no side-car: named after the file


@pytest.mark.django_db
def test_a_russian_page_rendered_here_is_ocrd_searchable_and_shown(
    tmp_path, ocr, client, isolated_index, settings
):
    from opis.ingest import ingest_paths
    from opis.records.models import Text
    from opis.search import search

    ocr("auto")
    settings.DATA_DIR = tmp_path / "data"
    scan = image_pdf([rendered(RUSSIAN, DEJAVU)], tmp_path / "ru.pdf")
    assert not ingest_paths([scan]).failed
    text = Text.objects.get(document_id="ru")
    for word in ("Советский", "Рейкьявике", "Переговоры", "вооружений"):
        assert word in text.body
    assert text.language == "ru" and text.method == "ocr" and text.confidence > 80
    assert [hit.id for hit in search("Рейкьявике").results] == ["ru"]
    page = client.get("/documents/ru").content.decode()
    assert f"Read by OCR: OCR confidence {round(text.pages[0]['confidence'])} %" in page


def test_a_chinese_page_is_read_when_its_language_is_configured(tmp_path, ocr, monkeypatch):
    ocr("always")
    monkeypatch.setenv("OPIS_OCR_LANGUAGES", "chi_sim")
    scan = image_pdf(
        [rendered("苏联和美国在雷克雅未克举行会谈", NOTO_CJK, 72)], tmp_path / "zh.pdf"
    )
    (text,) = read(scan).texts
    assert "雷克雅未克" in text.body.replace(" ", "")
    assert text.language == "zh"


def test_ocr_always_reads_pages_that_have_a_text_layer(tmp_path, ocr, monkeypatch):
    ocr("always")
    monkeypatch.setenv("OPIS_OCR_LANGUAGES", "eng")  # one script: no first pass to choose
    one_page = PdfWriter()
    one_page.add_page(PdfReader(require(SCANS / "C09000001.pdf")).pages[0])
    one_page.write(tmp_path / "slip.pdf")
    (text,) = read(tmp_path / "slip.pdf").texts
    assert text.method == "ocr" and "WHITE HOUSE" in text.body


def test_ocr_never_on_an_image_only_pdf_keeps_the_record_without_text(tmp_path, ocr):
    ocr("never")
    scan = image_pdf([rendered(RUSSIAN, DEJAVU)], tmp_path / "blank.pdf")
    draft = read(scan)
    assert draft.texts == []
    assert "--ocr never" in draft.notes[0] and "--ocr auto" in draft.notes[0]


def test_side_car_metadata_names_title_date_description_and_case():
    meta = metadata_for(require(SCANS / "C09000002.pdf"))
    assert meta.doc_id == "foia-C09000002"
    # the published title is the case's subject, shared by sixty scans: the description leads
    assert meta.title.startswith("State Department memorandum on the release of Soviet U.N.")
    assert meta.title.endswith("(Document 2 of 73)")
    assert (meta.date.start, meta.date.precision) == (date(1986, 9, 30), "day")
    assert meta.date.display == "September 30, 1986 (est.)"
    assert "Gennadiy Zakharov" in meta.summary
    assert meta.doc_type == "memorandum for the file" and meta.classification == "Unclassified"
    assert meta.source_url.endswith("/DOC_0C09000002/C09000002.pdf")
    (case,) = meta.collections
    assert (case.slug, case.series) == ("f-1986-04261", "State Department FOIA")
    assert case.title.startswith("Meeting of President Reagan")
    assert meta.locations[0].reference == "C09000002"


@pytest.mark.parametrize(
    ("entry", "start", "end", "precision", "display"),
    [
        ({"date": "", "date_display": "Date undetermined"}, None, None, "unknown", ""),
        (
            {"date": "", "date_display": "October 1986 (uncertain)"},
            date(1986, 10, 1), date(1986, 10, 31), "month", "October 1986 (uncertain)",
        ),
        (
            {"date": "1986-10-13", "date_display": "October 13, 1986"},
            date(1986, 10, 13), date(1986, 10, 13), "day", "October 13, 1986",
        ),
        ({"date": "1986-10-14"}, date(1986, 10, 14), date(1986, 10, 14), "day", "14 October 1986"),
    ],
)  # fmt: skip
def test_side_car_dates_become_intervals(entry, start, end, precision, display):
    interval = side_car_date(entry)
    assert (interval.start, interval.end, interval.precision) == (start, end, precision)
    assert interval.display == display


def _truncated(tmp_path: Path) -> Path:
    data = (SCANS / "C09000002.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 3])
    return tmp_path / "cut.pdf"


def _garbage(tmp_path: Path) -> Path:
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    return tmp_path / "junk.pdf"


def _encrypted(tmp_path: Path) -> Path:
    writer = PdfWriter(clone_from=SCANS / "C09000001.pdf")
    writer.encrypt(user_password="reykjavik", algorithm="AES-256")
    writer.write(tmp_path / "locked.pdf")
    return tmp_path / "locked.pdf"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_truncated, "not a readable PDF"),
        (_garbage, "not a readable PDF"),
        (_encrypted, "encrypted with a password"),
    ],
)
def test_damaged_or_locked_pdfs_are_refused_clearly(tmp_path, ocr, make, says):
    ocr("auto")
    require(SCANS)
    with pytest.raises(ReaderError) as refused:
        read(make(tmp_path))
    assert says in refused.value.reason and refused.value.where == "whole file"


def test_a_tesseract_timeout_names_the_page(tmp_path, monkeypatch):
    monkeypatch.setenv("OPIS_OCR_PAGE_TIMEOUT", "0.01")
    scan = image_pdf([rendered(RUSSIAN, DEJAVU)] * 2, tmp_path / "slow.pdf")
    with pytest.raises(ReaderError) as refused:
        ocr_pages(scan, [2], "eng")
    assert refused.value.where == "page 2" and "OPIS_OCR_PAGE_TIMEOUT" in refused.value.reason


def test_missing_ocr_programs_name_the_debian_package(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no tesseract on it
    with pytest.raises(ReaderError) as refused:
        ocr_pages(SCANS / "C09000001.pdf", [1], "eng")
    assert "apt-get install tesseract-ocr" in refused.value.reason


def test_missing_tesseract_languages_name_the_debian_package():
    with pytest.raises(ReaderError) as refused:
        ocr_pages(SCANS / "C09000001.pdf", [1], "eng+ell")
    assert "tesseract-ocr-ell" in refused.value.reason


@pytest.mark.django_db(transaction=False)
def test_the_reading_room_shows_a_scan_page_by_page(client, isolated_index, settings, tmp_path):
    from opis.ingest import ingest_paths

    settings.DATA_DIR = tmp_path / "data"
    path = require(SCANS / "C09000025.pdf")
    report = ingest_paths([path], ocr="never")
    assert not report.failed
    sha = SourceFile(path).sha256
    image = client.get(f"/scans/{sha}/2.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    png = Image.open(BytesIO(b"".join(image.streaming_content)))
    assert png.format == "PNG" and png.height > png.width  # a portrait typescript page
    assert (tmp_path / "data" / "cache" / "pages" / sha / "2.png").is_file()
    page = client.get("/documents/foia-C09000025").content.decode()
    assert f'src="/scans/{sha}/1.png"' in page and "Read from the PDF's text layer" in page
    assert "style=" not in page.split('id="scan-pages-heading"')[1]  # the strict CSP holds
    assert client.get(f"/scans/{sha}/3.png").status_code == 404
    assert client.get(f"/scans/{'0' * 64}/1.png").status_code == 404


def test_opis_ingest_takes_an_ocr_option(tmp_path):
    scan = image_pdf([rendered(RUSSIAN, DEJAVU)], tmp_path / "ru.pdf")
    result = run_opis(tmp_path / "data", "ingest", "--ocr", "never", "--json", str(scan))
    assert '"status": "ingested"' in result.stdout
    shown = run_opis(tmp_path / "data", "show", "ru", "--json")
    assert "--ocr never" in shown.stdout
    refused = run_opis(tmp_path / "data", "ingest", "--ocr", "sometimes", str(scan), check=False)
    assert refused.returncode == 2 and "sometimes" in refused.stderr
