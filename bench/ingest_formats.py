"""Ingest rate per format, beside the bare parser underneath, and memory against volume size.

For each format in the shared corpora (FRUS TEI volumes, UN speeches as plain text, the FOIA PDFs'
text layer) it ingests the folder into a fresh data directory in a fresh process, exactly as
``opis ingest`` does (``bench/ingest_rate.py --one-run``), and in this process times the bare
parser alone on the same files: lxml ``iterparse`` over every ``<div type="document">`` (hardened
as opis's reader is: no entities, no network) collecting its text; reading and decoding the text
files; pypdf extracting every page's text. Then, for memory, it ingests one FRUS volume and the
same volume with its documents repeated 4 and 25 times (new ids; 25× is ~100 MB, past the text
record limit, so it is written document by document), and the 25× once more held whole (the
limit raised), and prints the peak RSS of each: flat memory means the figures stay near the 1× one.

    python bench/ingest_formats.py                   # every format, corpora beside the checkout
    python bench/ingest_formats.py --only tei --json
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest_rate import machine

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
FORMATS = {
    "tei": CORPORA / "frus-tei" / "volumes",
    "text": CORPORA / "un-general-debates" / "TXT",
    "pdf": CORPORA / "state-foia-reykjavik-1986" / "F-1986-04261",
}
TEI = "{http://www.tei-c.org/ns/1.0}"
MEMORY_VOLUME = CORPORA / "frus-tei" / "volumes" / "frus1897.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(FORMATS), action="append", help="format(s)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures: dict = {"machine": machine(), "formats": {}}
    for name in args.only or list(FORMATS):
        folder = FORMATS[name]
        if not folder.exists():
            sys.exit(f"bench: {folder} is not here")
        opis = _opis_ingest(folder)
        bare = BARE[name](sorted(p for p in folder.rglob("*") if p.is_file()))
        opis["overhead"] = round(opis["seconds"] / max(bare["seconds"], 0.001), 1)
        figures["formats"][name] = {"corpus": str(folder), "opis": opis, "bare": bare}
    if not args.only or "tei" in args.only:
        figures["tei_memory"] = _memory_against_size(MEMORY_VOLUME)
    print(json.dumps(figures, indent=2) if args.json else report(figures))


def _opis_ingest(corpus: Path, **settings: str) -> dict:
    """One ``opis ingest`` of the folder into a fresh data directory, in a fresh process.

    Scans are read from their text layers (``OPIS_OCR=never``), as the bare pypdf pass reads them:
    OCR has its own benchmark, ``bench/ingest_pdf.py``. ``settings``: more OPIS_ variables."""
    with tempfile.TemporaryDirectory(prefix="opis-bench-") as data:
        script = Path(__file__).with_name("ingest_rate.py")
        done = subprocess.run(
            [sys.executable, "-W", "ignore", str(script), "--corpus", str(corpus), "--one-run",
             data],
            capture_output=True, text=True, check=False,
            env={**os.environ, "OPIS_OCR": "never", **settings},
        )  # fmt: skip
        if done.returncode:
            sys.exit(f"bench: the opis ingest of {corpus} failed:\n{done.stderr or done.stdout}")
        return json.loads(done.stdout)


def _bare_tei(files: list[Path]) -> dict:
    from lxml import etree

    started, documents, characters = time.perf_counter(), 0, 0
    for path in files:
        parser = etree.iterparse(
            str(path), events=("end",), tag=f"{TEI}div", resolve_entities=False, no_network=True,
            huge_tree=False, load_dtd=False,
        )  # fmt: skip
        for _, div in parser:
            if div.get("type") == "document":
                characters += len("".join(div.itertext()))
                documents += 1
                if div.getparent() is not None and not _inside_document(div):
                    div.clear(keep_tail=True)
    return _figures(documents, time.perf_counter() - started, characters)


def _inside_document(div) -> bool:
    return any(a.get("type") == "document" for a in div.iterancestors(f"{TEI}div"))


def _bare_text(files: list[Path]) -> dict:
    started, characters = time.perf_counter(), 0
    for path in files:
        characters += len(path.read_bytes().decode("utf-8-sig"))
    return _figures(len(files), time.perf_counter() - started, characters)


def _bare_pdf(files: list[Path]) -> dict:
    from pypdf import PdfReader

    started, characters, pages = time.perf_counter(), 0, 0
    for path in files:
        for page in PdfReader(path).pages:
            characters += len(page.extract_text() or "")
            pages += 1
    figures = _figures(len(files), time.perf_counter() - started, characters)
    figures["pages"] = pages
    return figures


BARE = {"tei": _bare_tei, "text": _bare_text, "pdf": _bare_pdf}


def _figures(documents: int, seconds: float, characters: int) -> dict:
    return {
        "documents": documents,
        "seconds": round(seconds, 3),
        "docs_per_s": round(documents / seconds) if seconds else 0,
        "characters": characters,
    }


def _memory_against_size(volume: Path) -> dict:
    """Peak RSS of ingesting one volume, the same volume with its documents four times, and 25
    times (~100 MB: past ``OPIS_MAX_TEXT_FILE_MB``, so written document by document as it is
    read); then the 25× volume once more with the limit raised past it, held whole as before."""
    with tempfile.TemporaryDirectory(prefix="opis-bench-tei-") as scratch:
        runs, sizes = {}, {}
        for times in (1, 4, 25):
            folder = Path(scratch, f"{times}x")
            folder.mkdir()
            copy = folder / volume.name
            copy.write_bytes(_repeated(volume.read_bytes(), times))
            sizes[f"{times}x"] = _megabytes(copy)
            runs[f"{times}x"] = _opis_ingest(folder)
        sizes["25x held whole"] = sizes["25x"]
        runs["25x held whole"] = _opis_ingest(Path(scratch, "25x"), OPIS_MAX_TEXT_FILE_MB="1000")
    return {
        label: {
            "file_mb": sizes[label],
            "documents": run["documents"],
            "peak_rss_mb": run["peak_rss_mb"],
            "docs_per_s": run["docs_per_s"],
        }
        for label, run in runs.items()
    }


def _repeated(data: bytes, times: int) -> bytes:
    """The volume with the content of its ``<body>`` repeated, every xml:id made unique."""
    start = data.index(b"<body>") + len(b"<body>")
    end = data.rindex(b"</body>")
    body = data[start:end]
    copies = [body] + [
        body.replace(b'xml:id="', f'xml:id="r{n}'.encode()).replace(b'n="', f'n="r{n}-'.encode())
        for n in range(2, times + 1)
    ]
    return data[:start] + b"".join(copies) + data[end:]


def _megabytes(path: Path) -> float:
    return round(path.stat().st_size / 1048576, 1)


def report(figures: dict) -> str:
    m = figures["machine"]
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_mb']} MB RAM; Python {m['python']},"
        f" SQLite {m['sqlite']}, tantivy {m['tantivy']}; {m['date']}",
        "",
        f"{'format':8} {'documents':>9} {'opis s':>8} {'docs/s':>8} {'bare s':>8} {'docs/s':>8}"
        f" {'opis/bare':>9} {'peak MB':>8}",
    ]
    for name, f in figures["formats"].items():
        o, b = f["opis"], f["bare"]
        lines.append(
            f"{name:8} {o['documents']:>9,} {o['seconds']:>8.2f} {o['docs_per_s']:>8,}"
            f" {b['seconds']:>8.3f} {b['docs_per_s']:>8,} {o['overhead']:>8.1f}x"
            f" {o['peak_rss_mb']:>8}"
        )
    if "tei_memory" in figures:
        lines.append("")
        for label, run in figures["tei_memory"].items():
            lines.append(
                f"TEI volume {label}: {run['file_mb']} MB, {run['documents']} documents,"
                f" peak RSS {run['peak_rss_mb']} MB, {run['docs_per_s']} docs/s"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
