"""US State Department telegrams in the Reykjavik FOIA scans: are they read as cables?

Truth comes from outside the parser: the curated description of each released document in
``foia_metadata.json`` ("Embassy Moscow cable (86MOSCOW017709) on …", "State cable …",
"USNATO cable …"). Every document described as a cable, and not as the routing slip *for* a
cable, is a telegram; its first three pages are read as ``opis ingest --ocr auto`` reads them
(``readers.pdf_scan.read_scan``: the text layer where it is usable, OCR where it is not, and OCR
of a telegram's head the layer garbles) and given to ``parse_cable``, so the figure is what the
catalogue shows. Tesseract's output is cached by the file's sha256, the pages and Tesseract's
version (``ocr`` in opis's cache folder, ``config.cache_folder``): the first run OCRs some fifty
pages (minutes), later ones read the cache (seconds). ``--text-layer`` measures the layers alone.

A telegram counts as **read** when origin, destination and number are all found. Two checks of
rightness where the description states the value: the number against the reference in
parentheses ("86MOSCOW017709" → post MOSCOW, serial 17709; the post compared on its first four
letters, the system's own abbreviation being six), and the origin against "Embassy X" / "State"
/ "USNATO" (State is Washington).

Run ``python -m opis.evaluate.us_telegrams [--json] [--text-layer]``; exit 1 below 80 % read.
"""

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from opis import config
from opis.checksum import file_sha256
from opis.errors import ReaderError
from opis.evaluate.corpora import corpora_root
from opis.evaluate.split import in_part
from opis.readers.ocr import PageOCR, ocr_pages
from opis.readers.pdf_scan import PAGE_SEPARATOR, read_scan, text_layer
from opis.understand.cable import Cable, parse_cable

TARGET = 0.80
HEAD = 3  # pages read: the head, and the page after it where a cover sheet comes first


def foia_folder() -> Path:
    return corpora_root() / "state-foia-reykjavik-1986"


@dataclass
class TelegramScore:
    telegrams: int = 0
    read: int = 0
    numbers_stated: int = 0
    numbers_right: int = 0
    origins_stated: int = 0
    origins_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def read_rate(self) -> float:
        return self.read / self.telegrams if self.telegrams else 0.0


def described_telegrams(folder: Path) -> dict[Path, str]:
    """PDF → description, for every released document its description calls a cable."""
    documents = json.loads((folder / "foia_metadata.json").read_text("utf-8"))["documents"]
    telegrams = {}
    for key, record in documents.items():
        description = record.get("description", "")
        path = folder / "F-1986-04261" / f"{key.removeprefix('foia-')}.pdf"
        if re.search(r"\bcable\b", description) and "slip" not in description and path.exists():
            telegrams[path] = description
    return telegrams


def evaluate(folder: Path | None = None, *, ocr: bool = True) -> TelegramScore:
    """``ocr``: read as ingest with ``--ocr auto`` does; False: the text layers alone."""
    folder = folder or foia_folder()
    telegrams = described_telegrams(folder)
    score = TelegramScore()
    release = set(in_part(sorted((folder / "F-1986-04261").glob("*.pdf")), per_file=True))
    for path in sorted(p for p in telegrams if p in release):  # the part of the whole release
        try:
            head = ingested_head(path) if ocr else PAGE_SEPARATOR.join(text_layer(path)[0][:HEAD])
        except ReaderError:
            head = ""
        cable = parse_cable("", head) or Cable()
        _score(score, path, telegrams[path], cable)
    return score


def ingested_head(path: Path) -> str:
    """The first pages of a scan as ``opis ingest --ocr auto`` reads them."""
    scan = read_scan(path, "auto", first_pages=HEAD, ocr=cached_ocr)
    return PAGE_SEPARATOR.join(page.text for page in scan.pages)


def cached_ocr(pdf: Path, pages: list[int], languages: str) -> dict[int, PageOCR]:
    """``ocr_pages``, each page's result kept under the cache folder by the file's sha256, the
    page, the languages and Tesseract's version; only pages not yet kept are OCR'd."""
    folder = ocr_cache_folder()
    key = f"{file_sha256(pdf)}-{languages}-{_tesseract_version()}"
    kept = {n: folder / f"{key}-{n}.json" for n in pages}
    missing = [n for n, file in kept.items() if not file.exists()]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        for n, page in ocr_pages(pdf, missing, languages).items():
            kept[n].write_text(json.dumps({"text": page.text, "confidences": page.confidences}))
    read = {n: json.loads(file.read_text("utf-8")) for n, file in kept.items()}
    return {n: PageOCR(page["text"], page["confidences"]) for n, page in read.items()}


def ocr_cache_folder() -> Path:
    return config.cache_folder() / "ocr"


@cache
def _tesseract_version() -> str:
    try:
        said = subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, timeout=60, check=False
        ).stdout
    except OSError:
        return "none"  # ocr_pages names the package to install
    words = said.split()
    return re.sub(r"[^\w.]", "_", words[1]) if len(words) > 1 else "unknown"


def _score(score: TelegramScore, path: Path, description: str, cable: Cable) -> None:
    score.telegrams += 1
    if cable.origin and cable.destination and cable.number:
        score.read += 1
    else:
        score.misses.append(
            f"{path.name}: {cable.number!r} {cable.origin!r} → {cable.destination!r}"
        )
    stated = re.search(r"\(86\s?([A-Z]{4,8}?)\s?0*(\d{3,6})\b", description)
    if stated:
        score.numbers_stated += 1
        post, serial = cable.number.partition(" ")[::2]
        score.numbers_right += post[:4] == stated.group(1)[:4] and serial == stated.group(2)
    place = re.match(
        r"(?:Embassy\s+(\w+(?:\s\w+)?)|(State|USNATO))\s+(?:NIACT\s+)?cable", description
    )
    if place:
        score.origins_stated += 1
        expected = "WASHINGTON" if place.group(2) == "State" else (place.group(1) or place.group(2))
        score.origins_right += cable.origin[:5] == expected.upper()[:5]


def report(score: TelegramScore, ocr: bool = True) -> str:
    how = "as ingest --ocr auto reads them" if ocr else "their text layer alone"
    lines = [
        f"US telegrams in the FOIA scans (first {HEAD} pages, {how})",
        f"  described as cables: {score.telegrams}; origin, destination and number read: "
        f"{score.read} = {score.read_rate:.1%} (target {TARGET:.0%})",
        f"  number right where the description gives it: "
        f"{score.numbers_right}/{score.numbers_stated}",
        f"  origin right where the description gives it: "
        f"{score.origins_right}/{score.origins_stated}",
    ]
    lines += [f"    not read: {miss}" for miss in score.misses]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not (foia_folder() / "foia_metadata.json").exists():
        sys.stdout.write(f"no FOIA corpus at {foia_folder()}; nothing measured\n")
        return 0
    ocr = "--text-layer" not in args
    score = evaluate(ocr=ocr)
    if "--json" in args:
        figures = {k: v for k, v in vars(score).items() if k != "misses"}
        sys.stdout.write(json.dumps(figures | {"read_rate": round(score.read_rate, 4)}) + "\n")
    else:
        sys.stdout.write(report(score, ocr) + "\n")
    return 0 if score.read_rate >= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
