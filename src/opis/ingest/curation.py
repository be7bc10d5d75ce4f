"""Re-ingest never silently undoes a curator.

A record a curator changed carries ``Document.curated``: for each field they set, the value the
source had then (in the JSON contract's form). When ingest replaces such a record, each curated
field keeps the curator's value; where the newly read source differs from the source value
recorded, a ``ReviewItem`` (kind "source-changed") asks a curator to settle it, and the newly read
value becomes the recorded one, so reading the same file again raises nothing new. Fields the
curator did not touch take the source's new value as always.

Values are compared as drafts (``readers.opis_jsonl.draft_from_record``), the form both the
source and the record JSON are turned into, so "the same" means the same to the catalogue.
"""

from dataclasses import asdict
from datetime import datetime

from opis.drafts import DocumentDraft
from opis.readers.opis_jsonl import draft_from_record
from opis.records.models import Document, ReviewItem, ThreadLink
from opis.records.serialize import document_json, load_document

SOURCE_CHANGED = "source-changed"
# Fields a curator may set, named as in the JSON contract (each is the draft's attribute too).
TEXT_FIELDS = (
    "title", "doc_type", "doc_number", "summary", "classification", "dateline", "signed",
)  # fmt: skip
LIST_FIELDS = ("original_languages", "notes", "locations", "agents", "texts")
CURATED_FIELDS = (*TEXT_FIELDS, "date", *LIST_FIELDS)


def field_json(draft: DocumentDraft, name: str):
    """A draft's field in the JSON contract's form (what ``curated`` and review items keep)."""
    value = getattr(draft, name)
    if name == "date":
        return {
            "start": value.start.isoformat() if value.start else None,
            "end": value.end.isoformat() if value.end else None,
            "precision": value.precision or "unknown",
            "display": value.display or None,
        }
    if name in TEXT_FIELDS:
        return value or None
    return [asdict(item) if not isinstance(item, str) else item for item in value]


def field_draft(record: dict, name: str, value):
    """``value`` (JSON contract form) as the draft attribute it becomes, within ``record``."""
    return getattr(draft_from_record({**record, name: value}), name)


def keep_curation(
    drafts: list[DocumentDraft], curated_by_id: dict[str, dict], now: datetime
) -> dict[str, dict]:
    """Give each draft of a curated record its curator's values; add review items where the
    source changed under a curated field. Returns each such record's ``curated`` to store."""
    kept: dict[str, dict] = {}
    for draft in drafts:
        curated = curated_by_id.get(draft.id)
        if not curated:
            continue
        current = document_json(load_document(draft.id))
        curated = dict(curated)
        for name in [n for n in curated if n in CURATED_FIELDS]:
            source_now = getattr(draft, name)
            if field_draft(current, name, curated[name]) != source_now:
                ReviewItem.objects.create(
                    document_id=draft.id, kind=SOURCE_CHANGED, field=name, created_at=now,
                    message=f"the source's {name} changed since a curator set it; keep the "
                    "curator's value or take the source's",
                    detail={
                        "source_before": curated[name],
                        "source_now": field_json(draft, name),
                        "curated": current[name],
                    },
                )  # fmt: skip
                curated[name] = field_json(draft, name)
            setattr(draft, name, field_draft(current, name, current[name]))
        kept[draft.id] = curated
    return kept


def store_curation(kept: dict[str, dict]) -> None:
    """Write each record's ``curated`` (after the catalogue inserted it again)."""
    for document_id, curated in kept.items():
        Document.objects.filter(pk=document_id).update(curated=curated)


def decided_links(document_ids: list[str]) -> list[ThreadLink]:
    """Thread links a curator confirmed or rejected, of records about to be replaced (the
    replacement drops them with the record; ``records.threads`` then keeps each decision)."""
    return list(ThreadLink.objects.filter(source_id__in=document_ids).exclude(state=""))
