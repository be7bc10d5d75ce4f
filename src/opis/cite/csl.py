"""The canonical CSL-JSON item of a document, built from its record JSON (``document_json``).

Archival documents are ``manuscript`` items; documents printed in a published series (FRUS, the
Documents on Australian Foreign Policy) are ``chapter`` items in their volume. CSL allows one
``archive`` per item, but a document may be held in several archives (the seed telegram is cited
from APRF, AVP RF and RGASPI), so ``archive_location`` carries every location in the short form
historians write, joined by "; ", and ``archive`` names the first repository.
"""

import datetime
import re

PUBLISHED_SERIES = (
    "Documents on Australian Foreign Policy",
    "Foreign Relations of the United States",
)
PUBLISHERS = ("Wilson Center Digital Archive",)
AUTHOR_ROLES = ("author", "signatory")
RECIPIENT_ROLES = ("addressee", "alternative_recipient")
RUSSIAN_PARTS = (("fond", "f."), ("opis", "op."), ("delo", "d."), ("papka", "p."))


def folio_label(location: dict) -> str:
    """``l.`` for one folio (list), ``ll.`` for several or where the source wrote ``ll.``."""
    folios = location["folios"] or ""
    several = re.search(r"[-–,]", folios) or re.search(r"\bll\.", location.get("raw") or "")
    return "ll." if several else "l."


def location_short(location: dict) -> str:
    """One archival location as historians abbreviate it: ``AVP RF, f. 059a, op. 5a, d. 3, p. 11,
    l. 118``; ``NAA: A981, ABY 20``; otherwise the location as the source wrote it."""
    parts = [f"{abbr} {location[key]}" for key, abbr in RUSSIAN_PARTS if location.get(key)]
    repository = location.get("repository")
    if parts:
        if location.get("folios"):
            parts.append(f"{folio_label(location)} {location['folios']}")
        return ", ".join([repository, *parts] if repository else parts)
    reference = location.get("reference") or ", ".join(
        v for v in (location.get("series"), location.get("control_symbol")) if v
    )
    if reference:
        return f"{repository}: {reference}" if repository else reference
    return location.get("raw") or ""


def date_parts(date: dict) -> dict | None:
    """CSL ``issued``: date-parts to the record's precision; a range as two date-parts."""
    if not date.get("start"):
        return {"literal": date["display"]} if date.get("display") else None
    width = {"day": 3, "month": 2, "year": 1}.get(date.get("precision") or "", 3)

    def parts(iso: str) -> list[int]:
        return [int(p) for p in iso.split("-")][:width]

    start = parts(date["start"])
    end = parts(date["end"]) if date.get("end") else start
    return {"date-parts": [start] if end == start else [start, end]}


def _names(record: dict, roles: tuple[str, ...]) -> list[dict]:
    seen: list[str] = []
    for agent in record.get("agents") or []:
        if agent["role"] in roles and agent["name"] not in seen:
            seen.append(agent["name"])
    return [{"literal": name} for name in seen]


def _series_collection(record: dict) -> dict | None:
    for collection in record.get("collections") or []:
        if collection.get("series") in PUBLISHED_SERIES:
            return collection
    return None


def document_number(record: dict) -> str | None:
    """The number in the printed volume: ``doc_number``, or the ``d101`` of a FRUS id."""
    if record.get("doc_number"):
        return str(record["doc_number"])
    match = re.search(r"/d(\d+)$", record["id"])
    return match.group(1) if match else None


def _language(record: dict) -> str | None:
    texts = record.get("texts") or []
    if texts and texts[0].get("language"):
        return texts[0]["language"]
    languages = record.get("original_languages") or []
    return languages[0] if languages else None


def csl_json(record: dict, accessed: datetime.date | None = None) -> dict:
    """ONE CSL-JSON item for the document; keys without a value are left out, as CSL expects."""
    accessed = accessed or datetime.date.today()
    locations = record.get("locations") or []
    series = _series_collection(record)
    item: dict = {
        "id": record["id"],
        "type": "chapter" if series else "manuscript",
        "title": record["title"],
        "genre": record.get("doc_type"),
        "issued": date_parts(record.get("date") or {}),
        "author": _names(record, AUTHOR_ROLES),
        "recipient": _names(record, RECIPIENT_ROLES),
        "archive": next((loc["repository"] for loc in locations if loc.get("repository")), None),
        "archive_location": "; ".join(filter(None, map(location_short, locations))) or None,
        "URL": record.get("source_url"),
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "language": _language(record),
        "abstract": record.get("summary"),
    }
    if series:
        number = document_number(record)
        item.update(
            {
                "container-title": series["title"],
                "collection-title": series["series"],
                "number": number,
                "chapter-number": number,
            }
        )
    for collection in record.get("collections") or []:
        for name in PUBLISHERS:
            if name in (collection.get("title"), collection.get("series")):
                item["publisher"] = name
    return {key: value for key, value in item.items() if value not in (None, "", [])}
