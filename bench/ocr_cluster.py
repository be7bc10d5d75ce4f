"""OCR spread over Dask workers: scanned pages a minute with 1 and 2 workers, and what that
projects to at 10 and 100.

    python bench/ocr_cluster.py [--pages 16] [--workers 1 2] [--json]

Takes short FOIA PDFs (up to three pages) from ../shared/corpora/state-foia-reykjavik-1986
until they hold ``--pages`` pages, and for each worker count runs the real ``opis ingest
--workers N --ocr always`` into a fresh data folder (a local Dask cluster of N single-threaded
worker processes, the writer in the ingest process), then the same with ``--ocr never``: the
run's fixed cost (Django, the cluster's start, reading the text layers, writing). OCR pages a
minute are the pages over the difference of the two, so that start-up does not count against
the workers. The projection multiplies the measured rate per worker by the worker count, which
holds while the one writer keeps up (it writes hundreds of records a second; an OCR worker
produces a page every few seconds).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from machine import describe

ROOT = Path(__file__).resolve().parents[1]
FOIA = ROOT.parent / "shared" / "corpora" / "state-foia-reykjavik-1986" / "F-1986-04261"
OPIS = Path(sys.executable).with_name("opis")
MILLION = 1_000_000
SHORT = 3  # pages


def scans(pages: int) -> tuple[list[Path], int]:
    """The first short PDFs (by name, up to ``SHORT`` pages) holding at least ``pages`` pages,
    and how many they hold. A worker reads a file at a time, so short files let the workers
    share the pages evenly, as a real collection of many scans does."""
    chosen, total = [], 0
    for path in sorted(FOIA.glob("*.pdf")):
        if total >= pages:
            break
        count = len(PdfReader(path).pages)
        if count <= SHORT:
            chosen.append(path)
            total += count
    return chosen, total


def ingest_seconds(paths: list[Path], workers: int, ocr: str) -> float:
    """Wall time of one ``opis ingest --workers N --ocr MODE`` into a fresh data folder."""
    with tempfile.TemporaryDirectory(prefix="opis-ocr-bench-") as data:
        environment = {**os.environ, "OPIS_DATA": data}
        started = time.perf_counter()
        done = subprocess.run(
            [str(OPIS), "ingest", "--workers", str(workers), "--ocr", ocr, *map(str, paths)],
            env=environment, capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"opis ingest --workers {workers} --ocr {ocr} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    paths, pages = scans(args.pages)
    figures = {"machine": describe(), "files": len(paths), "pages": pages, "runs": []}
    for workers in args.workers:
        with_ocr = ingest_seconds(paths, workers, "always")
        without = ingest_seconds(paths, workers, "never")
        rate = pages / max(with_ocr - without, 1e-9) * 60
        figures["runs"].append(
            {
                "workers": workers,
                "seconds_with_ocr": round(with_ocr, 1),
                "seconds_without_ocr": round(without, 1),
                "pages_per_minute": round(rate, 1),
                "per_worker": round(rate / workers, 1),
            }
        )
    per_worker = max(run["per_worker"] for run in figures["runs"])
    figures["projection"] = {
        f"{n} workers": {
            "pages_per_minute": round(per_worker * n),
            "hours_per_million_pages": round(MILLION / (per_worker * n) / 60, 1),
        }
        for n in (10, 100)
    }
    figures["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    found = figures["machine"]
    print(f"{found['cpu']}, {found['cores']} cores, load {found['load_average']}")
    print(f"{figures['files']} PDFs, {pages} pages, every page OCR'd (--ocr always)")
    for run in figures["runs"]:
        print(
            f"  {run['workers']} worker(s): {run['seconds_with_ocr']} s with OCR, "
            f"{run['seconds_without_ocr']} s without → {run['pages_per_minute']} pages/min "
            f"({run['per_worker']} per worker)"
        )
    for label, projected in figures["projection"].items():
        print(
            f"  projected, {label}: {projected['pages_per_minute']} pages/min, "
            f"{projected['hours_per_million_pages']} h for a million pages"
        )


if __name__ == "__main__":
    main()
