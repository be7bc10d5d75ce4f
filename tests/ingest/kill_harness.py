"""The SIGKILL harness behind ``test_crash_safety.py``: ingest, kill, check, again and again.

Run as a script (``python kill_harness.py CONFIG.json``); it prints one JSON summary on stdout.

One process imports Django and opis once and then never touches the catalogue or the index
itself: every ``opis ingest`` is a forked child running the real command line (``opis.cli.main``),
killed with SIGKILL at a random moment; every check is another forked child that opens the data
directory afresh, as the next ``opis`` command would. Forking instead of starting ``opis`` anew
saves the ~1.5 s start-up of Django per cycle, which is what lets 50+ kills fit in CI.

The moment of each kill is drawn from a seeded RNG, by one of four strategies (any moment of the
run; just after the k-th acknowledged batch; just after the last batch, when the index commits;
while thread links are recomputed), and the phase the child was in is recorded, so the test can
insist that every phase was hit.
"""

import json
import os
import random
import shutil
import signal
import sys
import time
import traceback
from dataclasses import asdict
from pathlib import Path

STRATEGIES = ("anytime", "after-batch", "after-batch", "index-commit", "linking")  # weighted


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text())
    work = Path(config["work"])
    os.environ["OPIS_DATA"] = str(work / "data")
    os.environ["OPIS_INGEST_BATCH"] = str(config["batch"])
    os.environ["DJANGO_SETTINGS_MODULE"] = "opis.settings"
    import django

    django.setup()
    from opis.cli import main as opis_main  # noqa: F401 - loaded before any fork
    from opis.ingest import ingest_paths  # noqa: F401
    from opis.search import search  # noqa: F401

    harness = Harness(config, work)
    print(json.dumps(harness.run(), ensure_ascii=False))


class Harness:
    def __init__(self, config: dict, work: Path):
        self.config = config
        self.work = work
        self.data = work / "data"
        self.paths = [Path(p) for p in config["paths"]]
        self.rng = random.Random(config["seed"])
        self.expected = expected_records(self.paths)
        self.batches = -(-len(self.paths) // config["batch"])

    def run(self) -> dict:
        """Kill until ``kills`` kills; each time a run goes to the end, compare with a clean
        ingest and start again from an empty archive (the first time from nothing at all, so
        that kills also cut the migrations)."""
        self.template = self.work / "template"
        self.prepare_template()
        clean = self.clean_ingest()
        cycles, resumed, epoch, kills = [], [], 0, 0
        self.wipe(template=False)
        while kills < self.config["kills"]:
            cycle = self.kill_cycle(epoch, keep=kills + 1 == self.config["kills"])
            cycles.append(cycle)
            kills += cycle["killed"]
            if not cycle["killed"]:  # this run went to the end
                resumed.append({"epoch": epoch, "diff": diff(clean, self.dump())})
                epoch += 1
                self.wipe()
        last = self.ingest(kill=None)  # resume the last epoch to the end
        resumed.append({"epoch": epoch, "exit": last["exit"], "diff": diff(clean, self.dump())})
        return {
            "seed": self.config["seed"],
            "clean": {"documents": len(clean["records"]), "thread_links": len(clean["threads"])},
            "timing": self.timing,
            "cycles": cycles,
            "resumed": resumed,
        }

    def prepare_template(self) -> None:
        """An empty, migrated archive to start each epoch from (migrating takes longer than
        ingesting the test's files)."""
        shutil.rmtree(self.data, ignore_errors=True)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                from opis.cli_support import setup as _setup

                _setup(None)
                code = 0
            finally:
                os._exit(code)
        os.waitpid(pid, 0)
        shutil.rmtree(self.template, ignore_errors=True)
        shutil.copytree(self.data, self.template)

    def clean_ingest(self) -> dict:
        self.wipe()
        started = time.perf_counter()
        run = self.ingest(kill=None, watch=True)
        self.timing = {
            "total": time.perf_counter() - started,
            "last_ack": run["last_ack"],
            "linking": run["linking"],
        }
        assert run["exit"] == 0, f"the clean ingest failed: {run}"
        dump = self.dump()
        assert not self.check()["problems"], "the clean ingest itself does not pass the checks"
        return dump

    def wipe(self, template: bool = True) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        (self.work / "acks.jsonl").unlink(missing_ok=True)
        if template:
            shutil.copytree(self.template, self.data)

    def kill_cycle(self, epoch: int, keep: bool) -> dict:
        strategy = self.rng.choice(STRATEGIES)
        force = self.rng.random() < 0.2  # replace existing records: a kill mid-replacement
        run = self.ingest(kill=strategy, force=force)
        if keep and run["killed"]:
            self.keep_last_kill()
        cycle = {"epoch": epoch, "strategy": strategy, "force": force, **run}
        cycle.update(self.check())
        return cycle

    def ingest(self, kill: str | None, force: bool = False, watch: bool = False) -> dict:
        """Fork ``opis ingest``; kill it by the strategy; report the phase it was killed in."""
        acks, err = self.work / "acks.jsonl", self.work / "ingest.err"
        before = _lines(acks)
        err.unlink(missing_ok=True)
        args = ["ingest", *map(str, self.paths), "--ack-log", str(acks)]
        started = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            _child(args + (["--force"] if force else []), err)
        deadline = self._kill_moment(kill, started)
        seen = {"last_ack": None, "linking": None}
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            now = time.perf_counter()
            if seen["last_ack"] is None and _lines(acks) - before >= self.batches:
                seen["last_ack"] = now - started
            if seen["linking"] is None and b"linking" in _read(err):
                seen["linking"] = now - started
            if deadline is not None and deadline(now, _lines(acks) - before, seen):
                phase = _phase(_lines(acks) - before, self.batches, b"linking" in _read(err))
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                break
            time.sleep(0.001)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        return {
            "killed": killed,
            "phase": phase if killed else "finished",
            "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1,
            "at": round(time.perf_counter() - started, 3),
            "stderr": _read(err).decode(errors="replace")[-2000:] if status and not killed else "",
            **({k: v for k, v in seen.items()} if watch else {}),
        }

    def _kill_moment(self, strategy: str | None, started: float):
        """A predicate (now, batches acknowledged, seen) -> kill now?, drawn from the RNG."""
        if strategy is None:
            return None
        timing, rng = self.timing, self.rng
        if strategy == "anytime":
            at = started + rng.uniform(0.0, timing["total"] * 1.05)
            return lambda now, acked, seen: now >= at
        if strategy == "after-batch":
            k, jitter = rng.randint(1, max(self.batches - 1, 1)), rng.uniform(0.0, 0.03)
            marks: dict = {}
            return lambda now, acked, seen: acked >= k and _after(marks, now, jitter)
        if strategy == "index-commit":
            span = (timing["linking"] or timing["total"]) - timing["last_ack"]
            jitter, marks = rng.uniform(0.0, max(span, 0.005)), {}
            return lambda now, acked, seen: acked >= self.batches and _after(marks, now, jitter)
        span = timing["total"] - (timing["linking"] or timing["total"])
        jitter, marks = rng.uniform(0.0, max(span * 0.9, 0.005)), {}
        return lambda now, acked, seen: seen["linking"] is not None and _after(marks, now, jitter)

    def check(self) -> dict:
        """Fork the checker: it recovers the archive as the next command would and reports."""
        out = self.work / "check.json"
        out.unlink(missing_ok=True)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                from crash_checks import check_archive

                result = check_archive(self.expected, _acknowledged(self.work / "acks.jsonl"))
                out.write_text(json.dumps(result, ensure_ascii=False))
                code = 0
            except Exception:  # noqa: BLE001 - the checker's own failure is a finding too
                out.write_text(json.dumps({"problems": [traceback.format_exc()]}))
            finally:
                os._exit(code)
        os.waitpid(pid, 0)
        if not out.exists():
            return {"problems": ["the checker died"]}
        return json.loads(out.read_text())

    def dump(self) -> dict:
        out = self.work / "dump.json"
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                from crash_checks import dump_archive

                out.write_text(json.dumps(dump_archive(), ensure_ascii=False))
                code = 0
            finally:
                os._exit(code)
        os.waitpid(pid, 0)
        return json.loads(out.read_text())

    def keep_last_kill(self) -> None:
        """The test replays recovery on this copy through the real ``opis search`` command."""
        kept = self.work / "last-kill"
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(self.data, kept / "data")
        # a run killed before its first batch committed never opened its acknowledgement log
        (kept / "acks.jsonl").write_bytes(_read(self.work / "acks.jsonl"))


def _child(args: list[str], err: Path) -> None:
    """The forked ``opis ingest``: the real command line, its output to files."""
    code = 70
    try:
        fd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        from opis.cli import main as opis_main

        opis_main(args, prog_name="opis", standalone_mode=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os._exit(code)


def _after(marks: dict, now: float, jitter: float) -> bool:
    marks.setdefault("from", now)
    return now - marks["from"] >= jitter


def _phase(acked: int, batches: int, linking: bool) -> str:
    if linking:
        return "linking"
    if acked >= batches:
        return "index-commit"
    return "batches" if acked else "start"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _lines(path: Path) -> int:
    return _read(path).count(b"\n")


def _acknowledged(path: Path) -> list[str]:
    """Ids from complete lines only: a line cut by the kill was never acknowledged."""
    ids: list[str] = []
    for line in _read(path).decode().splitlines(keepends=True):
        if line.endswith("\n"):
            ids += json.loads(line)["committed"]
    return sorted(set(ids))


def expected_records(paths: list[Path]) -> dict[str, dict]:
    """What the readers make of the same files: the record each document must have, whole."""
    from crash_checks import draft_record

    from opis.readers import reader_for
    from opis.readers.source import SourceFile

    expected = {}
    for path in paths:
        source = SourceFile(path)
        for draft in reader_for(source).read(source):
            expected[draft.id] = draft_record(asdict(draft), str(path))
    return expected


def diff(clean: dict, resumed: dict) -> list[str]:
    """Where a resumed archive differs from the clean one, as short readable lines."""
    problems = []
    for part in ("records", "threads", "index"):
        a, b = clean[part], resumed[part]
        if a != b:
            keys = sorted(set(a) ^ set(b))[:5] if isinstance(a, dict) else []
            changed = [k for k in a if isinstance(a, dict) and k in b and a[k] != b[k]][:5]
            problems.append(f"{part} differ: missing/extra {keys}, changed {changed}")
    return problems


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main(sys.argv[1])
