"""Merging two persons of the authority, and splitting them again.

The names authority (``understand.names``) sometimes holds one person twice (two spellings
catalogued apart). A curator merges them: every agent linked to ``person_id`` is linked to
``into`` instead, and a ``PersonMerge`` row makes every later ingest do the same
(``ingest.catalogue``). Splitting deletes the row and links each agent to what its own name
resolves to again. Both are recorded in the audit trail (PREMIS "metadata modification") and
queue the documents concerned for the search index (its person facet).

A curator also records a person's names and pseudonyms with the years they were used
(``PersonName``): every agent whose name as written is one of them (compared by ``name_key``) is
linked to that person, now and at every later ingest; removing the name links those agents to what
their names resolve to again.
"""

from django.db import transaction
from django.utils import timezone

from opis.errors import BadEdit, NotFound
from opis.records.audit import METADATA_MODIFICATION, record_event
from opis.records.models import Agent, AgentRole, IndexChange, PersonMerge, PersonName
from opis.understand.names import authority, resolve
from opis.understand.romanize import name_key

from .edit import reason_given


def merge_persons(person_id: str, into: str, *, actor: str, comment: str) -> int:
    """Link every agent of ``person_id`` to ``into``; return how many agents moved."""
    comment = reason_given(comment)
    known = authority().persons
    for field, value in (("person_id", person_id), ("into", into)):
        if value not in known:
            raise BadEdit(f"{value!r} is not a person of the authority (see /api/people)", field)
    into = dict(PersonMerge.objects.values_list("person_id", "into")).get(into, into)
    if into == person_id:
        raise BadEdit("a person cannot be merged into themselves", "into")
    with transaction.atomic():
        if PersonMerge.objects.filter(person_id=person_id).exists():
            raise BadEdit("is merged already; split it first", "person_id")
        PersonMerge.objects.create(
            person_id=person_id, into=into, actor=actor, comment=comment,
            created_at=timezone.now(),
        )  # fmt: skip
        PersonMerge.objects.filter(into=person_id).update(into=into)  # no chains
        moved = _relink(Agent.objects.filter(person_id=person_id), into)
        record_event(
            actor, METADATA_MODIFICATION, f"person:{person_id}",
            merged_into=into, agents=moved, comment=comment,
        )  # fmt: skip
    return moved


def split_person(person_id: str, *, actor: str, comment: str) -> int:
    """Undo the merge of ``person_id``; return how many agents went back to it."""
    comment = reason_given(comment)
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().filter(person_id=person_id).first()
        if merge is None:
            raise NotFound(f"{person_id!r} is not merged into anyone; nothing to split")
        curated = PersonName.by_key()
        own = [
            a.pk for a in Agent.objects.filter(person_id=merge.into)
            if _resolves(a, person_id, curated)
        ]  # fmt: skip
        merge.delete()
        moved = _relink(Agent.objects.filter(pk__in=own), person_id)
        record_event(
            actor, METADATA_MODIFICATION, f"person:{person_id}",
            split_from=merge.into, agents=moved, comment=comment,
        )  # fmt: skip
    return moved


def merges() -> list[PersonMerge]:
    return list(PersonMerge.objects.order_by("-created_at"))


FIRST_YEAR, LAST_YEAR = 1000, 2100
NAME_CHARS = 300


def add_name(
    person_id: str, name: str, kind: str, from_year: int | str | None, to_year: int | str | None,
    source: str = "", *, actor: str,
) -> PersonName:  # fmt: skip
    """Record a name or pseudonym of ``person_id`` and link every agent written so to them."""
    person_id, name, source = person_id.strip(), " ".join(name.split()), source.strip()
    if authority().get(person_id) is None:
        unknown = f"{person_id!r} is not a person of the authority (see /api/people)"
        raise BadEdit(unknown, "person_id")
    if not name or not name_key(name):
        raise BadEdit("give the name as written", "name")
    if len(name) > NAME_CHARS:
        raise BadEdit(f"a name has at most {NAME_CHARS} characters", "name")
    if kind not in PersonName.Kind.values:
        raise BadEdit(f"choose one of {', '.join(PersonName.Kind.values)}", "kind")
    start, end = _year(from_year, "from_year"), _year(to_year, "to_year")
    if start is not None and end is not None and start > end:
        raise BadEdit("the last year of use comes before the first", "to_year")
    key = name_key(name)
    with transaction.atomic():
        for other in PersonName.objects.select_for_update().exclude(person_id=person_id):
            if name_key(other.name) == key:
                taken = f"is recorded already for {other.person_id}; remove it there first"
                raise BadEdit(taken, "name")
        row = PersonName.objects.create(
            person_id=person_id, name=name, kind=kind, from_year=start, to_year=end,
            source=source, actor=actor, created_at=timezone.now(),
        )  # fmt: skip
        into = dict(PersonMerge.objects.values_list("person_id", "into")).get(person_id, person_id)
        written = [a.pk for a in _written_as(key) if a.person_id != into]
        moved = _relink(Agent.objects.filter(pk__in=written), into)
        record_event(
            actor, METADATA_MODIFICATION, f"person:{person_id}",
            name_added=name, kind=kind, from_year=start, to_year=end, source=source, agents=moved,
        )  # fmt: skip
    return row


def remove_name(name_id: int, *, actor: str) -> int:
    """Remove a recorded name; its agents are linked to what their names resolve to again.
    Return how many agents moved."""
    with transaction.atomic():
        row = PersonName.objects.select_for_update().filter(pk=name_id).first()
        if row is None:
            raise NotFound(f"no recorded name {name_id}")
        row.delete()
        merged = dict(PersonMerge.objects.values_list("person_id", "into"))
        curated = PersonName.by_key()
        moved = 0
        for agent in _written_as(name_key(row.name)):
            person = resolve(agent.name)
            person_id = curated.get(name_key(agent.name)) or (person.id if person else "")
            person_id = merged.get(person_id, person_id)
            if agent.person_id != person_id:
                moved += _relink(Agent.objects.filter(pk=agent.pk), person_id)
        record_event(
            actor, METADATA_MODIFICATION, f"person:{row.person_id}",
            name_removed=row.name, kind=row.kind, agents=moved,
        )  # fmt: skip
    return moved


def names_of(person_id: str | None = None) -> list[PersonName]:
    """Recorded names, of one person or of all."""
    rows = PersonName.objects.all()
    return list(rows.filter(person_id=person_id) if person_id else rows)


def _year(value: int | str | None, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        year = int(value)
    except ValueError:
        raise BadEdit("give a year as digits, e.g. 1945", field) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadEdit(f"a year between {FIRST_YEAR} and {LAST_YEAR}", field)
    return year


def _written_as(key: str) -> list[Agent]:
    """The person agents whose name as written has ``key``."""
    agents = Agent.objects.filter(kind=Agent.Kind.PERSON).only("pk", "name", "person_id")
    return [agent for agent in agents if name_key(agent.name) == key]


def _resolves(agent: Agent, person_id: str, curated: dict[str, str]) -> bool:
    """Whether the agent's name stands for ``person_id``: a recorded name first, else the
    authority."""
    if recorded := curated.get(name_key(agent.name)):
        return recorded == person_id
    person = resolve(agent.name)
    return person is not None and person.id == person_id


def _relink(agents, person_id: str) -> int:
    ids = list(agents.values_list("pk", flat=True))
    Agent.objects.filter(pk__in=ids).update(person_id=person_id)
    documents = AgentRole.objects.filter(agent_id__in=ids).values_list("document_id", flat=True)
    IndexChange.objects.bulk_create(IndexChange(document_id=d) for d in set(documents))
    return len(ids)
