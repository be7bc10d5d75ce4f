"""End to end on the real corpora: the seed and every DFAT document, through the real command.

``corpus_data_dir`` ingests them once per session with ``opis ingest``; these tests read that data
directory with the other verbs, as a person would, and re-ingest it to show that nothing changes.
"""

import re

import pytest
import yaml

from conftest import DFAT, SEED, SEED_ID, run_opis, run_opis_json

pytestmark = pytest.mark.corpus

DOCUMENTED_DFAT_COUNT = 9588  # corpora/README.md: 24 volumes, 9,588 documents


def dfat_files() -> list:
    return sorted(DFAT.glob("*/*.md"))


def test_every_dfat_file_is_ingested(corpus_data_dir):
    _, report = corpus_data_dir
    files = dfat_files()
    assert len(files) == DOCUMENTED_DFAT_COUNT
    assert report["failed"] == []
    assert report["ingested"] == len(files) + 1  # and the seed
    assert report["skipped"] == []
    assert {d["status"] for d in report["documents"]} == {"ingested"}
    expected = {str(p.resolve()) for p in files} | {str(SEED.resolve())}
    assert {d["path"] for d in report["documents"]} == expected


def test_the_catalogue_holds_one_record_per_file(corpus_data_dir):
    data_dir, _ = corpus_data_dir
    stats, _ = run_opis_json(data_dir, "stats")
    assert stats["documents"] == len(dfat_files()) + 1
    assert stats["index"] == {"documents": stats["documents"], "pending": 0}
    volumes = {p.parent for p in dfat_files()}
    assert len(stats["collections"]) == len(volumes) + 1
    assert sum(c["count"] for c in stats["collections"]) == stats["documents"]


SPOT_CHECKS = [p for i, p in enumerate(dfat_files()) if i % 1000 == 0]


@pytest.mark.parametrize("path", SPOT_CHECKS, ids=lambda p: f"{p.parent.name[:9]}/{p.name[:30]}")
def test_records_follow_their_front_matter(path, corpus_data_dir):
    data_dir, report = corpus_data_dir
    [doc_id] = [d["id"] for d in report["documents"] if d["path"] == str(path.resolve())]
    record, _ = run_opis_json(data_dir, "show", doc_id)
    _, head, body = re.split(r"^---\s*$", path.read_text(encoding="utf-8"), maxsplit=2,
                             flags=re.MULTILINE)  # fmt: skip
    meta = yaml.safe_load(head)
    assert record["title"] == " ".join(str(meta["title"]).split())
    assert record["date"]["start"].startswith(str(meta["doc_date"]))
    assert [c["slug"] for c in record["collections"]] == [f"dfat-v{meta['vol_id']}"]
    assert [loc["raw"] for loc in record["locations"]] == [
        r["reference"] for r in meta["naa_refs"] or []
    ]
    assert [loc["series"] for loc in record["locations"]] == [
        str(r["naa_series"]) for r in meta["naa_refs"] or []
    ]
    assert record["texts"][0]["body"] == body.strip()
    assert record["source"]["path"] == str(path.resolve())
    assert record["source"]["reader"] == "dfat-markdown"


def test_re_ingest_changes_nothing(corpus_data_dir):
    data_dir, first = corpus_data_dir
    again, _ = run_opis_json(data_dir, "ingest", str(SEED), str(DFAT))
    assert (again["ingested"], again["updated"], again["failed"]) == (0, 0, [])
    assert again["unchanged"] == first["ingested"]


def test_the_seed_is_found_among_the_corpus(corpus_data_dir):
    data_dir, _ = corpus_data_dir
    results, _ = run_opis_json(data_dir, "search", "jet fighter")
    assert SEED_ID in [hit["id"] for hit in results["results"]]
    assert results["total"] > 1, "DFAT documents mention jet fighters too"


def test_reindex_keeps_every_result(corpus_data_dir):
    data_dir, _ = corpus_data_dir
    before, _ = run_opis_json(data_dir, "search", "jet fighter")
    result = run_opis(data_dir, "reindex")
    assert f"reindexed {len(dfat_files()) + 1} documents" in result.stdout
    after, _ = run_opis_json(data_dir, "search", "jet fighter")
    assert after["total"] == before["total"]
    assert [h["id"] for h in after["results"]] == [h["id"] for h in before["results"]]
