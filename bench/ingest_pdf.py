"""Scans and PDFs: text-layer docs/s, and OCR pages/min through opis vs OCRmyPDF alone.

    python bench/ingest_pdf.py [--ocr-pages 4] [--extractor-docs 10]

Everything on the FOIA release in ../shared/corpora/state-foia-reykjavik-1986, in one run:

1. text layer: every PDF read by the opis reader with OCR off (pypdf), docs/s and pages/s;
2. text-layer extractors: pypdf vs pdfminer.six on the first N PDFs, time and the share of pages
   whose layer the reader finds usable (the same rule for both);
3. OCR: N real pages rasterised at 300 dpi into one image-only PDF (no text layer), read
   (a) by the opis reader (first pass to choose the language, OCRmyPDF, hOCR parsing),
   (b) by ``ocrmypdf --force-ocr --output-type none --sidecar`` alone with the language opis
   chose (eng), (c) the same with the default ``eng+rus`` unnarrowed; pages/min for each.
The machine (CPU, cores, load) is printed first: OCR figures are only comparable on one machine.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parents[1]
FOIA = ROOT.parent / "shared" / "corpora" / "state-foia-reykjavik-1986" / "F-1986-04261"
OCR_PAGES = [("C09000025.pdf", 1), ("C09000002.pdf", 3), ("C09000005.pdf", 2), ("C09000001.pdf", 1)]


def machine() -> str:
    found = describe()
    tesseract = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    import ocrmypdf

    return (
        f"{found['cpu']}, {found['cores']} cores, load {found['load_average']:.1f}; Python "
        f"{found['python']}; {tesseract.stdout.splitlines()[0]}; OCRmyPDF {ocrmypdf.__version__}"
    )


def text_layer() -> None:
    from opis.readers.pdf_scan import READER
    from opis.readers.source import SourceFile

    os.environ["OPIS_OCR"] = "never"
    files = sorted(FOIA.glob("*.pdf"))
    started, pages = time.perf_counter(), 0
    for path in files:
        (draft,) = READER.read(SourceFile(path))
        pages += len(draft.texts[0].pages) if draft.texts else 0
    took = time.perf_counter() - started
    print(
        f"text layer (opis reader, pypdf): {len(files)} docs, {pages} pages in {took:.1f} s: "
        f"{len(files) / took:.1f} docs/s, {pages / took:.1f} pages/s"
    )


def extractors(count: int) -> None:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer
    from pypdf import PdfReader

    from opis.readers.pdf_scan import usable

    files = sorted(FOIA.glob("*.pdf"))[:count]

    def with_pypdf(path):
        return [page.extract_text() or "" for page in PdfReader(path).pages]

    def with_pdfminer(path):
        return [
            "".join(e.get_text() for e in page if isinstance(e, LTTextContainer))
            for page in extract_pages(path)
        ]

    for name, extract in (("pypdf", with_pypdf), ("pdfminer.six", with_pdfminer)):
        started = time.perf_counter()
        texts = [text for path in files for text in extract(path)]
        took = time.perf_counter() - started
        good = sum(usable(text) for text in texts)
        print(
            f"  {name:13} {len(files)} docs, {len(texts)} pages in {took:6.1f} s "
            f"({len(texts) / took:5.1f} pages/s); usable layer on {good}/{len(texts)} pages"
        )


def ocr(count: int, work: Path) -> None:
    from PIL import Image

    from opis.readers.pdf_scan import READER
    from opis.readers.source import SourceFile

    images = []
    for name, page in (OCR_PAGES * 4)[:count]:
        stem = work / f"{name}-{page}"
        subprocess.run(
            ["pdftoppm", "-r", "300", "-gray", "-f", str(page), "-l", str(page), "-singlefile"]
            + [str(FOIA / name), str(stem)],
            check=True,
        )
        images.append(Image.open(f"{stem}.pgm").convert("L"))
    scan = work / "scan.pdf"
    images[0].save(scan, "PDF", resolution=300, save_all=True, append_images=images[1:])
    os.environ["OPIS_OCR"] = "auto"
    os.environ.pop("OPIS_OCR_LANGUAGES", None)
    started = time.perf_counter()
    (draft,) = READER.read(SourceFile(scan))
    runs = [("opis reader (first pass + OCRmyPDF + hOCR)", time.perf_counter() - started)]
    chosen = {"en": "eng", "ru": "rus+eng"}.get(draft.texts[0].language, "eng+rus")
    for languages in (chosen, "eng+rus"):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "ocrmypdf", "--force-ocr", "--output-type", "none", "-q"]
            + ["--sidecar", str(work / "side.txt"), "--optimize", "0", "-l", languages]
            + ["--jobs", str(os.cpu_count()), str(scan), "-"],
            check=True,
        )
        runs.append((f"ocrmypdf alone, -l {languages}", time.perf_counter() - started))
    print(f"OCR of {count} real FOIA pages (image-only, 300 dpi), same run:")
    for label, took in runs:
        print(f"  {label:45} {took:6.1f} s  {count / took * 60:5.1f} pages/min")
    print(
        f"  opis / ocrmypdf alone ({chosen}): {runs[0][1] / runs[1][1]:.2f}x; "
        f"mean confidence {draft.texts[0].confidence}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ocr-pages", type=int, default=4)
    parser.add_argument("--extractor-docs", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opis.settings")
    print(machine())
    text_layer()
    print(f"text-layer extractors on the first {args.extractor_docs} PDFs:")
    extractors(args.extractor_docs)
    with tempfile.TemporaryDirectory() as work:
        ocr(args.ocr_pages, Path(work))


if __name__ == "__main__":
    main()
