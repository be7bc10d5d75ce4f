"""Persons named in the drafts' texts: linked mentions as rows, ambiguous forms for curators.

Ingest runs the matcher of ``understand.mentions`` over each document's bodies in the batch's
transaction: the links it is sure of become ``Mention`` rows (a document replaced takes its old
ones with it, so a re-ingest finds them afresh), and each form that several persons of the
authority hold becomes an open ``ReviewItem`` of kind "mention" naming the candidates, on the
curators' list at /staff/review. As with doubts (``ingest.doubts``), a re-ingest replaces a
document's open items and never repeats one a curator has settled.
"""

from datetime import datetime

from opis.drafts import DocumentDraft
from opis.records.chunks import chunked
from opis.records.models import ReviewItem
from opis.understand.mentions import Ambiguous, find_mentions
from opis.understand.names import authority

MENTION = "mention"
FORM_LIMIT = 300  # Mention.form


def mentions_of(
    drafts: list[DocumentDraft], merged: dict[str, str]
) -> tuple[list[tuple], dict[str, list[Ambiguous]]]:
    """Rows (document, person, form, confidence, text, start, end, count) of the linked
    mentions, each person as a curator's merge has it (``merged``), and the ambiguous forms of
    each document."""
    rows: list[tuple] = []
    ambiguous: dict[str, list[Ambiguous]] = {}
    for draft in drafts:
        found = draft.mentions  # found where the file was read (``reading.understand_text``)
        if found is None:
            year = draft.date.start.year if draft.date.start else None
            found = find_mentions([text.body for text in draft.texts], year)
        for m in found.linked:
            person = merged.get(m.person_id, m.person_id)
            form = m.form[:FORM_LIMIT]
            rows.append((draft.id, person, form, m.confidence, m.text, m.start, m.end, m.count))
        if found.ambiguous:
            ambiguous[draft.id] = found.ambiguous
    return rows, ambiguous


def record_ambiguous(ids: list[str], ambiguous: dict[str, list[Ambiguous]], now: datetime) -> None:
    """The ambiguous forms as open review items, replacing the open ones of those documents."""
    settled: set[tuple[str, str]] = set()
    for part in chunked(ids):
        items = ReviewItem.objects.filter(document_id__in=part, kind=MENTION)
        items.filter(settled_at__isnull=True).delete()
        settled |= set(items.filter(settled_at__isnull=False).values_list("document_id", "message"))
    ReviewItem.objects.bulk_create(
        ReviewItem(
            document_id=document_id,
            kind=MENTION,
            field="person",
            message=message(form),
            detail=_detail(form),
            created_at=now,
        )
        for document_id, forms in ambiguous.items()
        for form in forms
        if (document_id, message(form)) not in settled
    )


def message(form: Ambiguous) -> str:
    return (
        f'"{form.form}" is the name of {len(form.candidates)} persons of the authority, and the '
        "text names none of them in full: which one is meant?"
    )


def _detail(form: Ambiguous) -> dict:
    persons = authority()
    candidates = []
    for person_id in form.candidates:
        person = persons.get(person_id)
        candidates.append(
            {
                "id": person_id,
                "name": person.canonical if person else person_id,
                "description": person.description[:200] if person else "",
            }
        )
    return {"form": form.form, "count": form.count, "candidates": candidates}
