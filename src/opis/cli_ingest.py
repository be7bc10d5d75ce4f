"""``opis ingest`` and ``opis demo``: files into the archive, with a progress bar and a report.

Both run ``ingest.ingest_paths``, the staged run the web upload shares; ``--cluster`` and
``--workers`` read on Dask workers (``ingest.cluster``) while this process writes. ``demo`` then
serves what it ingested (``cli_server``).
"""

import json
import os
import sys
from pathlib import Path

import click

from opis import cli_server
from opis.cli_support import emit, setup
from opis.errors import IngestFailed, OpisError

DEFAULT_CORPORA = ("../shared/seed", "../shared/corpora")

OCR_OPTION = click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default=None,
    help="OCR of scans: auto (pages without a usable text layer; default, or $OPIS_OCR), "
    "always, never.",
)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--force", is_flag=True, help="Re-read files even when their checksum is unchanged.")
@click.option(
    "--ack-log",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append a JSON line with the ids of each batch once it has committed (fsynced).",
)
@OCR_OPTION
@click.option(
    "--status",
    "status",
    default="published",
    show_default=True,
    help="Status of records new to the archive: published, draft or embargoed:YYYY-MM-DD "
    "(records ingested before keep theirs).",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Read (and OCR) on the workers of this Dask scheduler, tcp://HOST:8786; this process "
    "writes. See docs/deploying.md.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Read on a local Dask cluster of this many worker processes.",
)
@click.pass_context
def ingest(
    ctx,
    paths: tuple[Path, ...],
    as_json: bool,
    force: bool,
    ack_log: Path | None,
    ocr: str | None,
    status: str,
    cluster: str | None,
    workers: int | None,
) -> None:
    """Ingest files or folders (recursively); the format of each file is detected.

    Example: opis ingest ../shared/seed ../shared/corpora/dfat

    Example: opis ingest --status embargoed:2030-01-01 ../shared/seed

    Example: opis ingest --cluster tcp://10.0.0.5:8786 /srv/shared/scans
    """
    setup(ctx.obj["data"])
    from opis.records.publication import parse_status

    chosen = parse_status(status)
    if cluster and workers:
        raise click.UsageError("give --cluster (a running scheduler) or --workers, not both")
    if cluster or workers:
        from opis.ingest.cluster import ClusterReading

        with ClusterReading(cluster, workers) as reading:
            report = _ingest(paths, force=force, ack_log=ack_log, ocr=ocr, status=chosen,
                             cluster=reading)  # fmt: skip
    else:
        report = _ingest(paths, force=force, ack_log=ack_log, ocr=ocr, status=chosen)
    if as_json:
        emit(report.as_json())
    else:
        _print_report(report)
    if report.failed:
        raise IngestFailed(f"{len(report.failed)} file(s) failed; see the report above")


def _ingest(
    paths,
    *,
    force: bool = False,
    ack_log: Path | None = None,
    ocr: str | None = None,
    status: tuple = ("published", None),
    cluster=None,
):
    from tqdm import tqdm

    from opis.ingest import ingest_paths
    from opis.ingest.containers import count_files
    from opis.ingest.discover import discover

    total = count_files(discover(paths)[0])
    with tqdm(total=total, unit="file", desc="ingest", file=sys.stderr, disable=None) as bar:
        return ingest_paths(
            paths,
            progress=bar.update,
            force=force,
            stage=lambda text: bar.write(f"{text}…", file=sys.stderr),
            committed=_acknowledger(ack_log) if ack_log else None,
            ocr=ocr,
            status=status[0],
            embargo_until=status[1],
            cluster=cluster,
        )


def _acknowledger(path: Path):
    """One JSON line per committed batch, on disk before ingest goes on: a promise kept."""

    def acknowledge(ids: list[str]) -> None:
        with path.open("a", encoding="utf-8") as log:
            log.write(json.dumps({"committed": ids}, ensure_ascii=False) + "\n")
            log.flush()
            os.fsync(log.fileno())

    return acknowledge


def _print_report(report) -> None:
    for failure in report.failed:
        click.echo(f"FAILED {failure}", err=True)
    if report.skipped:
        by_reason: dict[str, int] = {}
        for item in report.skipped:
            by_reason[item["reason"]] = by_reason.get(item["reason"], 0) + 1
        for reason, count in sorted(by_reason.items()):
            click.echo(f"skipped {count} file(s): {reason}", err=True)
    click.echo(report.summary())


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--no-serve", is_flag=True, help="Ingest only; do not start the reading room.")
@OCR_OPTION
@click.pass_context
def demo(
    ctx, paths: tuple[Path, ...], host: str, port: int, no_serve: bool, ocr: str | None
) -> None:
    """Ingest the seed and the corpora it finds, then open the reading room.

    Without PATHS it looks for ../shared/seed and ../shared/corpora.
    Example: opis demo ~/my-documents
    """
    found = [Path(p) for p in (paths or DEFAULT_CORPORA) if Path(p).exists()]
    if not found:
        wanted = ", ".join(str(p) for p in (paths or DEFAULT_CORPORA))
        raise OpisError(
            f"no documents found at {wanted}. Point opis at a folder of documents: "
            "make demo CORPORA=/path/to/folder  (or: opis demo /path/to/folder)"
        )
    setup(ctx.obj["data"])
    click.echo("ingesting " + ", ".join(str(p) for p in found))
    report = _ingest(found, ocr=ocr)
    _print_report(report)
    if not no_serve:
        cli_server.serve_reading_room(host, port, threads=4)
