"""The ``opis`` command: a thin click group; each verb calls the functions the web uses.

Examples::

    opis ingest ../shared/seed ../shared/corpora/dfat
    opis search '"jet fighter" year:1950' --json
    opis show wcda-110692
    opis serve --port 8000
"""

import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from opis import cli_accounts, cli_index, cli_server, cli_tools
from opis.cite import STYLES
from opis.cli_support import emit as _emit
from opis.cli_support import setup as _setup
from opis.errors import IngestFailed, OpisError

DEFAULT_CORPORA = ("../shared/seed", "../shared/corpora")


class OpisGroup(click.Group):
    """Translates domain errors into a message on stderr and the error's exit code, once."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except OpisError as exc:
            click.echo(f"opis: {exc.message}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=OpisGroup)
@click.option(
    "--data",
    envvar="OPIS_DATA",
    type=click.Path(file_okay=False),
    help="Data directory (catalogue and index). Default ./opis-data, or $OPIS_DATA.",
)
@click.version_option(package_name="opis")
@click.pass_context
def main(ctx: click.Context, data: str | None) -> None:
    """opis: a digital archive for historical diplomatic documents.

    Example: opis ingest ../shared/seed && opis search "jet fighter"
    """
    ctx.obj = {"data": data}


OCR_OPTION = click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    default=None,
    help="OCR of scans: auto (pages without a usable text layer; default, or $OPIS_OCR), "
    "always, never.",
)


@main.command()
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
    _setup(ctx.obj["data"])
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
        _emit(report.as_json())
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


@main.command(name="search")
@click.argument("query", default="")
@click.option("--sort", type=click.Choice(["relevance", "date", "-date"]), default="relevance")
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print results and facets as JSON.")
@click.pass_context
def search_command(ctx, query: str, sort: str, page: int, per_page: int, as_json: bool) -> None:
    """Search the archive. See docs/search.md for the syntax.

    Example: opis search '"jet fighter" OR aviation year:1950 -type:letter'
    """
    _setup(ctx.obj["data"])
    from opis.search import search
    from opis.search.indexer import apply_pending

    apply_pending()
    results = search(query, sort=sort, page=page, per_page=per_page, staff=True)
    if as_json:
        _emit(results.as_json())
        return
    for message in results.messages:
        click.echo(f"note: {message}", err=True)
    click.echo(f"{results.total} documents (page {results.page} of {results.pages})")
    for hit in results.results:
        shown = "" if hit.status == "published" else f"  ({_status_text(hit)})"
        click.echo(f"\n{hit.id}  {hit.date['display'] or 'undated'}  [{hit.doc_type}]{shown}")
        click.echo(f"  {hit.title}")
        click.echo("  " + _plain(hit.snippet))


def _status_text(hit) -> str:
    until = f" until {hit.embargo_until}" if hit.embargo_until else ""
    return f"{hit.status}{until}"


def _plain(snippet_html: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"</?b>", "*", snippet_html)).replace("\n", " ")


@main.command()
@click.argument("document_id")
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.pass_context
def show(ctx, document_id: str, as_json: bool) -> None:
    """Show one document: its record, archival locations, people and texts.

    Example: opis show wcda-110692 --json
    """
    _setup(ctx.obj["data"])
    from opis.records.serialize import document_json, load_document
    from opis.textview import record_text

    record = document_json(load_document(document_id))
    click.echo(json.dumps(record, ensure_ascii=False, indent=2) if as_json else record_text(record))


@main.command()
@click.argument("document_id")
@click.option(
    "--style",
    type=click.Choice(tuple(STYLES)),
    default="chicago-note",
    show_default=True,
    help="Chicago full note, short note or bibliography entry; BibTeX, RIS or CSL-JSON.",
)
@click.pass_context
def cite(ctx, document_id: str, style: str) -> None:
    """Cite one document: Chicago note or bibliography, BibTeX, RIS or CSL-JSON.

    Example: opis cite wcda-110692 --style bibtex > stalin-1950.bib
    """
    _setup(ctx.obj["data"])
    from opis.cite import cite as render
    from opis.records.serialize import document_json, load_document

    click.echo(render(document_json(load_document(document_id)), style).rstrip("\n"))


class RegistryChoice(click.Choice):
    """A choice among the names in a registry that can only load once Django is set up (export
    formats read the catalogue): the names are asked for when first needed, after ``--data``."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        super().__init__(())
        self._names = names

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._names())

    @choices.setter
    def choices(self, value: tuple) -> None:  # click.Choice.__init__ sets the (empty) tuple
        pass


def _export_format_names() -> list[str]:
    """opis.export's registry, loaded with Django pointed at this command's data directory."""
    import django

    from opis.config import configure_django

    configure_django((click.get_current_context().find_root().obj or {}).get("data"))
    django.setup()
    from opis.export import formats

    return list(formats())


@main.command(name="export")
@click.option(
    "--format",
    "format_name",
    type=RegistryChoice(_export_format_names),
    required=True,
    help="jsonl (lossless, ingestible), csv (spreadsheets), oai_dc (XML) or bagit.",
)
@click.option(
    "--query",
    "-q",
    help="Export every hit of this search (docs/search.md); default: the whole archive.",
)
@click.option(
    "--output",
    "-o",
    default="-",
    show_default=True,
    help="File to write, - for standard output; bagit needs a new or empty folder.",
)
@click.option(
    "--base-url",
    default="",
    help="Address of the reading room, for the CSV url "
    "column (https://archive.example.org); default: /documents/ID paths.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print a summary as JSON (on stderr when the export goes to stdout).",
)
@click.option(
    "--published-only",
    is_flag=True,
    help="Only what readers may see; default: every record, drafts and withdrawn ones too.",
)
@click.pass_context
def export_command(ctx, format_name, query, output, base_url, as_json, published_only) -> None:
    """Export the archive or a search result: JSON Lines, CSV, oai_dc XML or a BagIt bag.

    Example: opis export --format jsonl --query 'from:Moscow year:1950' -o moscow-1950.jsonl
    """  # fmt: skip
    _setup(ctx.obj["data"])
    from tqdm import tqdm

    from opis.export import Selection, export

    selection = Selection(query, staff=not published_only)
    for message in selection.messages:
        click.echo(f"note: {message}", err=True)
    to_stdout = output in ("-", "")
    bar = tqdm(total=selection.count(), unit="doc", desc="export", file=sys.stderr, disable=None)
    try:
        with bar:
            summary = export(format_name, selection, output, base_url=base_url, progress=bar.update)
    except BrokenPipeError:  # `opis export … | head`: the reader has had all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    if not summary["count"]:
        click.echo(f"opis: nothing to export: {selection.description}; the export is empty",
                   err=True)  # fmt: skip
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2), err=to_stdout)
    else:
        where = "standard output" if to_stdout else summary["output"]
        click.echo(f"exported {summary['count']} documents ({format_name}) to {where}",
                   err=to_stdout)  # fmt: skip


@main.command()
@click.argument("document_id")
@click.option("--reason", default="", help="Why it was withdrawn (kept in its history).")
@click.option("--json", "as_json", is_flag=True, help="Print the withdrawal as JSON.")
@click.pass_context
def withdraw(ctx, document_id: str, reason: str, as_json: bool) -> None:
    """Withdraw a document from public view: readers no longer find it anywhere, OAI-PMH
    harvesters see it as deleted; staff still see it, and `opis status ID published` restores it.

    Example: opis withdraw wcda-110692 --reason "duplicate of another record" --json
    """
    _setup(ctx.obj["data"])
    from opis.records.withdraw import withdraw as withdraw_document
    from opis.records.withdraw import withdrawal_json
    from opis.search.indexer import apply_pending

    withdrawn = withdrawal_json(withdraw_document(document_id, reason, actor=_operator()))
    apply_pending()
    if as_json:
        _emit(withdrawn)
        return
    click.echo(f"withdrew {withdrawn['id']}; harvesters will see it as deleted")


@main.command(name="status")
@click.argument("document_id")
@click.argument("status", type=click.Choice(["published", "draft", "embargoed", "withdrawn"]))
@click.option("--until", type=click.DateTime(formats=["%Y-%m-%d"]), help="The day an embargo ends.")
@click.option("--reason", default="", help="Why (kept in the record's history and the audit).")
@click.option("--json", "as_json", is_flag=True, help="Print the record's new status as JSON.")
@click.pass_context
def status_command(ctx, document_id, status, until, reason, as_json) -> None:
    """Set who may see a record: published, draft, embargoed --until DAY, or withdrawn.

    Example: opis status wcda-110692 embargoed --until 2030-01-01 --reason "donor's request"
    """
    _setup(ctx.obj["data"])
    from opis.records.publication import set_status
    from opis.search.indexer import apply_pending

    document = set_status(
        document_id, status, until=until.date() if until else None, reason=reason,
        actor=_operator(),
    )  # fmt: skip
    apply_pending()
    shown = {
        "id": document.pk,
        "status": document.status,
        "embargo_until": document.embargo_until.isoformat() if document.embargo_until else None,
        "version": document.version,
    }
    if as_json:
        _emit(shown)
        return
    until_text = f" until {shown['embargo_until']}" if shown["embargo_until"] else ""
    click.echo(f"{document.pk} is now {document.status}{until_text} (version {document.version})")


def _operator() -> str:
    """Who the audit trail names for a command run on the server: the system account's user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats(ctx, as_json: bool) -> None:
    """What is in the archive: documents by collection, type, language and decade.

    Example: opis stats --json
    """
    _setup(ctx.obj["data"])
    from opis.records.holdings import archive_stats
    from opis.search.indexer import index_figures

    figures = {**archive_stats(), "index": index_figures()}
    if as_json:
        _emit(figures)
        return
    click.echo(f"{figures['documents']} documents in {len(figures['collections'])} collections")
    unpublished = figures["statuses"]["unpublished"]
    click.echo(f"{unpublished} of them not published (readers do not see them)")
    click.echo(
        f"index: {figures['index']['documents']} documents, {figures['index']['pending']} pending"
    )
    for key in ("collections", "types", "languages", "decades"):
        click.echo(f"\n{key}:")
        for row in figures[key]:
            click.echo(f"  {row['count']:>7}  {row['label']}")


@main.command()
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
    _setup(ctx.obj["data"])
    from tqdm import tqdm

    from opis.records.fixity import count_originals
    from opis.records.fixity import verify as check

    bar = tqdm(total=count_originals(), unit="file", desc="verify", file=sys.stderr, disable=None)
    with bar:
        report = check(clean_untracked=clean_untracked, progress=bar.update)
    if as_json:
        _emit(report.as_json())
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


@main.command()
@click.pass_context
def reindex(ctx) -> None:
    """Rebuild the search index from the catalogue (the catalogue is the source of truth).

    Example: opis reindex
    """
    _setup(ctx.obj["data"])
    from tqdm import tqdm

    from opis.records.models import Document
    from opis.search.indexer import reindex as rebuild

    with tqdm(total=Document.objects.count(), unit="doc", desc="reindex", file=sys.stderr) as bar:
        count = rebuild(progress=bar.update)
    click.echo(f"reindexed {count} documents")


@main.command()
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
    _setup(ctx.obj["data"])
    _serve(host, port, threads, workers)


def _serve(host: str, port: int, threads: int, workers: int = 0) -> None:
    from waitress import serve as waitress_serve

    from opis.search.indexer import apply_pending
    from opis.understand.names import authority
    from opis.wsgi import application

    apply_pending()
    authority()  # load the persons authority now, not on the first reader's first search
    click.echo(f"opis reading room at http://{host}:{port}/  (Ctrl+C to stop)")
    if workers:
        cli_server.serve_workers(application, host, port, workers, threads)
    else:
        waitress_serve(application, host=host, port=port, threads=threads, ident="opis")


@main.command()
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
    _setup(ctx.obj["data"])
    click.echo("ingesting " + ", ".join(str(p) for p in found))
    report = _ingest(found, ocr=ocr)
    _print_report(report)
    if not no_serve:
        _serve(host, port, threads=4)


# The tools beside the archive (parsers, the names authority, the extractors' evaluation).
main.add_command(cli_tools.parse)
main.add_command(cli_tools.names)
main.add_command(cli_tools.evaluate)
main.add_command(cli_accounts.users)
main.add_command(cli_accounts.audit)
main.add_command(cli_server.backup)
main.add_command(cli_server.restore)
main.add_command(cli_server.migrate)
main.add_command(cli_index.index)


if __name__ == "__main__":  # pragma: no cover
    main()
