"""Accounts, roles and API tokens: who may do what in the archive.

Four roles, each including the ones before it: a **reader** (anyone, no account) reads what is
published; a **researcher** (an account) also keeps saved searches, notes and personal
collections and exports in bulk; a **curator** edits, publishes, withdraws and restores records
and merges people (optionally only in named collections); an **admin** also manages users and
roles. Roles are Django groups, so the admin site and ``opis users`` agree on them. An account
in the "reader" group is a reader too (it may sign in, but writes nothing); an account in no group
is a researcher.

A curator may be limited to named collections (``CuratorScope`` rows, ``opis users add NAME
--role curator --collections SLUG,…``): ``can_curate(user, document)`` is the one question an
editing view asks.

Giving a role, making a token and revoking tokens are recorded in the audit trail
(AUTHORIZATION), with the actor who did it.

API tokens are random and shown once; only their SHA-256 is kept, so the table leaks nothing.
"""

import hashlib
import secrets

from django.contrib.auth.models import AnonymousUser, Group, User
from django.utils import timezone

from opis.records.audit import AUTHORIZATION, record_event
from opis.records.models import ApiToken, Collection, CuratorScope, Document

READER, RESEARCHER, CURATOR, ADMIN = "reader", "researcher", "curator", "admin"
ROLES = (READER, RESEARCHER, CURATOR, ADMIN)
TOKEN_PREFIX = "opis_"


def role_of(user: User | AnonymousUser | None) -> str:
    """The highest role a user holds; anyone not logged in is a reader."""
    if user is None or not user.is_authenticated or not user.is_active:
        return READER
    if user.is_superuser:
        return ADMIN
    held = set(user.groups.values_list("name", flat=True))
    for role in reversed(ROLES):
        if role in held:
            return role
    return RESEARCHER  # an account without a group is a researcher


def has_role(user, role: str) -> bool:
    """Whether ``user`` holds ``role`` or a higher one."""
    return ROLES.index(role_of(user)) >= ROLES.index(role)


def set_role(user: User, role: str, actor: str = "system") -> None:
    """Give ``user`` exactly ``role`` (the groups of other roles are taken away)."""
    if role not in ROLES:
        raise ValueError(f"role {role!r}: use one of {', '.join(ROLES)}")
    before = role_of(user)
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.is_staff = role in (CURATOR, ADMIN)  # the Django admin site, read-only for curators
    user.is_superuser = role == ADMIN  # admins manage users and roles in the admin site too
    user.save(update_fields=["is_staff", "is_superuser"])
    if role != CURATOR:
        CuratorScope.objects.filter(user=user).delete()  # a scope limits curators only
    record_event(actor, AUTHORIZATION, f"user:{user.username}", role=role, was=before)


def set_collections(user: User, slugs: list[str], actor: str = "system") -> list[str]:
    """Limit a curator to the collections named by ``slugs`` (none: every collection).

    An unknown slug is refused, naming it, before anything changes."""
    found = {c.slug: c for c in Collection.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ValueError(
            f"no collection {', '.join(missing)}; `opis stats` lists the collections there are"
        )
    CuratorScope.objects.filter(user=user).delete()
    CuratorScope.objects.bulk_create(
        CuratorScope(user=user, collection=found[slug]) for slug in dict.fromkeys(slugs)
    )
    record_event(actor, AUTHORIZATION, f"user:{user.username}", collections=sorted(found))
    return sorted(found)


def scope_of(user: User) -> list[str]:
    """The slugs of the collections a curator is limited to; empty: not limited."""
    return sorted(CuratorScope.objects.filter(user=user).values_list("collection__slug", flat=True))


def can_curate(user: User | AnonymousUser | None, document: Document) -> bool:
    """Whether ``user`` may edit, publish or withdraw ``document``: an admin always; a curator
    when not limited to collections, or when the document is in one of theirs."""
    chosen = role_of(user)
    if chosen == ADMIN:
        return True
    if chosen != CURATOR or not isinstance(user, User):
        return False
    scoped = CuratorScope.objects.filter(user=user)
    if not scoped.exists():
        return True
    return scoped.filter(collection__documents=document.pk).exists()


def new_token(user: User, actor: str = "system") -> str:
    """A new API token for ``user``; the only time the token itself is seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, digest=_digest(token), prefix=token[:12], created_at=timezone.now()
    )
    record_event(actor, AUTHORIZATION, f"user:{user.username}", token="created", prefix=token[:12])
    return token


def user_for_token(token: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    found = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(token), revoked_at__isnull=True)
        .first()
    )
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user


def revoke_tokens(user: User, actor: str = "system") -> int:
    """Revoke every token of ``user``; how many were live."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    record_event(actor, AUTHORIZATION, f"user:{user.username}", token="revoked", count=count)
    return count


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
