"""Accounts, roles and API tokens: who may do what in the archive.

Four roles, each including the ones before it: a **reader** (anyone, no account) reads what is
published; a **researcher** (an account) also keeps saved searches, notes and personal
collections and exports in bulk; a **curator** edits, publishes, withdraws and restores records
and merges people (optionally only in named collections); an **admin** also manages users and
roles. Roles are Django groups, so the admin site and ``opis users`` agree on them.

API tokens are random and shown once; only their SHA-256 is kept, so the table leaks nothing.
"""

import hashlib
import secrets

from django.contrib.auth.models import AnonymousUser, Group, User
from django.utils import timezone

from opis.records.models import ApiToken

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
    for role in reversed(ROLES[1:]):
        if role in held:
            return role
    return RESEARCHER  # an account without a group is a researcher


def has_role(user, role: str) -> bool:
    """Whether ``user`` holds ``role`` or a higher one."""
    return ROLES.index(role_of(user)) >= ROLES.index(role)


def set_role(user: User, role: str) -> None:
    """Give ``user`` exactly ``role`` (the groups of other roles are taken away)."""
    if role not in ROLES[1:]:
        raise ValueError(f"role {role!r}: use one of {', '.join(ROLES[1:])}")
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.is_staff = role in (CURATOR, ADMIN)  # the Django admin site, read-only for curators
    user.save(update_fields=["is_staff"])


def new_token(user: User) -> str:
    """A new API token for ``user``; the only time the token itself is seen."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, digest=_digest(token), prefix=token[:12], created_at=timezone.now()
    )
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


def revoke_tokens(user: User) -> int:
    """Revoke every token of ``user``; how many were live."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
