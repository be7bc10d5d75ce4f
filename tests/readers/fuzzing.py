"""Seeded mutation of real files, and the one rule every reader must keep on what comes out.

``mutated(seed, number)`` is a pure function of its arguments: failure number 317 of a format is
rebuilt exactly by calling it again. ``read_one(path)`` is what ingest does with a file (find the
reader, read, validate each draft) and sorts the outcome: drafts, a ReaderError, or anything else,
which is a bug.

Limits are enforced where ingest would feel them: each batch of files is read in a forked child
whose address space is capped at its size on arrival plus 512 MiB (``RLIMIT_AS``: lxml's and
Python's allocations alike fail past it, as MemoryError, which counts as a crash), and every file
has an interval timer of 5 s (a file past it raises TimeoutError, also a crash). Each file's time
is measured too, so the test can report the slowest.
"""

import random
import resource
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

MEMORY_LIMIT = 512 * 2**20
TIME_LIMIT = 5.0
RETRY = 0.5
PER_TASK = 250  # files per forked child: a batch, its memory limit and its timer
ENCODINGS = ("latin-1", "utf-16-le", "utf-16-be", "cp1251")
STRAY_HTML = (
    b"<script>alert(1)</script>",
    b"<div><p>unclosed <b>bold",
    b"&nbsp;&#0;&#xD800;&#x110000;&unknown;",
    b"<!DOCTYPE html><html><body>",
    b"<![CDATA[ ]]> <!-- comment",
    b"</div></body></TEI>",
)


def call(function: Callable, task):
    """One batch in a pool child: ``pool.starmap(call, [(batch_function, task), …])``."""
    return function(task)


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def _flip_bits(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _insert_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 64)) + data[at:]


def _delete_span(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[at + rng.randint(1, 2000) :]


def _duplicate_span(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    span = data[at : at + rng.randint(1, 500)]
    return data[:at] + span * rng.randint(2, 50) + data[at:]


def _wrong_encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    return text.encode(rng.choice(ENCODINGS), errors="replace")


def _deep_nesting(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((300, 5_000, 100_000))
    opening, closing = rng.choice(((b"<hi>", b"</hi>"), (b"<div>", b"</div>"), (b"> ", b"")))
    at = rng.randrange(len(data) + 1)
    tail = closing * depth if rng.random() < 0.5 else b""
    return data[:at] + opening * depth + tail + data[at:]


def _huge_line(data: bytes, rng: random.Random) -> bytes:
    line = rng.choice((b"x", b"word ", b"\xd0\x96", b",")) * rng.choice((100_000, 2_000_000))
    at = rng.randrange(len(data) + 1)
    return data[:at] + line + data[at:]


def _nuls(data: bytes, rng: random.Random) -> bytes:
    out = data
    for _ in range(rng.randint(1, 20)):
        at = rng.randrange(len(out) + 1)
        out = out[:at] + b"\x00" * rng.randint(1, 8) + out[at:]
    return out


def _stray_html(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(STRAY_HTML) + data[at:]


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "truncate": _truncate,
    "flip-bits": _flip_bits,
    "insert-bytes": _insert_bytes,
    "delete-span": _delete_span,
    "duplicate-span": _duplicate_span,
    "wrong-encoding": _wrong_encoding,
    "deep-nesting": _deep_nesting,
    "huge-line": _huge_line,
    "nuls": _nuls,
    "stray-html": _stray_html,
}


def mutated(seed: bytes, number: int, mutations: dict | None = None) -> tuple[bytes, list[str]]:
    """The ``number``-th mutant of ``seed`` (one to three of ``mutations``, by default the
    generic ``MUTATIONS``) and the mutations' names."""
    mutations = mutations or MUTATIONS
    rng = random.Random(number)
    names = rng.sample(sorted(mutations), rng.choice((1, 1, 2, 3)))
    data = seed
    for name in names:
        data = mutations[name](data, rng)
    return data, names


def read_one(path: Path) -> str:
    """Ingest's view of one file: "drafts", "refused" (a ReaderError) or raise anything else."""
    from opis.errors import ReaderError
    from opis.ingest.validate import validate
    from opis.readers import reader_for
    from opis.readers.source import SourceFile

    try:
        source = SourceFile(path)
        drafts = list(reader_for(source).read(source))
        for draft in drafts:
            validate(draft)
    except ReaderError:
        return "refused"
    return "drafts" if drafts else "empty"


def _on_alarm(signum, frame):
    raise TimeoutError(f"over {TIME_LIMIT} s")


def fuzz_batch(task: tuple[str, Path, str, int, int]) -> dict:
    """Read mutants ``start``..``start+count`` of a seed file, each through ``read_one``."""
    fmt, seed_path, name, start, count = task
    seed = seed_path.read_bytes()
    assert read_one(seed_path) == "drafts"  # the seed reads; and the readers' imports are paid

    def build(number: int, work: Path) -> list[str]:
        data, mutations = mutated(seed, number)
        (work / name).write_bytes(data)
        return mutations

    return run_batch(fmt, start, count, build, lambda work: read_one(work / name))


def run_batch(
    fmt: str,
    start: int,
    count: int,
    build: Callable[[int, Path], list[str]],
    check: Callable[[Path], str],
) -> dict:
    """Cases ``start``..``start+count`` of a format in this (forked) process, under the memory cap
    and the per-file timer: ``build(number, folder)`` writes case ``number`` into an empty folder
    of its own and names its mutations (untimed: the harness's work), ``check(folder)`` is what
    ingest does with it (timed) and says its outcome. Return the outcomes, the slowest time and
    every crash (anything ``check`` raises)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + MEMORY_LIMIT, hard))
    signal.signal(signal.SIGALRM, _on_alarm)
    root = Path(tempfile.mkdtemp(prefix=f"opis-fuzz-{fmt}-{start}-"))  # its parent is private too
    outcomes: dict[str, int] = {}
    crashes, slowest = [], 0.0
    for number in range(start, start + count):
        work = root / f"case-{number}"  # a folder per case: no cache keyed by path sees a stale one
        work.mkdir()
        mutations = build(number, work)
        started = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT, RETRY)  # again every RETRY s: a library
        try:  # that swallows one TimeoutError in a broad except does not hide a slow file
            try:
                outcome = check(work)
            finally:  # the timer may fire even here, just before it is stopped: caught below
                signal.setitimer(signal.ITIMER_REAL, 0)
        except BaseException as exc:  # noqa: BLE001 - anything but ReaderError is the finding
            outcome = "crash"
            crashes.append(
                {
                    "format": fmt,
                    "number": number,
                    "mutations": mutations,
                    "error": f"{type(exc).__name__}: {str(exc)[:200]}",
                    "where": traceback.format_exc(limit=-3)[-1200:],
                }
            )
        slowest = max(slowest, time.perf_counter() - started)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    return {"format": fmt, "outcomes": outcomes, "crashes": crashes, "slowest": slowest}


def merged(batches: list[dict]) -> dict[str, dict]:
    """The batches' results added up per format."""
    results: dict[str, dict] = {}
    for batch in batches:
        result = results.setdefault(batch["format"], {"outcomes": {}, "crashes": [], "slowest": 0})
        for outcome, count in batch["outcomes"].items():
            result["outcomes"][outcome] = result["outcomes"].get(outcome, 0) + count
        result["crashes"] += batch["crashes"]
        result["slowest"] = max(result["slowest"], batch["slowest"])
    return results


def crash_report(result: dict) -> str:
    """The first crashes of a format, each with its number (``mutated`` rebuilds it)."""
    return (
        "\n\n".join(
            f"{c['format']} #{c['number']} {c['mutations']}: {c['error']}\n{c['where']}"
            for c in result["crashes"][:3]
        )
        + f"\n({len(result['crashes'])} crashes in all)"
    )


def _address_space() -> int:
    """This process's virtual size now (the cap is relative to it: Python, Django and lxml are
    already mapped)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")
