"""How parts of a record read to a person: language names, archival location parts, roles, dates.

Kept apart from the views so the HTML pages and any later export say things the same way.
"""

from dataclasses import dataclass

import pycountry

from opis.records.models import AgentRole, ArchivalLocation, Document

# Labels in the order an archivist reads a reference: repository down to the folio, then the
# National Archives of Australia parts.
LOCATION_LABELS = (
    ("repository", "Repository"),
    ("fond", "Fond"),
    ("opis", "Opis"),
    ("delo", "Delo"),
    ("papka", "Papka"),
    ("folios", "Folios"),
    ("series", "Series"),
    ("control_symbol", "Control symbol"),
    ("barcode", "Barcode"),
    ("reference", "Reference"),
)

ROLE_NAMES = {
    "author": "author",
    "signatory": "signatory",
    "addressee": "addressee",
    "intermediary": "intermediary",
    "alternative_recipient": "alternative recipient",
    "copy_recipient": "copy recipient",
    "mentioned": "mentioned",
}

TEXT_ROLE_NAMES = {"original": "original", "translation": "translation", "transcript": "transcript"}


def language_name(code: str) -> str:
    """ "Russian" for "ru"; the code itself when it is not an ISO 639 code we know."""
    code = (code or "").strip().lower()
    if not code:
        return ""
    # By code only: a free lookup would match "en" to the language named "En" (ISO 639-3 enc).
    field = "alpha_2" if len(code) == 2 else "alpha_3"
    language = pycountry.languages.get(**{field: code})
    return language.name if language else code


def language_label(code: str) -> str:
    """ "Russian (ru)": the name people read and the code they can type into a search."""
    name = language_name(code)
    return f"{name} ({code})" if name and name != code else code


def location_parts(location: ArchivalLocation) -> list[tuple[str, str]]:
    """Only the parts that exist, labelled, in archival order."""
    parts = []
    for field, label in LOCATION_LABELS:
        value = getattr(location, field)
        if value:
            parts.append((label, value))
    return parts


@dataclass
class Person:
    name: str
    description: str  # "signatory, signed as Filippov"


def person(role: AgentRole) -> Person:
    """One agent's part, worded as an editor would: "copy recipient (2 copies)"."""
    words = ROLE_NAMES.get(role.role, role.role.replace("_", " "))
    if role.signed_as and role.signed_as != role.agent.name:
        words += f", signed as {role.signed_as}"
    if role.count:
        words += f" ({role.count} {'copy' if role.count == 1 else 'copies'})"
    return Person(name=role.agent.name, description=words)


def date_interval(document: Document) -> str:
    """The interval behind a date that is not a single day, e.g. "1950-07-01 to 1950-07-31"."""
    if document.date_precision == "day" or not document.date_start:
        return ""
    end = document.date_end or document.date_start
    if end == document.date_start:
        return f"{document.date_start.isoformat()} ({document.date_precision} precision)"
    return f"{document.date_start.isoformat()} to {end.isoformat()}"


def date_text(document: Document) -> str:
    """What to print for the date: as written, else the ISO start, else "Undated"."""
    if document.date_display:
        return document.date_display
    if document.date_start:
        return document.date_start.isoformat()
    return "Undated"


def span_text(first, last) -> str:
    """A date span for a collection: "1937–1938", "1950", or "" when nothing is dated."""
    if not first:
        return ""
    last = last or first
    return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
