"""``opis reindex`` and ``opis index``: this data folder's search index and the catalogue's
index log. ``opis reindex`` rebuilds the index from the catalogue, the source of truth.

Several web machines may share one PostgreSQL catalogue, each with its own data folder and index.
``opis index follow`` runs beside ``opis serve`` on each of them and applies what the others wrote
(docs/deploying.md, "Several web machines: index followers"); ``opis index status`` says how far
every registered index has got.
"""

import json
import signal
import sys
import threading
import time

import click

from opis.cli_support import emit, setup


@click.command()
@click.pass_context
def reindex(ctx) -> None:
    """Rebuild the search index from the catalogue (the catalogue is the source of truth).

    Example: opis reindex
    """
    setup(ctx.obj["data"])
    from tqdm import tqdm

    from opis.records.models import Document
    from opis.search.indexer import reindex as rebuild

    with tqdm(total=Document.objects.count(), unit="doc", desc="reindex", file=sys.stderr) as bar:
        count = rebuild(progress=bar.update)
    click.echo(f"reindexed {count} documents")


@click.group()
def index() -> None:
    """This data folder's search index: follow the catalogue's index log, or say how far it is.

    Example: opis index follow --once --json
    """


@index.command()
@click.option("--once", is_flag=True, help="Apply what is new, then exit.")
@click.option(
    "--poll",
    type=click.FloatRange(min=0.05),
    default=None,
    help="Seconds between looks; default $OPIS_INDEX_POLL_SECONDS (1).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the status as JSON (a line per change)."
)
@click.pass_context
def follow(ctx: click.Context, once: bool, poll: float | None, as_json: bool) -> None:
    """Keep this data folder's index in step with the catalogue: apply every change other
    machines (or processes) logged, then look again every few seconds until stopped (SIGTERM or
    Ctrl+C end it cleanly, after the change in hand). A new data folder builds its index first;
    one that fell behind the log's retention window rebuilds.

    Example: opis index follow --once --json
    """
    setup(ctx.obj["data"])
    from django.db import DatabaseError, connection

    from opis import config
    from opis.search.indexer import apply_pending

    interval = poll or config.value("OPIS_INDEX_POLL_SECONDS")
    stop = threading.Event()
    if not once:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    while True:
        started = time.monotonic()
        try:
            applied = apply_pending()
        except DatabaseError as exc:  # the server restarted or the network dropped: look again
            click.echo(f"opis: the catalogue did not answer ({exc}); trying again", err=True)
            connection.close()
            applied = 0
        if once:
            status = {**_status(), "applied": applied}
            if as_json:
                emit(status)
            else:
                click.echo(f"applied {applied} documents; {status['pending']} changes pending")
            return
        if applied:
            seconds = round(time.monotonic() - started, 3)
            if as_json:
                click.echo(json.dumps({"applied": applied, "seconds": seconds}))
            else:
                click.echo(f"applied {applied} documents in {seconds} s")
        if stop.wait(interval):
            return


@index.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
@click.pass_context
def status(ctx: click.Context, as_json: bool) -> None:
    """How far this folder's index and every registered index have applied the index log.

    Example: opis index status --json
    """
    setup(ctx.obj["data"])
    shown = _status()
    if as_json:
        emit(shown)
        return
    click.echo(f"this index: {shown['documents']} documents, {shown['pending']} changes pending")
    for row in shown["followers"]:
        mine = "  (this one)" if row["follower"] == shown["follower"] else ""
        click.echo(
            f"  {row['place']}: applied to {row['applied']}, {row['behind']} behind, "
            f"seen {row['seen_at']}{mine}"
        )


def _status() -> dict:
    from opis.records.index_log import followers
    from opis.search.follower import load
    from opis.search.index import index_dir
    from opis.search.indexer import index_figures

    state = load(index_dir())
    position = state.position if state else None
    return {
        "follower": state.follower if state else None,
        "mark": position.mark if position else None,
        "horizon": position.horizon() if position else None,
        "gaps": len(position.gaps) if position else 0,
        **index_figures(),
        "followers": followers(),
    }
