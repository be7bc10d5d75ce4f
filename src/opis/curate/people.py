"""Merging two persons of the authority, and splitting them again.

The names authority (``understand.names``) sometimes holds one person twice (two spellings
catalogued apart). A curator merges them: every agent linked to ``person_id`` is linked to
``into`` instead, and a ``PersonMerge`` row makes every later ingest do the same
(``ingest.catalogue``). Splitting deletes the row and links each agent to what its own name
resolves to again. Both are recorded in the audit trail (PREMIS "metadata modification") and
queue the documents concerned for the search index (its person facet).
"""

from django.db import transaction
from django.utils import timezone

from opis.errors import BadEdit, NotFound
from opis.records.audit import METADATA_MODIFICATION, record_event
from opis.records.models import Agent, AgentRole, IndexChange, PersonMerge
from opis.understand.names import authority, resolve

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
        own = [a.pk for a in Agent.objects.filter(person_id=merge.into) if _resolves(a, person_id)]
        merge.delete()
        moved = _relink(Agent.objects.filter(pk__in=own), person_id)
        record_event(
            actor, METADATA_MODIFICATION, f"person:{person_id}",
            split_from=merge.into, agents=moved, comment=comment,
        )  # fmt: skip
    return moved


def merges() -> list[PersonMerge]:
    return list(PersonMerge.objects.order_by("-created_at"))


def _resolves(agent: Agent, person_id: str) -> bool:
    person = resolve(agent.name)
    return person is not None and person.id == person_id


def _relink(agents, person_id: str) -> int:
    ids = list(agents.values_list("pk", flat=True))
    Agent.objects.filter(pk__in=ids).update(person_id=person_id)
    documents = AgentRole.objects.filter(agent_id__in=ids).values_list("document_id", flat=True)
    IndexChange.objects.bulk_create(IndexChange(document_id=d) for d in set(documents))
    return len(ids)
