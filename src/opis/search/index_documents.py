"""The index's view of a record: what ``IndexFeed`` adds to Tantivy for each document, read
back from the catalogue.

Plain SQL through Django's connection, a handful of queries per chunk of ids whatever its size
(no ORM lookups or model instances): this is the hot path of ingest and reindex. The texts a
plain query searches, every form of the names of the persons involved, the places and the
archive references become the fields ``search/index.py`` declares.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import date

import tantivy
from django.db import connection
from django.db.models import Model

from opis.records.chunks import chunked
from opis.records.models import (
    Agent,
    AgentRole,
    ArchivalLocation,
    Collection,
    Document,
    Mention,
    Text,
)
from opis.search.common_pairs import pairs_of_texts
from opis.search.index import (
    PAIRS_FIELD,
    TEXT_FIELDS,
    YEARS_FIELD,
    canonical_archive_key,
    day_number,
    public_from,
    years_covered,
)
from opis.search.name_forms import person_named
from opis.understand.cable import cable_numbers
from opis.understand.names import authority, search_terms
from opis.understand.places import places_named, resolve_place


def index_documents(ids: Iterable[str]) -> Iterator[tuple[str, tantivy.Document]]:
    """The index's view of each record, read with plain value queries (no model instances).

    A handful of queries per chunk, whatever its size: this is the hot path of ingest and reindex.
    """
    ids = list(ids)
    if not ids:
        return
    texts = _rows_by_document(_loader_sql("texts"), ids)
    places = _rows_by_document(_loader_sql("places"), ids)
    people = _rows_by_document(_loader_sql("people"), ids)
    links = _rows_by_document(_loader_sql("links"), ids)
    mentioned = _rows_by_document(_loader_sql("mentions"), ids)  # persons named in the text
    for row in _select(_loader_sql("documents"), ids):
        doc_id = row[0]
        yield doc_id, _index_document(
            dict(zip(_DOCUMENT_FIELDS, row, strict=True)), texts.get(doc_id, []),
            places.get(doc_id, []), people.get(doc_id, []), links.get(doc_id, []),
            mentioned.get(doc_id, []),
        )  # fmt: skip


_DOCUMENT_FIELDS = (
    "id", "title", "summary", "citation", "doc_number", "classification", "doc_type",
    "original_languages", "date_display", "date_precision", "date_start", "date_end", "cable",
    "status", "embargo_until",
)  # fmt: skip


def _loader_sql(name: str) -> str:
    """One of the loader's queries, spelt with the connection's own quoting (the same on SQLite
    and PostgreSQL) and in the order the models' default ordering gives."""
    q = connection.ops.quote_name

    def col(model, field: str) -> str:
        return f"{q(model._meta.db_table)}.{q(model._meta.get_field(field).column)}"

    def join(model, key: str, other) -> str:
        return f" INNER JOIN {q(other._meta.db_table)} ON {col(model, key)} = {col(other, 'id')}"

    def order(model) -> list[str]:
        return [
            col(model, f.lstrip("-")) + (" DESC" if f.startswith("-") else "")
            for f in model._meta.ordering
        ]

    through = Document.collections.through
    loaders: dict[str, tuple[type[Model], list[str], str]] = {
        "texts": (Text, [col(Text, "body")], ""),
        "places": (
            ArchivalLocation,
            [col(ArchivalLocation, f) for f in ("repository", "raw", "fond")],
            "",
        ),
        "people": (
            AgentRole,
            [
                col(Agent, "name"),
                col(AgentRole, "signed_as"),
                col(Agent, "person_id"),
                col(AgentRole, "role"),
            ],
            join(AgentRole, "agent", Agent),
        ),
        "links": (through, [col(Collection, "slug")], join(through, "collection", Collection)),
        "mentions": (Mention, [col(Mention, "person_id")], ""),
        "documents": (Document, [col(Document, f) for f in _DOCUMENT_FIELDS[1:]], ""),
    }
    model, selected, joined = loaders[name]
    key = col(model, "id" if model is Document else "document")
    sql = f"SELECT {', '.join([key, *selected])} FROM {q(model._meta.db_table)}{joined}"
    sql += f" WHERE {key} IN ({{marks}})"
    return sql + (f" ORDER BY {', '.join(order(model))}" if model._meta.ordering else "")


def _select(sql: str, ids: list[str]) -> list[tuple]:
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for part in chunked(ids):  # a fixed number of parameters per statement (records.chunks)
            cursor.execute(sql.format(marks=", ".join(["%s"] * len(part))), part)
            rows += cursor.fetchall()
    return rows


def _rows_by_document(sql: str, ids: list[str]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = {}
    for row in _select(sql, ids):
        grouped.setdefault(row[0], []).append(row[1:])
    return grouped


def _as_date(value) -> date | None:
    """SQLite hands dates back as text, PostgreSQL as dates."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _as_list(value) -> list:
    """JSON columns come back as text through a plain cursor (Django asks psycopg for that too)."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _index_document(row, texts, places, people, links, mentioned=()) -> tantivy.Document:
    cable = _as_dict(row["cable"])
    parties = _parties(people, cable)
    # Persons the text names (``Mention``) are found by the person facet and ``person:`` too.
    parties["person_id"] = sorted({*parties["person_id"], *(pid for (pid,) in mentioned)})
    repositories = {repository for repository, _, _ in places if repository}
    extra = [row["citation"], row["doc_number"], row["classification"]]
    extra += [raw for _, raw, _ in places]
    classification = row["classification"] or cable.get("classification") or ""
    fields = {
        "id": row["id"],
        "title": row["title"],
        "summary": row["summary"],
        "body": "\n\n".join(body for (body,) in texts),
        "extra": "\n".join(e for e in extra if e),
        **parties,
        "doc_type": row["doc_type"] or "document",
        "lang": _as_list(row["original_languages"]) or ["und"],
        "repository": sorted(repositories),
        "archive_key": sorted({canonical_archive_key(r) for r in repositories}),
        "collection": [slug for (slug,) in links],
        "number": sorted({n for n in cable_numbers(cable.get("number") or "") if n}),
        "fond": sorted({fond.lower() for _, _, fond in places if fond}),
        "classification": " ".join(classification.upper().split()),
        "place_id": document_places(row["title"], cable),
        "date_display": row["date_display"] or "",
        "precision": row["date_precision"] or "unknown",
        "status": row["status"],
        "public_from": public_from(row["status"], _as_date(row["embargo_until"])),
    }
    fields[PAIRS_FIELD] = pairs_of_texts([fields[name] for name in TEXT_FIELDS])
    fields["words"] = "\n".join(
        fields[name] for name in ("title", "summary", "body", "extra", "person") if fields[name]
    )
    start, end = _as_date(row["date_start"]), _as_date(row["date_end"])
    if start:
        fields["year"] = start.year
        fields["date_start"] = day_number(start)
        fields["date_end"] = day_number(end or start)
        fields[YEARS_FIELD] = years_covered(start, end or start)
    return tantivy.Document(**{k: v for k, v in fields.items() if v not in ("", [])})


_FROM_ROLES = {"author", "signatory"}
_TO_ROLES = {"addressee", "alternative_recipient"}


def _parties(people: list[tuple], cable: dict) -> dict:
    """Who a document is from, to and via, in every form of their names (for ``from:`` …)."""
    forms: dict[str, list[str]] = {"person": [], "from": [], "to": [], "via": []}
    person_ids, signed = [], [s for _, s, _, _ in people if s] + [cable.get("signed_as") or ""]
    for name, signed_as, person_id, role in people:
        names = [name, signed_as, *_person_forms(person_id)]
        forms["person"] += names
        side = "from" if role in _FROM_ROLES else "to" if role in _TO_ROLES else ""
        side = "via" if role == "intermediary" else side
        if side:
            forms[side] += names
        if person_id:
            person_ids.append(person_id)
    forms["from"].append(cable.get("origin") or "")
    forms["to"] += [cable.get("destination") or ""] + list(cable.get("addressees") or [])
    forms["to"] += list(cable.get("recipients_any_of") or [])
    forms["via"].append(cable.get("intermediary") or "")
    joined = {
        key: "\n".join(dict.fromkeys(f for f in values if f)) for key, values in forms.items()
    }
    return {
        "person": joined["person"],
        "person_id": sorted(set(person_ids)),
        "signed_as": "\n".join(s for s in signed if s),
        "from_text": joined["from"],
        "to_text": joined["to"],
        "via_text": joined["via"],
    }


def document_places(title: str, cable: dict) -> list[str]:
    """The gazetteer ids of the places a document is from, to or about (the place facet): its
    cable's origin and destination, and the places its title names. A title's word that also
    names a person ("Salisbury" the city or Lord Salisbury) is left out, never guessed."""
    places = [
        resolve_place(cable.get("origin") or ""),
        resolve_place(cable.get("destination") or ""),
    ]
    places += [place for written, place in places_named(title or "") if not person_named(written)]
    return sorted({place.id for place in places if place is not None})


def _person_forms(person_id: str) -> list[str]:
    if not person_id:
        return []

    person = authority().get(person_id)
    return search_terms(person) if person else []


def _as_dict(value) -> dict:
    """The cable column: JSON text through a plain cursor, a dict from the ORM, or null."""
    if isinstance(value, str):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}
