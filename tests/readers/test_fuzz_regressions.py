"""Files the fuzzer found hard, kept as plain regression tests (see test_fuzz.py)."""

import shutil
import time

import pytest

from conftest import FOIA, SEED, require
from opis.errors import ReaderError
from opis.readers import reader_for
from opis.readers.source import SourceFile


def test_a_huge_line_after_a_text_label_is_text_and_read_quickly(tmp_path):
    """Fuzz mutant wilson-record #382: a 10 MB line spliced into the Contents. Every line was
    matched against the label pattern (and a label's language looked up), which took seconds."""
    seed = require(SEED).read_text(encoding="utf-8")
    huge = "word " * 1_000_000
    path = tmp_path / SEED.name
    path.write_text(seed.replace("Translation - English", "Translation - English\n" + huge, 1))
    source = SourceFile(path)
    started = time.perf_counter()
    (draft,) = reader_for(source).read(source)
    assert time.perf_counter() - started < 5.0
    assert draft.texts[0].label == "Translation - English"
    assert huge.strip() in draft.texts[0].body


# PDFs and their side-cars (test_fuzz_pdf.py). OCR is off: the parser is under test.

SCAN = FOIA / "F-1986-04261" / "C09000001.pdf"


def _text_layer_of(tmp_path, data: bytes):
    from opis.readers.pdf_scan import text_layer

    path = tmp_path / "scan.pdf"
    path.write_bytes(data)
    with pytest.raises(ReaderError) as refused:
        text_layer(path)
    return refused.value


def test_a_page_tree_listing_one_page_a_thousand_times_is_refused_quickly(tmp_path):
    """Fuzz mutant pdf #33 ("huge-count"): ``/Kids`` listing page 11 100,000 times had its text
    extracted 100,000 times (minutes); now refused on the second mention, before pypdf flattens
    the tree."""
    data = (
        require(SCAN).read_bytes().replace(b"/Kids [11 0 R]", b"/Kids [" + b"11 0 R " * 1000 + b"]")
    )
    started = time.perf_counter()
    error = _text_layer_of(tmp_path, data)
    assert time.perf_counter() - started < 5.0
    assert "lists object 11 more than once" in error.reason and error.where == "page tree"


@pytest.mark.parametrize("opening", [b"[", b"<</A ", b"[<</A "])
def test_arrays_nested_a_hundred_thousand_deep_are_refused_at_once(tmp_path, opening):
    """Fuzz mutant pdf ("deep-arrays"): pypdf parsed 100,000 levels twice, 2.7 s on a quiet
    machine and 6.3 s in CI, past the 5 s budget; the raw bytes are now checked first."""
    data = (
        require(SCAN)
        .read_bytes()
        .replace(b"/Type /Catalog", b"/Deep " + opening * 100_000 + b" /Type /Catalog", 1)
    )
    started = time.perf_counter()
    error = _text_layer_of(tmp_path, data)
    assert time.perf_counter() - started < 1.0
    assert "nests arrays or dictionaries more than 1000 deep" in error.reason


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ((b"/Root ", b"/Encrypt <</Filter /FancyVendorLock /V 9 /R 99>> /Root "), "encryption"),
        ((b"/Filter/FlateDecode", b"/Filter/Fl`teDecode"), "Unsupported filter"),
    ],
    ids=["unknown-encryption", "misspelt-filter"],
)
def test_what_pypdf_has_not_implemented_is_a_damaged_pdf(tmp_path, change, says):
    """Fuzz mutants pdf #146 and #216: pypdf raised NotImplementedError, which escaped."""
    error = _text_layer_of(tmp_path, require(SCAN).read_bytes().replace(*change))
    assert (
        "this is not a readable PDF (NotImplementedError" in error.reason and says in error.reason
    )


def test_pypdfs_own_limits_are_a_damaged_pdf(tmp_path):
    """Fuzz mutant pdf #235: pypdf's LimitReachedError is a PyPdfError, not a PdfReadError."""
    data = require(SCAN).read_bytes()
    at = data.rfind(b"startxref")
    error = _text_layer_of(tmp_path, data[:at] + b"startxref\n" + b"9" * 240 + b"\n%%EOF\n")
    assert "not a readable PDF" in error.reason


def test_a_side_car_nested_too_deep_is_named_not_fatal(tmp_path):
    """Fuzz mutant side-car #2: JSON nested 100,000 deep raised RecursionError in json.loads."""
    shutil.copy(require(SCAN), tmp_path)
    (tmp_path / "foia_pdfs.json").write_text('{"documents": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPIS_OCR", "never")
        source = SourceFile(tmp_path / SCAN.name)
        (draft,) = reader_for(source).read(source)
    assert any("foia_pdfs.json" in n and "could not be read" in n for n in draft.notes)
