"""Mutations that know a PDF's anatomy, and mutants of a FOIA side-car JSON.

A PDF parser meets damage the byte-level mutations of ``fuzzing.py`` rarely make: a cross-reference
section cut short or pointing nowhere, a ``/Length`` that lies, garbage inside a Flate stream, a
page tree claiming billions of pages or listing one page a hundred thousand times, arrays nested
beyond any stack, objects that refer to themselves, an ``/Encrypt`` entry, and the classic of
downloads gone wrong: a ``%PDF`` header followed by an HTML error page. ``PDF_MUTATIONS`` adds
these to the generic ones; ``fuzzing.mutated(seed, number, PDF_MUTATIONS)`` rebuilds a mutant.

``sidecar_mutant`` does the same for the side-car beside a scan (``foia_pdfs.json``): broken JSON,
wrong types anywhere, huge strings, missing keys, nesting deeper than the JSON parser's stack.
"""

import json
import random
import re

from fuzzing import MUTATIONS

DEPTHS = (300, 5_000, 100_000)
_LENGTH = re.compile(rb"/Length\s+(\d+\s+\d+\s+R|\d+)")
_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_COUNT = re.compile(rb"/Count\s+-?\d+")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body><h1>Not Found</h1>"
    b"<p>The requested URL /DOCUMENTS/C09000001.pdf was not found on this server.</p>"
    b"<script>location.href='/login'</script></body></html>\n"
)


def _sub_one(pattern: re.Pattern, data: bytes, rng: random.Random, make) -> bytes:
    """Replace one randomly chosen match of ``pattern`` by ``make(match)``."""
    found = list(pattern.finditer(data))
    if not found:
        return data
    match = rng.choice(found)
    return data[: match.start()] + make(match) + data[match.end() :]


def _truncated_xref(data: bytes, rng: random.Random) -> bytes:
    """Cut the file inside its last cross-reference section, or make ``startxref`` point wrong."""
    if rng.random() < 0.5:
        at = data.rfind(b"startxref")
        if at >= 0:
            offset = rng.choice((0, 1, len(data) // 2, len(data) + 1000, 2**63, -5, 10**40))
            return data[:at] + b"startxref\n%d\n%%%%EOF\n" % offset
    xref = max(data.rfind(b"\nxref"), data.rfind(b"/XRef"), 0)
    return data[: rng.randrange(xref, len(data) + 1)]


def _stream_lengths(data: bytes, rng: random.Random) -> bytes:
    values = (b"0", b"1", b"-1", b"99999999", b"2147483648", b"1e9", b"999 0 R", b"(x)", b"/L")
    for _ in range(rng.randint(1, 3)):
        data = _sub_one(_LENGTH, data, rng, lambda m: b"/Length " + rng.choice(values))
    return data


def _stream_garbage(data: bytes, rng: random.Random) -> bytes:
    """Overwrite bytes inside one stream (Flate content, object or xref stream), length kept."""
    found = list(_STREAM.finditer(data))
    if not found:
        return data
    begin = rng.choice(found).end()
    end = data.find(b"endstream", begin)
    end = end if end > begin else len(data)
    at = rng.randrange(begin, max(begin + 1, end))
    garbage = rng.randbytes(rng.randint(1, max(1, min(64, end - at))))
    return data[:at] + garbage + data[at + len(garbage) :]


def _huge_count(data: bytes, rng: random.Random) -> bytes:
    """A page tree that claims absurd counts, or lists one page thousands of times."""
    if rng.random() < 0.5:
        value = rng.choice((b"2147483647", b"99999999999999999999", b"-1", b"0", b"1000000"))
        return _COUNT.sub(b"/Count " + value, data)
    times = rng.choice((1_000, 100_000))
    return _sub_one(_KIDS, data, rng, lambda m: b"/Kids [" + (m.group(1) + b" ") * times + b"]")


def _deep_arrays(data: bytes, rng: random.Random) -> bytes:
    """``[[[[…]]]]`` or ``<</A <</A …>>>>`` spliced into an object, closed or not."""
    depth = rng.choice(DEPTHS)
    opening, closing = rng.choice(((b"[", b"]"), (b"<</A ", b">>"), (b"[<</A ", b">>]")))
    nested = opening * depth + (closing * depth if rng.random() < 0.7 else b"")
    anchor = data.find(b"/Type /Catalog")
    at = anchor if anchor >= 0 and rng.random() < 0.6 else rng.randrange(len(data) + 1)
    return data[:at] + b"/Deep " + nested + b" " + data[at:]


def _reference_loops(data: bytes, rng: random.Random) -> bytes:
    """Objects that refer to themselves or to their parents: the page tree, a length, contents."""
    loops = (
        (rb"/Kids\s*\[(\d+) 0 R\]", lambda m: b"/Kids [12 0 R " + m.group(1) + b" 0 R]"),
        (rb"/Pages (\d+) 0 R", lambda m: b"/Pages 13 0 R"),
        (rb"7 0 obj\s*\d+\s*endobj", lambda m: b"7 0 obj\n7 0 R\nendobj"),
        (rb"/Contents\s*\[[^\]]*\]", lambda m: b"/Contents [11 0 R 12 0 R]"),
        (rb"/Resources (\d+) 0 R", lambda m: b"/Resources 11 0 R"),
        (rb"/Parent (\d+) 0 R", lambda m: b"/Parent 11 0 R"),
    )
    pattern, make = rng.choice(loops)
    return _sub_one(re.compile(pattern), data, rng, make)


def _encrypt_entry(data: bytes, rng: random.Random) -> bytes:
    """An ``/Encrypt`` entry in the trailer: RC4, AES-256, an unknown handler, dangling, wrong."""
    keys = b"/O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4"
    entry = rng.choice(
        (
            b"<</Filter /Standard /V 1 /R 2 /Length 40 " + keys + b">>",
            b"<</Filter /Standard /V 2 /R 3 /Length 128 " + keys + b">>",
            b"<</Filter /Standard /V 5 /R 6 /Length 256 " + keys + b" /OE <00> /UE <00>>>",
            b"<</Filter /Standard /V 4 /R 4 /CF <</StdCF <</CFM /AESV2>>>> /StmF /StdCF " + keys
            + b">>",
            b"<</Filter /FancyVendorLock /V 9 /R 99>>",
            b"<</Filter /Standard>>",
            b"999 0 R",
            b"(not a dictionary)",
            b"[1 2 3]",
        )
    )  # fmt: skip
    return data.replace(b"/Root ", b"/Encrypt " + entry + b" /Root ")


def _html_after_header(data: bytes, rng: random.Random) -> bytes:
    """What a failed download saves: ``%PDF-`` then an HTML page, maybe then the real file."""
    header = rng.choice((b"%PDF-1.4\n", b"%PDF-1.7\r\n", b"%PDF-"))
    return header + HTML_PAGE + (data[len(header) :] if rng.random() < 0.3 else b"")


PDF_MUTATIONS = MUTATIONS | {
    "truncated-xref": _truncated_xref,
    "stream-lengths": _stream_lengths,
    "stream-garbage": _stream_garbage,
    "huge-count": _huge_count,
    "deep-arrays": _deep_arrays,
    "reference-loops": _reference_loops,
    "encrypt-entry": _encrypt_entry,
    "html-after-header": _html_after_header,
}


# Side-cars

WRONG_VALUES = (None, True, 0, -1, 1e308, "", "x", [], {}, [1, "a", None], {"filename": 5})
WEIRD_STRINGS = (
    "99999-99-99", "1986-02-30", "0000-00-00", "-0001-01-01", "Date undetermined (est.)",
    "../../etc/passwd", "C:\\x.pdf", "\x00\ud800", "en,ru,zz,??", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "<script>",
)  # fmt: skip
FIELDS = (
    "doc_id", "title", "filename", "date", "date_display", "description", "summary", "doctype",
    "classification", "source_url", "language", "case_number", "case_subject", "source", "from",
    "to", "id", "url", "languages",
)  # fmt: skip


def _nodes(data, path=()):
    """Every (path, value) in a JSON value, the root first."""
    yield path, data
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        yield from _nodes(value, (*path, key))


def _set(data, path, value):
    if not path:
        return value
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return data


def _entry(data) -> dict | None:
    """The first entry that names a file (the intact PDF's), wherever the mutants left it."""
    for _, value in _nodes(data):
        if isinstance(value, dict) and "filename" in value:
            return value
    return None


def _wrong_type(data, rng):
    path, _ = rng.choice(list(_nodes(data)))
    return _set(data, path, rng.choice(WRONG_VALUES))


def _wrong_field_type(data, rng):
    entry = _entry(data)
    if entry is not None:
        entry[rng.choice(FIELDS)] = rng.choice(WRONG_VALUES + WEIRD_STRINGS)
    return data


def _huge_string(data, rng):
    entry = _entry(data)
    if entry is None:
        return data
    unit = rng.choice(("word ", "x", "Ж", "Reykjavik, " * 3))
    entry[rng.choice(FIELDS)] = unit * (rng.choice((10_000, 1_000_000)) // len(unit))
    return data


def _missing_keys(data, rng):
    holders = [value for _, value in _nodes(data) if isinstance(value, dict) and value]
    for holder in rng.sample(holders, min(len(holders), rng.randint(1, 3))):
        for key in rng.sample(sorted(holder), rng.randint(1, len(holder))):
            del holder[key]
    return data


def _id_keyed(data, rng):
    """The list of entries as a dict keyed by id (a layout the reader accepts), keys weird."""
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        keys = [rng.choice(("", "0", "foia-C09000001", "x" * 5000, "Ж")) for _ in data["documents"]]
        data["documents"] = dict(zip(keys, data["documents"], strict=True))
    return data


STRUCTURAL = {
    "wrong-type": _wrong_type,
    "wrong-field-type": _wrong_field_type,
    "huge-string": _huge_string,
    "missing-keys": _missing_keys,
    "id-keyed": _id_keyed,
}


def _deep_json(text: bytes, rng: random.Random) -> bytes:
    depth = rng.choice(DEPTHS)
    nested = rng.choice((b"[" * depth + b"]" * depth, b'{"a":' * depth + b"1" + b"}" * depth))
    at = text.find(b'"documents":')
    at = at + len(b'"documents":') if at >= 0 else 0
    return text[:at] + nested + b"," + text[at:]


def sidecar_mutant(seed: dict, number: int) -> tuple[bytes, list[str]]:
    """The ``number``-th mutant of a side-car (a JSON value): structural mutations on the value,
    then, for about half, byte mutations of its text (so also JSON that does not parse)."""
    rng = random.Random(number)
    data = json.loads(json.dumps(seed))
    names = rng.sample(sorted(STRUCTURAL), rng.choice((0, 1, 1, 2, 3)))
    for name in names:
        data = STRUCTURAL[name](data, rng)
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")
    if rng.random() < 0.5:
        byte_names = rng.sample(sorted(MUTATIONS) + ["deep-json"], rng.choice((1, 1, 2)))
        for name in byte_names:
            text = _deep_json(text, rng) if name == "deep-json" else MUTATIONS[name](text, rng)
        names += byte_names
    return text, names
