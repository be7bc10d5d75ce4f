"""Which documents an export holds: the whole archive, or every hit of a search query.

An export must not hold the archive in memory, so documents are read in chunks ordered by id,
each chunk with everything its records need fetched in a few queries (texts, locations, agents,
collections, footnotes, thread links) and dropped before the next. Id order makes two exports of
the same archive comparable line by line, whatever order the documents were ingested in.

A query is answered by the search index (the same engine as ``opis search``), but all of its
hits, not one page: the matching ids (tens of bytes each) are the only thing held for the whole
export. The whole archive is read from the catalogue itself, so documents still waiting for the
index are exported too.

Unless ``staff`` is set, a selection holds only what readers may see (``records.visibility``):
the reading room's export links export what the reader could read; ``opis export`` (the
archive's operator) exports everything unless told ``--published-only``.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from opis.records.models import Document, ThreadLink
from opis.records.provenance import readers_source
from opis.records.serialize import document_json, documents_with_parts
from opis.records.visibility import hidden_ids, linked_ids, public_q, readers_threads
from opis.search.compile import Compiler
from opis.search.engine import open_index, parse, public_only
from opis.search.indexer import apply_pending

CHUNK = 200  # documents per round of queries: big enough to amortise them, small enough to forget


@dataclass
class Selection:
    """The documents to export; ``query`` None (or blank) means the whole archive."""

    query: str | None = None
    chunk: int = CHUNK
    staff: bool = False  # every record, not only the published ones
    relative_paths: bool = False  # source paths as readers see them (a reading-room download)
    messages: list[str] = field(default_factory=list)  # how the query was understood or repaired
    _ids: list[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.query is not None and not self.query.strip():
            self.query = None
        if self.query is not None:
            self._ids = sorted(set(self._matching_ids(self.query)))

    @property
    def description(self) -> str:
        """Said when the export is empty."""
        if self.query:
            return f"the search {self.query!r} matched no document"
        return "the archive holds no document"

    def count(self) -> int:
        return self._catalogue().count() if self._ids is None else len(self._ids)

    def _catalogue(self):
        return Document.objects.all() if self.staff else Document.objects.filter(public_q())

    def ids(self) -> list[str]:
        """Every selected id, in order (for comparisons and small selections)."""
        return [i for chunk in self.id_chunks() for i in chunk]

    def id_chunks(self) -> Iterator[list[str]]:
        """Document ids in id order, ``chunk`` at a time."""
        if self._ids is not None:
            for start in range(0, len(self._ids), self.chunk):
                yield self._ids[start : start + self.chunk]
            return
        last = None
        while True:
            rows = self._catalogue().order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            ids = list(rows.values_list("pk", flat=True)[: self.chunk])
            if not ids:
                return
            yield ids
            last = ids[-1]

    def documents(self, progress: Callable[[int], None] | None = None) -> Iterator[Document]:
        """Each selected document with its parts prefetched, in id order; valid until the next."""
        for ids in self.id_chunks():
            for document in _released(documents_with_parts().filter(pk__in=ids).order_by("pk")):
                yield document
                if progress:
                    progress(1)

    def records(self, progress: Callable[[int], None] | None = None) -> Iterator[dict]:
        """Each selected document as its JSON record (``opis show --json``), in id order."""
        for ids in self.id_chunks():
            threads = _threads(ids)
            if not self.staff:  # no links to what readers may not see
                hidden = hidden_ids(linked_ids(list(threads.values())))
                threads = {i: readers_threads(t, hidden) for i, t in threads.items()}
            chunk = documents_with_parts().filter(pk__in=ids).select_related("ingest_run")
            for document in _released(chunk.order_by("pk")):
                record = document_json(document, threads[document.pk])
                yield readers_source(record, document) if self.relative_paths else record
                if progress:
                    progress(1)

    def _matching_ids(self, query: str) -> list[str]:
        apply_pending()
        parsed = parse(query)
        self.query = parsed.text  # as read (cut to its bound), for the header and messages
        index = open_index()
        index.reload()
        searcher = index.searcher()
        compiled = Compiler(index.schema, parsed.messages).compile(parsed.node)
        if not self.staff:
            compiled = public_only(index.schema, compiled)
        self.messages = list(parsed.messages)
        total = searcher.search(compiled, 1, count=True).count or 0
        if not total:
            return []
        found = searcher.search(compiled, total)
        return [searcher.doc(address).get_first("id") for _, address in found.hits]


def _released(documents) -> Iterator[Document]:
    """Each document, then its prefetched parts let go.

    A prefetched document and its parts refer to each other (the part's ``document``, the
    queryset's known objects), so they are freed only by the cycle collector's rare full passes
    and a long export would grow by every chunk it had read. Dropping the prefetch cache breaks
    the cycles: each chunk is freed as soon as the next one is read."""
    for document in list(documents):
        yield document
        document.__dict__.pop("_prefetched_objects_cache", None)


def _threads(ids: list[str]) -> dict[str, dict]:
    """``threads_of`` for a chunk of documents in two queries, in the same order it gives."""
    threads = {i: {"refers_to": [], "referred_by": []} for i in ids}
    shown = ThreadLink.objects.exclude(state=ThreadLink.State.REJECTED)  # a curator's "no"
    refers = shown.filter(source_id__in=ids).order_by("source_id", "position")
    for source, target, text in refers.values_list("source_id", "target_id", "text"):
        threads[source]["refers_to"].append({"id": target, "text": text})
    referred = shown.filter(target_id__in=ids).order_by("source_id", "position")
    for target, source, text in referred.values_list("target_id", "source_id", "text"):
        threads[target]["referred_by"].append({"id": source, "text": text})
    return threads
