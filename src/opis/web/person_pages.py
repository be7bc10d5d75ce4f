"""A person's page: ``/people/<id>``, everything the archive knows of one person.

The historian who meets "Filippov" on a telegram wants to know it is Stalin, under which names and
in which years, which offices he held then, what else he signed or received and with whom he
corresponded. The identity is the names authority's (``understand.names``: the curated list and
the Office of the Historian's people), with the names and pseudonyms curators recorded
(``PersonName``); the documents, roles and correspondents are the catalogue's
(``records.appearances``), counted as the reader may see them. The JSON of the same person is
``/api/people/<id>`` (``web.api_people``).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opis.errors import NotFound
from opis.records.appearances import (
    AGENT_PREFIX,
    agent_q,
    appearances,
    person_documents,
    person_roles,
)
from opis.records.models import Agent, AgentRole, Document, Mention, PersonMerge, PersonName
from opis.records.visibility import public_q
from opis.understand.names import Person, authority
from opis.web import charts, display, filters
from opis.web.access import staff_view
from opis.web.errors import reports_errors
from opis.web.pagination import numbered_page, page_links

PER_PAGE = 50


@reports_errors
def person_page(request: HttpRequest, person_id: str) -> HttpResponse:
    merged = PersonMerge.objects.filter(person_id=person_id).values_list("into", flat=True).first()
    if merged:  # a curator found this entry to be the same person as another
        return redirect("person", person_id=merged)
    public = not staff_view(request)
    found = appearances(person_id, public)
    person = authority().get(person_id)
    if person is None and not found.documents:
        raise NotFound(
            f"no person with id {person_id!r} in this archive; "
            "find one by name with /api/people?q=NAME"
        )
    person = person or _unlisted(person_id)
    for entry in found.wrote_to_them + found.they_wrote_to + found.through + found.carried_for:
        entry.name = _name(entry.person_id) or entry.name  # the authority's, not as written
    page = numbered_page(person_documents(person_id, public), request, PER_PAGE, "this person")
    mentioned, mentioned_count = _mentioned(person_id, public)
    strip = charts.role_strip(found.by_role, display.ROLE_NAMES)
    context = {
        "person": person,
        "life": _life(person),
        "pseudonyms": person.pseudonyms,
        "recorded": list(PersonName.objects.filter(person_id=person_id)),
        "variants": [v for v in person.variants if v != person.canonical],
        "found": found,
        "strip": strip,
        "role_rows": [
            (display.ROLE_NAMES.get(role, role), years.get(None, 0), sum(years.values()))
            for role, years in found.by_role.items()
        ],
        "page": page,
        "mentioned": mentioned,
        "mentioned_count": mentioned_count,
        "documents": _documents(person_id, list(page.object_list)),
        "pages": page_links(page, lambda n: f"?page={n}"),
        "search_url": filters.search_url(
            f'person:"{person.canonical}"'
            if person_id.startswith(AGENT_PREFIX)
            else f"person:{person_id}"
        ),  # fmt: skip
        "correspondence": [
            ("wrote-to-them", f"Who wrote to {person.display}", found.wrote_to_them),
            ("they-wrote-to", f"To whom {person.display} wrote", found.they_wrote_to),
            ("through", "Through whom (intermediaries)", found.through),
            ("carried-for", f"For whom {person.display} carried documents", found.carried_for),
        ],
    }
    return render(request, "opis/person.html", context)


def _life(person: Person) -> str:
    if person.born and person.died:
        return f"{person.born}–{person.died}"
    if person.born:
        return f"born {person.born}"
    return f"died {person.died}" if person.died else ""


def _name(person_id: str) -> str:
    known = authority().get(person_id)
    return known.canonical if known else ""


def _unlisted(person_id: str) -> Person:
    """An agent the authority does not know (an organisation, a name that resolved to nobody),
    or a person an earlier ingest linked whom it no longer lists: named as written."""
    agents = Agent.objects.filter(
        pk__in=AgentRole.objects.filter(agent_q(person_id)).values("agent")
    )
    agent = agents.first()
    written = agent.name if agent else person_id
    kind = "" if agent is None or agent.kind == Agent.Kind.PERSON else "An organisation."
    return Person(id=person_id, canonical=written, display=written, description=kind)


def _mentioned(person_id: str, public: bool) -> tuple[list[dict], int]:
    """The documents whose text names the person (``Mention``) without their being an agent of
    it, the first ``PER_PAGE`` in date order, each with the forms written and how sure the link
    is; and how many there are (``person:`` finds them all)."""
    rows = Mention.objects.filter(person_id=person_id).exclude(
        document_id__in=person_roles(person_id, public).values("document_id")
    )
    if public:
        rows = rows.filter(public_q("document__"))
    documents = Document.objects.filter(pk__in=rows.values("document_id")).order_by(
        "date_start", "id"
    )
    count = documents.count()
    shown = list(documents[:PER_PAGE])
    forms: dict[str, dict[str, float]] = {d.pk: {} for d in shown}
    for document_id, form, confidence in rows.filter(document_id__in=list(forms)).values_list(
        "document_id", "form", "confidence"
    ):
        forms[document_id][form] = max(confidence, forms[document_id].get(form, 0.0))
    entries = [
        {
            "document": d,
            "date": display.date_text(d),
            "written": " · ".join(forms[d.pk]),
            "confidence": max(forms[d.pk].values(), default=0.0),
        }
        for d in shown
    ]
    return entries, count


def _documents(person_id: str, documents: list) -> list[dict]:
    """Each document of the page with the person's roles there and the names it uses."""
    roles: dict[str, list[str]] = {d.pk: [] for d in documents}
    written: dict[str, list[str]] = {d.pk: [] for d in documents}
    for role in AgentRole.objects.filter(
        agent_q(person_id), document_id__in=list(roles)
    ).select_related("agent"):
        words = display.ROLE_NAMES.get(role.role, role.role)
        if words not in roles[role.document_id]:
            roles[role.document_id].append(words)
        for name in (role.agent.name, role.signed_as):
            if name and name not in written[role.document_id]:
                written[role.document_id].append(name)
    return [
        {
            "document": d,
            "date": display.date_text(d),
            "roles": ", ".join(roles[d.pk]),
            "written": " · ".join(written[d.pk]),
        }
        for d in documents
    ]
