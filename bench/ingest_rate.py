"""How fast opis ingests a corpus, beside the bare work underneath it.

Ingests the corpus (default: the whole DFAT corpus) into a fresh, temporary data directory through
``opis.ingest.ingest_paths``, exactly as ``opis ingest`` does, then ingests it again (every file
unchanged); each of the --repeat runs is a fresh process with a fresh data directory, and the
median run is reported beside the best. In the same run it times the bare work alone, in this one
process: reading every file and parsing its YAML front matter with PyYAML, and indexing the same
titles and texts with Tantivy (opis's schema and analyzer, one writer, one commit). Prints
documents per second for each, how many times the bare work opis takes, CPU used by opis and by
anything else on the machine meanwhile, peak memory, and the machine.

    python bench/ingest_rate.py                      # the DFAT corpus beside the checkout
    python bench/ingest_rate.py --corpus PATH --repeat 5 --json
"""

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import yaml

from machine import describe

ROOT = Path(__file__).resolve().parents[1]
DFAT = ROOT.parent / "shared" / "corpora" / "dfat"
TARGET_DOCS_PER_S = 1000
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DFAT, help="folder to ingest (default DFAT)")
    parser.add_argument("--repeat", type=int, default=3, help="opis ingest runs (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)  # DATA: one run, as JSON
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"bench: {args.corpus} is not here; pass --corpus FOLDER")
    if args.one_run:
        print(json.dumps(opis_ingest(args.corpus, args.one_run)))
        return
    figures = {"machine": machine(), "corpus": str(args.corpus.resolve())}
    runs = [_run_in_fresh_process(args.corpus) for _ in range(max(1, args.repeat))]
    runs.sort(key=lambda run: run["seconds"])
    figures["opis"] = {**runs[(len(runs) - 1) // 2], "runs": [run["seconds"] for run in runs]}
    with tempfile.TemporaryDirectory(prefix="opis-bench-") as scratch:
        from opis.cli_support import setup as _setup

        _setup(scratch, migrate=False)  # opis's modules need settings; the bare work no catalogue
        figures["bare"] = bare_work(args.corpus, Path(scratch) / "bare-index")
    bare = figures["bare"]
    figures["overhead"] = round(figures["opis"]["seconds"] / bare["total_seconds"], 2)
    print(json.dumps(figures, indent=2) if args.json else report(figures))


def _run_in_fresh_process(corpus: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="opis-bench-") as data:
        command = [sys.executable, "-W", "ignore", __file__, "--corpus", str(corpus)]
        done = subprocess.run(
            [*command, "--one-run", data], capture_output=True, text=True, check=False
        )
        if done.returncode:
            sys.exit(f"bench: the opis ingest run failed:\n{done.stderr or done.stdout}")
        return json.loads(done.stdout)


def opis_ingest(corpus: Path, data: Path) -> dict:
    from opis.cli_support import setup as _setup

    _setup(str(data))
    from opis.ingest import ingest_paths

    load_before = os.getloadavg()[0]
    machine_before, own_before = _machine_busy(), _own_cpu()
    started = time.perf_counter()
    first = ingest_paths([corpus])
    seconds = time.perf_counter() - started
    own_cpu = _own_cpu() - own_before
    others_cpu = _machine_busy() - machine_before - own_cpu
    if first.failed:
        sys.exit(f"bench: {len(first.failed)} file(s) failed, e.g. {first.failed[0]}")
    started = time.perf_counter()
    again = ingest_paths([corpus])
    again_seconds = time.perf_counter() - started
    if again.count("unchanged") != len(again.documents):
        sys.exit("bench: the second ingest changed documents; it should find all unchanged")
    documents = len(first.documents)
    return {
        "documents": documents,
        "seconds": round(seconds, 2),
        "docs_per_s": round(documents / seconds),
        "reingest_seconds": round(again_seconds, 2),
        "reingest_docs_per_s": round(documents / again_seconds),
        "peak_rss_mb": _mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "worker_peak_rss_mb": _mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss),
        "cpu_seconds": round(own_cpu, 1),
        "others_cpu_seconds": round(max(0.0, others_cpu), 1),
        "load_average_before": round(load_before, 2),
    }


def _own_cpu() -> float:
    """CPU seconds of this process (all its threads) and of its finished children (the readers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (to see who else was running)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def bare_work(corpus: Path, index_dir: Path) -> dict:
    """Read + sha256 + PyYAML of every file, then Tantivy alone on the same texts."""
    from opis.ingest.discover import discover

    files = discover([corpus])[0]
    started = time.perf_counter()
    parsed = [_parse(path) for path in files]
    read_seconds = time.perf_counter() - started
    parsed = [p for p in parsed if p]
    index_seconds = _bare_index(parsed, index_dir)
    total = read_seconds + index_seconds
    return {
        "documents": len(parsed),
        "read_parse_seconds": round(read_seconds, 2),
        "read_parse_docs_per_s": round(len(parsed) / read_seconds),
        "index_seconds": round(index_seconds, 2),
        "index_docs_per_s": round(len(parsed) / index_seconds),
        "total_seconds": round(total, 2),
        "docs_per_s": round(len(parsed) / total),
    }


def _parse(path: Path) -> tuple[str, str] | None:
    data = path.read_bytes()
    hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8-sig")
    if not text.startswith("---"):
        return None
    front, _, body = text[3:].partition("\n---")
    meta = yaml.load(front, Loader=YAML_LOADER)
    return str(meta.get("title", "")), body


def _bare_index(parsed: list[tuple[str, str]], index_dir: Path) -> float:
    import tantivy

    from opis.search.index import open_index
    from opis.search.indexer import WRITER_HEAP, WRITER_THREADS

    index = open_index(index_dir)  # opis's schema and analyzers, in a folder of its own
    started = time.perf_counter()
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
    for number, (title, body) in enumerate(parsed):
        writer.add_document(tantivy.Document(id=str(number), title=title, body=body))
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def machine() -> dict:
    """The machine (``machine.describe``), with the Django and PyYAML opis ingests through."""
    return {
        **describe(),
        "django": version("django"),
        "pyyaml": yaml.__version__ + (" (libyaml)" if YAML_LOADER is not yaml.SafeLoader else ""),
    }


def _mb(kilobytes: int) -> int:
    return round(kilobytes / 1024)


def report(figures: dict) -> str:
    m, o, b = figures["machine"], figures["opis"], figures["bare"]
    verdict = "meets" if o["docs_per_s"] >= TARGET_DOCS_PER_S else "MISSES"
    runs = ", ".join(f"{seconds:.2f}" for seconds in o["runs"])
    best = o["documents"] / o["runs"][0]
    return "\n".join(
        [
            f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_mb']} MB RAM; Python {m['python']},"
            f" SQLite {m['sqlite']}, tantivy {m['tantivy']}, Django {m['django']},"
            f" PyYAML {m['pyyaml']}; {m['date']}",
            f"corpus: {figures['corpus']} ({o['documents']} documents);"
            f" load average before: {o['load_average_before']}",
            f"CPU during the median opis ingest: {o['cpu_seconds']} s by opis (read workers and"
            f" index threads included), {o['others_cpu_seconds']} s by other processes",
            "",
            f"opis ingest (fresh data dir) {o['seconds']:>7.2f} s {o['docs_per_s']:>7,} docs/s"
            f"   target {TARGET_DOCS_PER_S:,}: median run {verdict}",
            f"  {len(o['runs'])} runs, each a fresh process: {runs} s (best {best:,.0f} docs/s)",
            f"opis re-ingest (unchanged)   {o['reingest_seconds']:>7.2f} s"
            f" {o['reingest_docs_per_s']:>7,} docs/s",
            f"bare read + sha256 + PyYAML  {b['read_parse_seconds']:>7.2f} s"
            f" {b['read_parse_docs_per_s']:>7,} docs/s   (one process)",
            f"bare Tantivy indexing        {b['index_seconds']:>7.2f} s"
            f" {b['index_docs_per_s']:>7,} docs/s   (same schema and analyzer, one commit)",
            f"bare work, both              {b['total_seconds']:>7.2f} s"
            f" {b['docs_per_s']:>7,} docs/s",
            f"opis takes {figures['overhead']:.2f}x the bare work's time",
            f"peak RSS: {o['peak_rss_mb']} MB (this process), {o['worker_peak_rss_mb']} MB"
            " (largest read worker)",
        ]
    )


if __name__ == "__main__":
    main()
