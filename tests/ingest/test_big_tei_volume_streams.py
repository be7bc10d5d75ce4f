"""Issue 12: a TEI volume larger than a text record may be is written document by document.

A FRUS volume is read with iterparse in flat memory, but ingest used to hold every draft of the
volume until the file was read to its end: for a 100 MB volume, hundreds of megabytes at once.
Past ``OPIS_MAX_TEXT_FILE_MB`` (lowered here to 0.5 MB so that a real 1.1 MB volume of the shared
corpora stands for a 100 MB one) its documents are written in transactions of at most
``OPIS_INGEST_BATCH_RECORDS`` documents and about ``OPIS_INGEST_BATCH_MB`` of text, as they are
read; a volume cut short keeps the documents before the fault and says where it stopped.
"""

import pytest

from conftest import FRUS, require
from opis.ingest import ingest_paths
from opis.ingest.report import REST_OF_FILE
from opis.readers.frus_tei import READER
from opis.readers.source import SourceFile
from opis.records.models import Document, Text

VOLUME = FRUS / "volumes" / "frus1894Nicaragua.xml"  # 1.1 MB, 138 documents


@pytest.fixture
def volume():
    path = require(VOLUME)
    assert path.stat().st_size > 2 * 0.5 * 1048576
    return path


@pytest.fixture
def streamed(monkeypatch, db, isolated_index):
    monkeypatch.setenv("OPIS_MAX_TEXT_FILE_MB", "0.5")


def drafts_read_whole(path) -> dict[str, str]:
    """Each document's text as the reader gives it reading the whole volume at once."""
    return {
        draft.id: "\n\n".join(text.body for text in draft.texts)
        for draft in READER.read(SourceFile(path))
    }


def test_a_volume_past_the_record_limit_is_written_in_transactions_of_bounded_records(
    volume, streamed, monkeypatch
):
    monkeypatch.setenv("OPIS_INGEST_BATCH_RECORDS", "40")
    transactions: list[list[str]] = []
    report = ingest_paths([volume], committed=transactions.append)
    assert report.failed == [] and report.skipped == []
    whole = drafts_read_whole(volume)
    assert len(whole) == 138 and report.count("ingested") == 138
    assert [len(ids) for ids in transactions] == [40, 40, 40, 18]
    assert [i for ids in transactions for i in ids] == list(whole), "in the volume's order"
    for doc_id, body in whole.items():
        texts = Text.objects.filter(document_id=doc_id).order_by("pk")
        assert "\n\n".join(texts.values_list("body", flat=True)) == body, doc_id
    assert set(Document.objects.filter(pk__in=whole).values_list("collections__slug", flat=True))
    again = ingest_paths([volume])
    assert again.count("unchanged") == 138 and again.count("ingested") == 0


def test_a_volume_past_the_record_limit_is_written_in_transactions_of_bounded_text(
    volume, streamed, monkeypatch
):
    monkeypatch.setenv("OPIS_INGEST_BATCH_MB", "0.1")  # ~105,000 characters of text
    transactions: list[list[str]] = []
    report = ingest_paths([volume], committed=transactions.append)
    assert report.count("ingested") == 138 and report.failed == []
    whole = drafts_read_whole(volume)
    sizes = [sum(len(whole[i]) for i in ids) for ids in transactions]
    assert len(transactions) >= 5, sizes  # 586,283 characters in all
    largest = max(len(body) for body in whole.values())
    assert all(size < 0.1 * 1048576 + largest for size in sizes), sizes


def test_a_volume_cut_short_keeps_the_documents_before_the_fault(
    volume, streamed, monkeypatch, tmp_path
):
    """The XML breaks off two thirds of the way in (a damaged copy): the documents read before
    the fault were written, and the report names the file, the line and what was lost."""
    monkeypatch.setenv("OPIS_INGEST_BATCH_RECORDS", "40")
    data = volume.read_bytes()
    cut = tmp_path / volume.name
    cut.write_bytes(data[: len(data) * 2 // 3])
    report = ingest_paths([cut])
    [failure] = report.failed
    assert failure.scope == REST_OF_FILE and failure.path == str(cut.resolve())
    assert failure.where.startswith("line ")
    assert failure.as_json()["scope"] == REST_OF_FILE and failure.as_json()["part"] == "document"
    assert str(failure).endswith(
        "the documents before it were ingested, the rest of the file was not"
    )
    written = report.count("ingested")
    assert 40 <= written < 138
    assert list(drafts_read_whole(volume))[:written] == [d["id"] for d in report.documents]
