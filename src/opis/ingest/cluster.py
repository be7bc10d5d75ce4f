"""Reading, OCR and understanding on a Dask cluster; writing stays in the one ingest process.

``opis ingest --cluster tcp://HOST:8786`` sends each file to the workers of a running Dask
``distributed`` scheduler (docs/deploying.md: a scheduler and workers on many machines);
``opis ingest --workers N`` starts a local cluster of N worker processes for the run. Workers
read the files by path, so every worker must see the paths the ingest names (a shared
filesystem), and the scheduler and each worker must run ``--preload opis.dask_worker``.

Why Dask and not our own protocol: the scheduler already balances work across machines, and when
a worker dies mid-run it hands that worker's files to the others. Reading a file is a pure
function of the file, so a file read twice (by a worker that died after finishing it, and again)
gives the same drafts; the writer here commits each file once, in the order of the batch. So a
killed worker loses nothing and doubles nothing (tests/ingest/test_cluster.py kills one).
"""

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from distributed import Client, LocalCluster
from django.apps import apps

from opis.errors import BadSetting

PRELOAD = "opis.dask_worker"  # sets Django up in each worker before opis's code is imported
READY = "opis-reader"
CONNECT_TIMEOUT = "10s"  # a scheduler on the network answers in far less
WORKERS_TIMEOUT = (
    "120s"  # a worker loads opis and Django before it joins: seconds, more on a busy machine
)


class ClusterReading:
    """A Dask client for one ingest run, to a given scheduler or to a local cluster it starts."""

    def __init__(self, address: str | None = None, workers: int | None = None):
        self.cluster: LocalCluster | None = None
        if address:
            try:
                self.client = Client(address, timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                raise BadSetting(
                    f"--cluster {address}: no Dask scheduler answered ({exc}); start one with "
                    f"`dask scheduler --preload {PRELOAD}` and workers with `dask worker "
                    f"ADDRESS --preload {PRELOAD}` (docs/deploying.md)"
                ) from exc
        else:
            self.cluster = LocalCluster(
                n_workers=workers or 1, threads_per_worker=1, processes=True,
                preload=[PRELOAD], dashboard_address=None, host="127.0.0.1",
            )  # fmt: skip
            self.client = Client(self.cluster)
        self._check_workers(address or "the local cluster")

    def _check_workers(self, where: str) -> None:
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError as exc:  # WorkerStartTimeoutError is one
            self.close()
            raise BadSetting(
                f"{where}: no worker joined within {WORKERS_TIMEOUT}; start them with `dask "
                f"worker ADDRESS --preload {PRELOAD}` (docs/deploying.md)"
            ) from exc
        try:
            answers = self.client.run(ready, on_error="return")
        except OSError as exc:
            self.close()
            raise BadSetting(f"{where}: the workers could not be asked ({exc})") from exc
        unready = sorted(worker for worker, answer in answers.items() if answer != READY)
        if unready:
            self.close()
            raise BadSetting(
                f"{where}: worker(s) {', '.join(unready)} were started without "
                f"--preload {PRELOAD}, so they cannot read for opis; restart them with it"
            )

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def map(self, function: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        """Results in the order of ``tasks``; each task may run on any worker, and runs again
        elsewhere if its worker dies (``pure=False``: a re-read file is new work, not a cache
        hit)."""
        futures = self.client.map(function, list(tasks), pure=False)
        for future in futures:
            yield future.result()
            future.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> "ClusterReading":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def ready() -> str:
    """Run on every worker before any work is sent. Unpickling this function imports opis's
    ingest code there, which only a worker started with the preload can do; the others answer
    with the error, and the run names them up front instead of failing file by file."""
    return READY if apps.ready else "not set up"
