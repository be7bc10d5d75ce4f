"""Zip files and BagIt bags, mangled 1,000 and 220 times: members read, or the container
refused whole with a failure that names it and the entry, and nothing written where it should not.

Seeds are three real DFAT letters (and a README) zipped, and the same letters bagged with
``bagit.make_bag``; ``container_mutants.py`` makes the mutants. Each is handled as ingest does
(``discover``, then ``Containers().open``, then every member through ``read_one``) in forked
children under the limits of ``fuzzing.py`` (5 s, 512 MiB a file). The rule for every mutant:

* no exception but ReaderError from a member; a refused container is in ``Containers.failed``
  under its own path (or, for a bag inside a zip, the bag's label) with a reason and a ``where``;
* a refused zip leaves nothing unpacked; no member is written outside the unpacking folder; no
  file read from a bag lies outside the bag (a symbolic link out of it is refused).

A sample of the mutants also goes through ``ingest_paths`` into the catalogue: a refused container
writes no record; a read one writes exactly the records its report lists.
"""

import multiprocessing
import shutil
import time
from pathlib import Path

import bagit
import pytest
from container_mutants import bag_mutant, zip_mutant
from fuzzing import PER_TASK, TIME_LIMIT, call, crash_report, merged, read_one, run_batch

from conftest import DFAT, require

ZIPS = 1000
BAGS = 220
CATALOGUE_SAMPLE = 25  # every 25th mutant is also ingested into the catalogue
VOLUME = DFAT / "volume-1-1937-38"


def _letters() -> list[Path]:
    return sorted(require(VOLUME).glob("*.md"), key=lambda p: p.stat().st_size)[:3]


def _members() -> list[tuple[str, bytes]]:
    members = [(f"letters/{p.name}", p.read_bytes()) for p in _letters()]
    return members + [("letters/README.md", b"# three letters of 1937\n")]


@pytest.fixture(scope="module")
def bag_seed(tmp_path_factory) -> Path:
    bag = tmp_path_factory.mktemp("bag-seed") / "transfer"
    bag.mkdir()
    for path in _letters():
        shutil.copy(path, bag)
    bagit.make_bag(str(bag), {"Source-Organization": "DFAT"}, checksums=["sha256", "md5"])
    return bag


def _opened(container: Path, work: Path) -> str:
    """What ingest makes of one container (see the module docstring for the rule it checks)."""
    from opis.ingest.containers import Containers
    from opis.ingest.discover import discover

    files, _, missing = discover([container])
    assert not missing
    with Containers() as containers:
        members = containers.open(files)
        unpacked = containers._folder
        for failure in containers.failed:
            assert failure.path.startswith(str(container)), failure
            assert failure.reason and failure.where, f"the failure names no entry: {failure}"
        whole = any(f.path == str(container) for f in containers.failed)
        if whole and unpacked is not None and container.suffix == ".zip":
            assert not [p for p in unpacked.rglob("*") if p.is_file()], "half unpacked"
        if unpacked is not None:  # every unpacked file sits in a numbered folder of its archive
            assert all(p.relative_to(unpacked).parts[0].isdigit() for p in unpacked.rglob("*"))
        if container.is_dir():
            outside = [p for p in members if not p.resolve().is_relative_to(container.resolve())]
            assert not outside, f"read from outside the bag: {outside}"
        outcomes = [read_one(member) for member in members]
    assert not (unpacked and unpacked.exists()), "the unpacking folder outlived the run"
    assert sorted(p.name for p in work.iterdir()) == sorted([container.name, *_beside(container)])
    if whole:
        return "refused"
    return "read" if "drafts" in outcomes else "nothing read"


def _beside(container: Path) -> list[str]:
    return ["outside.md"] if (container.parent / "outside.md").exists() else []


def zip_batch(task: tuple[int, int]) -> dict:
    start, count = task
    members = _members()

    def build(number: int, work: Path) -> list[str]:
        data, mutations = zip_mutant(members, number)
        (work / "deposit.zip").write_bytes(data)
        return mutations

    return run_batch("zip", start, count, build, lambda work: _opened(work / "deposit.zip", work))


def bag_batch(task: tuple[Path, int, int]) -> dict:
    seed, start, count = task
    return run_batch(
        "bag",
        start,
        count,
        lambda number, work: bag_mutant(seed, number, work / "transfer"),
        lambda work: _opened(work / "transfer", work),
    )


@pytest.fixture(scope="module")
def fuzzed(bag_seed) -> dict[str, dict]:
    tasks = [(zip_batch, (start, PER_TASK)) for start in range(0, ZIPS, PER_TASK)]
    tasks.append((bag_batch, (bag_seed, 0, BAGS)))
    with multiprocessing.get_context("fork").Pool(2, maxtasksperchild=1) as pool:
        return merged(pool.starmap(call, tasks, chunksize=1))


@pytest.mark.parametrize(("fmt", "count"), [("zip", ZIPS), ("bag", BAGS)])
def test_every_container_is_read_or_refused_whole_never_crashes(fuzzed, fmt, count):
    result = fuzzed[fmt]
    assert sum(result["outcomes"].values()) >= count
    assert not result["crashes"], crash_report(result)
    assert result["slowest"] < TIME_LIMIT


@pytest.mark.parametrize("fmt", ["zip", "bag"])
def test_containers_are_both_read_and_refused(fuzzed, fmt):
    outcomes = fuzzed[fmt]["outcomes"]
    assert outcomes.get("read", 0) >= 20, outcomes
    assert outcomes.get("refused", 0) >= 20, outcomes


@pytest.fixture
def store(db, settings, tmp_path, isolated_index):
    settings.ORIGINALS_DIR = tmp_path / "originals"


def test_a_sample_ingested_writes_whole_containers_or_nothing(store, bag_seed, tmp_path):
    from opis.ingest import ingest_paths
    from opis.records.models import Document

    members, slowest, seen = _members(), 0.0, set()
    for number in range(0, ZIPS, CATALOGUE_SAMPLE):
        work = tmp_path / f"case-{number}"
        work.mkdir()
        if number < BAGS:
            bag_mutant(bag_seed, number, work / "transfer")
            container = work / "transfer"
        else:
            container = work / "deposit.zip"
            container.write_bytes(zip_mutant(members, number)[0])
        started = time.perf_counter()
        report = ingest_paths([container])
        slowest = max(slowest, time.perf_counter() - started)
        written = Document.objects.filter(source_path__startswith=str(container)).count()
        listed = [d for d in report.documents if d["path"].startswith(str(container))]
        if any(f.path == str(container) for f in report.failed):
            assert written == 0 and not listed, (number, report.failed)
            seen.add("refused")
        else:
            assert written == len({d["id"] for d in listed}), number
            seen.add("read" if written else "nothing read")
    assert {"refused", "read"} <= seen
    assert slowest < TIME_LIMIT
