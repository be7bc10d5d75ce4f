"""Opening a data folder's index: several processes may open a new one at the same moment (two
ingests on one PostgreSQL catalogue, the workers of ``opis serve``). None may take another's
half-made index for one of an older version and set it aside under it."""

import multiprocessing

from opis.search.index import SCHEMA_VERSION, _version, open_index

OPENERS = 6
FOLDERS = 8


def _open(directory: str, barrier, failures) -> None:
    barrier.wait()
    try:
        open_index(directory).searcher()
    except (OSError, ValueError) as exc:  # a folder removed under it, an index half made
        failures.put(f"{directory}: {exc!r}")


def test_processes_opening_a_new_index_at_once_all_get_it(tmp_path):
    context = multiprocessing.get_context("fork")
    failures = context.Queue()
    for n in range(FOLDERS):  # the race is a matter of milliseconds: give it several chances
        directory = tmp_path / f"data-{n}" / "index"
        barrier = context.Barrier(OPENERS)
        openers = [
            context.Process(target=_open, args=(str(directory), barrier, failures))
            for _ in range(OPENERS)
        ]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(60)
            assert opener.exitcode == 0
        assert _version(directory / "opis-index.json") == SCHEMA_VERSION
    found = []
    while not failures.empty():
        found.append(failures.get())
    assert found == []
