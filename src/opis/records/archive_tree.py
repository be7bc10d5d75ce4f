"""The archives as a tree: repository → fond → opis → delo, or repository → series → file.

A historian thinks of a document as sitting in a file of a series of an archive, and wants to see
what else sits beside it. Each archival system fills different fields of ``ArchivalLocation``
(``understand/archives``): Soviet and Russian archives fond, opis and delo; the National Archives
of Australia a series and a control symbol; NARA a record group ("RG 59", kept in ``series``) and a
decimal or lot file (``control_symbol``); the Bundesarchiv and TNA a series and a piece; citations
no rule understood only a ``reference``. A node of the tree is a repository and the values of a
prefix of one of these hierarchies, so the tree is read from the catalogue as it stands: no table
of its own to keep in step.

A document may have several locations (the seed is in APRF, AVP RF and RGASPI); it counts once at
every node any of them reaches. Readers count and see only what they may see
(``visibility.public_q``): a node held only by unpublished records does not exist for them.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote, urlencode

from django.db.models import Count, F, Max, Min, QuerySet
from django.db.models.functions import Coalesce

from opis.errors import BadQuery, NotFound
from opis.records.models import ArchivalLocation, Document
from opis.records.visibility import public_q
from opis.understand.archives.repositories import BY_KEY

# The hierarchies, tried in this order: the first whose top field a node's locations fill.
HIERARCHIES = (("fond", "opis", "delo"), ("series", "control_symbol"), ("reference",))
LEVEL_FIELDS = tuple(f for hierarchy in HIERARCHIES for f in hierarchy)
LABELS = {
    "fond": "Fond",
    "opis": "Opis",
    "delo": "Delo",
    "series": "Series",
    "control_symbol": "File",
    "reference": "Reference",
}
# What each system calls its levels, where that differs from the labels above.
SYSTEM_LABELS = {
    "NAA": {"control_symbol": "Control symbol"},
    "NARA": {"series": "Record group", "control_symbol": "File (decimal or lot)"},
    "Department of State": {"series": "Record group", "control_symbol": "File (decimal or lot)"},
    "BArch": {"series": "Signature", "control_symbol": "Volume"},
    "TNA": {"series": "Series", "control_symbol": "Piece"},
}
UNNAMED = "-"  # the URL of locations that name no repository ("RG 59, 611.61/7-1350")


@dataclass
class Level:
    """One step on the way down: its field, label, value and the URL of the node it opens."""

    field: str
    label: str
    value: str
    url: str


@dataclass
class Child:
    label: str
    value: str
    url: str
    count: int
    first: date | None
    last: date | None
    span: str = ""  # "1945–1983", as the page writes it


@dataclass
class Node:
    repository: str
    repository_name: str
    path: list[Level]  # below the repository, top first
    count: int
    first: date | None
    last: date | None
    child_label: str = ""  # "Fond", "Series": what the children are
    child_heading: str = ""  # "Fonds", "Opisi": their heading
    children: list[Child] = field(default_factory=list)


PLURALS = {"Series": "Series", "Opis": "Opisi", "Delo": "Dela", "Fond": "Fonds"}


def plural(level_label: str) -> str:
    """ "Opisi", "Dela", "Series", "Control symbols": the heading over a node's children."""
    return PLURALS.get(level_label, level_label + "s")


def label(repository: str, field_name: str) -> str:
    return SYSTEM_LABELS.get(repository, {}).get(field_name, LABELS[field_name])


def repository_name(repository: str) -> str:
    """The repository's full name, when the table of repositories knows it."""
    if repository == UNNAMED:
        return "Repository not named in the citation"
    known = BY_KEY.get(repository)
    return known.name if known else repository


def node_url(repository: str, path: list[tuple[str, str]]) -> str:
    """``/archives/APRF?fond=45&opis=1``: the values as query parameters, because a control
    symbol may hold "/" ("3103/10/11") and so cannot be a path segment."""
    url = f"/archives/{quote(repository or UNNAMED, safe='')}"
    return url + ("?" + urlencode(path) if path else "")


def natural_key(value: str) -> tuple:
    """Fond 45 before fond 558, opis 5a after opis 5: numbers compared as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.findall(r"\d+|\D+", value)
    )


def _locations(repository: str, public: bool) -> QuerySet[ArchivalLocation]:
    found = ArchivalLocation.objects.filter(repository="" if repository == UNNAMED else repository)
    return found.filter(public_q("document__")) if public else found


def repositories(public: bool = True) -> list[Child]:
    """Every repository the catalogue's locations name, with counts and spans."""
    found = ArchivalLocation.objects.all()
    if public:
        found = found.filter(public_q("document__"))
    rows = _summaries(found, "repository")
    children = [
        Child(
            label="Repository",
            value=repository_name(row["repository"] or UNNAMED),
            url=node_url(row["repository"], []),
            count=row["count"],
            first=row["first"],
            last=row["last"],
        )  # fmt: skip
        for row in rows
    ]
    return sorted(children, key=lambda c: c.value.casefold())


def hierarchy_of(locations: QuerySet[ArchivalLocation], chosen: list[str]) -> tuple[str, ...]:
    """The hierarchy a node follows: the one its path began, else the first its locations fill."""
    for hierarchy in HIERARCHIES:
        if chosen and chosen[0] == hierarchy[0]:
            return hierarchy
    if chosen:
        raise BadQuery(
            f"{chosen[0]}= cannot begin a path; it begins with one of "
            + ", ".join(h[0] for h in HIERARCHIES)
        )
    for hierarchy in HIERARCHIES:
        if locations.exclude(**{hierarchy[0]: ""}).exists():
            return hierarchy
    return ()


def node(repository: str, path: list[tuple[str, str]], public: bool = True) -> Node:
    """The node ``path`` names below ``repository``, with its children; NotFound when no
    location (that the reader may see) is filed there."""
    locations = _locations(repository, public)
    chosen = [name for name, _ in path]
    hierarchy = hierarchy_of(locations, chosen)
    if chosen != list(hierarchy[: len(chosen)]):
        raise BadQuery(
            f"the path {', '.join(chosen)} does not follow one archival hierarchy; "
            f"these go together: {'; '.join(' → '.join(h) for h in HIERARCHIES)}"
        )
    here = locations.filter(**dict(path))
    summary = here.aggregate(
        count=Count("document", distinct=True),
        first=Min("document__date_start"),
        last=Max(Coalesce("document__date_end", "document__date_start")),
    )
    if not summary["count"]:
        where = " ".join(f"{n} {v}" for n, v in path)
        raise NotFound(
            f"no document in this archive is filed in {repository} {where}".strip()
            + "; the archives are listed at /archives/"
        )
    levels = [
        Level(name, label(repository, name), value, node_url(repository, path[: i + 1]))
        for i, (name, value) in enumerate(path)
    ]
    result = Node(
        repository=repository,
        repository_name=repository_name(repository),
        path=levels,
        count=summary["count"], first=summary["first"], last=summary["last"],
    )  # fmt: skip
    if len(chosen) < len(hierarchy):
        below = hierarchy[len(chosen)]
        result.child_label = label(repository, below)
        result.child_heading = plural(result.child_label)
        rows = _summaries(here.exclude(**{below: ""}), below)
        result.children = sorted(
            (
                Child(
                    label=result.child_label,
                    value=row[below],
                    url=node_url(repository, [*path, (below, row[below])]),
                    count=row["count"],
                    first=row["first"],
                    last=row["last"],
                )  # fmt: skip
                for row in rows
            ),
            key=lambda c: natural_key(c.value),
        )
    return result


def node_documents(repository: str, path: list[tuple[str, str]], public: bool = True):
    """The documents filed at the node, in date order (undated first), ids breaking ties."""
    held = _locations(repository, public).filter(**dict(path)).values("document_id")
    documents = Document.objects.filter(pk__in=held)
    if public:
        documents = documents.filter(public_q())
    # undated first on both backends (PostgreSQL puts NULLs last unless told)
    return documents.order_by(F("date_start").asc(nulls_first=True), "id")


def folios_at(repository: str, path: list[tuple[str, str]], document_ids) -> dict[str, str]:
    """Where each document lies below the node, as an archivist writes it ("d. 331, l. 85"):
    the levels under the node and the papka and folios, for a list of documents."""
    below = [f for f in LEVEL_FIELDS if f not in dict(path)]
    found: dict[str, list[str]] = {}
    shorthand = {"opis": "op.", "delo": "d.", "fond": "f.", "papka": "p.", "folios": "l."}
    for location in _locations(repository, public=False).filter(
        **dict(path), document_id__in=list(document_ids)
    ):
        parts = [
            f"{shorthand.get(name, '')} {getattr(location, name)}".strip()
            for name in (*below, "papka", "folios")
            if getattr(location, name) and name != "reference"
        ]
        if parts:
            found.setdefault(location.document_id, []).append(", ".join(parts))
    return {d: "; ".join(p) for d, p in found.items()}


def _summaries(locations: QuerySet[ArchivalLocation], by: str) -> list[dict]:
    return list(
        locations.values(by)
        .annotate(
            count=Count("document", distinct=True),
            first=Min("document__date_start"),
            last=Max(Coalesce("document__date_end", "document__date_start")),
        )
        .order_by(by)
    )


def location_path(location: ArchivalLocation) -> list[Level]:
    """The repository and each level a location fills, each linked to its node: what the
    document page shows, so a reader can go up from the document to its delo, opis, fond."""
    repository = location.repository or UNNAMED
    steps = [Level("repository", "Repository", location.repository or repository_name(UNNAMED),
                   node_url(location.repository, []))]  # fmt: skip
    for hierarchy in HIERARCHIES:
        if getattr(location, hierarchy[0]):
            path: list[tuple[str, str]] = []
            for name in hierarchy:
                value = getattr(location, name)
                if not value:
                    break
                path.append((name, value))
                url = node_url(repository, path)
                steps.append(Level(name, label(repository, name), value, url))
            break
    return steps


def path_from(params) -> list[tuple[str, str]]:
    """The (field, value) path from a request's query parameters, in hierarchy order."""
    unknown = sorted(set(params) - set(LEVEL_FIELDS) - {"page", "format"})
    if unknown:
        raise BadQuery(
            f"{', '.join(unknown)} is not a level of the archive tree; "
            f"the levels are {', '.join(LEVEL_FIELDS)}"
        )
    return [(name, params[name]) for name in LEVEL_FIELDS if params.get(name)]
