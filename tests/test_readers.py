"""Readers turn files into records: the reference record (Wilson Center layout) and DFAT Markdown.

The reference record is the seed, Stalin's ciphered telegram No. 3305 of 13 July 1950; its record
is specified field by field. DFAT files are checked against their own YAML front matter, parsed
here independently with ``yaml.safe_load``.
"""

import calendar
import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import DFAT, SEED, SEED_CITATION, SEED_ID, SEED_TITLE, run_opis, run_opis_json
from opis.errors import ReaderError
from opis.readers import reader_for
from opis.readers.source import SourceFile

SEED_SUMMARY = (
    "Telegram from Stalin to Mao and Zhou Enlai detailing his response to the English protest "
    'concerning "the Korean question." Also, a request for confirmation of Chinese troop '
    "movements to the Sino-Korea border, in case of a repulse of North Korean forces. Finally, a "
    "confirmation of the plans to train Chinese pilots on Soviet jets, to be followed by the "
    "transfer of the jets to Chinese possession."
)
LOCATION_KEYS = ("repository", "fond", "opis", "delo", "papka", "folios", "raw")
RECORD_CONTRACT = {
    "id": None,
    "title": None,
    "date": ("start", "end", "precision", "display"),
    "doc_type": None,
    "summary": None,
    "original_languages": None,
    "source_url": None,
    "citation": None,
    "classification": None,
    "locations": LOCATION_KEYS,
    "texts": ("language", "role", "label", "body"),
    "agents": ("name", "role", "signed_as", "count"),
    "collections": None,
    "source": ("path", "sha256", "reader"),
}


def read(path: Path) -> list:
    source = SourceFile(path)
    return list(reader_for(source).read(source))


def assert_contract(record: dict) -> None:
    """Every key of the JSON contract is present; absent values are null or [], never ""."""
    for key, inner in RECORD_CONTRACT.items():
        assert key in record, f"{key!r} is missing"
        if inner is None:
            continue
        items = record[key] if isinstance(record[key], list) else [record[key]]
        for item in items:
            assert set(inner) <= set(item), f"{key}: missing {set(inner) - set(item)}"

    def walk(value, where):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{where}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")
        else:
            assert value != "", f"{where} is an empty string; absent values are null"

    walk(record, "record")


# ---------------------------------------------------------------------------------------------
# The reference record, as the catalogue gives it (in-process) and as `opis show --json` prints it.


@pytest.fixture(scope="module")
def seed_data_dir(tmp_path_factory, seed_path):
    data_dir = tmp_path_factory.mktemp("seed-data")
    run_opis(data_dir, "ingest", str(seed_path))
    return data_dir


@pytest.fixture(params=["document_json", "opis show --json"])
def seed_record(request, archive) -> dict:
    if request.param == "document_json":
        from opis.records.serialize import document_json, load_document

        return document_json(load_document(SEED_ID))
    record, _ = run_opis_json(request.getfixturevalue("seed_data_dir"), "show", SEED_ID)
    return record


def test_seed_record_keeps_every_key_of_the_contract(seed_record):
    assert_contract(seed_record)


def test_seed_record_identity_and_description(seed_record):
    assert seed_record["id"] == SEED_ID
    assert seed_record["title"] == SEED_TITLE
    assert seed_record["doc_type"] == "telegram"
    assert seed_record["summary"] == SEED_SUMMARY
    assert seed_record["original_languages"] == ["ru"]
    assert seed_record["source_url"] == "https://digitalarchive.umd.edu/document/110692"
    assert seed_record["citation"] == SEED_CITATION
    assert seed_record["classification"] is None


def test_seed_record_date_is_the_day_as_written(seed_record):
    assert seed_record["date"] == {
        "start": "1950-07-13",
        "end": "1950-07-13",
        "precision": "day",
        "display": "July 13, 1950",
    }


def test_seed_record_text_is_the_english_translation(seed_record):
    [text] = seed_record["texts"]
    assert (text["language"], text["role"], text["label"]) == (
        "en",
        "translation",
        "Translation - English",
    )
    assert text["body"].startswith("CIPHERED TELEGRAM No. 3305")
    assert text["body"].endswith("Copies: Stalin (2), Molotov")
    assert "**" not in text["body"]


def test_seed_record_sits_in_three_archives(seed_record):
    locations = [tuple(loc[k] for k in LOCATION_KEYS) for loc in seed_record["locations"]]
    assert locations == [
        ("APRF", "45", "1", "331", None, "85", "APRF, Fond 45, Opis 1, Delo 331, List 85"),
        (
            "AVP RF", "059a", "5a", "3", "11", "118",
            "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118",
        ),
        ("RGASPI", "558", "11", "334", None, "0085", "RGASPI, f. 558, op. 11, d. 334, ll.0085"),
    ]  # fmt: skip
    for location in seed_record["locations"]:
        assert location["raw"] in seed_record["citation"]


def test_seed_record_people_and_their_parts(seed_record):
    agents = [(a["name"], a["role"], a["signed_as"], a["count"]) for a in seed_record["agents"]]
    assert agents == [
        ("Stalin", "signatory", "Filippov", None),
        ("Zhou Enlai", "alternative_recipient", None, None),
        ("Mao Zedong", "alternative_recipient", None, None),
        ("Roshchin", "intermediary", None, None),
        ("Stalin", "copy_recipient", None, 2),
        ("Molotov", "copy_recipient", None, None),
    ]


def test_seed_record_provenance_is_the_exact_file(seed_record, seed_path):
    source = seed_record["source"]
    assert Path(source["path"]).resolve() == seed_path.resolve()
    assert source["sha256"] == hashlib.sha256(seed_path.read_bytes()).hexdigest()
    assert source["reader"] == "wilson-record"


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda text: text.replace("**", ""), id="without ** marks"),
        pytest.param(lambda text: text.replace("\n", "\r\n"), id="Windows line endings"),
        pytest.param(lambda text: "\ufeff" + text, id="with a byte-order mark"),
    ],
)
def test_seed_layout_variants_give_the_same_record(variant, seed_path, tmp_path):
    copy = tmp_path / "record.md"
    copy.write_bytes(variant(seed_path.read_text(encoding="utf-8")).encode("utf-8"))
    assert read(copy) == read(seed_path)


# ---------------------------------------------------------------------------------------------
# Which reader: detection by layout, not by file name.


@pytest.mark.parametrize(
    ("path", "reader"),
    [
        (SEED, "wilson-record"),
        (DFAT / "volume-1-1937-38" / "4-memorandum-prepared-for-delegation-to-imperial-conference"
         ".md", "dfat-markdown"),
    ],
)  # fmt: skip
def test_each_layout_is_recognised(path, reader):
    if not path.exists():
        pytest.skip(f"{path} is not here")
    assert reader_for(SourceFile(path)).name == reader


def test_an_unknown_layout_is_refused_naming_the_known_ones(tmp_path):
    prose = tmp_path / "letter.md"
    prose.write_text("Dear Minister,\n\nI write about the conference.\n", encoding="utf-8")
    with pytest.raises(ReaderError, match="no reader recognises") as refused:
        reader_for(SourceFile(prose))
    assert "dfat-markdown" in refused.value.reason and "wilson-record" in refused.value.reason


# ---------------------------------------------------------------------------------------------
# DFAT: every field comes from the front matter.


def front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = re.split(r"^---\s*$", text, maxsplit=2, flags=re.MULTILINE)
    return yaml.safe_load(head), body


def expected_interval(doc_date: str) -> tuple[date, date, str]:
    """The interval a DFAT doc_date names: a day, a whole month or a whole year."""
    parts = [int(p) for p in doc_date.split("-")]
    if len(parts) == 3:
        return date(*parts), date(*parts), "day"
    if len(parts) == 2:
        year, month = parts
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    return date(parts[0], 1, 1), date(parts[0], 12, 31), "year"


def barcode(value) -> str:
    """NAA item barcodes are positive numbers; the harvest writes 0 where it found none."""
    return str(value) if value else ""


def dfat_sample(count: int = 30) -> list[Path]:
    """Every n-th file of the sorted corpus: the same files each run, spread over all volumes."""
    files = sorted(DFAT.glob("*/*.md"))
    if not files:
        return []
    step = max(1, len(files) // count)
    return files[::step][:count]


@pytest.mark.parametrize(
    "path", dfat_sample(), ids=lambda p: f"{p.parent.name.split('-')[1]}/{p.name[:40]}"
)
def test_dfat_record_follows_its_front_matter(path):
    meta, body = front_matter(path)
    [draft] = read(path)

    assert draft.title == " ".join(str(meta["title"]).split())
    start, end, precision = expected_interval(str(meta["doc_date"]))
    assert (draft.date.start, draft.date.end, draft.date.precision) == (start, end, precision)
    assert draft.id.startswith(f"dfat-v{meta['vol_id']}-")

    [collection] = draft.collections
    assert collection.slug == f"dfat-v{meta['vol_id']}"
    assert collection.title == " ".join(meta["vol_title"].split())
    assert collection.series == "Documents on Australian Foreign Policy"

    stem_number = re.match(r"\d+", path.stem).group()
    assert draft.doc_number == (str(meta["doc_num"]) if meta["doc_num"] else stem_number)

    refs = meta["naa_refs"] or []
    assert [(loc.repository, loc.series, loc.control_symbol, loc.barcode, loc.raw)
            for loc in draft.locations] == [
        ("NAA", str(r["naa_series"]), str(r["naa_control_symbol"]), barcode(r["naa_barcode"]),
         r["reference"])
        for r in refs
    ]  # fmt: skip

    assert draft.original_languages == ["en"]
    [text] = draft.texts
    assert (text.language, text.role, text.body) == ("en", "original", body.strip())


def test_the_sample_covers_many_volumes():
    sample = dfat_sample()
    if not sample:
        pytest.skip(f"{DFAT} is not here")
    assert len({p.parent for p in sample}) >= 15


DFAT_DATES = [
    # doc_date as written in the front matter, start, end, precision, display
    ("'1966-05-17'", date(1966, 5, 17), date(1966, 5, 17), "day", "17 May 1966"),
    ("1966-05-17", date(1966, 5, 17), date(1966, 5, 17), "day", "17 May 1966"),  # a YAML date
    ("'1967-11'", date(1967, 11, 1), date(1967, 11, 30), "month", "November 1967"),
    ("1967-11", date(1967, 11, 1), date(1967, 11, 30), "month", "November 1967"),
    ("'1952-02'", date(1952, 2, 1), date(1952, 2, 29), "month", "February 1952"),
    ("'1947'", date(1947, 1, 1), date(1947, 12, 31), "year", "1947"),
]


@pytest.mark.parametrize(("doc_date", "start", "end", "precision", "display"), DFAT_DATES)
def test_dfat_doc_date_forms(doc_date, start, end, precision, display, tmp_path):
    path = tmp_path / "7-cablegram-to-london.md"
    path.write_text(
        f"---\ndoc_date: {doc_date}\ndoc_num: 7\nnaa_refs: []\ntitle: Cablegram to London\n"
        "vol_id: 99\nvol_title: 'Volume 99: synthetic'\n---\n\nCablegram CANBERRA\n\nText.\n",
        encoding="utf-8",
    )
    [draft] = read(path)
    assert (draft.date.start, draft.date.end, draft.date.precision) == (start, end, precision)
    assert draft.date.display == display


@pytest.mark.parametrize(
    ("relative", "precision"),
    [
        (
            "volume-1-1937-38/4-memorandum-prepared-for-delegation-to-imperial-conference.md",
            "month",
        ),
        ("volume-12-1947-other-than-indonesia/296-ball-to-evatt.md", "year"),
    ],
)
def test_real_dfat_files_dated_by_month_or_year(relative, precision):
    path = DFAT / relative
    if not path.exists():
        pytest.skip(f"{path} is not here")
    meta, _ = front_matter(path)
    [draft] = read(path)
    assert draft.date.precision == precision
    assert (draft.date.start, draft.date.end, draft.date.precision) == expected_interval(
        str(meta["doc_date"])
    )


def test_dfat_heading_line_names_the_type_and_classification(tmp_path):
    path = tmp_path / "116-cabinet-decision-no-251.md"
    path.write_text(
        "---\ndoc_date: '1966-05-17'\ndoc_num: 116\nnaa_refs: []\ntitle: Ball to Evatt\n"
        "vol_id: 99\nvol_title: 'Volume 99: synthetic'\n---\n\n"
        "Cablegram UN949 NEW YORK, 8 December 1946, 8.08 p.m.\n\nTOP SECRET\n\nText.\n",
        encoding="utf-8",
    )
    [draft] = read(path)
    assert draft.doc_type == "telegram"
    assert draft.classification == "TOP SECRET"
