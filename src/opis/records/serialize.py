"""The record as JSON: one shape for ``opis show --json`` and ``GET /api/documents/{id}``.

Absent values are ``null`` or ``[]``, never missing keys, so scripts can rely on every key.
"""

from opis.errors import NotFound
from opis.records.models import Document
from opis.records.threads import threads_of


def date_json(document: Document) -> dict:
    return {
        "start": document.date_start.isoformat() if document.date_start else None,
        "end": document.date_end.isoformat() if document.date_end else None,
        "precision": document.date_precision or "unknown",
        "display": document.date_display or None,
    }


def _blank_to_none(value: str) -> str | None:
    return value if value not in ("", None) else None


LOCATION_PARTS = (
    "repository", "fond", "opis", "delo", "papka", "folios",
    "series", "control_symbol", "barcode", "reference",
)  # fmt: skip


def document_json(document: Document, threads: dict | None = None) -> dict:
    """The whole record. Expects ``load_document`` (or equivalent prefetching) for speed;
    ``threads``, when given, are the document's thread links fetched with its neighbours'."""
    return {
        "id": document.id,
        "title": document.title,
        "date": date_json(document),
        "doc_type": _blank_to_none(document.doc_type),
        "doc_number": _blank_to_none(document.doc_number),
        "summary": _blank_to_none(document.summary),
        "original_languages": list(document.original_languages or []),
        "source_url": _blank_to_none(document.source_url),
        "citation": _blank_to_none(document.citation),
        "classification": _blank_to_none(document.classification),
        "dateline": _blank_to_none(document.dateline),
        "signed": _blank_to_none(document.signed),
        "cable": document.cable,
        "locations": [
            {
                **{part: _blank_to_none(getattr(loc, part)) for part in LOCATION_PARTS},
                "raw": loc.raw,
            }
            for loc in document.locations.all()
        ],
        "texts": [
            {
                "language": _blank_to_none(text.language),
                "role": text.role,
                "label": _blank_to_none(text.label),
                "body": text.body,
                "pages": text.pages or [],
                "method": _blank_to_none(text.method),
                "confidence": text.confidence,
            }
            for text in document.texts.all()
        ],
        "footnotes": [
            {"label": _blank_to_none(f.label), "body": f.body} for f in document.footnotes.all()
        ],
        "agents": [
            {
                "name": role.agent.name,
                "kind": role.agent.kind,
                "person_id": _blank_to_none(role.agent.person_id),
                "role": role.role,
                "signed_as": _blank_to_none(role.signed_as),
                "count": role.count,
            }
            for role in document.agent_roles.all()
        ],
        "collections": [
            {
                "slug": c.slug,
                "title": c.title,
                "series": _blank_to_none(c.series),
                "position": c.position,
            }
            for c in document.collections.all()
        ],
        "threads": threads_of(document.id) if threads is None else threads,
        "notes": list(document.notes or []),
        "source": {
            "path": document.source_path,
            "sha256": document.source_sha256,
            "reader": document.reader,
            "ingested_at": document.ingested_at.isoformat() if document.ingested_at else None,
            "updated_at": document.updated_at.isoformat() if document.updated_at else None,
        },
    }


def documents_with_parts():
    """Documents with everything ``document_json`` reads, fetched in a few queries."""
    return Document.objects.prefetch_related(
        "texts", "locations", "collections", "agent_roles__agent", "footnotes"
    )


def load_document(document_id: str) -> Document:
    """One document by id, or NotFound naming the id and how to find ids."""
    document = documents_with_parts().filter(pk=document_id).first()
    if document is None:
        raise NotFound(
            f"no document with id {document_id!r}; search with `opis search` or /search to find ids"
        )
    return document
