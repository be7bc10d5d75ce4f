"""A record's versions: every change kept whole, with who made it, when and why.

Versions are ``RecordVersion`` rows holding the record's JSON (see its docstring for why not
django-reversion or django-simple-history: ingest writes through bulk SQL that model signals
never see, and a version must restore byte for byte what the API served). A record that was
ingested and never changed has no rows; before its first change, ``ensure_history`` keeps it as
it then is, credited to "ingest" at the time it was written, so every version can be read back.
"""

import difflib
import json

from opis.errors import NotFound
from opis.records.models import Document, RecordVersion
from opis.records.serialize import document_json, load_document


def ensure_history(document: Document) -> None:
    """Keep the record as it is now as its current version, unless that version is kept already
    (a record never changed has none; one re-ingested since its last change is a version on)."""
    latest = RecordVersion.objects.filter(document_id=document.pk).order_by("-number").first()
    if latest is not None and latest.number >= document.version:
        return
    RecordVersion.objects.create(
        document_id=document.pk, number=document.version, record=document_json(document),
        actor="ingest", action="ingest", comment="as ingested", created_at=document.updated_at,
    )  # fmt: skip


def versions(document_id: str) -> list[dict]:
    """Each version, oldest first, without its record: number, actor, action, comment, time."""
    document = load_document(document_id)
    rows = list(RecordVersion.objects.filter(document_id=document_id).order_by("number"))
    listed = [version_json(row) for row in rows]
    if not rows or rows[-1].number < document.version:  # never changed (or only re-ingested)
        listed.append(
            {
                "number": document.version, "actor": "ingest", "action": "ingest",
                "comment": "as ingested", "created_at": document.updated_at.isoformat(),
            }
        )  # fmt: skip
    return listed


def version_json(row: RecordVersion) -> dict:
    return {
        "number": row.number,
        "actor": row.actor,
        "action": row.action,
        "comment": row.comment,
        "created_at": row.created_at.isoformat(),
    }


def version_record(document_id: str, number: int) -> dict:
    """The record as it was at version ``number``, or NotFound naming the versions there are."""
    row = RecordVersion.objects.filter(document_id=document_id, number=number).first()
    if row is not None:
        return row.record
    document = load_document(document_id)
    if number == document.version:
        return document_json(document)
    known = ", ".join(str(v["number"]) for v in versions(document_id))
    raise NotFound(f"document {document_id!r} has no version {number}; its versions: {known}")


def diff_lines(before: dict | None, after: dict) -> list[tuple[str, str]]:
    """A unified diff of two records as pretty-printed JSON: (kind, line), kind one of
    "add", "remove", "hunk", "same"; the version number and times are left out."""
    old = _pretty(before) if before is not None else []
    new = _pretty(after)
    shown = []
    for line in difflib.unified_diff(old, new, lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "remove", "@": "hunk"}.get(line[:1], "same")
        shown.append((kind, line))
    return shown


def _pretty(record: dict) -> list[str]:
    record = {**record, "version": None, "source": {**record.get("source", {}), "updated_at": None}}
    return json.dumps(record, indent=2, ensure_ascii=False, sort_keys=False).splitlines()
