"""The audit trail: every ingest run, edit, status change, restore, merge, login, token write,
fixity check and export, recorded as who did what to which object, and how it ended.

Actions are PREMIS event types (https://id.loc.gov/vocabulary/preservation/eventType), so the
trail reads the way archivists' preservation systems do. The trail is append-only: events are
written here and nowhere else, and ``AuditEvent`` refuses to be changed or deleted.
"""

import getpass
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

from opis.records.models import AuditEvent

# PREMIS event types opis records, and the opis actions they stand for.
INGESTION = "ingestion"  # an ingest run
MODIFICATION = "modification"  # a curator's edit of a record
PUBLICATION = "publication"  # a status change: published, draft, embargoed
DEACCESSION = "deaccession"  # withdrawn from public view
RECOVERY = "recovery"  # a version restored
METADATA_MODIFICATION = "metadata modification"  # persons merged or split, corrections
AUTHENTICATION = "authentication"  # a login (outcome failure for a failed one)
AUTHORIZATION = "authorization"  # a role or token given or revoked
FIXITY_CHECK = "fixity check"  # opis verify
DISSEMINATION = "dissemination"  # an export
REPLICATION = "replication"  # a backup taken
ACTIONS = (
    INGESTION, MODIFICATION, PUBLICATION, DEACCESSION, RECOVERY, METADATA_MODIFICATION,
    AUTHENTICATION, AUTHORIZATION, FIXITY_CHECK, DISSEMINATION, REPLICATION,
)  # fmt: skip
SUCCESS, FAILURE = "success", "failure"


def os_user() -> str:
    """Who runs this process (for the command line's events), or "system" when unknown."""
    try:
        return getpass.getuser() or "system"
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return "system"


def record_event(
    actor: str, action: str, obj: str = "", outcome: str = SUCCESS, **detail
) -> AuditEvent:
    """Append one event; ``actor`` is a user name, "anonymous" or "system"."""
    if action not in ACTIONS:
        raise ValueError(f"{action!r} is not an audit action; use one of {', '.join(ACTIONS)}")
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor=actor[:150] or "anonymous",
        action=action,
        object=obj[:300],
        outcome=outcome,
        detail=detail,
    )


def trail(since: datetime | None = None, action: str | None = None, actor: str | None = None):
    """The events from ``since`` on, of one action and one actor if given: a queryset, oldest
    first, for a page to slice."""
    found = AuditEvent.objects.all()
    if since is not None:
        found = found.filter(at__gte=since)
    if action:
        found = found.filter(action=action)
    if actor:
        found = found.filter(actor=actor)
    return found.order_by("at", "id")


def events(since: datetime | None = None, action: str | None = None) -> Iterator[AuditEvent]:
    """The trail in the order it happened, from ``since`` on."""
    return trail(since, action).iterator()


def event_json(event: AuditEvent) -> dict:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "object": event.object,
        "outcome": event.outcome,
        "detail": event.detail,
    }
