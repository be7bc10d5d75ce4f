"""OCR of scanned pages: OCRmyPDF drives Tesseract; we keep each page's text and confidence.

**Why OCRmyPDF's hOCR, not its sidecar text.** OCRmyPDF's ``--sidecar`` text has no word
confidences. Run with ``--keep-temporary-files`` in a temporary folder of ours, it leaves
Tesseract's hOCR for every page (``000003_ocr_hocr.hocr``), where each word carries
``x_wconf``: one OCR pass gives both the text (words, lines, paragraphs in reading order) and the
confidence, and OCRmyPDF still does what it does well (rasterising at the image's own
resolution, Tesseract's per-page timeout, parallel pages). ``--output-type none``: the original
PDF is kept as it came; no new PDF is written.

**Settings** (``opis.config``, read when a scan is read):

* ``OPIS_OCR``: ``auto`` (default: OCR the pages without a usable text layer), ``always``,
  ``never``; ``opis ingest --ocr`` overrides it for one run, passed to the reader as an argument
  (``ReadOptions``), never through the environment.
* ``OPIS_OCR_LANGUAGES``: Tesseract languages when the metadata names none; default ``eng+rus``.
* ``OPIS_OCR_PAGE_TIMEOUT``: seconds Tesseract may spend on one page (default 180).

**Language.** Metadata wins (a side-car's ``language``). Otherwise a quick first pass reads the
first page at 150 dpi with all the configured languages (Tesseract alone, a few seconds) and
keeps for the real pass only the languages of the script it found: Latin text is read with the
Latin-script models, Cyrillic or Han text with those plus the Latin ones (such documents quote
Latin names). Reading English with ``eng+rus`` is about four times slower than with ``eng`` and
turns noise into Cyrillic letters ("МНЕ HOUSE" for "WHITE HOUSE"), so the pass pays for itself.
The text layer is not asked: scanners that OCR'd Russian pages as English leave Latin garbage.
Tesseract's own script detection (OSD, ``--psm 0``) was tried and rejected: on these 1980s
photocopies it called an upright English page "Arabic, rotated 180°".
"""

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry
from lxml import etree
from PIL import Image

from opis import config
from opis.errors import ReaderError

ENV_MODE, ENV_LANGUAGES, ENV_TIMEOUT = "OPIS_OCR", "OPIS_OCR_LANGUAGES", "OPIS_OCR_PAGE_TIMEOUT"
MODES = config.OCR_MODES
FIRST_PASS_BAND = (0.35, 0.55)  # top and bottom of the band read by the first pass, 0-1
DEBIAN_PACKAGES = {"tesseract": "tesseract-ocr", "gs": "ghostscript", "pdftoppm": "poppler-utils"}
# Tesseract models whose script is not Latin; the text's script picks among the languages used.
SCRIPT_OF_MODEL = {"rus": "Cyrillic", "ukr": "Cyrillic", "bel": "Cyrillic", "bul": "Cyrillic"}
SCRIPT_OF_MODEL |= {"srp": "Cyrillic", "chi_sim": "Han", "chi_tra": "Han", "jpn": "Han"}
TESSERACT_MODEL = {"zh": "chi_sim"}  # ISO 639-1 codes whose model is not named by ISO 639-2
_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_textfloat", "ocr_caption"}
_TIMED_OUT = re.compile(r"^\s*(\d+)\s+\[tesseract\] took too long", re.M)
_PAGE_LINE = re.compile(r"^\s*(\d+)\s+(.+)$", re.M)


@dataclass
class PageOCR:
    text: str
    confidences: list[float]

    @property
    def confidence(self) -> float | None:
        """Mean word confidence, 0-100; None for a page where Tesseract found no word."""
        return round(sum(self.confidences) / len(self.confidences), 1) if self.confidences else None


def ocr_mode() -> str:
    """The configured OCR mode (``OPIS_OCR``), for a run that chose none."""
    return config.value(ENV_MODE)


def ocr_languages(metadata_languages: list[str] | None = None) -> str:
    """Tesseract languages: the metadata's (ISO 639-1 codes) if any, else the configured ones."""
    models = [_model(code) for code in metadata_languages or []]
    models = [m for m in models if m]
    if models:
        return "+".join(dict.fromkeys(models))
    return config.value(ENV_LANGUAGES)


def narrowed_languages(pdf: Path, page: int, languages: str) -> str:
    """The configured languages narrowed to the script of a first, quick pass over one page.

    The pass reads the middle band of the page (``FIRST_PASS_BAND``, where the body text is) at
    150 dpi: a twentieth of the pixels of the real pass, some 500 letters, enough to tell the
    script; about a second, where the whole page with every language takes five."""
    scripts = {_script(model) for model in languages.split("+")}
    if len(scripts) < 2:
        return languages
    require_ocr_tools(languages)
    with tempfile.TemporaryDirectory(prefix="opis-ocr-") as work:
        image = Path(work, "page")
        try:
            subprocess.run(
                ["pdftoppm", "-r", "150", "-gray", "-f", str(page), "-l", str(page), "-singlefile"]
                + [str(pdf), str(image)],
                capture_output=True, timeout=60, check=True,
            )  # fmt: skip
            with Image.open(f"{image}.pgm") as full:
                top, bottom = FIRST_PASS_BAND
                full.crop((0, int(full.height * top), full.width, int(full.height * bottom))).save(
                    f"{image}.png"
                )
            done = subprocess.run(
                ["tesseract", f"{image}.png", "-", "-l", languages],
                capture_output=True, text=True, timeout=60, check=True,
                # threads make one small image slower
                env=config.child_environment(OMP_THREAD_LIMIT="1"),
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError):
            return languages  # no quick answer: the real pass reads with every language
    script = dominant_script(done.stdout)
    models = languages.split("+")
    kept = [m for m in models if _script(m) == script]
    if script and script != "Latin":
        kept += [m for m in models if _script(m) == "Latin"]
    return "+".join(kept) or languages


def _script(model: str) -> str:
    return SCRIPT_OF_MODEL.get(model, "Latin")


def _model(code: str) -> str:
    if code in TESSERACT_MODEL:
        return TESSERACT_MODEL[code]
    language = pycountry.languages.get(alpha_2=code)
    return getattr(language, "alpha_3", "") if language else ""


def dominant_script(text: str) -> str:
    """Latin, Cyrillic or Han: the script most of the text's letters are in ("" if none)."""
    counts = {"Latin": 0, "Cyrillic": 0, "Han": 0}
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            counts["Cyrillic"] += 1
        elif "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
            counts["Han"] += 1
        elif (char.isascii() and char.isalpha()) or "\u00c0" <= char <= "\u024f":
            counts["Latin"] += 1
    script = max(counts, key=counts.get)
    return script if counts[script] else ""


def script_language(text: str, languages: str) -> str:
    """The ISO 639-1 code of the text's language, read from its dominant script among the
    Tesseract languages used ("eng+rus" and mostly Cyrillic letters: "ru"); "" if no letters."""
    script = dominant_script(text)
    if not script:
        return ""
    for model in languages.split("+"):
        if _script(model) == script:
            return _iso_code(model)
    return {"Cyrillic": "ru", "Han": "zh"}.get(script, "")


def _iso_code(model: str) -> str:
    if model.startswith("chi_"):
        return "zh"
    language = pycountry.languages.get(alpha_3=model)
    return getattr(language, "alpha_2", "") if language else ""


def page_timeout() -> float:
    return config.value(ENV_TIMEOUT)


def require_ocr_tools(languages: str) -> None:
    """A ReaderError naming the Debian package to install when a program or model is missing."""
    for program, package in DEBIAN_PACKAGES.items():
        if shutil.which(program) is None:
            raise ReaderError(
                f"OCR needs {program}, which is not installed: install the Debian package "
                f"{package} (apt-get install {package}), or ingest with --ocr never",
                where="OCR",
            )
    missing = [m for m in languages.split("+") if m and m not in installed_models()]
    if missing:
        packages = " ".join(f"tesseract-ocr-{m.replace('_', '-')}" for m in missing)
        raise ReaderError(
            f"Tesseract has no model for {', '.join(missing)}: install the Debian package(s) "
            f"{packages}, or set {ENV_LANGUAGES} to installed ones "
            f"({'+'.join(sorted(installed_models()))})",
            where="OCR",
        )


@lru_cache(maxsize=1)
def installed_models() -> frozenset[str]:
    listed = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60, check=False
    )
    return frozenset(line.strip() for line in listed.stdout.splitlines()[1:] if line.strip())


def ocr_pages(pdf: Path, pages: list[int], languages: str) -> dict[int, PageOCR]:
    """OCR the given pages (1-based) of a PDF; text and word confidences per page.

    Runs in a temporary folder that is removed afterwards; a page Tesseract cannot finish in
    ``OPIS_OCR_PAGE_TIMEOUT`` seconds, or an OCRmyPDF failure, is a ReaderError naming the page.
    """
    require_ocr_tools(languages)
    timeout, jobs = page_timeout(), _jobs()
    with tempfile.TemporaryDirectory(prefix="opis-ocr-") as work:
        command = [
            sys.executable, "-m", "ocrmypdf", "--force-ocr", "--output-type", "none",
            "--keep-temporary-files", "--optimize", "0", "--jobs", str(jobs),
            "--language", languages, "--tesseract-timeout", f"{timeout:g}",
            "--pages", ",".join(str(n) for n in pages), str(pdf), "-",
        ]  # fmt: skip
        environment = config.child_environment(TMPDIR=work, TEMP=work, TMP=work)
        limit = timeout * len(pages) / jobs + 120
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, env=environment, timeout=limit
            )
        except subprocess.TimeoutExpired:
            raise ReaderError(
                f"OCR of {len(pages)} page(s) took longer than {limit:.0f} s and was stopped; "
                f"raise {ENV_TIMEOUT} or ingest with --ocr never",
                where=f"pages {_ranges(pages)}",
            ) from None
        _check_run(done, pages, timeout)
        return {n: _read_page_hocr(Path(work), n) for n in pages}


def _jobs() -> int:
    """All cores for OCR read in-process; one in an ingest worker (the pool is the parallelism)."""
    return 1 if multiprocessing.current_process().daemon else max(1, os.cpu_count() or 1)


def _check_run(done: subprocess.CompletedProcess, pages: list[int], timeout: float) -> None:
    timed_out = sorted({int(n) for n in _TIMED_OUT.findall(done.stderr)})
    if timed_out:
        raise ReaderError(
            f"Tesseract did not finish page {_ranges(timed_out)} within {timeout:g} s; "
            f"raise {ENV_TIMEOUT}, or ingest with --ocr never to keep the text layer only",
            where=f"page {_ranges(timed_out)}",
        )
    if done.returncode == 0:
        return
    lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    said = lines[-1] if lines else f"exit status {done.returncode}"
    if done.returncode == 8:
        raise ReaderError(
            "the PDF is encrypted and OCRmyPDF will not rasterise it; decrypt a copy "
            "(qpdf --decrypt in.pdf out.pdf) and ingest that",
            where="whole file",
        )
    page_lines = [m for m in _PAGE_LINE.finditer(done.stderr) if int(m.group(1)) in pages]
    where = f"page {page_lines[-1].group(1)}" if page_lines else f"pages {_ranges(pages)}"
    raise ReaderError(
        f"OCR failed (OCRmyPDF exit status {done.returncode}: {said}); "
        "check the file opens in a PDF viewer, or ingest with --ocr never",
        where=where,
    )


def _read_page_hocr(work: Path, page: int) -> PageOCR:
    found = list(work.glob(f"ocrmypdf.io.*/{page:06d}_ocr_hocr.hocr"))
    if not found:
        raise ReaderError(
            "OCRmyPDF finished but left no OCR result for this page", where=f"page {page}"
        )
    try:
        if found[0].stat().st_size:
            return read_hocr(found[0])
    except etree.XMLSyntaxError:
        pass
    raise ReaderError(
        "Tesseract gave no result for this page (it timed out or failed); raise "
        f"{ENV_TIMEOUT}, or ingest with --ocr never to keep the text layer only",
        where=f"page {page}",
    )


def read_hocr(path: Path) -> PageOCR:
    """Words of Tesseract's hOCR joined into lines and paragraphs, with their confidences."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    paragraphs, confidences = [], []
    for par in _with_class(root, {"ocr_par"}):
        lines = []
        for line in _with_class(par, _LINE_CLASSES):
            words = []
            for word in _with_class(line, {"ocrx_word"}):
                text = "".join(word.itertext()).strip()
                if text:
                    words.append(text)
                    confidences.append(_word_confidence(word.get("title", "")))
            if words:
                lines.append(" ".join(words))
        if lines:
            paragraphs.append("\n".join(lines))
    return PageOCR("\n\n".join(paragraphs), confidences)


def _with_class(element, classes: set[str]) -> Iterator:
    return (e for e in element.iter() if e.get("class") in classes)


def _word_confidence(title: str) -> float:
    found = re.search(r"x_wconf\s+(\d+(?:\.\d+)?)", title)
    return float(found.group(1)) if found else 0.0


def _ranges(numbers: list[int]) -> str:
    """1,2,3,5 → "1-3, 5": page lists as people write them."""
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}-{n}")
            start = None
    return ", ".join(parts)
