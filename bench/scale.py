"""Ingest and search at scale, on State Department-style cables generated here (issue 12).

Generates --docs cables deterministically (seeded): origin and destination posts, TAGS, a
classification, a precedence, references to earlier cables of the same post, a Zipfian vocabulary
(function words first, so phrases such as "of the" are common), dates over 1945-1991, and a
document type (telegram, airgram, memorandum). They are written as JSON Lines files of
--rows-per-file rows with the columns the tabular reader maps (id, title, date, doc_type,
summary, text, language, citation). They are synthetic: no row is an archival record.

It then ingests them into a temporary data directory in a fresh process (so peak RSS is the
run's own) and prints ingest documents/s, catalogue and index size and peak RSS; the bare work on
the same files in this process (read + sha256 + JSON parse, then Tantivy alone on the same
titles and texts: opis's schema and analyzer, one writer, one commit); and a search mix (common,
mid and rare words, phrases including common-word ones, prefix, OR, year and type filters, date
sorts) timed through opis's search() (snippets and facets, as the reading room), the query path
alone, and bare Tantivy on the queries opis compiled: p50/p95/p99/max in milliseconds.

    python bench/scale.py                      # 10,000 cables
    python bench/scale.py --docs 100000 --json
    python bench/scale.py --smoke              # 2,000 cables, one timed pass (CI)
    python bench/scale.py --docs 60000 --ingest-only   # memory: the ingest alone
    python bench/scale.py --docs 1000000 --data /big/opis-1m   # keep the data folder...
    python bench/scale.py --search-only /big/opis-1m           # ...and its mix again, per query
"""

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402 - bench scripts share helpers by path
from search_latency import (  # noqa: E402 - bench scripts share helpers by path
    _percentile,
    bare_compiled,
    opis_query_path,
    opis_search,
)

SMOKE_DOCS = 2000
FUNCTION_WORDS = [
    "the", "of", "and", "to", "in", "that", "is", "for", "on", "by", "with", "as", "be", "it",
    "this", "at", "from", "was", "not", "are",
]  # fmt: skip
STOCK = [
    "embassy", "minister", "government", "foreign", "soviet", "position", "talks", "treaty",
    "delegation", "ambassador", "secretary", "president", "negotiations", "agreement",
    "economic", "military", "security", "council", "conference", "proposal", "meeting",
    "situation", "department", "visit", "statement", "question", "support", "assistance",
    "nuclear", "trade", "border", "communique", "ministry", "official", "parliament",
]  # fmt: skip
POSTS = [
    "MOSCOW", "LONDON", "PARIS", "BONN", "TOKYO", "PEKING", "CAIRO", "NEW DELHI", "HAVANA",
    "SAIGON", "WARSAW", "BELGRADE", "ANKARA", "TEHRAN", "BRASILIA", "OTTAWA", "CANBERRA",
    "USUN NEW YORK", "GENEVA", "VIENNA", "NATO BRUSSELS", "SEOUL", "JAKARTA", "PRETORIA",
]  # fmt: skip
TAGS = [
    "PREL", "PGOV", "ETRD", "MARR", "PFOR", "EAID", "ECON", "PINT", "MILI", "SENV", "OVIP",
    "TECH", "ENRG", "CASC",
]  # fmt: skip
CLASSIFICATIONS = ["UNCLASSIFIED"] * 4 + ["LIMITED OFFICIAL USE"] * 2 + ["CONFIDENTIAL"] * 3
CLASSIFICATIONS += ["SECRET"]
PRECEDENCE = ["ROUTINE"] * 6 + ["PRIORITY"] * 3 + ["IMMEDIATE", "FLASH"]
TYPES = ["telegram"] * 8 + ["airgram", "memorandum"]
DAYS = time.mktime((1991, 12, 31, 0, 0, 0, 0, 0, 0)) - time.mktime((1945, 1, 1, 0, 0, 0, 0, 0, 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="cables (default 10,000)")
    parser.add_argument("--smoke", action="store_true", help=f"{SMOKE_DOCS:,} cables, one pass")
    parser.add_argument("--rows-per-file", type=int, default=1000)
    parser.add_argument("--text-bytes", type=int, default=3600, help="text per cable (~3.6 KB)")
    parser.add_argument("--seed", type=int, default=1945)
    parser.add_argument("--repeat", type=int, default=3, help="timed search passes (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--ingest-only", action="store_true", help="only the opis ingest (memory), no bare work"
    )
    parser.add_argument(
        "--data", type=Path, help="ingest into this data folder and keep it (default: scratch)"
    )
    parser.add_argument(
        "--search-only",
        type=Path,
        metavar="DATA",
        help="only the search mix, per query, on a data folder a run with --data left"
        " (the same --seed)",
    )
    parser.add_argument("--one-run", nargs=2, type=Path, help=argparse.SUPPRESS)  # CORPUS DATA
    args = parser.parse_args()
    if args.one_run:
        print(json.dumps(opis_ingest(*args.one_run)))
        return
    docs, repeat = (SMOKE_DOCS, 1) if args.smoke else (args.docs, args.repeat)
    if args.search_only:
        if not (args.search_only / "index").is_dir():
            parser.error(f"{args.search_only} holds no search index: make one with --data")
        from opis.cli_support import setup as _setup

        _setup(str(args.search_only))
        mix = search_mix(Vocabulary(random.Random(args.seed)))
        figures = {"machine": describe(), "search": measure(mix, repeat)}
        print(json.dumps(figures, indent=2) if args.json else report_search(figures))
        return
    with tempfile.TemporaryDirectory(prefix="opis-scale-") as scratch:
        corpus, data = Path(scratch) / "cables", args.data or Path(scratch) / "data"
        vocabulary = Vocabulary(random.Random(args.seed))
        figures = {"machine": describe(), "corpus": generate(corpus, docs, args, vocabulary)}
        figures["opis"] = _ingest_in_fresh_process(corpus, data)
        if args.ingest_only:
            print(json.dumps(figures, indent=2))
            return
        from opis.cli_support import setup as _setup

        _setup(str(data))
        figures["bare"] = bare_work(corpus, Path(scratch) / "bare-index")
        figures["overhead"] = round(figures["opis"]["seconds"] / figures["bare"]["seconds"], 2)
        figures["search"] = measure(search_mix(vocabulary), repeat)
    print(json.dumps(figures, indent=2) if args.json else report(figures))


class Vocabulary:
    """Words ranked by frequency, drawn with probability 1/rank (Zipf): function words, a stock of
    diplomatic words, then made-up words for the long tail (rare ones occur in a few cables)."""

    def __init__(self, rng: random.Random, size: int = 30_000):
        syllables = ["ka", "ro", "mi", "den", "sul", "ta", "vor", "li", "es", "pan", "gor", "zu"]
        made_up = (
            "".join(parts)
            for length in itertools.count(2)
            for parts in itertools.product(syllables, repeat=length)
        )
        words = [*FUNCTION_WORDS, *STOCK]
        words += list(itertools.islice(made_up, size - len(words)))
        self.words = words
        self.cumulative = list(itertools.accumulate(1 / rank**1.05 for rank in range(1, size + 1)))
        self.rng = rng

    def draw(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=count)


def generate(folder: Path, docs: int, args, vocabulary: Vocabulary) -> dict:
    """Write the cables; return how many, in how many files and bytes, and how long it took."""
    started = time.perf_counter()
    folder.mkdir(parents=True)
    rng = vocabulary.rng
    sent: dict[str, list[str]] = {}  # post -> numbers of its cables so far, for references
    size = 0
    for first in range(0, docs, args.rows_per_file):
        path = folder / f"cables-{first // args.rows_per_file:05d}.jsonl"
        rows = [
            cable(n, rng, vocabulary, sent, args.text_bytes)
            for n in range(first, min(docs, first + args.rows_per_file))
        ]
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
        size += path.stat().st_size
    return {
        "documents": docs,
        "files": -(-docs // args.rows_per_file),
        "mb": round(size / 1048576, 1),
        "seed": args.seed,
        "generate_seconds": round(time.perf_counter() - started, 1),
    }


def cable(n: int, rng: random.Random, vocabulary: Vocabulary, sent: dict, text_bytes: int) -> dict:
    origin, destination = rng.sample(POSTS, 2)
    day = time.gmtime(time.mktime((1945, 1, 1, 12, 0, 0, 0, 0, 0)) + rng.random() * DAYS)
    number = f"{origin.split()[-1]} {n:06d}"
    earlier = sent.setdefault(origin, [])
    refs = [rng.choice(earlier) for _ in range(min(len(earlier), rng.choice((0, 0, 1, 2))))]
    earlier.append(number)
    tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
    classification = rng.choice(CLASSIFICATIONS)
    subject = " ".join(vocabulary.draw(6)).upper()
    header = [
        classification,
        f"PRECEDENCE: {rng.choice(PRECEDENCE)}",
        f"FM AMEMBASSY {origin}",
        f"TO SECSTATE WASHDC {destination}",
        f"TAGS: {tags}",
        f"SUBJECT: {subject}",
    ]
    if refs:
        header.append("REF: " + " ".join(f"({chr(65 + i)}) {r}" for i, r in enumerate(refs)))
    paragraphs, length = [], sum(len(line) + 1 for line in header)
    while length < text_bytes:
        words = vocabulary.draw(rng.randint(30, 90))
        paragraph = f"{len(paragraphs) + 1}. {' '.join(words).capitalize()}."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    signer = rng.choice(["SMITH", "JONES", "KENNAN", "BOHLEN", "THOMPSON", "DOBRYNIN", "HARRIMAN"])
    text = "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + f"\n\n{signer}\n"
    return {
        "id": f"{time.strftime('%Y', day)}{origin.replace(' ', '')}{n:06d}",
        "title": f"{origin} {n:06d}: {subject.title()}",
        "date": time.strftime("%Y-%m-%d", day),
        "doc_type": rng.choice(TYPES),
        "summary": " ".join(vocabulary.draw(20)).capitalize() + ".",
        "text": text,
        "language": "en",
        "citation": f"Synthetic cable {number}, generated by bench/scale.py",
    }


def search_mix(vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """(query, sort) pairs: every kind of query the issue names, from the generated words."""
    w = vocabulary.words
    common, mid, rare = w[len(FUNCTION_WORDS) : len(FUNCTION_WORDS) + 6], w[600:606], w[-6:]
    queries = [(word, "relevance") for word in [*common, *mid, *rare]]
    queries += [(f'"{phrase}"', "relevance") for phrase in ("of the", "in the", "to the and")]
    queries += [(f'"{common[0]} {common[1]}"', "relevance"), (f"{common[2]} {mid[0]}", "relevance")]
    queries += [(f"{w[200][:3]}*", "relevance"), (f"{common[3][:4]}*", "relevance")]
    queries += [(f"{common[4]} OR {mid[1]}", "relevance"), (f"{rare[0]} OR {rare[1]}", "relevance")]
    queries += [(f"{common[0]} year:1962", "relevance"), ("year:1950..1953", "date")]
    queries += [(f"{mid[2]} type:memorandum", "relevance"), ("type:airgram", "-date")]
    queries += [(common[1], "date"), (common[2], "-date"), ('"of the"', "-date"), ("", "-date")]
    return queries


def measure(queries: list[tuple[str, str]], repeat: int) -> dict:
    from opis.search.index import open_index

    index = open_index()
    engines = {
        "opis search()": opis_search,
        "opis query path": opis_query_path(index),
        "bare Tantivy, opis's query": bare_compiled(index, index.searcher(), queries),
    }
    for run in engines.values():  # warm-up: every engine sees every query once, untimed
        for query in queries:
            run(*query)
    times: dict[str, list[float]] = {name: [] for name in engines}
    by_query: dict[tuple[str, str], list[float]] = {query: [] for query in queries}
    for _ in range(repeat):
        for query in queries:  # interleaved: a busy moment on the machine hits all alike
            for name, run in engines.items():
                started = time.perf_counter()
                run(*query)
                times[name].append(1000 * (time.perf_counter() - started))
            by_query[query].append(times["opis search()"][-1])
    hits = opis_search('"of the"', "relevance").total
    medians = sorted(
        ((f"{query} ({sort})", round(sorted(ms)[len(ms) // 2], 1)) for (query, sort), ms in
         by_query.items()),
        key=lambda item: -item[1],
    )  # fmt: skip
    return {
        "queries": len(queries),
        "repeat": repeat,
        "of_the_hits": hits,
        **{name: _percentiles(samples) for name, samples in times.items()},
        "slowest search() (median ms)": [list(item) for item in medians[:5]],
        "search() by query (median ms)": [list(item) for item in medians],
    }


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        **{f"p{p}_ms": round(_percentile(ordered, p), 2) for p in (50, 95, 99)},
        "max_ms": round(ordered[-1], 2),
    }


def _ingest_in_fresh_process(corpus: Path, data: Path) -> dict:
    command = [sys.executable, "-W", "ignore", __file__, "--one-run", str(corpus), str(data)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"bench: the opis ingest run failed:\n{done.stderr or done.stdout}")
    return json.loads(done.stdout)


def opis_ingest(corpus: Path, data: Path) -> dict:
    from opis.cli_support import setup as _setup

    _setup(str(data))
    from django.conf import settings

    from opis.ingest import ingest_paths

    load_before = os.getloadavg()[0]
    sampler = _MemorySampler()
    sampler.start()
    started = time.perf_counter()
    by_transaction: list[tuple[int, int]] = []  # (documents written, anonymous MB) after each

    def committed(ids: list[str]) -> None:
        done = (by_transaction[-1][0] if by_transaction else 0) + len(ids)
        by_transaction.append((done, round(_status()["RssAnon"] / 1024)))

    report = ingest_paths([corpus], committed=committed)
    seconds = time.perf_counter() - started
    sampler.stop.set()
    if report.failed or report.skipped:
        sys.exit(f"bench: {len(report.failed)} failed, {len(report.skipped)} skipped: "
                 f"{(report.failed or report.skipped)[0]}")  # fmt: skip
    documents = report.count("ingested")
    database = settings.DATABASES["default"]
    catalogue = Path(database["NAME"]) if database["ENGINE"].endswith("sqlite3") else None
    return {
        "documents": documents,
        "seconds": round(seconds, 2),
        "docs_per_s": round(documents / seconds),
        "catalogue_mb": _mb_of(catalogue.parent.glob(catalogue.name + "*")) if catalogue else None,
        "index_mb": _mb_of(Path(settings.SEARCH_INDEX_DIR).rglob("*")),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "peak_anonymous_mb": round(sampler.peak["RssAnon"] / 1024),
        "peak_file_backed_mb": round(sampler.peak["RssFile"] / 1024),
        "load_average_before": round(load_before, 2),
        "anonymous_mb_after_transactions": by_transaction[:: max(1, len(by_transaction) // 12)],
    }


class _MemorySampler(threading.Thread):
    """Peak anonymous and file-backed resident memory of this process, sampled every 0.2 s.

    ``ru_maxrss`` counts the index's memory-mapped segment files as they are read (merges read
    them all), which the kernel can drop at any time; the anonymous part is what the run holds."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.peak = {"RssAnon": 0, "RssFile": 0}

    def run(self) -> None:
        while not self.stop.wait(0.2):
            for name, value in _status().items():
                if name in self.peak:
                    self.peak[name] = max(self.peak[name], value)


def _status() -> dict[str, int]:
    """This process's memory lines of /proc/self/status, in KB (RssAnon, RssFile …)."""
    lines = (line.partition(":") for line in Path("/proc/self/status").read_text().splitlines())
    return {name: int(value.split()[0]) for name, _, value in lines if value.endswith(" kB")}


def _mb_of(paths) -> float:
    return round(sum(p.stat().st_size for p in paths if p.is_file()) / 1048576, 1)


def bare_work(corpus: Path, index_dir: Path) -> dict:
    """Read + sha256 + JSON parse of every row, then Tantivy alone on the same titles and texts."""
    import tantivy

    from opis.search.index import open_index
    from opis.search.indexer import WRITER_HEAP, WRITER_THREADS

    started = time.perf_counter()
    rows = []
    for path in sorted(corpus.glob("*.jsonl")):
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        rows += [json.loads(line) for line in data.decode("utf-8").splitlines() if line]
    read_seconds = time.perf_counter() - started
    index = open_index(index_dir)
    started = time.perf_counter()
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
    for row in rows:
        writer.add_document(tantivy.Document(id=row["id"], title=row["title"], body=row["text"]))
    writer.commit()
    writer.wait_merging_threads()
    index_seconds = time.perf_counter() - started
    total = read_seconds + index_seconds
    return {
        "documents": len(rows),
        "read_parse_seconds": round(read_seconds, 2),
        "index_seconds": round(index_seconds, 2),
        "seconds": round(total, 2),
        "docs_per_s": round(len(rows) / total),
    }


def report(figures: dict) -> str:
    m, c, o, b, s = (figures[k] for k in ("machine", "corpus", "opis", "bare", "search"))
    lines = [
        _machine_line(m),
        f"corpus: {c['documents']:,} synthetic cables in {c['files']} JSON Lines files,"
        f" {c['mb']} MB (seed {c['seed']}, generated in {c['generate_seconds']} s)",
        "",
        f"opis ingest            {o['seconds']:>8.2f} s {o['docs_per_s']:>7,} docs/s"
        f"   ({o['documents']:,} documents)",
        f"bare read+parse+index  {b['seconds']:>8.2f} s {b['docs_per_s']:>7,} docs/s"
        f"   (read+parse {b['read_parse_seconds']} s, Tantivy {b['index_seconds']} s)",
        f"opis takes {figures['overhead']:.2f}x the bare work's time",
        f"catalogue {o['catalogue_mb'] or '(PostgreSQL)'} MB, index {o['index_mb']} MB;"
        f" peak RSS {o['peak_rss_mb']}"
        f" MB (ingest process: {o['peak_anonymous_mb']} MB anonymous, {o['peak_file_backed_mb']}"
        f" MB mapped files), {o['worker_peak_rss_mb']} MB (largest read worker)",
        "",
    ]
    return "\n".join([*lines, *_search_lines(s)])


def report_search(figures: dict) -> str:
    """What ``--search-only`` prints: the machine, the mix's figures and every query's median."""
    m, s = figures["machine"], figures["search"]
    lines = [
        _machine_line(m),
        *_search_lines(s),
        "search() by query, median ms:",
    ]
    lines += [f"  {ms:>7.1f}  {query}" for query, ms in s["search() by query (median ms)"]]
    return "\n".join(lines)


def _machine_line(m: dict) -> str:
    return (
        f"machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, tantivy {m['tantivy']};"
        f" load average {m['load_average']}; {m['date']}"
    )


def _search_lines(s: dict) -> list[str]:
    lines = [
        f"search: {s['queries']} queries x {s['repeat']} pass(es)"
        f" ('\"of the\"' finds {s['of_the_hits']:,})      p50     p95     p99     max (ms)",
    ]
    for name in ("opis search()", "opis query path", "bare Tantivy, opis's query"):
        t = s[name]
        lines.append(
            f"  {name:<28}{t['p50_ms']:>8.2f}{t['p95_ms']:>8.2f}{t['p99_ms']:>8.2f}"
            f"{t['max_ms']:>8.2f}"
        )
    slowest = s["slowest search() (median ms)"]
    lines.append("slowest search(): " + "; ".join(f"{q} {ms} ms" for q, ms in slowest))
    return lines


if __name__ == "__main__":
    main()
