"""The ``opis`` command: a thin click group; each verb calls the functions the web uses.

The group translates domain errors once (``OpisGroup``); the verbs live in ``cli_*`` modules, one
concern each (ingest, reading, export, publication, server, index, accounts, tools).

Examples::

    opis ingest ../shared/seed ../shared/corpora/dfat
    opis search '"jet fighter" year:1950' --json
    opis show wcda-110692
    opis serve --port 8000
"""

import click

from opis import (
    cli_accounts,
    cli_export,
    cli_index,
    cli_ingest,
    cli_publication,
    cli_reading,
    cli_server,
    cli_tools,
)
from opis.errors import OpisError


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


# The verbs, each in the module of its concern.
main.add_command(cli_ingest.ingest)
main.add_command(cli_ingest.demo)
main.add_command(cli_reading.search_command)
main.add_command(cli_reading.show)
main.add_command(cli_reading.cite)
main.add_command(cli_reading.stats)
main.add_command(cli_export.export_command)
main.add_command(cli_publication.withdraw)
main.add_command(cli_publication.status_command)
main.add_command(cli_server.serve)
main.add_command(cli_server.verify)
main.add_command(cli_server.backup)
main.add_command(cli_server.restore)
main.add_command(cli_server.migrate)
main.add_command(cli_index.reindex)
main.add_command(cli_index.index)
main.add_command(cli_accounts.users)
main.add_command(cli_accounts.audit)
# The tools beside the archive (parsers, the names authority, the extractors' evaluation).
main.add_command(cli_tools.parse)
main.add_command(cli_tools.names)
main.add_command(cli_tools.evaluate)


if __name__ == "__main__":  # pragma: no cover
    main()
