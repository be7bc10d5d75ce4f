"""Candidates for the authority: persons the documents name whom the authority does not know.

Most non-US figures are in neither the curated list nor the Office of the Historian's database, so
a sender, an addressee or a side of a conversation often resolves to nobody. Such a person is
still kept (an ``Agent`` of kind person with no ``person_id``, with a page of their own at
/people/agent-<pk>) and is never dropped: this lists them for curators, most documents first, so
the names that matter most are recorded first (``curate.people``: a name recorded for a person of
the authority links every agent written so).
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from opis.records.appearances import page_id
from opis.records.models import Agent


@dataclass
class Candidate:
    """One unknown person: the name as written, their page id and how many documents name them."""

    agent_id: int
    name: str
    documents: int

    @property
    def page(self) -> str:
        return page_id(self.agent_id, "")


def unknown_persons() -> QuerySet[Agent]:
    """Persons named in some document whom the authority does not know, most documents first."""
    return (
        Agent.objects.filter(kind=Agent.Kind.PERSON, person_id="")
        .annotate(documents=Count("roles__document", distinct=True))
        .filter(documents__gt=0)
        .order_by("-documents", "name", "pk")
    )


def candidates(agents) -> list[Candidate]:
    """A page of ``unknown_persons`` as candidates."""
    return [Candidate(a.pk, a.name, a.documents) for a in agents]
