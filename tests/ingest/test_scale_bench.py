"""bench/scale.py, run small: its cables are the same for the same seed, and its figures are sane.

The bench is how docs/benchmarks.md's "Scale" figures are made; this keeps it runnable in CI
(2,000 cables, one search pass) and checks that what it prints adds up, not how fast it is.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "scale.py"


def _bench_module():
    spec = importlib.util.spec_from_file_location("scale_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generated(module, folder: Path, seed: int) -> dict[str, bytes]:
    args = type("Args", (), {"rows_per_file": 20, "text_bytes": 800, "seed": seed})
    vocabulary = module.Vocabulary(module.random.Random(seed))
    module.generate(folder, 50, args, vocabulary)
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_generated_cables_depend_on_the_seed_alone(tmp_path):
    module = _bench_module()
    first = _generated(module, tmp_path / "a", 7)
    assert list(first) == ["cables-00000.jsonl", "cables-00001.jsonl", "cables-00002.jsonl"]
    assert first == _generated(module, tmp_path / "b", 7)
    assert first != _generated(module, tmp_path / "c", 8)
    rows = [json.loads(line) for line in first["cables-00000.jsonl"].decode().splitlines()]
    assert len(rows) == 20 and len({row["id"] for row in rows}) == 20
    row = rows[-1]
    assert {"id", "title", "date", "doc_type", "text"} <= set(row)
    assert "1945-01-01" <= row["date"] <= "1991-12-31"
    assert "TAGS: " in row["text"] and "FM AMEMBASSY " in row["text"]
    assert any("REF: " in r["text"] for r in rows), "later cables refer to earlier ones"


def test_the_smoke_run_ingests_every_cable_and_times_every_engine(tmp_path):
    env = {**os.environ, "OPIS_DATABASE_URL": "", "PYTHONWARNINGS": "ignore"}
    data = tmp_path / "kept"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--smoke", "--json", "--data", str(data)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)
    docs = figures["corpus"]["documents"]
    assert docs == 2000 and figures["opis"]["documents"] == docs
    assert figures["bare"]["documents"] == docs
    assert figures["opis"]["docs_per_s"] > 0 and figures["bare"]["docs_per_s"] > 0
    assert figures["opis"]["catalogue_mb"] > 0 and figures["opis"]["index_mb"] > 0
    assert figures["opis"]["peak_rss_mb"] > 0
    search = figures["search"]
    assert 0 < search["of_the_hits"] <= docs, "a common-word phrase is found, within the corpus"
    for engine in ("opis search()", "opis query path", "bare Tantivy, opis's query"):
        t = search[engine]
        assert 0 <= t["p50_ms"] <= t["p95_ms"] <= t["p99_ms"] <= t["max_ms"]

    again = subprocess.run(
        [sys.executable, str(BENCH), "--search-only", str(data), "--repeat", "1", "--json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr[-2000:]
    kept = json.loads(again.stdout)["search"]
    assert kept["of_the_hits"] == search["of_the_hits"], "the folder the first run kept"
    by_query = dict(kept["search() by query (median ms)"])
    assert len(by_query) == kept["queries"] == search["queries"]
    assert '"of the" (relevance)' in by_query and " (-date)" in by_query

    empty = subprocess.run(
        [sys.executable, str(BENCH), "--search-only", str(tmp_path / "nothing")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    assert empty.returncode == 2 and "holds no search index" in empty.stderr
