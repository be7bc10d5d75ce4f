"""``opis parse``, ``opis names`` and ``opis eval``: the understanding tools, run on text a person
gives or on the shared corpora, beside the archive verbs of ``cli``.
"""

import click

from opis.cli_support import emit, setup
from opis.errors import OpisError
from opis.evaluate.split import PARTS
from opis.evaluate.split import only as only_part


@click.group()
def parse() -> None:
    """Run one of opis's parsers on text you give it.

    Example: opis parse citation "AVP RF, f. 059a, op. 5a, d. 3, p. 11, l. 118" --json
    """


@parse.command(name="citation")
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the locations as JSON.")
def parse_citation(text: str, as_json: bool) -> None:
    """Split an archival citation into locations: repository, fond, opis, delo, folios…

    Example: opis parse citation "APRF, Fond 45, Opis 1, Delo 331, List 85; FO 371/84057" --json
    """
    from opis.textview import location_parts
    from opis.understand.citation import citation_json

    parsed = citation_json(text)
    if as_json:
        emit(parsed)
        return
    if not parsed["locations"]:
        click.echo("no archival location recognised; the citation is kept as written")
    for number, location in enumerate(parsed["locations"], 1):
        parts = location_parts(location) or "(repository and parts not recognised)"
        click.echo(f"{number}. {parts}\n   as written: {location['raw']}")


@click.group()
def names() -> None:
    """The authority of persons: every name, variant and pseudonym of one person.

    Example: opis names resolve "Chou En-lai" --json
    """


@names.command(name="resolve")
@click.argument("name")
@click.option("--year", type=int, help="Year of the document, for pseudonyms (Filippov in 1950).")
@click.option("--json", "as_json", is_flag=True, help="Print the person as JSON.")
@click.pass_context
def names_resolve(ctx, name: str, year: int | None, as_json: bool) -> None:
    """Who a name stands for: canonical name, variants and pseudonyms.

    Example: opis names resolve Filippov --year 1950
    """
    setup(ctx.obj["data"], migrate=False)
    from opis.errors import NotFound
    from opis.understand import names as authority

    person = authority.resolve(name) or authority.pseudonym_of(name, year)
    if person is None:
        others = authority.candidates(name)
        hint = "; it could be: " + ", ".join(p.canonical for p in others[:8]) if others else ""
        raise NotFound(f"no single person is known as {name!r}{hint}")
    record = authority.person_json(person)
    if as_json:
        emit(record)
        return
    click.echo(record["canonical"])
    click.echo("variants: " + "; ".join(record["variants"]))
    for alias in record["pseudonyms"]:
        years = "–".join(str(y) for y in (alias["from_year"], alias["to_year"]) if y)
        click.echo(f"pseudonym: {alias['name']} {years}".rstrip())


EVALUATIONS = ("citations", "dates", "cables", "threads", "us_telegrams", "title_parties")


@click.command(name="eval")
@click.argument("which", nargs=-1, type=click.Choice(EVALUATIONS))
@click.option(
    "--part",
    "parts",
    type=click.Choice(PARTS),
    multiple=True,
    help="Only this half of each corpus (default: dev, then held-out; docs/quality.md).",
)
def evaluate(which: tuple[str, ...], parts: tuple[str, ...]) -> None:
    """Measure the extractors on the shared corpora (precision, recall, accuracy), on the
    development half of each corpus and on the held-out half, split by volume.

    Exits non-zero when a figure is below its target (docs/quality.md).
    Example: opis eval citations threads --part held-out
    """
    import importlib

    failed = []
    for name in which or EVALUATIONS:
        module = importlib.import_module(f"opis.evaluate.{name}")
        for part in parts or PARTS:
            click.echo(f"== {name}: {part} ==")
            with only_part(part):
                if module.main([]) != 0:
                    failed.append(f"{name} ({part})")
            click.echo()
    if failed:
        raise OpisError(f"below target: {', '.join(failed)} (see docs/quality.md)")
