"""``opis users`` and ``opis audit``: accounts, roles and API tokens, and the audit trail, from
the command line (the same functions as the admin site and /staff/audit).

Whoever runs these commands holds the data directory, so they act as its administrator; the
audit trail names them by their login name on this machine.
"""

import secrets
import sys
from datetime import UTC, datetime, time

import click

from opis.cli_support import emit, setup
from opis.errors import OpisError

ROLE_NAMES = ("reader", "researcher", "curator", "admin")


def _user(name: str):
    from django.contrib.auth.models import User

    found = User.objects.filter(username=name).first()
    if found is None:
        raise OpisError(f"no account {name!r}; `opis users list` shows them, "
                        f"`opis users add {name} --role researcher` makes one")  # fmt: skip
    return found


def _account_json(user) -> dict:
    from opis.records.accounts import role_of, scope_of

    return {
        "name": user.username,
        "role": role_of(user),
        "active": user.is_active,
        "collections": scope_of(user),
        "tokens": user.api_tokens.filter(revoked_at__isnull=True).count(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


@click.group()
def users() -> None:
    """Accounts, roles and API tokens.

    Example: opis users add ana --role curator --collections dfat-volume-22
    """


@users.command(name="add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLE_NAMES), default="researcher", show_default=True)
@click.option("--collections", default="", help="Curators only: the collection slugs (comma-"
              "separated) they may edit; default every collection.")  # fmt: skip
@click.pass_context
def users_add(ctx, name: str, role: str, collections: str) -> None:
    """Make an account (or reset its password). The password is read from standard input when
    it is piped; otherwise (or when the piped line is empty) a strong one is made and printed
    once.

    Example: opis users add ana --role curator --collections dfat-volume-22
    """
    setup(ctx.find_root().obj["data"])
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from opis.records.accounts import CURATOR, set_collections, set_role
    from opis.records.audit import os_user

    slugs = [slug.strip() for slug in collections.split(",") if slug.strip()]
    if slugs and role != CURATOR:
        raise OpisError("--collections limits a curator; give --role curator with it")
    given = "" if sys.stdin.isatty() else sys.stdin.readline().rstrip("\r\n")
    password = given or secrets.token_urlsafe(18)
    user = User.objects.filter(username=name).first() or User(username=name)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise OpisError(f"the password for {name!r} was refused: {' '.join(error.messages)}; "
                        "pipe a longer one, or none to have one made") from None  # fmt: skip
    actor = os_user()
    with transaction.atomic():
        user.set_password(password)
        user.save()
        set_role(user, role, actor=actor)
        if slugs:
            try:
                set_collections(user, slugs, actor=actor)
            except ValueError as error:
                raise OpisError(str(error)) from None
    scope = f", collections {', '.join(slugs)}" if slugs else ""
    click.echo(f"account {name}: {role}{scope}")
    if not given:
        click.echo(f"password (shown once): {password}")


@users.command(name="token")
@click.argument("name")
@click.pass_context
def users_token(ctx, name: str) -> None:
    """Make a new API token for an account and print it, once (send it as
    ``Authorization: Bearer TOKEN``).

    Example: opis users token ana
    """
    setup(ctx.find_root().obj["data"])
    from opis.records.accounts import new_token
    from opis.records.audit import os_user

    click.echo(new_token(_user(name), actor=os_user()))


@users.command(name="revoke")
@click.argument("name")
@click.pass_context
def users_revoke(ctx, name: str) -> None:
    """Revoke every API token of an account.

    Example: opis users revoke ana
    """
    setup(ctx.find_root().obj["data"])
    from opis.records.accounts import revoke_tokens
    from opis.records.audit import os_user

    count = revoke_tokens(_user(name), actor=os_user())
    click.echo(f"revoked {count} token(s) of {name}")


@users.command(name="role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLE_NAMES))
@click.pass_context
def users_role(ctx, name: str, role: str) -> None:
    """Give an account exactly one role.

    Example: opis users role ana admin
    """
    setup(ctx.find_root().obj["data"])
    from opis.records.accounts import set_role
    from opis.records.audit import os_user

    set_role(_user(name), role, actor=os_user())
    click.echo(f"account {name}: {role}")


@users.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print the accounts as JSON.")
@click.pass_context
def users_list(ctx, as_json: bool) -> None:
    """List the accounts with their roles, collections and live tokens.

    Example: opis users list --json
    """
    setup(ctx.find_root().obj["data"])
    from django.contrib.auth.models import User

    accounts = [_account_json(user) for user in User.objects.order_by("username")]
    if as_json:
        emit({"users": accounts})
        return
    for account in accounts:
        scope = (
            f"  collections: {', '.join(account['collections'])}" if account["collections"] else ""
        )
        state = "" if account["active"] else "  (inactive)"
        click.echo(f"{account['name']:<20} {account['role']:<10} {account['tokens']} token(s)"
                   f"{state}{scope}")  # fmt: skip


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise OpisError(f"--since {raw!r} is not a date; write it as YYYY-MM-DD") from None
    return datetime.combine(day, time.min, tzinfo=UTC)


@click.command()
@click.option("--since", help="Only events on or after this day (YYYY-MM-DD, UTC).")
@click.option("--action", help="Only this PREMIS event type, e.g. ingestion, authentication.")
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object per event, a line each."
)
@click.pass_context
def audit(ctx, since: str | None, action: str | None, as_json: bool) -> None:
    """Print the audit trail, oldest first: who did what, to what, and how it ended.

    Example: opis audit --since 2026-01-01 --action authentication --json
    """
    setup(ctx.find_root().obj["data"])
    import json

    from opis.records.audit import ACTIONS, event_json, events

    if action and action not in ACTIONS:
        raise OpisError(f"--action {action!r} is not an audit action; use one of "
                        f"{', '.join(ACTIONS)}")  # fmt: skip
    for event in events(_since(since), action):
        shown = event_json(event)
        if as_json:
            click.echo(json.dumps(shown, ensure_ascii=False))
            continue
        detail = " ".join(f"{key}={value}" for key, value in shown["detail"].items())
        click.echo(f"{shown['at'][:19]}  {shown['actor']:<12} {shown['action']:<22} "
                   f"{shown['outcome']:<8} {shown['object']}  {detail}".rstrip())  # fmt: skip
