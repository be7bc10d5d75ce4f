"""Issue 12: what a run keeps for each document until it ends is small, or not in memory at all.

A run of a million documents must hold about what a run of 100,000 holds. Two things grew with
it: the report's list of every document, and the ids already produced (two files of one run must
not give the same id). The list is kept packed; the ids live in a temporary SQLite file.
"""

import json
import tracemalloc

import pytest

from opis.ingest import ingest_paths
from opis.ingest.claims import Claims
from opis.ingest.report import Documents
from opis.records.chunks import chunked
from opis.records.models import Document


def test_the_documents_of_a_run_read_back_as_they_were_given():
    given = [
        {"id": "dfat-1937-38/1", "path": "/a/volume.xml", "status": "ingested"},
        {"id": "Чжоу-Эньлай-周恩来", "path": "/b/telegram.md", "status": "updated"},
        {"id": "frus1950v07/d1", "path": "/a/volume.xml", "status": "unchanged"},
    ]
    documents = Documents(given)
    assert list(documents) == given and documents == given
    assert documents[-1] == given[-1] and documents[1:] == given[1:]
    assert list(documents.ids()) == [d["id"] for d in given]
    assert list(documents.ids(exclude="unchanged")) == [given[0]["id"], given[1]["id"]]
    assert documents.count_of("updated") == 1
    with pytest.raises(IndexError):  # past the end, as for a list
        documents[3]


def test_a_run_keeps_about_thirty_bytes_a_document():
    entries = [
        {
            "id": f"cable-{n:07d}",
            "path": f"/corpus/cables-{n // 1000:05d}.jsonl",
            "status": "ingested",
        }
        for n in range(100_000)
    ]
    tracemalloc.start()
    try:
        documents = Documents(entries)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(documents) == 100_000
    # As dicts, 300 bytes a document; as a string and numbers each, 90; packed, about 30.
    assert held / len(documents) < 40, held / len(documents)


def test_an_id_produced_by_another_file_is_refused_and_the_file_claims_none():
    with Claims() as claims:
        assert claims.claim(["a", "b", "a"], "/one.jsonl") is None  # a file may repeat an id
        assert claims.claim(["b", "c"], "/one.jsonl") is None  # its next part, the same file
        assert claims.claim(["d", "c", "b"], "/two.jsonl") == ("c", "/one.jsonl")
        assert claims.claim(["d"], "/three.jsonl") is None, "the refused file claimed nothing"


def test_ids_are_claimed_in_pieces_a_query_can_name():
    ids = [f"cable-{n}" for n in range(2_500)]  # more than one query may name in old SQLites
    with Claims() as claims:
        assert claims.claim(ids, "/one.jsonl") is None
        assert claims.claim(["new", ids[-1]], "/two.jsonl") == (ids[-1], "/one.jsonl")


def test_two_files_giving_the_same_id_collide_across_transactions(
    tmp_path, monkeypatch, isolated_index, db
):
    """The first file's rows are committed long before the second is read: the claim outlives
    the transaction, as it outlived nothing when a run was one transaction."""
    monkeypatch.setenv("OPIS_INGEST_BATCH", "1")
    folder = tmp_path / "tables"
    folder.mkdir()
    rows = [
        {"id": f"t-{n}", "title": f"Telegram {n}", "date": "1950-07-13", "text": f"Cable {n}."}
        for n in range(3)
    ]
    for name, part in (("a.jsonl", rows[:2]), ("b.jsonl", rows[2:]), ("c.jsonl", rows[1:2])):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in part), encoding="utf-8")

    report = ingest_paths([folder]).as_json()

    assert sorted(d["id"] for d in report["documents"]) == ["t-0", "t-1", "t-2"]
    [failure] = report["failed"]
    assert failure["path"].endswith("c.jsonl") and "t-1" in failure["reason"]
    assert str(folder / "a.jsonl") in failure["reason"], "the message names the first file"
    assert Document.objects.get(pk="t-1").source_path == str(folder / "a.jsonl")


def test_an_iterator_is_cut_into_pieces_as_it_comes():
    taken = []

    def ids():
        for n in range(10):
            taken.append(n)
            yield n

    pieces = chunked(ids(), 3)
    assert next(pieces) == [0, 1, 2] and taken == [0, 1, 2], "never the whole iterator at once"
    assert list(pieces) == [[3, 4, 5], [6, 7, 8], [9]]
    assert list(chunked(iter([]), 3)) == []
