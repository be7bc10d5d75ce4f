"""A person's part in the archive: their documents by role and year, and their correspondents.

Roles are the catalogue's (``AgentRole``): a signatory or author *sends*; an addressee, an
alternative recipient or a copy recipient *receives*; an intermediary *carries* (Roshchin handed
Stalin's telegram to Mao). So the people who wrote to someone are the senders of the documents
they received, those they wrote to are the receivers of what they sent, and those through whom
they corresponded are the intermediaries of either; an intermediary carried for the senders
and receivers of what they carried. A person named twice in one document (Stalin
signs the seed and is a copy recipient of it) is never their own correspondent.

Only documents the reader may see count (``visibility.public_q``): a draft names nobody to them.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet

from opis.records.models import AgentRole, AgentRoleKind, Document
from opis.records.visibility import public_q

SENDS = {AgentRoleKind.AUTHOR, AgentRoleKind.SIGNATORY}
RECEIVES = {
    AgentRoleKind.ADDRESSEE,
    AgentRoleKind.ALTERNATIVE_RECIPIENT,
    AgentRoleKind.COPY_RECIPIENT,
}
CARRIES = {AgentRoleKind.INTERMEDIARY}
ROLE_ORDER = [kind.value for kind in AgentRoleKind]
AGENT_PREFIX = "agent-"  # the page id of an agent the authority does not know: agent-<pk>


def page_id(agent_pk: int, person_id: str) -> str:
    """The id of whom an agent stands for: their authority entry, else the agent itself (an
    organisation, or a name that resolved to nobody), so every name has a page."""
    return person_id or f"{AGENT_PREFIX}{agent_pk}"


def agent_q(person_id: str) -> Q:
    """The agent roles of a page id (``page_id``)."""
    number = person_id.removeprefix(AGENT_PREFIX)
    if person_id.startswith(AGENT_PREFIX) and number.isdigit():
        return Q(agent_id=int(number), agent__person_id="")
    return Q(agent__person_id=person_id)


@dataclass
class Correspondent:
    """Someone on the other side of a person's documents; ``person_id`` is their page id
    (``page_id``)."""

    name: str
    person_id: str
    documents: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.documents)

    @property
    def first(self) -> int | None:
        return min(self.years) if self.years else None

    @property
    def last(self) -> int | None:
        return max(self.years) if self.years else None


@dataclass
class Appearances:
    documents: int = 0
    by_role: dict[str, dict[int | None, int]] = field(default_factory=dict)  # role → year → n
    wrote_to_them: list[Correspondent] = field(default_factory=list)
    they_wrote_to: list[Correspondent] = field(default_factory=list)
    through: list[Correspondent] = field(default_factory=list)
    carried_for: list[Correspondent] = field(default_factory=list)  # as an intermediary


def person_roles(person_id: str, public: bool = True) -> QuerySet[AgentRole]:
    roles = AgentRole.objects.filter(agent_q(person_id))
    return roles.filter(public_q("document__")) if public else roles


def person_documents(person_id: str, public: bool = True) -> QuerySet[Document]:
    """The documents naming the person, in date order (undated last), ids breaking ties."""
    documents = Document.objects.filter(
        pk__in=person_roles(person_id, public).values("document_id")
    )
    return documents.order_by("date_start", "id")


def appearances(person_id: str, public: bool = True) -> Appearances:
    """Counts by role and year (a document counts once per role), and the correspondents."""
    own = list(person_roles(person_id, public).values_list("document_id", "role"))
    found = Appearances(documents=len({d for d, _ in own}))
    if not own:
        return found
    days: dict[str, date | None] = dict(
        Document.objects.filter(pk__in={d for d, _ in own}).values_list("pk", "date_start")
    )
    counted: set[tuple[str, str]] = set()
    sent, received, carried = set(), set(), set()
    for document_id, role in own:
        day = days.get(document_id)
        if (document_id, role) not in counted:
            counted.add((document_id, role))
            years = found.by_role.setdefault(role, {})
            years[day.year if day else None] = years.get(day.year if day else None, 0) + 1
        if role in SENDS:
            sent.add(document_id)
        if role in RECEIVES:
            received.add(document_id)
        if role in CARRIES:
            carried.add(document_id)
    found.by_role = {r: found.by_role[r] for r in ROLE_ORDER if r in found.by_role}
    others = (
        AgentRole.objects.filter(document_id__in=sent | received | carried)
        .exclude(agent_q(person_id))
        .values_list("document_id", "role", "agent__name", "agent__person_id", "agent_id")
    )
    sides: dict[str, dict[str, Correspondent]] = {"from": {}, "to": {}, "via": {}, "for": {}}
    for document_id, role, name, person, agent in others:
        other_id = page_id(agent, person)
        side = None
        if role in SENDS and document_id in received:
            side = "from"
        elif role in RECEIVES and document_id in sent:
            side = "to"
        elif role in CARRIES and document_id in sent | received:
            side = "via"
        elif role in SENDS | RECEIVES and document_id in carried:
            side = "for"
        if side is None:
            continue
        entry = sides[side].setdefault(other_id, Correspondent(name, other_id))
        entry.documents.add(document_id)
        if days.get(document_id):
            entry.years.add(days[document_id].year)  # type: ignore[union-attr]
    ranked = {k: sorted(v.values(), key=lambda c: (-c.count, c.name)) for k, v in sides.items()}
    found.wrote_to_them, found.they_wrote_to = ranked["from"], ranked["to"]
    found.through, found.carried_for = ranked["via"], ranked["for"]
    return found
