"""Bad input: every way a file can be wrong, refused with its name, the place and the reason.

One table. Each case writes one file beside a good one and ingests the folder: the good file lands,
the bad one is reported (its path, where in it, and a reason a person can act on) and nothing of
it reaches the catalogue.
"""

import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import DFAT, run_opis, run_opis_json
from opis.ingest import ingest_paths
from opis.records.models import Document, Text

GOOD = DFAT / "volume-2-1939" / "1-mr-r-g-casey-treasurer-to-mr-j-a-lyons-prime-minister.md"
WILSON_URL = "https://digitalarchive.umd.edu/document/999999"  # a synthetic record's address


def dfat(front: str, body: str = "Cablegram LONDON, 8 May 1946\n\nText.\n") -> bytes:
    return f"---\n{front}---\n\n{body}".encode()


FRONT = "doc_date: '1946-05-08'\ndoc_num: 1\nnaa_refs: []\ntitle: Synthetic\nvol_id: 99\n"


def wilson(*sections: str, preamble: str = "**May 8, 1946**\n\n**Synthetic record**\n\n") -> bytes:
    parts = {
        "citation": f'**Citation:**\n\n"Synthetic record", May 8, 1946, <{WILSON_URL}>\n\n',
        "summary": "**Summary:**\n\nA synthetic record for tests.\n\n",
        "language": "**Original Language:**\n\nRussian\n\n",
        "contents": "**Contents:**\n\nTranslation - English\n\nText of the record.\n",
    }
    return (preamble + "".join(parts[s] for s in sections)).encode()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

# name, file content, what the reason must say, what "where" must say
BAD_INPUT = [
    pytest.param(
        "unclosed-yaml.md",
        dfat("doc_date: '1946-05-08\ndoc_num: 1\ntitle: Synthetic\nvol_id: 99\n"),
        "not valid YAML", "front matter line",
        id="front matter: unclosed quotation in YAML",
    ),
    pytest.param(
        "bad-indentation.md",
        dfat("doc_date: '1946-05-08'\nnaa_refs:\n- naa_barcode: 1\n    naa_series: A1\n"
             "  reference: x\ntitle: Synthetic\nvol_id: 99\n"),
        "not valid YAML", "front matter line",
        id="front matter: bad indentation",
    ),
    pytest.param(
        "never-closed.md",
        f"---\n{FRONT}\nCablegram LONDON\n\nText.\n".encode(),
        "never closed", "front matter",
        id="front matter never closed",
    ),
    pytest.param(
        "a-list.md",
        dfat("- doc_date: '1946-05-08'\n- vol_id: 99\n- title: Synthetic\n"),
        "not a YAML mapping", "front matter",
        id="front matter is a list, not keys and values",
    ),
    pytest.param(
        "no-title.md",
        dfat("doc_date: '1946-05-08'\ndoc_num: 1\nnaa_refs: []\nvol_id: 99\n"),
        "lacks title", "front matter",
        id="missing title",
    ),
    pytest.param(
        "bad-date.md",
        dfat("doc_date: '1946-13-08'\ndoc_num: 1\nnaa_refs: []\ntitle: Synthetic\nvol_id: 99\n"),
        r"doc_date '1946-13-08' is not a date \(expected YYYY-MM-DD", "doc_date (line 2)",
        id="doc_date 1946-13-08",
    ),
    pytest.param(
        "bad-volume.md",
        dfat("doc_date: '1946-05-08'\ndoc_num: 1\nnaa_refs: []\ntitle: Synthetic\nvol_id: ix\n"),
        "vol_id 'ix' is not a whole number", "front matter line 6",
        id="vol_id not a number",
    ),
    pytest.param(
        "long-series.md",
        dfat(FRONT + f"naa_refs:\n- naa_series: {'A' * 150}\n  naa_control_symbol: 1\n"),
        "series is 150 characters; the catalogue holds at most 100", "series",
        id="a value too long for the catalogue",
    ),
    pytest.param(
        "no-citation.md",
        wilson("summary", "language", "contents"),
        'the "Citation:" section is missing', "Citation",
        id="Wilson layout without Citation",
    ),
    pytest.param(
        "no-contents.md",
        wilson("citation", "summary", "language"),
        'the "Contents:" section is missing', "Contents",
        id="Wilson layout without Contents",
    ),
    pytest.param(
        "no-title-line.md",
        wilson("citation", "summary", "contents", preamble="**May 8, 1946**\n\n"),
        "expected a date line and a title", "line 1",
        id="Wilson layout without a title",
    ),
    pytest.param(
        "latin-1.md",
        dfat(FRONT.replace("Synthetic", "Caf\u00e9 de Paris")).decode().encode("latin-1"),
        r"not UTF-8 \(byte 0xe9", "line 5",
        id="not UTF-8 (Latin-1 bytes)",
    ),
    pytest.param("empty.md", b"", "the file is empty", "whole file", id="empty file"),
    pytest.param(
        "blank.md", b"\n  \n\t\n", "the file is empty|nothing to ingest|no reader", "",
        id="only white space",
    ),
    pytest.param(
        "nul.md",
        dfat(FRONT, body="Text\x00\x00\x00 with NUL bytes\n"),
        "binary file", "whole file",
        id="a record with NUL bytes",
    ),
    pytest.param(
        "zeros.md", b"\x00" * 2048, "binary file", "whole file", id="NUL bytes only",
    ),
    pytest.param(  # a NUL as a JSON escape: PostgreSQL cannot hold it, so neither backend takes it
        "escaped-nul.jsonl", b'{"id": "nul-1", "title": "Jet\\u0000fighter", "text": "Text."}\n',
        "contains a NUL character", "title", id="a NUL written as an escape",
    ),
    pytest.param(
        "picture.md", PNG + bytes(range(256)) * 4, "binary file", "whole file",
        id="a PNG renamed .md",
    ),
]  # fmt: skip


@pytest.fixture
def folder(tmp_path, db, isolated_index) -> Path:
    if not GOOD.exists():
        pytest.skip(f"{GOOD} is not here; the shared corpora live beside the checkout")
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(GOOD, folder)
    return folder


def assert_refused(report, path: Path, reason: str, where: str, before: tuple) -> None:
    assert report.count("ingested") == 1, "the good file beside it still lands"
    failures = [f for f in report.failed if f.path == str(path)]
    assert len(failures) == 1, f"{path.name} is reported once: {report.failed}"
    [failure] = failures
    assert re.search(reason, failure.reason), failure.reason
    assert where in failure.where, failure.where
    assert str(path) in str(failure) and "skipped" in str(failure)
    assert str(path) not in {d["path"] for d in report.documents}
    assert not Document.objects.filter(source_path=str(path)).exists()
    assert (Document.objects.count() - 1, Text.objects.count() - 1) == before


@pytest.mark.parametrize(("name", "content", "reason", "where"), BAD_INPUT)
def test_bad_input_is_refused_with_its_name_place_and_reason(name, content, reason, where, folder):
    bad = folder / name
    bad.write_bytes(content)
    before = (Document.objects.count(), Text.objects.count())
    report = ingest_paths([folder])
    assert_refused(report, bad, reason, where, before)
    assert not Document.objects.filter(pk="wcda-999999").exists()


def huge_file(folder: Path) -> Path:
    huge = folder / "huge.md"
    with huge.open("wb") as handle:
        handle.write(dfat(FRONT))
        handle.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    return huge


def test_a_200_mb_file_fails_fast_on_its_size(folder):
    huge = huge_file(folder)
    before = (Document.objects.count(), Text.objects.count())
    started = time.perf_counter()
    report = ingest_paths([folder])
    elapsed = time.perf_counter() - started
    assert_refused(report, huge, r"200\.0 MB, over the \d+ MB limit", "whole file", before)
    assert elapsed < 10, f"took {elapsed:.1f} s"


def bytes_read() -> int:
    """Bytes this process has read through system calls (Linux /proc/self/io, "rchar")."""
    return int(re.search(r"rchar: (\d+)", Path("/proc/self/io").read_text()).group(1))


def test_a_200_mb_file_is_refused_without_being_read(folder):
    if not Path("/proc/self/io").exists():
        pytest.skip("needs Linux /proc/self/io to count the bytes read")
    huge = huge_file(folder)
    ingest_paths([folder / GOOD.name])  # warm up: imports, the catalogue, the index
    start = bytes_read()
    report = ingest_paths([huge])
    read = bytes_read() - start
    assert [f.path for f in report.failed] == [str(huge)]
    assert read < 20 * 1024 * 1024, f"{read / 1048576:.0f} MB read to refuse it by its size"


# ---------------------------------------------------------------------------------------------
# Markup inside a document is text: stored verbatim, shown escaped.

SCRIPT = "<script>alert('opis')</script> & <b>bold</b>"


def test_html_in_a_document_is_stored_as_text_and_escaped_in_snippets(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "1-markup.md").write_bytes(
        dfat(FRONT, body=f"Cablegram LONDON\n\nZanzibar {SCRIPT} zanzibar.\n")
    )
    data = tmp_path / "data"
    report, _ = run_opis_json(data, "ingest", str(docs))
    assert report["ingested"] == 1 and report["failed"] == []
    [document] = report["documents"]

    record, _ = run_opis_json(data, "show", document["id"])
    assert SCRIPT in record["texts"][0]["body"], "the text is kept verbatim"

    results, _ = run_opis_json(data, "search", "zanzibar")
    [hit] = results["results"]
    assert "&lt;script&gt;" in hit["snippet"]
    assert "<script>" not in hit["snippet"] and "<b>bold</b>" not in hit["snippet"]
    assert "<b>Zanzibar</b>" in hit["snippet"], "only the match is marked"


def test_opis_ingest_names_the_bad_file_on_stderr(tmp_path):
    bad = tmp_path / "bad-date.md"
    bad.write_bytes(BAD_INPUT[5].values[1])
    result = run_opis(tmp_path / "data", "ingest", str(bad), check=False)
    assert result.returncode == 4
    assert f"FAILED {bad}" in result.stderr
    assert "doc_date '1946-13-08' is not a date" in result.stderr


PROSE = b"Dear Minister,\n\nI write to you about the conference in Geneva.\n"


def test_a_file_of_unknown_layout_named_on_the_command_line_fails(folder):
    prose = folder / "prose.md"
    prose.write_bytes(PROSE)
    report = ingest_paths([prose, *folder.glob("*-*.md")])
    [failure] = report.failed
    assert failure.path == str(prose.resolve())
    assert "no reader recognises this layout" in failure.reason
    assert "known layouts: dfat-markdown, wilson-record" in failure.reason
    assert report.count("ingested") == 1


def test_a_file_of_unknown_layout_met_in_a_folder_fails_too_and_the_rest_goes_in(folder):
    prose = folder / "prose.md"
    prose.write_bytes(PROSE)
    report = ingest_paths([folder])
    [failure] = report.failed
    assert failure.path == str(prose)
    assert "no reader recognises this layout" in failure.reason
    assert report.count("ingested") == 1 and report.skipped == []
    assert not Document.objects.filter(source_path=str(prose)).exists()
