"""Reading the archive from a terminal: ``opis search``, ``show``, ``cite`` and ``stats``.

Each prints what the reading room shows (the same functions: ``search``, ``records.serialize``,
``cite``, ``records.holdings``), as text or, with ``--json``, as the API's JSON. Staff see
everything: a command run on the server is the archive's own staff.
"""

import json

import click

from opis.cite import STYLES
from opis.cli_support import emit, setup


@click.command(name="search")
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
    setup(ctx.obj["data"])
    from opis.search import search
    from opis.search.indexer import apply_pending

    apply_pending()
    results = search(query, sort=sort, page=page, per_page=per_page, staff=True)
    if as_json:
        emit(results.as_json())
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


@click.command()
@click.argument("document_id")
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.pass_context
def show(ctx, document_id: str, as_json: bool) -> None:
    """Show one document: its record, archival locations, people and texts.

    Example: opis show wcda-110692 --json
    """
    setup(ctx.obj["data"])
    from opis.records.serialize import document_json, load_document
    from opis.textview import record_text

    record = document_json(load_document(document_id))
    click.echo(json.dumps(record, ensure_ascii=False, indent=2) if as_json else record_text(record))


@click.command()
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
    setup(ctx.obj["data"])
    from opis.cite import cite as render
    from opis.records.serialize import document_json, load_document

    click.echo(render(document_json(load_document(document_id)), style).rstrip("\n"))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats(ctx, as_json: bool) -> None:
    """What is in the archive: documents by collection, type, language and decade.

    Example: opis stats --json
    """
    setup(ctx.obj["data"])
    from opis.records.holdings import archive_stats
    from opis.search.indexer import index_figures

    figures = {**archive_stats(), "index": index_figures()}
    if as_json:
        emit(figures)
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
