"""The PDF reader, fed a thousand mangled scans and two hundred mangled side-cars, reads or refuses.

Seeds are real FOIA scans (``C09000001.pdf``, ``C09000034.pdf`` as released, with a cross-reference
stream and object streams; ``C09000031.pdf`` rewritten by pikepdf with a classic ``xref`` table and
plain objects, so both layouts are mutated), copied into temporary folders. Each gets mutants from
the generic mutations and the PDF-specific ones of ``pdf_mutants.py``. OCR is off
(``OPIS_OCR=never``): the parser is under test here, not Tesseract. The rule is the one of
``test_fuzz.py``: valid drafts or a ReaderError, within 5 s and 512 MiB per file.

The side-car fuzz puts an intact scan beside 220 mutated ``foia_pdfs.json`` (broken JSON, wrong
types, huge strings, missing keys, nesting deeper than the parser's stack): the scan must still
become a record (a side-car that cannot be used is named in a note), or be refused naming the
catalogue column a side-car value overflows; never crash.
"""

import functools
import json
import multiprocessing
import shutil
from pathlib import Path

import pikepdf
import pytest
from fuzzing import PER_TASK, TIME_LIMIT, call, crash_report, merged, mutated, read_one, run_batch
from pdf_mutants import PDF_MUTATIONS, sidecar_mutant

from conftest import FOIA, require

MUTANTS = 1000
SIDECARS = 220
SCANS = FOIA / "F-1986-04261"
SCAN = "C09000001.pdf"


@pytest.fixture(scope="module", autouse=True)
def _ocr_off():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPIS_OCR", "never")  # forked children inherit it
        yield


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("pdf-seeds")
    paths = [Path(shutil.copy(require(SCANS / name), folder)) for name in (SCAN, "C09000034.pdf")]
    with pikepdf.open(require(SCANS / "C09000031.pdf")) as pdf:
        pdf.save(folder / "C09000031.pdf", object_stream_mode=pikepdf.ObjectStreamMode.disable)
    assert b"\nxref" in (folder / "C09000031.pdf").read_bytes()
    return [*paths, folder / "C09000031.pdf"]


def _sidecar_seed() -> dict:
    """``foia_pdfs.json`` cut to its shared fields and three entries, the scan's among them."""
    data = json.loads(require(FOIA / "foia_pdfs.json").read_text(encoding="utf-8"))
    data["documents"] = data["documents"][:3]
    assert data["documents"][0]["filename"] == SCAN
    return data


def pdf_batch(task: tuple[Path, int, int]) -> dict:
    seed_path, start, count = task
    seed = seed_path.read_bytes()
    assert read_one(seed_path) == "drafts"

    def build(number: int, work: Path) -> list[str]:
        data, mutations = mutated(seed, number, PDF_MUTATIONS)
        (work / seed_path.name).write_bytes(data)
        return mutations

    return run_batch("pdf", start, count, build, lambda work: read_one(work / seed_path.name))


def sidecar_batch(task: tuple[Path, int, int]) -> dict:
    scan, start, count = task
    seed = _sidecar_seed()

    def build(number: int, work: Path) -> list[str]:
        shutil.copy(scan, work / SCAN)
        text, mutations = sidecar_mutant(seed, number)
        (work / "foia_pdfs.json").write_bytes(text)
        return mutations

    return run_batch("side-car", start, count, build, functools.partial(_read_beside, scan))


def _read_beside(scan: Path, work: Path) -> str:
    """The intact scan read beside its mutated side-car: "noted" when the side-car was named as
    unreadable, "described" when its title came from the side-car, "too long" when ``validate``
    refused a side-car value longer than its catalogue column, else "drafts"."""
    from opis.errors import ReaderError
    from opis.ingest.validate import validate
    from opis.readers import reader_for
    from opis.readers.source import SourceFile

    source = SourceFile(work / SCAN)
    (draft,) = reader_for(source).read(source)  # a ReaderError here is a crash: the scan is intact
    try:
        validate(draft)
    except ReaderError as exc:
        if "the catalogue holds at most" in exc.reason:
            return "too long"
        raise
    if any("could not be read" in note for note in draft.notes):
        return "noted"
    return "described" if draft.title != Path(SCAN).stem else "drafts"


@pytest.fixture(scope="module")
def fuzzed(seeds) -> dict[str, dict]:
    """PDF mutants and side-car mutants, read two batches at a time in forked children."""
    tasks = [
        (pdf_batch, (seeds[(start // PER_TASK) % len(seeds)], start, PER_TASK))
        for start in range(0, MUTANTS, PER_TASK)
    ]
    tasks.append((sidecar_batch, (seeds[0], 0, SIDECARS)))
    with multiprocessing.get_context("fork").Pool(2, maxtasksperchild=1) as pool:
        batches = pool.starmap(call, tasks, chunksize=1)
    return merged(batches)


@pytest.mark.parametrize(("fmt", "count"), [("pdf", MUTANTS), ("side-car", SIDECARS)])
def test_every_mutant_is_read_or_refused_never_crashes(fuzzed, fmt, count):
    result = fuzzed[fmt]
    assert sum(result["outcomes"].values()) >= count
    assert not result["crashes"], crash_report(result)
    assert result["slowest"] < TIME_LIMIT


def test_pdf_mutants_are_both_read_and_refused(fuzzed):
    outcomes = fuzzed["pdf"]["outcomes"]
    assert outcomes.get("drafts", 0) >= 100, outcomes
    assert outcomes.get("refused", 0) >= 100, outcomes


def test_a_bad_side_car_never_costs_the_scan_its_record_but_for_overlong_values(fuzzed):
    """Not vacuous: some side-cars still describe the scan, some are named as unreadable. The scan
    is refused only when a side-car value is longer than its catalogue column (a 10,000-character
    ``doctype``), by ``validate`` naming the field (a crash otherwise: see ``_read_beside``);
    broken JSON, wrong types and missing keys never cost the record."""
    outcomes = fuzzed["side-car"]["outcomes"]
    assert outcomes.get("described", 0) >= 30, outcomes
    assert outcomes.get("noted", 0) >= 30, outcomes
