"""Checks a draft must pass before it may touch the catalogue.

Readers promise structure; this stage promises the database will accept it, so a batch never
fails halfway on a value too long for its column (SQLite would accept it, PostgreSQL would not),
nor on a NUL character (U+0000, which a JSON or CSV row can spell as an escape): PostgreSQL holds
none in text or JSON, SQLite would. Both are refused on either backend, so an archive takes the
same files whichever catalogue it runs on.
"""

from dataclasses import fields, is_dataclass

from opis.drafts import DocumentDraft
from opis.errors import ReaderError
from opis.records.models import AgentRole, ArchivalLocation, Collection, Document, Text
from opis.records.provenance import refuse_unsafe_url

_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./")


def _limits(model) -> dict[str, int]:
    return {
        f.name: f.max_length for f in model._meta.get_fields() if getattr(f, "max_length", None)
    }


_LIMITS = {
    "document": _limits(Document),
    "text": _limits(Text),
    "location": _limits(ArchivalLocation),
    "agent role": _limits(AgentRole),
    "collection": _limits(Collection),
}


def validate(draft: DocumentDraft) -> None:
    """Raise ReaderError naming the field and the rule, or return quietly. A source URL that is
    not http(s) is not refused with the file: it is moved into the notes, as text
    (``records.provenance``)."""
    refuse_unsafe_url(draft)
    if not draft.id or not set(draft.id) <= _ID_CHARS or ".." in draft.id:
        raise ReaderError(
            f"document id {draft.id!r} may only use letters, digits and - _ . /", where="id"
        )
    if not draft.title.strip():
        raise ReaderError("the document has no title", where="title")
    _refuse_nul(draft, "")
    _check("document", vars(draft))
    _check("document", {"date_display": draft.date.display})
    for text in draft.texts:
        _check("text", vars(text))
    for location in draft.locations:
        _check("location", vars(location))
    for agent in draft.agents:
        _check("agent role", vars(agent))
    for collection in draft.collections:
        _check("collection", vars(collection))


def _check(kind: str, values: dict) -> None:
    for name, limit in _LIMITS[kind].items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise ReaderError(
                f"{kind} {name} is {len(value)} characters; the catalogue holds at most {limit}",
                where=name,
            )


def _refuse_nul(value, where: str) -> None:
    """Every text the draft holds, nested ones too (texts, cable header, notes): none with NUL."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ReaderError(
                f"{where or 'a value'} contains a NUL character (U+0000), which the catalogue "
                "cannot hold; remove it from the source",
                where=where,
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, where)
            _refuse_nul(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list | tuple):
        for number, item in enumerate(value):
            _refuse_nul(item, f"{where}[{number}]")
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            _refuse_nul(
                getattr(value, field.name), f"{where}.{field.name}" if where else field.name
            )
