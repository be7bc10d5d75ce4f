"""Running an archive on a server: the reading room (``opis serve``, one process or many with
``--workers``), ``opis verify`` (the originals' fixity), ``opis backup``, ``opis restore`` and
``opis migrate``, beside the archive verbs of ``cli``. docs/deploying.md says when to use them.
"""

import gc
import sys
from pathlib import Path

import click
from gunicorn.app.base import BaseApplication

from opis.cli_support import emit, setup
from opis.errors import OpisError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--threads", default=4, type=int, show_default=True, help="Threads per process.")
@click.option(
    "--workers",
    default=0,
    type=click.IntRange(min=0),
    show_default=True,
    help="Web processes (gunicorn, pre-fork); 0 serves from this one process (waitress).",
)
@click.pass_context
def serve(ctx, host: str, port: int, threads: int, workers: int) -> None:
    """Serve the reading room and the JSON API.

    On a laptop one process (waitress); on a server --workers N pre-forked processes (gunicorn),
    each opening the search index itself and seeing other processes' changes within a second.
    Example: opis serve --port 8000, then open http://127.0.0.1:8000
    """
    setup(ctx.obj["data"])
    serve_reading_room(host, port, threads, workers)


def serve_reading_room(host: str, port: int, threads: int, workers: int = 0) -> None:
    """The reading room on ``host:port``: one process (waitress), or ``workers`` pre-forked ones."""
    from waitress import serve as waitress_serve

    from opis.search.indexer import apply_pending
    from opis.wsgi import application

    apply_pending()
    settle_for_serving()
    click.echo(f"opis reading room at http://{host}:{port}/  (Ctrl+C to stop)")
    if workers:
        serve_workers(application, host, port, workers, threads)
    else:
        waitress_serve(application, host=host, port=port, threads=threads, ident="opis")


def settle_for_serving() -> None:
    """Load what every reader needs before the first one comes, then take it out of the garbage
    collector's sight.

    The persons authority, the gazetteer and every view module are a few hundred thousand objects
    that live as long as the server. Python's full collection walks all of them: 164 ms with
    every thread of the process stopped, which was the whole of the slow tail under load (a p99
    of 110-260 ms beside a median of 5-8 ms, on ``/robots.txt`` as on the document page).
    ``gc.freeze()`` moves them to the permanent generation, so a full collection walks only what
    requests made since (20-40 ms); frozen before gunicorn forks, the workers also keep
    sharing those pages, which a collection's writes to each object's header would copy.
    """
    from django.urls import get_resolver

    from opis.understand.names import authority
    from opis.understand.places import gazetteer

    authority()  # the persons authority, not on the first reader's first search
    gazetteer()  # the places, for the place facet and ``place:``
    get_resolver().resolve("/")  # every view module imported, not on each one's first request
    gc.collect()
    gc.freeze()


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option(
    "--clean-untracked", is_flag=True, help="Remove files in the store that no record names."
)
@click.pass_context
def verify(ctx, as_json: bool, clean_untracked: bool) -> None:
    """Re-hash every stored original: report changed, missing and untracked files.

    Exits non-zero when an original changed or is missing (docs/ingest.md, "Originals").

    Example: opis verify --json
    """
    setup(ctx.obj["data"])
    from tqdm import tqdm

    from opis.records.fixity import count_originals
    from opis.records.fixity import verify as check

    bar = tqdm(total=count_originals(), unit="file", desc="verify", file=sys.stderr, disable=None)
    with bar:
        report = check(clean_untracked=clean_untracked, progress=bar.update)
    if as_json:
        emit(report.as_json())
    else:
        _print_fixity(report)
    if not report.ok:
        raise OpisError(f"{len(report.changed)} original(s) changed, {len(report.missing)} missing")


def _print_fixity(report) -> None:
    for item in report.changed:
        click.echo(f"CHANGED {item['path']}: its sha256 is now {item['found']}", err=True)
    for item in report.missing:
        click.echo(f"MISSING {item['path']} ({item['name']}): restore it from a backup", err=True)
    for path in report.untracked:
        state = "removed" if path in report.removed else "run with --clean-untracked to remove"
        click.echo(f"untracked {path} ({state})", err=True)
    if report.without_original:
        click.echo(
            f"{report.without_original} document(s) have no original kept (ingested before "
            "originals were): `opis ingest --force` on their files keeps them",
            err=True,
        )
    click.echo(report.summary())


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--with-index", is_flag=True, help="Copy the search index too (else rebuilt).")
@click.option("--json", "as_json", is_flag=True, help="Print the backup's summary as JSON.")
@click.pass_context
def backup(ctx: click.Context, dest: Path, with_index: bool, as_json: bool) -> None:
    """Back up the catalogue, the originals and the audit trail into DEST, a BagIt bag.

    Safe while readers read and an ingest writes: the catalogue is one consistent snapshot.
    Example: opis backup /srv/backups/opis-2026-12-03
    """
    setup(ctx.obj["data"])
    from opis.records.backup import backup as take

    summary = take(dest, with_index=with_index, progress=None if as_json else _say)
    if as_json:
        emit(summary)
        return
    click.echo(
        f"backed up {summary['documents']} documents and {summary['originals']} originals "
        f"({summary['catalogue']}) to {summary['path']}"
    )


@click.command()
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what was restored as JSON.")
@click.pass_context
def restore(ctx: click.Context, source: Path, as_json: bool) -> None:
    """Restore a backup made by ``opis backup`` into an empty archive (a new --data folder, or
    an empty PostgreSQL database), then bring it up to this version's tables and index.

    Example: opis restore /srv/backups/opis-2026-12-03 (with --data or OPIS_DATA naming a new
    folder)
    """
    setup(ctx.obj["data"], migrate=False)
    from django.core.management import call_command

    from opis.records.audit import RECOVERY, record_event
    from opis.records.backup import restore_catalogue, restore_index, restore_originals
    from opis.records.models import Collection, Document
    from opis.records.threads import link_threads
    from opis.search.indexer import reindex

    say = (lambda _: None) if as_json else _say
    summary = restore_catalogue(source, progress=say)
    say("upgrading the tables (migrations)")
    call_command("migrate", verbosity=0, interactive=False)
    say("originals")
    summary["originals"] = restore_originals(source)
    # Thread links are derived after each ingest run; a snapshot taken mid-run lacks the run's.
    say("linking threads")
    link_threads(Collection.objects.values_list("slug", flat=True))
    if not restore_index(source):
        say("rebuilding the search index")
        reindex()
    summary["documents"] = Document.objects.count()
    record_event("system", RECOVERY, str(source), **{k: summary[k] for k in ("documents",)})
    if as_json:
        emit(summary)
        return
    click.echo(f"restored {summary['documents']} documents and {summary['originals']} originals")


@click.command()
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 if the catalogue needs migrating."
)
@click.option("--json", "as_json", is_flag=True, help="Print the migrations as JSON.")
@click.pass_context
def migrate(ctx: click.Context, check: bool, as_json: bool) -> None:
    """Bring the catalogue's tables up to this version of opis (Django's migrations).

    Every command migrates a catalogue it finds behind; on a server, run this once after an
    upgrade and before the web workers restart, so that several processes or machines never
    race to migrate one PostgreSQL database. With --check it only says what is pending (exit 1).

    Example: opis migrate --check && opis migrate
    """
    setup(ctx.obj["data"], migrate=False)
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = [
        f"{migration.app_label}.{migration.name}"
        for migration, _backwards in executor.migration_plan(executor.loader.graph.leaf_nodes())
    ]
    if not check and pending:
        call_command("migrate", verbosity=0, interactive=False)
    if as_json:
        emit({"pending" if check else "applied": pending})
    elif not pending:
        click.echo("the catalogue is up to date")
    else:
        verb = "pending" if check else "applied"
        click.echo(f"{len(pending)} migration(s) {verb}: " + ", ".join(pending))
    if check and pending:
        ctx.exit(1)


def _say(step: str) -> None:
    click.echo(f"… {step}", err=True)


class _PreFork(BaseApplication):
    """gunicorn's documented embedding ("Custom Application"): our WSGI app, our options."""

    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def serve_workers(application, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with ``workers`` pre-forked processes of ``threads`` threads each.

    The app is loaded here, before the fork (Django set up, the authority read once, shared
    copy-on-write); database connections and open index handles are dropped first, so each worker
    opens its own: a Tantivy reader's reload thread does not survive a fork. Each worker, once
    started, applies what its index has not seen of the index log (one query when nothing is new):
    a worker started later, after a crash, never serves an index older than the catalogue.
    """
    from django.db import connections

    from opis.search.index import forget_open_indexes

    connections.close_all()
    forget_open_indexes()
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "proc_name": "opis",
        "post_worker_init": _catch_up,
    }
    _PreFork(application, options).run()


def _catch_up(worker) -> None:
    """gunicorn's post_worker_init hook: apply the index log in the new worker."""
    from opis.search.indexer import apply_pending

    apply_pending()
