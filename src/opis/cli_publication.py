"""Who may see a record: ``opis withdraw`` and ``opis status`` (published, draft, embargoed,
withdrawn). Each change is a new version of the record, in the audit trail under the system
account that ran the command, and in the index before the command returns.
"""

import click

from opis.cli_support import emit, setup


@click.command()
@click.argument("document_id")
@click.option("--reason", default="", help="Why it was withdrawn (kept in its history).")
@click.option("--json", "as_json", is_flag=True, help="Print the withdrawal as JSON.")
@click.pass_context
def withdraw(ctx, document_id: str, reason: str, as_json: bool) -> None:
    """Withdraw a document from public view: readers no longer find it anywhere, OAI-PMH
    harvesters see it as deleted; staff still see it, and `opis status ID published` restores it.

    Example: opis withdraw wcda-110692 --reason "duplicate of another record" --json
    """
    setup(ctx.obj["data"])
    from opis.records.withdraw import withdraw as withdraw_document
    from opis.records.withdraw import withdrawal_json
    from opis.search.indexer import apply_pending

    withdrawn = withdrawal_json(withdraw_document(document_id, reason, actor=_operator()))
    apply_pending()
    if as_json:
        emit(withdrawn)
        return
    click.echo(f"withdrew {withdrawn['id']}; harvesters will see it as deleted")


@click.command(name="status")
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
    setup(ctx.obj["data"])
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
        emit(shown)
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
