"""The canonical CSL-JSON item of a document, built from its record JSON (``document_json``).

Its ``type`` is the document's kind to a citation manager (``item_types``): correspondence is a
``personal_communication`` with authors and recipients (``creators``), other papers a
``manuscript``. A document printed in a published series (FRUS, the Documents on Australian
Foreign Policy) keeps that type; the volume is its ``container-title``, the series its
``collection-title``, and both are repeated in ``note`` (Zotero's "extra"), which Zotero keeps on
a letter where it has no field for them. CSL allows one
``archive`` per item, but a document may be held in several archives (the seed telegram is cited
from APRF, AVP RF and RGASPI), so ``archive_location`` carries every location in the short form
historians write, joined by "; ", and ``archive`` names the first repository.
"""

import datetime
import re

from opis.cite import creators
from opis.cite.item_types import item_type, printed_type

PUBLISHED_SERIES = (
    "Documents on Australian Foreign Policy",
    "Foreign Relations of the United States",
)
PUBLISHERS = ("Wilson Center Digital Archive",)
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


def csl_json(
    record: dict, accessed: datetime.date | None = None, page_url: str | None = None
) -> dict:
    """ONE CSL-JSON item for the document; keys without a value are left out, as CSL expects.

    ``URL`` is the published source; a document with none (FRUS and DFAT volumes as harvested,
    scans) is found at ``page_url``, its page in this reading room, when the caller knows it."""
    accessed = accessed or datetime.date.today()
    locations = record.get("locations") or []
    series = _series_collection(record)
    item: dict = {
        "id": record["id"],
        "type": item_type(record).csl,
        "title": record["title"],
        "genre": printed_type(record),
        "issued": date_parts(record.get("date") or {}),
        "author": creators.authors(record),
        "recipient": creators.recipients(record),
        "archive": next((loc["repository"] for loc in locations if loc.get("repository")), None),
        "archive_location": "; ".join(filter(None, map(location_short, locations))) or None,
        "URL": record.get("source_url") or page_url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "language": _language(record),
        "abstract": record.get("summary"),
    }
    if series:
        item.update(
            {
                "container-title": series["title"],
                "collection-title": series["series"],
                "number": document_number(record),
            }
        )
    item["note"] = "\n".join(_extra(item, record))
    for collection in record.get("collections") or []:
        for name in PUBLISHERS:
            if name in (collection.get("title"), collection.get("series")):
                item["publisher"] = name
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def printed_in(item: dict) -> str:
    """``Documents on Australian Foreign Policy, Volume 1: 1937-38, Document 338``: where a
    series document is printed; "" for an archival one."""
    series, volume = item.get("collection-title", ""), item.get("container-title", "")
    if not volume:
        return ""
    parts = [volume] if volume.startswith(series) else [series, volume]
    if item.get("number"):
        parts.append(f"Document {item['number']}")
    return ", ".join(p for p in parts if p)


def _extra(item: dict, record: dict) -> list[str]:
    """Lines of Zotero's "extra": what a letter or manuscript has no field for."""
    lines = [f"Printed in: {printed_in(item)}"] if printed_in(item) else []
    lines += [f"Via: {name}" for name in creators.intermediaries(record)]
    return lines
