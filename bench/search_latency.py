"""Search latency: opis's search() beside bare Tantivy and SQLite FTS5, on the same documents.

Runs the fixed queries of bench/queries.txt (words common and rare, phrases, OR, exclusion,
prefix*, type:, year:, date:a..b, archive:, collection:, date sorts) on a data directory holding
the seed and the whole DFAT corpus (built in a temporary folder when --data is not given), and
prints p50/p95/p99 in milliseconds for:

- opis search(): parse, compile, top 10, stored fields, snippets and facets, as the reading room;
- opis's query path alone: parse, compile and the top-10 search, no snippets or facets;
- bare Tantivy on the queries opis compiled (compiled beforehand): the engine's own time;
- bare Tantivy on the same strings through Tantivy's parse_query (what it cannot parse is skipped);
- SQLite FTS5 over title + body of the same documents, MATCH ... ORDER BY rank LIMIT 10 (queries
  FTS5 syntax cannot say, such as field filters and date sorts, are skipped).

Every engine sees every query once untimed (warm-up), then --repeat timed passes, interleaved query
by query so that a busy moment on the machine hits all engines alike.

    python bench/search_latency.py                  # builds seed + DFAT in a temp folder first
    python bench/search_latency.py --data opis-data --repeat 5 --json
"""

import argparse
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from machine import describe

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPORA = [SHARED / "seed", SHARED / "corpora" / "dfat"]
QUERIES = Path(__file__).with_name("queries.txt")
TARGET_P95_MS = 20.0
TARGET_OVERHEAD = 1.5
PER_PAGE = 10
_SORTED = re.compile(r"^\[sort=(?P<sort>-?date)\]\s*(?P<query>.*)$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="an opis data directory with seed + DFAT")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="opis-bench-") as scratch:
        data = args.data or Path(scratch) / "data"
        built = setup(data, build=args.data is None)
        figures = measure(queries, Path(scratch), args.repeat)
    figures["data"] = {"directory": str(data), **built}
    print(json.dumps(figures, indent=2) if args.json else report(figures))


def load_queries(path: Path) -> list[tuple[str, str]]:
    """(query, sort) pairs; a line may start with [sort=date] or [sort=-date]."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _SORTED.match(line.strip())
        queries.append((match["query"], match["sort"]) if match else (line.strip(), "relevance"))
    return queries


def setup(data: Path, build: bool) -> dict:
    from opis.cli_support import setup as _setup

    _setup(str(data))
    from opis.records.models import Document
    from opis.search.indexer import apply_pending

    built = {}
    if build:
        from opis.ingest import ingest_paths

        missing = [str(p) for p in CORPORA if not p.exists()]
        if missing:
            sys.exit(
                f"bench: {', '.join(missing)} not here; pass --data DIR of an ingested archive"
            )
        started = time.perf_counter()
        report = ingest_paths(CORPORA)
        built["ingest_seconds"] = round(time.perf_counter() - started, 1)
        built["failed"] = len(report.failed)
    apply_pending()
    built["documents"] = Document.objects.count()
    return built


def measure(queries: list[tuple[str, str]], scratch: Path, repeat: int) -> dict:
    from opis.search.index import open_index

    index = open_index()
    searcher = index.searcher()
    fts = build_fts5(scratch / "fts5.sqlite3")
    engines = {
        "opis search()": opis_search,
        "opis query path": opis_query_path(index),
        "bare Tantivy, opis's query": bare_compiled(index, searcher, queries),
        "bare Tantivy, parse_query": bare_parsed(index, searcher),
        "SQLite FTS5": fts5_search(fts["connection"]),
    }
    runnable = {name: {q for q in queries if run(*q) is not SKIP} for name, run in engines.items()}
    times: dict[str, dict[tuple[str, str], list[float]]] = {name: {} for name in engines}
    for _ in range(repeat):
        for query in queries:
            for name, run in engines.items():
                if query in runnable[name]:
                    started = time.perf_counter()
                    run(*query)
                    times[name].setdefault(query, []).append(time.perf_counter() - started)
    results = {name: stats(times[name], len(runnable[name])) for name in engines}
    slowest = {
        name: [
            {"query": _written(*q), "median_ms": round(1000 * _median(t), 2)}
            for q, t in sorted(times[name].items(), key=lambda item: -_median(item[1]))[:5]
        ]
        for name in ("opis search()", "opis query path")
    }
    return {
        "queries": len(queries),
        "repeat": repeat,
        "machine": describe(),
        "fts5_build_seconds": fts["seconds"],
        "engines": results,
        "ratios": ratios(times),
        "slowest": slowest,
    }


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _written(query: str, sort: str) -> str:
    return query if sort == "relevance" else f"[sort={sort}] {query}"


SKIP = object()


def opis_search(query: str, sort: str):
    from opis.search import search

    return search(query, sort=sort, per_page=PER_PAGE)


def opis_query_path(index) -> Callable:
    """What search() does before hits are read: parse, compile, count and rank the top 10."""
    from opis.search.compile import Compiler
    from opis.search.query import parse

    def run(query: str, sort: str):
        parsed = parse(query)
        compiled = Compiler(index.schema, parsed.messages).compile(parsed.node)
        return _top(index.searcher(), compiled, _sort(parsed.node, sort))

    return run


def bare_compiled(index, searcher, queries: list[tuple[str, str]]) -> Callable:
    from opis.search.compile import Compiler
    from opis.search.query import parse

    compiled = {}
    for query, sort in queries:
        parsed = parse(query)
        compiled[query, sort] = (
            Compiler(index.schema, []).compile(parsed.node),
            _sort(parsed.node, sort),
        )

    def run(query: str, sort: str):
        tantivy_query, order = compiled[query, sort]
        return _top(searcher, tantivy_query, order)

    return run


def bare_parsed(index, searcher) -> Callable:
    from opis.search.index import TEXT_FIELDS

    def run(query: str, sort: str):
        try:
            parsed = index.parse_query(
                query, list(TEXT_FIELDS), field_boosts=TEXT_FIELDS, conjunction_by_default=True
            )
        except ValueError:
            return SKIP
        return _top(searcher, parsed, sort)

    return run


def _sort(node, sort: str) -> str:
    return "-date" if node is None and sort == "relevance" else sort


def _top(searcher, query, sort: str):
    import tantivy

    if sort == "relevance":
        return searcher.search(query, PER_PAGE, count=True)
    order = tantivy.Order.Asc if sort == "date" else tantivy.Order.Desc
    return searcher.search(query, PER_PAGE, count=True, order_by_field="date_start", order=order)


def build_fts5(path: Path) -> dict:
    """An FTS5 table over title + body of every catalogued document (porter stemming, title x3)."""
    from opis.records.models import Text

    started = time.perf_counter()
    bodies: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    rows = Text.objects.order_by("document_id", "position")
    for doc_id, title, body in rows.values_list("document_id", "document__title", "body"):
        titles[doc_id] = title
        bodies.setdefault(doc_id, []).append(body)
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE VIRTUAL TABLE doc USING fts5(id UNINDEXED, title, body,"
        " tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO doc(doc, rank) VALUES ('rank', 'bm25(0.0, 3.0, 1.0)')")
    connection.executemany(
        "INSERT INTO doc (id, title, body) VALUES (?, ?, ?)",
        ((i, titles[i], "\n\n".join(b)) for i, b in bodies.items()),
    )
    connection.commit()
    return {"connection": connection, "seconds": round(time.perf_counter() - started, 1)}


def fts5_search(connection: sqlite3.Connection) -> Callable:
    sql = "SELECT id FROM doc WHERE doc MATCH ? ORDER BY rank LIMIT ?"

    def run(query: str, sort: str):
        match = to_fts5(query) if sort == "relevance" else None
        if not match:
            return SKIP
        try:
            return connection.execute(sql, (match, PER_PAGE)).fetchall()
        except sqlite3.OperationalError:
            return SKIP

    return run


_TOKEN = re.compile(r'-?"[^"]*"\*?|[()]|-?[^\s()"]+')


def to_fts5(query: str) -> str | None:
    """The query in FTS5 syntax, or None when FTS5 cannot say it (filters other than title:)."""
    out = []
    for token in _TOKEN.findall(query):
        negated = token.startswith("-")
        token = token.removeprefix("-")
        column = ""
        if token in ("(", ")", "OR", "AND", "NOT"):
            out.append(token)
            continue
        if ":" in token:
            field, _, token = token.partition(":")
            if field != "title" or not token:
                return None
            column = "title : "
        if token.startswith('"'):
            term = token
        else:
            term = (
                '"'
                + token.rstrip("*").replace('"', "")
                + '"'
                + ("*" if token.endswith("*") else "")
            )
        out.append(("NOT " if negated else "") + column + term)
    return " ".join(out) or None


def stats(times: dict[tuple[str, str], list[float]], runnable: int) -> dict:
    samples = sorted(t * 1000 for per_query in times.values() for t in per_query)
    if not samples:
        return {"queries": 0}
    return {
        "queries": runnable,
        "samples": len(samples),
        "p50_ms": round(_percentile(samples, 50), 2),
        "p95_ms": round(_percentile(samples, 95), 2),
        "p99_ms": round(_percentile(samples, 99), 2),
        "mean_ms": round(sum(samples) / len(samples), 2),
    }


def _percentile(ordered: list[float], p: float) -> float:
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ratios(times: dict) -> dict:
    """opis against bare Tantivy on the same queries (those both could run), by percentile."""
    out = {}
    for bare in ("bare Tantivy, opis's query", "bare Tantivy, parse_query"):
        for opis in ("opis search()", "opis query path"):
            common = set(times[opis]) & set(times[bare])
            a = stats({q: times[opis][q] for q in common}, len(common))
            b = stats({q: times[bare][q] for q in common}, len(common))
            out[f"{opis} / {bare}"] = {
                "queries": len(common),
                "p50": round(a["p50_ms"] / b["p50_ms"], 1),
                "p95": round(a["p95_ms"] / b["p95_ms"], 1),
            }
    return out


def report(figures: dict) -> str:
    m = figures["machine"]
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores; SQLite {m['sqlite']}, tantivy {m['tantivy']};"
        f" load average {m['load_average']}; {m['date']}",
        f"data: {figures['data']['documents']} documents"
        + (
            f" (ingested in {figures['data']['ingest_seconds']} s)"
            if "ingest_seconds" in figures["data"]
            else ""
        )
        + f"; {figures['queries']} queries,"
        f" {figures['repeat']} timed passes after one warm-up; top {PER_PAGE}",
        "",
        f"{'engine':<28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8}",
    ]
    for name, s in figures["engines"].items():
        lines.append(
            f"{name:<28} {s['queries']:>7} {s['p50_ms']:>8.2f} {s['p95_ms']:>8.2f}"
            f" {s['p99_ms']:>8.2f} {s['mean_ms']:>8.2f}"
        )
    lines.append("")
    for name, r in figures["ratios"].items():
        lines.append(f"{name}: {r['p50']}x at p50, {r['p95']}x at p95 ({r['queries']} queries)")
    for name, queries in figures["slowest"].items():
        lines.append(f"\nslowest for {name} (median ms):")
        lines += [f"  {q['median_ms']:>7.2f}  {q['query']}" for q in queries]
    p95 = figures["engines"]["opis search()"]["p95_ms"]
    overhead = figures["ratios"]["opis search() / bare Tantivy, opis's query"]["p95"]
    lines += [
        "",
        f"target p95 <= {TARGET_P95_MS:.0f} ms: {'met' if p95 <= TARGET_P95_MS else 'MISSED'}"
        f" ({p95:.1f} ms)",
        f"target opis <= {TARGET_OVERHEAD}x bare Tantivy:"
        f" {'met' if overhead <= TARGET_OVERHEAD else 'MISSED'} ({overhead}x at p95)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
