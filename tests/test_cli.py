"""The ``opis`` command: every verb explains itself with an example, prints JSON on request, and
fails with a message and an exit status a script can act on.

The verbs run as a person runs them, in a subprocess against a data directory of their own.
"""

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import DFAT_VOLUME_2, SEED_ID, require, run_opis, run_opis_json
from opis.cli import main


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, seed_path):
    """The seed and five DFAT documents, ingested by `opis ingest`."""
    folder = tmp_path_factory.mktemp("documents")
    for path in sorted(require(DFAT_VOLUME_2).glob("*.md"))[:5]:
        shutil.copy(path, folder)
    data = tmp_path_factory.mktemp("cli-data")
    report, _ = run_opis_json(data, "ingest", str(seed_path), str(folder))
    assert (report["ingested"], report["failed"]) == (6, [])
    return data


# ---------------------------------------------------------------------------------------------
# Help.


@pytest.mark.parametrize("verb", [None, *sorted(main.commands)])
def test_every_verb_has_help_with_an_example(verb):
    result = CliRunner().invoke(main, [verb, "--help"] if verb else ["--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert "opis" in result.output.split("Example:", 1)[1]


def test_the_verbs_match_the_python_api():
    assert {"ingest", "search", "show", "stats", "reindex", "serve"} <= set(main.commands)


# ---------------------------------------------------------------------------------------------
# JSON output.


def test_search_json_shape(data_dir):
    payload, result = run_opis_json(data_dir, "search", "jet fighter")
    assert result.returncode == 0
    assert isinstance(payload["total"], int) and payload["total"] >= 1
    assert payload["results"][0]["id"] == SEED_ID
    for hit in payload["results"]:
        assert {"id", "title", "date", "doc_type", "snippet"} <= set(hit)
        assert {"start", "end", "precision", "display"} <= set(hit["date"])
    assert {"type", "lang", "archive", "collection", "decade", "year"} <= set(payload["facets"])
    for values in payload["facets"].values():
        for value in values:
            assert {"value", "count"} <= set(value) and value["count"] >= 1
    assert payload["messages"] == []


def test_search_json_reports_repairs(data_dir):
    payload, result = run_opis_json(data_dir, "search", "year:abc")
    assert result.returncode == 0
    assert payload["total"] == 0
    assert any("year:abc" in m for m in payload["messages"])


def test_search_paging_options(data_dir):
    everything, _ = run_opis_json(data_dir, "search", "", "--per-page", "100")
    page_2, _ = run_opis_json(data_dir, "search", "", "--page", "2", "--per-page", "2", "--sort",
                              "date")  # fmt: skip
    assert everything["total"] == page_2["total"] == 6
    by_date = sorted(everything["results"], key=lambda hit: (hit["date"]["start"], hit["id"]))
    assert [h["date"]["start"] for h in page_2["results"]] == [
        h["date"]["start"] for h in by_date[2:4]
    ]


def test_stats_json(data_dir):
    stats, _ = run_opis_json(data_dir, "stats")
    assert {"documents", "collections", "types", "languages", "decades", "undated", "index"} <= set(
        stats
    )
    assert stats["documents"] == 6
    assert stats["index"] == {"documents": 6, "pending": 0}
    assert {c["slug"]: c["count"] for c in stats["collections"]} == {
        "dfat-v2": 5,
        "wilson-center-digital-archive": 1,
    }
    assert sum(t["count"] for t in stats["types"]) == 6
    assert {d["value"]: d["count"] for d in stats["decades"]} == {1930: 5, 1950: 1}


def test_show_json_is_the_record(data_dir, seed_path):
    record, _ = run_opis_json(data_dir, "show", SEED_ID)
    assert record["id"] == SEED_ID and record["date"]["start"] == "1950-07-13"


def test_show_as_text_follows_the_reference_record(data_dir):
    text = run_opis(data_dir, "show", SEED_ID).stdout
    assert text.startswith("July 13, 1950")
    for line in (
        "Ciphered telegram, Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin)",
        "Repository APRF · Fond 45 · Opis 1 · Delo 331 · Folios 85",
        "as written: AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118",
        "Stalin — signatory, signed as Filippov",
        "Stalin — copy recipient (2 copies)",
        "Translation - English",
        "CIPHERED TELEGRAM No. 3305",
    ):
        assert line in text


# ---------------------------------------------------------------------------------------------
# Failures: a message on stderr, a non-zero exit status.


def test_show_an_unknown_id(data_dir):
    result = run_opis(data_dir, "show", "no-such-document", check=False)
    assert result.returncode == 3
    assert "no-such-document" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("search", "korea", "--page", "0"), "page"),
        (("search", "korea", "--per-page", "1000"), "per_page"),
    ],
)
def test_a_bad_search_option_is_refused(args, named, data_dir):
    result = run_opis(data_dir, *args, check=False)
    assert result.returncode == 2
    assert named in result.stderr


def test_search_notes_repairs_on_stderr(data_dir):
    result = run_opis(data_dir, "search", '"jet fighter', check=False)
    assert result.returncode == 0
    assert "note: A closing quotation mark was missing" in result.stderr
    assert SEED_ID in result.stdout


# ---------------------------------------------------------------------------------------------
# Choosing the data directory.


def test_data_option_and_opis_data_both_select_the_data_directory(data_dir, tmp_path):
    by_env, _ = run_opis_json(data_dir, "stats")  # OPIS_DATA alone
    by_option, _ = run_opis_json(tmp_path / "other", "--data", str(data_dir), "stats")
    assert by_env["documents"] == by_option["documents"] == 6
    assert not (tmp_path / "other").exists(), "--data wins over OPIS_DATA"


def test_reindex_rebuilds_the_same_index(data_dir):
    before, _ = run_opis_json(data_dir, "search", "korea OR london")
    result = run_opis(data_dir, "reindex")
    assert "reindexed 6 documents" in result.stdout
    after, _ = run_opis_json(data_dir, "search", "korea OR london")
    assert before["total"] >= 2
    assert [hit["id"] for hit in after["results"]] == [hit["id"] for hit in before["results"]]
    assert after["total"] == before["total"]


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "version" in result.output


def test_ingest_report_in_words(data_dir, seed_path):
    result = run_opis(data_dir, "ingest", str(seed_path))
    assert result.stdout.startswith("0 ingested, 0 updated, 1 unchanged, 0 failed")
    assert json.loads(run_opis(data_dir, "stats", "--json").stdout)["documents"] == 6
