"""How parts of a record read to a person: language names, archival location parts, roles, dates.

Kept apart from the views so the HTML pages and any later export say things the same way.
"""

import calendar
import datetime
import re
from dataclasses import dataclass

import pycountry

from opis.records.appearances import page_id
from opis.records.models import AgentRole, ArchivalLocation, Document
from opis.understand.names import authority

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
    "participant": "participant",
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
    canonical: str = ""  # the authority's name, when the name as written resolved to a person
    also: str = ""  # a few other forms of the name: "Chou En-lai · 周恩来"
    person_id: str = ""  # whom the name stands for: their page is /people/<person_id>


def person(role: AgentRole) -> Person:
    """One agent's part, worded as an editor would: "copy recipient (2 copies)"."""
    words = ROLE_NAMES.get(role.role, role.role.replace("_", " "))
    if role.signed_as and role.signed_as != role.agent.name:
        words += f", signed as {role.signed_as}"
    if role.count:
        words += f" ({role.count} {'copy' if role.count == 1 else 'copies'})"
    canonical, also = _authority_names(role.agent.person_id, role.agent.name)
    return Person(
        name=role.agent.name, description=words, canonical=canonical, also=also,
        person_id=page_id(role.agent_id, role.agent.person_id),
    )  # fmt: skip


def _authority_names(person_id: str, written: str, shown: int = 4) -> tuple[str, str]:
    """The canonical name and a few variants, so a reader sees who "Filippov" or "Chou" is."""
    if not person_id:
        return "", ""

    found = authority().get(person_id)
    if found is None:
        return "", ""
    others = [v for v in found.variants if v != written and v != found.canonical][:shown]
    return (found.canonical if found.canonical != written else ""), " · ".join(others)


@dataclass
class Segment:
    page: str  # the printed page that starts here ("697"), or "" for the text before any break
    text: str


def text_segments(body: str, pages: list[dict] | None) -> list[Segment]:
    """The body cut at its printed page breaks, so the page can show "p. 697" where it starts.

    Historians cite printed pages; breaks with offsets that are missing, out of order or past the
    end of the body are ignored rather than trusted.
    """
    segments, start, page = [], 0, ""
    for brk in pages or []:
        offset = brk.get("offset") if isinstance(brk, dict) else None
        if not isinstance(offset, int) or not start <= offset <= len(body):
            continue
        if offset > start or page:
            segments.append(Segment(page, body[start:offset]))
        start, page = offset, str(brk.get("n", ""))
    segments.append(Segment(page, body[start:]))
    return [segment for segment in segments if segment.text or segment.page]


def cable_rows(cable: dict | None) -> list[tuple[str, str]]:
    """The telegram apparatus (number, handling, times…) as labelled rows, in the order given.

    Read generically so that a new part of the header shows up without a template change; copies
    read as the document writes them ("Stalin (2), Molotov") and times as "13 July 1950, 03:15".
    """
    rows = []
    for key, value in (cable or {}).items():
        if value in (None, "", [], {}):
            continue
        rows.append(
            (CABLE_LABELS.get(key, key.replace("_", " ").capitalize()), _cable_value(value))
        )
    return rows


CABLE_LABELS = {"recipients_any_of": "Alternative recipients", "signed_as": "Signed as"}


def _cable_value(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(_cable_value(v) for v in value)
    if isinstance(value, dict) and "name" in value:  # a copy: name and count
        count = value.get("count")
        return f"{value['name']} ({count})" if count else str(value["name"])
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {_cable_value(v)}" for k, v in value.items() if v)
    if isinstance(value, str) and _STAMP.match(value):
        return _readable_stamp(value)
    return str(value)


_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?$")


def _readable_stamp(stamp: str) -> str:
    """ "1950-07-13T03:15" → "13 July 1950, 03:15"; a date alone → "13 July 1950"."""
    day, _, clock = stamp.partition("T")
    when = datetime.date.fromisoformat(day)
    text = f"{when.day} {calendar.month_name[when.month]} {when.year}"
    return f"{text}, {clock}" if clock else text


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
