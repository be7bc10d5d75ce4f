"""The record as JSON: one shape for ``opis show --json`` and ``GET /api/documents/{id}``.

Absent values are ``null`` or ``[]``, never missing keys, so scripts can rely on every key.
"""

from django.db.models import Prefetch

from opis.errors import NotFound
from opis.records.models import AgentRole, Document, Text
from opis.records.provenance import web_link
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
    return _record(document, whole=True, threads=threads)


def citable_records(ids: list[str]) -> dict[str, dict]:
    """Records of many documents at once, by id, with the parts a citation reads (``csl_json``):
    every key of ``document_json`` but ``footnotes``, ``threads`` and the texts' bodies and pages.

    A search page cites each of its hits; the whole record would ask for each document's threads
    (two queries a document) and text bodies, which a citation never uses, and on a page of 20
    hits that tripled the page's time. These are read in six queries, however many ids.
    Built by the code that builds ``document_json``, so the two cannot drift
    (``tests/web/test_share.py`` checks every document cites alike from both)."""
    documents = Document.objects.filter(pk__in=ids).prefetch_related(
        "locations",
        "collections",
        "agent_roles__agent",
        Prefetch("texts", queryset=Text.objects.defer("body", "pages")),
    )
    return {document.id: _record(document, whole=False) for document in documents}


def _record(document: Document, whole: bool, threads: dict | None = None) -> dict:
    """``document_json``'s shape; without ``whole``, less what ``citable_records`` leaves out."""
    if whole and threads is None:
        threads = threads_of(document.id)
    record = {
        "id": document.id,
        "title": document.title,
        "date": date_json(document),
        "doc_type": _blank_to_none(document.doc_type),
        "doc_number": _blank_to_none(document.doc_number),
        "summary": _blank_to_none(document.summary),
        "original_languages": list(document.original_languages or []),
        "source_url": _blank_to_none(web_link(document.source_url)),  # only http(s) is a link
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
        "texts": [_text_json(text, whole) for text in document.texts.all()],
        "footnotes": [
            {"label": _blank_to_none(f.label), "body": f.body} for f in document.footnotes.all()
        ]
        if whole
        else [],
        "agents": [_agent_json(role) for role in document.agent_roles.all()],
        "collections": [
            {
                "slug": c.slug,
                "title": c.title,
                "series": _blank_to_none(c.series),
                "position": c.position,
            }
            for c in document.collections.all()
        ],
        "threads": threads,
        "notes": list(document.notes or []),
        "version": document.version,  # +1 for every change: the API's ETag and If-Match
        "status": document.status,  # who may see it (records.visibility)
        "embargo_until": document.embargo_until.isoformat() if document.embargo_until else None,
        "source": {
            "path": document.source_path,
            "sha256": document.source_sha256,
            "reader": document.reader,
            "ingested_at": document.ingested_at.isoformat() if document.ingested_at else None,
            "updated_at": document.updated_at.isoformat() if document.updated_at else None,
        },
    }
    if not whole:
        del record["footnotes"], record["threads"]
    return record


def _agent_json(role: AgentRole) -> dict:
    return {
        "name": role.agent.name,
        "kind": role.agent.kind,
        "person_id": _blank_to_none(role.agent.person_id),
        "role": role.role,
        "signed_as": _blank_to_none(role.signed_as),
        "count": role.count,
    }


def _text_json(text: Text, whole: bool) -> dict:
    shown: dict[str, object] = {
        "language": _blank_to_none(text.language),
        "role": text.role,
        "label": _blank_to_none(text.label),
    }
    if whole:
        shown |= {"body": text.body, "pages": text.pages or []}
    return {
        **shown,
        "method": _blank_to_none(text.method),
        "confidence": text.confidence,
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
        raise no_such_document(document_id)
    return document


def no_such_document(document_id: str) -> NotFound:
    """The one answer for an id that is absent, or that the asker may not see (the same words,
    so that a reader cannot tell an unpublished record from none)."""
    return NotFound(
        f"no document with id {document_id!r}; search with `opis search` or /search to find ids"
    )
