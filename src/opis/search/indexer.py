"""Keeping the index in step with the catalogue.

Ingest queues an ``IndexChange`` for every document it writes, inside the same transaction.
``apply_pending`` turns queued ids into index documents (delete by id, add the current record) and
only then removes the queue entries: a crash at any point leaves work to repeat, never a mismatch.
"""

import logging
from collections.abc import Iterable, Iterator

import tantivy

from opis.records.models import AgentRole, ArchivalLocation, Document, IndexChange, Text
from opis.search.index import open_index
from opis.understand.citation import REPOSITORIES

log = logging.getLogger(__name__)
WRITER_HEAP = 128_000_000
CHUNK = 2000
WRITER_THREADS = 2


def archive_key(name: str) -> str:
    """Repository names compared without case, spaces or dots: "AVP RF" = "avprf" = "AVPRF"."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


_ARCHIVE_ALIASES = {archive_key(k): archive_key(v) for k, v in REPOSITORIES.items()}


def canonical_archive_key(name: str) -> str:
    key = archive_key(name)
    return _ARCHIVE_ALIASES.get(key, key)


def _rows_by_document(queryset, *fields) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = {}
    for row in queryset.values_list("document_id", *fields):
        grouped.setdefault(row[0], []).append(row[1:])
    return grouped


def index_documents(ids: Iterable[str]) -> Iterator[tuple[str, tantivy.Document]]:
    """The index's view of each record, read with plain value queries (no model instances).

    A handful of queries per chunk, whatever its size: this is the hot path of ingest and reindex.
    """
    ids = list(ids)
    texts = _rows_by_document(Text.objects.filter(document_id__in=ids).order_by("position"), "body")
    places = _rows_by_document(
        ArchivalLocation.objects.filter(document_id__in=ids).order_by("position"), "repository", "raw"
    )
    people = _rows_by_document(
        AgentRole.objects.filter(document_id__in=ids), "agent__name", "signed_as"
    )
    links = _rows_by_document(
        Document.collections.through.objects.filter(document_id__in=ids), "collection__slug"
    )
    for row in Document.objects.filter(pk__in=ids).values(*_DOCUMENT_FIELDS):
        doc_id = row["id"]
        yield doc_id, _index_document(
            row, texts.get(doc_id, []), places.get(doc_id, []), people.get(doc_id, []),
            links.get(doc_id, []),
        )  # fmt: skip


_DOCUMENT_FIELDS = (
    "id", "title", "summary", "citation", "doc_number", "classification", "doc_type",
    "original_languages", "date_display", "date_precision", "date_start", "date_end",
)  # fmt: skip


def _index_document(row, texts, places, people, links) -> tantivy.Document:
    names = [name for name, _ in people] + [signed for _, signed in people if signed]
    repositories = {repository for repository, _ in places if repository}
    extra = [row["citation"], row["doc_number"], row["classification"]]
    extra += [raw for _, raw in places] + names
    fields = {
        "id": row["id"],
        "title": row["title"],
        "summary": row["summary"],
        "body": "\n\n".join(body for (body,) in texts),
        "extra": "\n".join(e for e in extra if e),
        "doc_type": row["doc_type"] or "document",
        "lang": list(row["original_languages"] or []) or ["und"],
        "repository": sorted(repositories),
        "archive_key": sorted({canonical_archive_key(r) for r in repositories}),
        "collection": [slug for (slug,) in links],
        "date_display": row["date_display"] or "",
        "precision": row["date_precision"] or "unknown",
    }
    if row["date_start"]:
        fields["year"] = row["date_start"].year
        fields["date_start"] = _day_number(row["date_start"])
        fields["date_end"] = _day_number(row["date_end"] or row["date_start"])
    return tantivy.Document(**{k: v for k, v in fields.items() if v not in ("", [])})


def _day_number(day) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def apply_pending(chunk: int = CHUNK) -> int:
    """Apply queued changes to the index; return how many documents were reindexed.

    If another process holds the index writer, it is applying the queue already: return 0.
    """
    index = open_index()
    done = 0
    while True:
        changes = list(IndexChange.objects.order_by("id").values_list("id", "document_id")[:chunk])
        if not changes:
            break
        try:
            writer = index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
        except ValueError as exc:
            log.info("index writer busy (%s); another process is applying changes", exc)
            return done
        ids = sorted({doc_id for _, doc_id in changes})
        for doc_id in ids:
            writer.delete_documents_by_term("id", doc_id)
        for _, document in index_documents(ids):
            writer.add_document(document)
        writer.commit()
        writer.wait_merging_threads()
        IndexChange.objects.filter(id__lte=changes[-1][0]).delete()
        done += len(ids)
    index.reload()
    return done


def reindex(progress=None) -> int:
    """Rebuild the whole index from the catalogue in one commit; return the document count."""
    index = open_index()
    last_change = IndexChange.objects.order_by("-id").values_list("id", flat=True).first()
    writer = index.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
    writer.delete_all_documents()
    count = 0
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        for _, document in index_documents(ids[start : start + CHUNK]):
            writer.add_document(document)
            count += 1
        if progress:
            progress(min(CHUNK, len(ids) - start))
    writer.commit()
    writer.wait_merging_threads()
    if last_change is not None:
        IndexChange.objects.filter(id__lte=last_change).delete()
    index.reload()
    return count
