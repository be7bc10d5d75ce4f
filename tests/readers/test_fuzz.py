"""Every reader, fed a thousand mangled files, either reads them or refuses them with a ReaderError.

Each format starts from a real file (the Wilson seed, a DFAT record, FRUS TEI single documents
and a three-document slice of a volume, a UN speech, a Wilson-style CSV and JSON Lines export
built from the seed's own text) and gets 1,000 seeded mutants: truncated, bit-flipped, bytes
inserted or deleted, spans repeated, re-encoded (Latin-1, UTF-16 without BOM, cp1251), deeply
nested, huge lines, NULs, stray HTML. The rule for every mutant: valid drafts (that pass
``validate``) or ``ReaderError``; nothing else, within 5 s and 512 MiB (see ``fuzzing.py``).
A crash names its format and number: ``fuzzing.mutated(seed, number)`` rebuilds the file.
"""

import csv
import io
import json
import multiprocessing
from pathlib import Path

import pytest
from fuzzing import PER_TASK, TIME_LIMIT, fuzz_batch, merged

from conftest import CORPORA, FRUS, KENNAN, SEED, require

MUTANTS = 1000
FORMATS = (
    "wilson-record", "dfat-markdown", "frus-tei-document", "frus-tei-volume", "un-speech",
    "csv", "jsonl",
)  # fmt: skip


def _seed_text() -> str:
    return require(SEED).read_text(encoding="utf-8")


def _tabular_rows() -> list[dict]:
    body = _seed_text()
    return [
        {
            "id": f"fuzz-{n}",
            "Title": f"Ciphered telegram {n}, Filippov [Stalin] to Zhou Enlai",
            "Date": f"1950-07-{10 + n}",
            "Summary": 'Telegram on "the Korean question", troops, jets; pilots\' training.',
            "Source": f"https://digitalarchive.wilsoncenter.org/document/11069{n}",
            "Language": "Russian",
            "Text_Body": body[n * 400 : n * 400 + 1500],
            "Citation": "APRF, Fond 45, Opis 1, Delo 331, List 85",
        }
        for n in range(4)
    ]


def _volume_slice(folder: Path) -> Path:
    """The first three documents of a real volume, with its header: a volume small enough to
    mutate a thousand times."""
    from lxml import etree

    tree = etree.parse(str(require(FRUS / "volumes" / "frus1894Nicaragua.xml")))
    documents = tree.xpath("//*[local-name()='div'][@type='document']")
    for extra in documents[3:]:
        extra.getparent().remove(extra)
    path = folder / "frus1894Nicaragua.xml"
    tree.write(str(path), encoding="utf-8", xml_declaration=True)
    return path


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, list[Path]]:
    folder = tmp_path_factory.mktemp("fuzz-seeds")
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=list(_tabular_rows()[0]))
    writer.writeheader()
    writer.writerows(_tabular_rows())
    (folder / "export.csv").write_text(table.getvalue(), encoding="utf-8")
    jsonl = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in _tabular_rows())
    (folder / "export.jsonl").write_text(jsonl, encoding="utf-8")
    dfat = CORPORA / "dfat" / "volumes" / "volume-1-1937-38"
    un = CORPORA / "un-general-debates" / "TXT" / "Session 24 - 1969"
    return {
        "wilson-record": [require(SEED)],
        "dfat-markdown": [require(next(iter(sorted(dfat.glob("12-*.md")))))],
        "frus-tei-document": [
            require(FRUS / "frus-history-documents" / "1958-11-03-noble-to-osborne.xml"),
            require(KENNAN),
        ],
        "frus-tei-volume": [_volume_slice(folder)],
        "un-speech": [require(un / "USA_24_1969.txt")],
        "csv": [folder / "export.csv"],
        "jsonl": [folder / "export.jsonl"],
    }  # fmt: skip


@pytest.fixture(scope="module")
def fuzzed(seeds) -> dict[str, dict]:
    """Every format's mutants, read two at a time in forked children (one per 250 files)."""
    tasks = []
    for fmt, paths in seeds.items():
        for start in range(0, MUTANTS, PER_TASK):
            path = paths[(start // PER_TASK) % len(paths)]
            tasks.append((fmt, path, path.name, start, PER_TASK))
    with multiprocessing.get_context("fork").Pool(2, maxtasksperchild=1) as pool:
        batches = pool.map(fuzz_batch, tasks, chunksize=1)
    return merged(batches)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_mutant_is_read_or_refused_never_crashes(fuzzed, fmt):
    result = fuzzed[fmt]
    assert sum(result["outcomes"].values()) >= MUTANTS
    assert not result["crashes"], (
        "\n\n".join(
            f"{c['format']} #{c['number']} {c['mutations']}: {c['error']}\n{c['where']}"
            for c in result["crashes"][:3]
        )
        + f"\n({len(result['crashes'])} crashes in all)"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_mutants_are_both_read_and_refused_within_the_time_limit(fuzzed, fmt):
    """Not vacuous: some mutants still read, some are refused; the slowest under 5 s."""
    outcomes = fuzzed[fmt]["outcomes"]
    assert outcomes.get("drafts", 0) >= 50, outcomes
    assert outcomes.get("refused", 0) >= 50, outcomes
    assert fuzzed[fmt]["slowest"] < TIME_LIMIT
