"""What must hold after any kill: run in a fresh process on the killed ingest's data directory.

``check_archive`` first looks at the catalogue as the kill left it (integrity, orphans, partial
records, acknowledged documents), then recovers the index exactly as the next ``opis`` command does
(``apply_pending``: the ``IndexChange`` queue) and checks that the index agrees with the catalogue
and that every acknowledged document is found by search.
"""

import json

RECORD_FIELDS = (
    "title", "doc_type", "doc_number", "summary", "original_languages", "source_url", "citation",
    "classification", "dateline", "signed", "cable", "notes",
)  # fmt: skip
TEXT_FIELDS = ("body", "language", "role", "label", "pages", "method", "confidence")
LOCATION_FIELDS = (
    "raw", "repository", "fond", "opis", "delo", "papka", "folios", "series", "control_symbol",
    "barcode", "reference",
)  # fmt: skip
SEARCHED_BY_WORDS = 3  # acknowledged documents per check also looked up by their title's words


def _plain(value):
    """Dates as ISO text and JSON round-tripped, so a draft and a row compare like for like."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


def draft_record(draft: dict, path: str) -> dict:
    """The record a draft (``dataclasses.asdict``) must become in the catalogue."""
    return _plain(
        {
            **{name: draft[name] for name in RECORD_FIELDS},
            "date": [draft["date"][k] for k in ("start", "end", "precision", "display")],
            "texts": [[t[name] for name in TEXT_FIELDS] for t in draft["texts"]],
            "locations": [[loc[name] for name in LOCATION_FIELDS] for loc in draft["locations"]],
            "agents": [
                [a["name"], a["kind"], a["role"], a["signed_as"], a["count"]]
                for a in draft["agents"]
            ],
            "footnotes": [[f["label"], f["body"]] for f in draft["footnotes"]],
            "collections": [c["slug"] for c in draft["collections"]],
            "source_path": path,
        }
    )


def catalogue_records() -> dict[str, dict]:
    """Every document in the catalogue, with all its parts, in the shape of ``draft_record``."""
    from opis.records.models import AgentRole, ArchivalLocation, Document, Footnote, Text

    records = {}
    dates = ("date_start", "date_end", "date_precision", "date_display")
    for row in Document.objects.values("id", "source_path", *RECORD_FIELDS, *dates):
        row["date"] = [row.pop(name) for name in dates]
        doc_id = row.pop("id")
        records[doc_id] = {
            **row, "texts": [], "locations": [], "agents": [], "footnotes": [], "collections": []
        }  # fmt: skip
    parts = {
        "texts": Text.objects.values_list("document_id", *TEXT_FIELDS),
        "locations": ArchivalLocation.objects.values_list("document_id", *LOCATION_FIELDS),
        "agents": AgentRole.objects.values_list(
            "document_id", "agent__name", "agent__kind", "role", "signed_as", "count"
        ),
        "footnotes": Footnote.objects.values_list("document_id", "label", "body"),
    }
    for part, rows in parts.items():
        for doc_id, *values in rows.order_by("document_id", "position"):
            records.setdefault(doc_id, {"orphan": True}).setdefault(part, []).append(values)
    links = Document.collections.through.objects.order_by("id")
    for doc_id, slug in links.values_list("document_id", "collection__slug"):
        records.setdefault(doc_id, {"orphan": True}).setdefault("collections", []).append(slug)
    return _plain(records)


def index_ids() -> list[str]:
    """Every document id the search index holds (all segments, deletions applied)."""
    import tantivy

    from opis.search.index import open_index

    index = open_index()
    index.reload()
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.all_query(), limit=max(searcher.num_docs, 1)).hits
    return sorted(searcher.doc(address)["id"][0] for _, address in hits)


def check_archive(expected: dict[str, dict], acknowledged: list[str]) -> dict:
    """The problems found after a kill (none, if opis keeps its promises), and what recovery did."""
    from django.db import connection

    from opis.cli_support import setup as _setup
    from opis.records.models import Document, IndexChange

    _setup(None)  # what the next command does first: finish the migrations, if a kill cut them
    from opis.search.indexer import apply_pending

    problems = []
    with connection.cursor() as cursor:
        integrity = cursor.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"PRAGMA integrity_check: {integrity[:5]}")
        orphans = cursor.execute("PRAGMA foreign_key_check").fetchall()
        if orphans:
            problems.append(f"rows pointing at nothing (foreign_key_check): {orphans[:5]}")
    records = catalogue_records()
    for doc_id, record in records.items():
        if doc_id not in expected:
            problems.append(f"{doc_id}: in the catalogue, but no file produces it")
        elif record != expected[doc_id]:
            parts = [k for k in expected[doc_id] if record.get(k) != expected[doc_id][k]]
            problems.append(f"{doc_id}: partial or wrong record (differs in {parts})")
    missing = [doc_id for doc_id in acknowledged if doc_id not in records]
    if missing:
        problems.append(f"acknowledged but lost: {missing[:10]} ({len(missing)} in all)")
    pending = IndexChange.objects.count()
    recovered = apply_pending()
    if IndexChange.objects.exists():
        problems.append("the index queue is not empty after recovery")
    catalogue = sorted(Document.objects.values_list("id", flat=True))
    indexed = index_ids()
    if indexed != catalogue:
        extra, lost = sorted(set(indexed) - set(catalogue)), sorted(set(catalogue) - set(indexed))
        problems.append(f"index ≠ catalogue: only in index {extra[:5]}, not indexed {lost[:5]}")
    problems += _findable(acknowledged, records)
    return {
        "problems": problems,
        "acknowledged": len(acknowledged),
        "documents": len(records),
        "pending": pending,
        "recovered": recovered,
    }


def _findable(acknowledged: list[str], records: dict) -> list[str]:
    """Every acknowledged document by its id, and a few by the words of their titles."""
    from opis.search import search

    problems = []
    for doc_id in acknowledged:
        if [hit.id for hit in search(f"id:{doc_id}").results] != [doc_id]:
            problems.append(f"{doc_id}: acknowledged, but search id:{doc_id} does not find it")
    for doc_id in acknowledged[:: max(1, len(acknowledged) // SEARCHED_BY_WORDS)]:
        title = records.get(doc_id, {}).get("title", "")
        words = " ".join(title.replace('"', " ").split()[:12])
        results = search(f'"{words}"', per_page=100).results
        if words and doc_id not in [hit.id for hit in results]:
            problems.append(f"{doc_id}: its title's words ({words!r}) do not find it")
    return problems


def dump_archive() -> dict:
    """The whole archive, minus times and run numbers: two of these compare like for like."""
    from opis.records.models import ThreadLink

    threads = ThreadLink.objects.order_by("source_id", "position")
    return {
        "records": catalogue_records(),
        "threads": [list(t) for t in threads.values_list("source_id", "target_id", "text")],
        "index": index_ids(),
    }
