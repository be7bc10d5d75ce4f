"""/staff/audit: the audit trail for curators, newest first, filtered by action, actor and date.

Read-only by construction: the page only lists (``records.audit.trail``); nothing in the app can
change or delete an event.
"""

from datetime import UTC, datetime, time

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from opis.errors import BadQuery
from opis.records.accounts import CURATOR
from opis.records.audit import ACTIONS, event_json, trail
from opis.web.access import role_required
from opis.web.errors import reports_errors
from opis.web.pagination import page_links

PER_PAGE = 50


def since_date(raw: str) -> datetime | None:
    """``since=YYYY-MM-DD`` as the start of that day (UTC), or BadQuery naming the rule."""
    if not raw:
        return None
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise BadQuery(f"since={raw[:40]!r} is not a date; write it as YYYY-MM-DD") from None
    return datetime.combine(day, time.min, tzinfo=UTC)


@role_required(CURATOR)
@reports_errors
def audit_trail(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    if action and action not in ACTIONS:
        raise BadQuery(f"action={action[:40]!r} is not an audit action; use one of "
                       f"{', '.join(ACTIONS)}")  # fmt: skip
    actor = request.GET.get("actor", "")[:150]
    since = request.GET.get("since", "")[:10]
    found = trail(since_date(since), action or None, actor or None).reverse()
    paginator = Paginator(found, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    chosen = {key: value for key, value in
              (("action", action), ("actor", actor), ("since", since)) if value}  # fmt: skip

    def url(number: int) -> str:
        return "/staff/audit?" + urlencode({**chosen, "page": number})

    context = {
        "events": [event_json(event) for event in page.object_list],
        "total": paginator.count,
        "actions": ACTIONS,
        "action": action,
        "actor": actor,
        "since": since,
        "current": page.number,
        "pages": page_links(page, url),
        "previous_url": page.has_previous() and url(page.number - 1),
        "next_url": page.has_next() and url(page.number + 1),
    }
    return render(request, "opis/audit.html", context)
