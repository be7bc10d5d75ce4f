"""Hostile and damaged XML fails cleanly: a ReaderError naming why, in seconds, with nothing
expanded, nothing read from disk and nothing fetched from the network.

Network attacks point at a local HTTP server run by the test, which records every request: the
tests fail if any arrives. Each attack is also fed straight to ``xml_safety``'s parser options,
without the DOCTYPE check in front, so that weakening either layer alone makes a test fail.
"""

import http.server
import io
import resource
import threading
import time
from pathlib import Path

import pytest
from lxml import etree

from conftest import CORPORA, require
from opis.errors import ReaderError
from opis.readers import xml_safety
from opis.readers.frus_tei import READER
from opis.readers.source import SourceFile

VOLUME = CORPORA / "frus-tei" / "volumes" / "frus1917Supp02v02.xml"
SECRET = "opis-test-secret-7d1f"
TEI_OPEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" xml:id="d1">'
TEI_CLOSE = "</div></body></text></TEI>"
SECONDS = 5
MEMORY_KB = 100 * 1024


@pytest.fixture
def listener():
    """A local HTTP server that records the path of every request it gets."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(f'<!ENTITY leak "{SECRET}">'.encode())

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def secret_file(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def tei(doctype: str, body: str = "<head>A title</head><p>Text &x;</p>") -> bytes:
    return f'<?xml version="1.0"?>\n{doctype}\n{TEI_OPEN}{body}{TEI_CLOSE}'.encode()


def billion_laughs() -> bytes:
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return tei(f'<!DOCTYPE TEI [{"".join(levels)}<!ENTITY x "&l9;">]>')


def quadratic_blowup() -> bytes:
    return tei(
        f'<!DOCTYPE TEI [<!ENTITY a "{"A" * 100_000}">]>',
        "<head>A title</head><p>" + "&a;" * 20_000 + "</p>",
    )


def refused(path: Path) -> ReaderError:
    """Read the file with the FRUS reader; return the ReaderError, checking time and memory."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    drafts = []
    with pytest.raises(ReaderError) as caught:
        drafts.extend(READER.read(SourceFile(path)))
    assert time.monotonic() - started < SECONDS
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < MEMORY_KB
    shown = " ".join([caught.value.reason, caught.value.where] + [repr(d) for d in drafts])
    assert SECRET not in shown and "root:" not in shown
    return caught.value


def write(tmp_path: Path, data: bytes, name: str = "hostile.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- entities and DTDs ----------------------------------------------------------------------------


def attacks(secret: Path, url: str) -> dict[str, bytes]:
    return {
        "billion laughs": billion_laughs(),
        "quadratic blowup": quadratic_blowup(),
        "external entity, file": tei(f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'),
        "external entity, /etc/passwd": tei(
            '<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        ),
        "external entity, http": tei(f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{url}/entity">]>'),
        "parameter entity": tei(
            f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{url}/param.dtd"> %p;]>', "<p>&leak;</p>"
        ),
    }


ENTITY_ATTACKS = list(attacks(Path("/x"), "http://x"))


@pytest.mark.parametrize("attack", ENTITY_ATTACKS)
def test_entity_declarations_are_refused(attack, tmp_path, secret_file, listener):
    url, requests = listener
    error = refused(write(tmp_path, attacks(secret_file, url)[attack]))
    assert error.reason == xml_safety.ENTITIES_REFUSED
    assert "does not expand entities" in error.reason
    assert error.where == "line 2"
    assert requests == []


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE TEI SYSTEM "{url}/tei.dtd">',
        '<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" "{url}/tei.dtd">',
    ],
    ids=["SYSTEM", "PUBLIC"],
)
def test_an_external_dtd_is_refused_and_never_fetched(doctype, tmp_path, listener):
    url, requests = listener
    error = refused(write(tmp_path, tei(doctype.format(url=url), "<p>text</p>")))
    assert error.reason.startswith(f"the XML refers to an external DTD ({url}/tei.dtd)")
    assert requests == []


@pytest.mark.parametrize("attack", ENTITY_ATTACKS)
def test_the_parser_options_alone_expand_and_fetch_nothing(attack, secret_file, listener):
    """Second layer: even with no DOCTYPE check, the parser neither expands nor fetches."""
    url, requests = listener
    data = attacks(secret_file, url)[attack]
    started = time.monotonic()
    try:
        for _, element in xml_safety.iterparse(io.BytesIO(data), events=("end",)):
            text = "".join(element.itertext())
            assert SECRET not in text and "root:" not in text and "lollol" not in text
            assert len(text) < 100_000
        root = element.getroottree().getroot()
        with pytest.raises(ReaderError, match="declares entities"):
            xml_safety.check_docinfo(root)
    except etree.XMLSyntaxError as exc:  # libxml2's own amplification guard may stop it first
        assert "amplification" in str(exc) or "not defined" in str(exc)
    assert time.monotonic() - started < SECONDS
    assert requests == []


def test_the_check_sees_through_utf16_without_a_byte_order_mark(tmp_path):
    declaration = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE TEI [<!ENTITY x "y">]>'
    data = (declaration + TEI_OPEN + "<p>&x;</p>" + TEI_CLOSE).encode("utf-16-le")
    assert b"<!DOCTYPE" not in data  # a byte scan for ASCII would miss it
    assert refused(write(tmp_path, data)).reason == xml_safety.ENTITIES_REFUSED


def test_a_doctype_without_entities_or_external_dtd_is_harmless(tmp_path):
    quoted = "<!-- <!DOCTYPE x [<!ENTITY y 'z'>]> is how an attack starts -->"
    path = write(tmp_path, tei("<!DOCTYPE TEI>", f"<head>A title</head><p>Text{quoted}</p>"))
    (draft,) = READER.read(SourceFile(path))
    assert draft.title == "A title" and draft.texts[0].body == "Text"


def test_the_safety_options_cannot_be_weakened():
    for option in ("resolve_entities", "no_network", "load_dtd", "huge_tree"):
        with pytest.raises(ValueError, match=option):
            xml_safety.parser(**{option: not xml_safety.PARSER_OPTIONS[option]})
    assert dict(xml_safety.PARSER_OPTIONS) == {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "dtd_validation": False,
    }


def test_parse_bytes_for_other_xml_readers(secret_file):
    root = xml_safety.parse_bytes(b"<r>fine</r>")
    assert root.text == "fine"
    with pytest.raises(ReaderError, match="declares entities"):
        xml_safety.parse_bytes(tei(f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret_file}">]>'))
    with pytest.raises(ReaderError) as caught:
        xml_safety.parse_bytes(b"<r>\n  <a>unclosed</r>")
    assert caught.value.where == "line 2, column 18"


# --- damage ---------------------------------------------------------------------------------------


def too_deep() -> bytes:
    depth = xml_safety.MAX_DEPTH + 50
    return tei("", "<head>Deep</head><p>" + "<hi>" * depth + "x" + "</hi>" * depth + "</p>")


def test_nesting_deeper_than_sane_is_refused(tmp_path):
    error = refused(write(tmp_path, too_deep()))
    assert "nested more than 256 levels deep" in error.reason
    assert error.where.startswith("line 3, column ")


def test_a_truncated_volume_fails_the_whole_file(tmp_path):
    path = write(tmp_path, require(VOLUME).read_bytes()[:100_000], "frus1917Supp02v02.xml")
    error = refused(path)
    assert error.reason.startswith("the XML ends before its elements are closed")
    assert "truncated" in error.reason
    assert error.where == "line 1669, column 46"


def test_documents_read_before_the_damage_do_not_rescue_the_file(tmp_path):
    """Drafts come lazily, but a parse error anywhere fails the file: ingest keeps none."""
    data = require(VOLUME).read_bytes()
    cut = data.rindex(b"<div", 0, data.index(b'xml:id="d200"'))
    stream = READER.read(SourceFile(write(tmp_path, data[:cut])))
    assert next(stream).id == "frus1917Supp02v02/d1"
    with pytest.raises(ReaderError, match="truncated"):
        list(stream)


def flips() -> dict[str, tuple[bytes, str, str]]:
    """Single damaged bytes in the volume: (marker before the byte, how to damage it, reason)."""
    return {
        "high bit set in a letter": (b"petroleum is not the fault", "high", "character encoding"),
        "'<' of an end tag turned '='": (b"</p>", "lt", "Opening and ending tag mismatch"),
        "end tag name changed": (b"</p>", "name", "Opening and ending tag mismatch"),
        "a NUL byte": (b"petroleum is not the fault", "nul", "Invalid character"),
        "quote of an attribute": (
            b'<div type="document" xml:id="d150"',
            "quote",
            "not well-formed",
        ),
    }


@pytest.mark.parametrize("flip", list(flips()))
def test_bit_flipped_bytes_fail_with_a_line_and_column(flip, tmp_path):
    marker, how, reason = flips()[flip]
    data = bytearray(require(VOLUME).read_bytes())
    at = data.index(marker, data.index(b'xml:id="d101"'))
    if how == "high":
        data[at] |= 0x80
    elif how == "lt":
        data[at] ^= 0x01  # '<' (0x3C) becomes '=' (0x3D)
    elif how == "name":
        data[at + 2] ^= 0x01  # 'p' (0x70) becomes 'q' (0x71)
    elif how == "nul":
        data[at] = 0
    else:
        data[at + len(b'<div type="document" xml:id=')] ^= 0x20  # '"' becomes a control byte
    error = refused(write(tmp_path, bytes(data), "frus1917Supp02v02.xml"))
    assert reason in error.reason
    line = data.count(b"\n", 0, at) + 1
    where = error.where.removeprefix("line ").split(", column ")
    assert len(where) == 2 and int(where[0]) >= line  # found at the damage or where it shows


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"plain words, not XML", "the file is not XML"),
        (b"<TEI>&nbsp;</TEI>", "Entity 'nbsp' not defined"),
    ],
    ids=["empty", "not XML", "undefined entity"],
)
def test_other_unreadable_files(data, reason, tmp_path):
    assert reason in refused(write(tmp_path, data)).reason


@pytest.mark.django_db
def test_ingest_names_the_file_and_keeps_going(tmp_path, isolated_index, secret_file):
    """Through the pipeline: the hostile file is reported by name, the good one still lands."""
    from opis.ingest import ingest_paths

    bad = write(tmp_path, tei(f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret_file}">]>'))
    good = write(tmp_path, tei("", "<head>A harmless letter</head><p>Text</p>"), "good.xml")
    report = ingest_paths([bad, good])
    assert [(f.path, f.reason) for f in report.failed] == [
        (str(bad.resolve()), xml_safety.ENTITIES_REFUSED)
    ]
    assert f"{bad.resolve()}, line 2: the XML declares entities" in str(report.failed[0])
    assert [d["id"] for d in report.documents] == ["good/d1"]
