"""What an export holds (the whole archive, or every hit of a query, in id order) and that it
streams: exporting four times the documents takes no more memory than exporting them once."""

import os
import tracemalloc

from django.utils import timezone

from opis.export import Selection, export
from opis.records.models import ArchivalLocation, Document, Text, ThreadLink
from opis.search import search


def test_the_whole_archive_comes_from_the_catalogue_in_id_order(archive):
    selection = Selection()
    ids = [d.pk for d in selection.documents()]
    assert ids == sorted(archive.values_list("pk", flat=True)) and selection.count() == len(ids)
    assert Selection("   ").query is None  # a blank query is no query


def test_a_query_selects_every_hit_not_one_page(archive):
    selection = Selection("type:telegram", chunk=50)
    total = search("type:telegram").total
    ids = [record["id"] for record in selection.records()]
    assert len(ids) == selection.count() == total > 100  # more than a page holds (100 at most)
    assert ids == sorted(ids)
    assert set(Document.objects.filter(pk__in=ids).values_list("doc_type", flat=True)) == {
        "telegram"
    }


def test_a_query_that_matches_nothing_gives_an_empty_export(archive, tmp_path):
    path = tmp_path / "nothing.jsonl"
    summary = export("jsonl", Selection("zzqxv"), path)
    assert summary["count"] == 0
    assert path.read_text().count("\n") == 2  # the header and the closing line


def test_repairs_to_a_query_are_reported(archive):
    assert Selection('"unclosed quote').messages


def _documents(first: int, count: int, body: str) -> None:
    """``count`` records alike in size (a text of ``body``, a location), from number ``first``."""
    now = timezone.now()
    ids = [f"doc-{n:05d}" for n in range(first, first + count)]
    Document.objects.bulk_create(
        Document(id=i, title=f"Record {i}", source_path="/nowhere", source_sha256="0" * 64,
                 reader="test", ingested_at=now, updated_at=now)
        for i in ids
    )  # fmt: skip
    Text.objects.bulk_create(Text(document_id=i, body=body) for i in ids)
    ArchivalLocation.objects.bulk_create(
        ArchivalLocation(document_id=i, raw="AVP RF, f. 06, op. 12, p. 8, d. 140") for i in ids
    )


def _peak_while_exporting() -> int:
    tracemalloc.start()
    try:
        export("jsonl", Selection(chunk=25), os.devnull)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_size_of_the_archive(archive):
    """Records alike in size, so that every chunk weighs the same: 4× the records, same peak.
    (Holding the records, or their lines, would make the peak grow with them.)"""
    body = archive.get(pk="wcda-110692").texts.first().body * 4
    ThreadLink.objects.all().delete()
    archive.all().delete()
    _documents(0, 100, body)
    _peak_while_exporting()  # warm: imports and caches are not the export
    peak_once = _peak_while_exporting()
    _documents(100, 300, body)
    peak_four_times = _peak_while_exporting()
    assert archive.count() == 400
    assert peak_four_times < 1.2 * peak_once, (peak_once, peak_four_times)
