"""People in the API: persons of the names authority and the documents in which they appear.

A historian looks for a person, not a spelling: ``/api/people?q=Filippov`` answers Stalin, whose
pseudonym it was, and ``/api/people/stalin-iosif`` lists every document whose agents the ingest
linked to him (``Agent.person_id``), whatever name the document used. Matching is the authority's
(``opis.understand.names``): by normalised name key, never by similarity.
"""

from django.db.models import Count
from django.http import HttpRequest
from ninja import Path, Query, Router

from opis.errors import NotFound
from opis.records.models import Agent, AgentRole, Document
from opis.records.visibility import public_q, visible_documents
from opis.understand.names import Person, authority, candidates, person_json, resolve
from opis.web.access import staff_view
from opis.web.api_schemas import ERRORS, PeopleOut, PersonOut, document_brief
from opis.web.pagination import (
    CURSOR,
    MAX_LIMIT,
    BadCursor,
    choose_limit,
    keyset_page,
    make_cursor,
    next_url,
    read_cursor,
)

people_router = Router(tags=["people"])
LIMIT = Query(None, ge=1, le=MAX_LIMIT, description=f"People per page, 1 to {MAX_LIMIT}")


@people_router.get("", response={200: PeopleOut, **ERRORS}, summary="Find people")
def list_people(
    request: HttpRequest,
    q: str = Query(
        None,
        description="A name in any spelling or script",
        example="Filippov",
    ),
    limit: int = LIMIT,
    cursor: str = CURSOR,
):
    """With ``q``: everyone the name may stand for, strongest claim first (``resolved`` names the
    one person when it is unambiguous); the authority's list is fixed while the server runs, so
    this cursor holds an offset. Without ``q``: every person named in the archive's documents, by
    id, keyset paginated."""
    position = read_cursor("people", cursor, "q") if cursor else None
    query = (q or "").strip()
    if position:
        if q is not None and query != position.filters["q"]:
            raise BadCursor(f"q={q!r} does not fit the cursor; drop q= or drop cursor=")
        query = position.filters["q"]
    size = choose_limit(limit, position, 20)
    if query:
        page, total, token = _named(query, position, size)
        found = resolve(query)
    else:
        page, total, token = _in_archive(position, size, staff_view(request))
        found = None
    counts = _document_counts([p.id for p in page], staff_view(request))
    return {
        "query": query,
        "resolved": found.id if found else None,
        "total": total,
        "limit": size,
        "next": next_url(request, token),
        "results": [_person_brief(request, p, counts.get(p.id, 0)) for p in page],
    }


@people_router.get("/{person_id}", response={200: PersonOut, **ERRORS}, summary="A person")
def get_person(
    request: HttpRequest,
    person_id: str = Path(..., example="stalin-iosif"),
    limit: int = LIMIT,
    cursor: str = CURSOR,
):
    """The person under every name the authority knows, and the documents naming them in date
    order (keyset paginated), each with the roles and the name as that document writes it."""
    scope = f"person:{person_id}"
    position = read_cursor(scope, cursor) if cursor else None
    size = choose_limit(limit, position, 50)
    named = visible_documents(request.user).filter(
        id__in=AgentRole.objects.filter(agent__person_id=person_id).values("document_id")
    )
    person = authority().get(person_id) if person_id else None
    total = named.count() if person_id else 0
    if person is None and not total:
        raise NotFound(f"no person with id {person_id!r}; find one with /api/people?q=NAME")
    person = person or _unlisted(person_id)
    documents, token = keyset_page(scope, named, position, size)
    appearances = _appearances(person_id, [d.id for d in documents])
    record = person_json(person)
    return {
        **record,
        "display": person.display,
        "roles": list(person.roles),
        "description": person.description,
        "born": person.born,
        "died": person.died,
        "original": dict(person.original),
        "sources": list(person.sources),
        "total": total,
        "limit": size,
        "next": next_url(request, token),
        "documents": [{**document_brief(d), **appearances[d.id]} for d in documents],
    }


def _named(query: str, position, size: int) -> tuple[list[Person], int, str | None]:
    everyone = candidates(query)
    offset = position.offset() if position else 0
    page = everyone[offset : offset + size]
    more = offset + size < len(everyone)
    token = make_cursor("people", [offset + size], size, q=query) if more else None
    return page, len(everyone), token


def _in_archive(position, size: int, staff: bool) -> tuple[list[Person], int, str | None]:
    agents = Agent.objects.exclude(person_id="")
    if not staff:  # people named only in unpublished records are not listed for readers
        agents = agents.filter(roles__document__in=Document.objects.filter(public_q()))
    linked = agents.values_list("person_id", flat=True).distinct()
    ids = linked.order_by("person_id")
    if position:
        [after] = position.key(str)
        ids = ids.filter(person_id__gt=after)
    chosen = list(ids[: size + 1])
    token = make_cursor("people", [chosen[size - 1]], size, q="") if len(chosen) > size else None
    people = authority()
    page = [people.get(pid) or _unlisted(pid) for pid in chosen[:size]]
    return page, linked.count(), token


def _unlisted(person_id: str) -> Person:
    """A person an earlier ingest linked whom the current authority no longer lists: named as the
    documents name them, so the link is shown rather than hidden."""
    written = Agent.objects.filter(person_id=person_id).values_list("name", flat=True).first()
    return Person(id=person_id, canonical=written or person_id, display=written or person_id)


def _document_counts(person_ids: list[str], staff: bool) -> dict[str, int]:
    roles = AgentRole.objects.filter(agent__person_id__in=person_ids)
    if not staff:
        roles = roles.filter(public_q("document__"))
    rows = roles.values("agent__person_id").annotate(n=Count("document", distinct=True))
    return {row["agent__person_id"]: row["n"] for row in rows}


def _appearances(person_id: str, document_ids: list[str]) -> dict[str, dict]:
    """Per document: the person's roles there and the names it writes for them, in order."""
    found = {d: {"roles": [], "written": []} for d in document_ids}
    roles = AgentRole.objects.filter(agent__person_id=person_id, document_id__in=document_ids)
    for role in roles.select_related("agent").order_by("document_id", "position"):
        entry = found[role.document_id]
        for key, value in (
            ("roles", role.role), ("written", role.agent.name), ("written", role.signed_as)
        ):  # fmt: skip
            if value and value not in entry[key]:
                entry[key].append(value)
    return found


def _person_brief(request: HttpRequest, person: Person, documents: int) -> dict:
    return {
        "id": person.id,
        "canonical": person.canonical,
        "display": person.display,
        "documents": documents,
        "url": request.build_absolute_uri(f"/api/people/{person.id}"),
    }
