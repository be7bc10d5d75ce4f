"""``opis export``: the archive or a search's hits as JSON Lines, CSV, oai_dc XML or a BagIt bag.

The formats are ``opis.export``'s registry, which reads the catalogue and so loads only once
Django points at this command's data directory: ``RegistryChoice`` asks for its names late.
"""

import json
import os
import sys
from collections.abc import Callable, Iterable

import click

from opis.cli_support import setup


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


@click.command(name="export")
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
    setup(ctx.obj["data"])
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
