"""Hardened XML parsing: the one place every XML reader gets its parser from.

XML can make a parser do things no archive file should: expand entities into gigabytes ("billion
laughs", quadratic blowup), read local files or URLs into the text (external entities, XXE), fetch
DTDs over the network, or nest so deep that the parser runs out of stack. opis refuses all of it in
two layers, so that removing one does not open the door:

1. **Before parsing**, ``check_prolog`` reads the prolog (the bytes before the root element) and
   refuses a DOCTYPE that declares entities or points to an external DTD; real archive XML (TEI,
   EAD) needs neither. ``check_docinfo`` repeats the check on what the parser saw, which also
   covers encodings the byte scan cannot read (UTF-16 without a byte-order mark, EBCDIC).
2. **While parsing**, lxml runs with ``PARSER_OPTIONS``: entities are never expanded, nothing is
   loaded from the network or disk, no DTD is read, and libxml2's size and depth limits
   (``huge_tree=False``: 256 levels of nesting, 10 MB text nodes) stay on.

Parse errors become a ``ReaderError`` that says what is wrong in words and where ("line 12,
column 5"), never a traceback.
"""

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import IO

from lxml import etree

from opis.errors import ReaderError

PARSER_OPTIONS: Mapping[str, bool] = MappingProxyType(
    {
        "resolve_entities": False,  # never substitute entities, internal or external
        "no_network": True,  # never fetch anything a document points to
        "load_dtd": False,  # never read a DTD, internal subset aside
        "huge_tree": False,  # keep libxml2's depth (256) and text-size limits
        "dtd_validation": False,
    }
)
PROLOG_BYTES = 64 * 1024  # how much of a file the prolog check reads
MAX_DEPTH = 256  # libxml2's nesting limit without huge_tree

ENTITIES_REFUSED = (
    "the XML declares entities (a DOCTYPE with <!ENTITY>); opis does not expand entities, "
    "for safety; remove the DOCTYPE (TEI needs none) and ingest the file again"
)
EXTERNAL_DTD_REFUSED = (
    "the XML refers to an external DTD ({url}); opis never fetches or reads DTDs, for safety; "
    "remove the DOCTYPE line (TEI needs none) and ingest the file again"
)
_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")  # the first start tag ends the prolog
_ENTITY = re.compile(rb"<!ENTITY\b", re.IGNORECASE)
_PARAMETER_ENTITY_REF = re.compile(rb"%\s*[\w.-]+;")
_EXTERNAL_ID = re.compile(
    rb"<!DOCTYPE\s+[^\s\[>]+\s+(?:SYSTEM\s*(?P<s>\"[^\"]*\"|'[^']*')|PUBLIC\s*(?:\"[^\"]*\"|'[^']*')"
    rb"\s*(?P<p>\"[^\"]*\"|'[^']*'))",
    re.IGNORECASE,
)
_POSITION = re.compile(r",?\s*line \d+, column \d+\s*$")


def parser(**extra: object) -> etree.XMLParser:
    """An lxml parser with the safety options; ``extra`` may add options but not weaken them."""
    return etree.XMLParser(**_merged(extra))


def iterparse(source: str | Path | IO[bytes], **extra: object) -> etree.iterparse:
    """``lxml.etree.iterparse`` with the safety options (events, tag… pass through ``extra``)."""
    if isinstance(source, Path):
        source = str(source)
    etree.clear_error_log()  # so that syntax_error finds this parse's first error
    return etree.iterparse(source, **_merged(extra))


def parse_bytes(data: bytes) -> etree._Element:
    """A whole small document, checked and parsed safely; the root element."""
    check_prolog(data[:PROLOG_BYTES])
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc) from None
    check_docinfo(root)
    return root


def _merged(extra: Mapping[str, object]) -> dict[str, object]:
    weakened = [key for key in PARSER_OPTIONS if key in extra and extra[key] != PARSER_OPTIONS[key]]
    if weakened:
        raise ValueError(f"xml_safety refuses to change {', '.join(weakened)}")
    return {**extra, **PARSER_OPTIONS}


def check_prolog(head: bytes) -> None:
    """Refuse a DOCTYPE that declares entities or names an external DTD, before any parsing."""
    text = _ascii_view(head)
    root = _ROOT_START.search(text)
    doctype = _DOCTYPE.search(text, 0, root.start() if root else len(text))
    if doctype is None:  # none in the prolog; one later on is a syntax error, or quoted text
        return
    declaration = _declaration(text[doctype.start() :])
    if _ENTITY.search(declaration) or _PARAMETER_ENTITY_REF.search(declaration):
        raise ReaderError(ENTITIES_REFUSED, where=_line_of(text, doctype.start()))
    external = _EXTERNAL_ID.match(declaration)
    if external:
        url = (external.group("s") or external.group("p")).decode("ascii", "replace").strip("\"'")
        raise ReaderError(
            EXTERNAL_DTD_REFUSED.format(url=url), where=_line_of(text, doctype.start())
        )


def _declaration(text: bytes) -> bytes:
    """The DOCTYPE declaration alone: to its first ``>``, or to ``]>`` when it has a subset."""
    close, subset = text.find(b">"), text.find(b"[")
    if subset == -1 or -1 < close < subset:
        return text if close == -1 else text[: close + 1]
    end = re.search(rb"\]\s*>", text[subset:])
    return text if end is None else text[: subset + end.end()]


def _ascii_view(head: bytes) -> bytes:
    """The head as single-byte text, so markup can be searched whatever the encoding."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif head[:4] in (b"\x00<\x00?", b"<\x00?\x00"):  # UTF-16 without byte-order mark
        encoding = "utf-16-be" if head[0] == 0 else "utf-16-le"
    else:
        return head
    return head.decode(encoding, errors="replace").encode("ascii", errors="replace")


def _line_of(text: bytes, offset: int) -> str:
    newline = b"\n"
    return f"line {text.count(newline, 0, offset) + 1}"


def check_docinfo(element: etree._Element) -> None:
    """The same refusal, from what the parser read (call it on the first element parsed)."""
    docinfo = element.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ReaderError(ENTITIES_REFUSED, where="DOCTYPE")
    if docinfo.system_url or docinfo.public_id:
        url = docinfo.system_url or docinfo.public_id
        raise ReaderError(EXTERNAL_DTD_REFUSED.format(url=url), where="DOCTYPE")


def syntax_error(exc: etree.XMLSyntaxError, *, column_shift: int = 0) -> ReaderError:
    """A ReaderError that says in words what libxml2 found wrong first, and where.

    The exception's own message is libxml2's last complaint, which after an early error can be a
    confused one ("StartTag: invalid element name" on line 1 for an undefined entity far below);
    the first fatal error in the error log is the cause. ``column_shift`` is subtracted from
    columns on line 1, for readers that wrap a fragment in a root element of their own.
    """
    first = next((e for e in exc.error_log if e.level >= etree.ErrorLevels.ERROR), None)
    if first is not None:
        message, line, column = first.message, first.line, first.column
    else:
        message = _POSITION.sub("", str(exc.msg or exc))
        line, column = exc.position if exc.position else (0, 0)
    if line == 1 and column_shift:
        column = max(1, column - column_shift)
    where = f"line {line}, column {column}" if line else "whole file"
    return ReaderError(_explain(message.strip() or "unknown error"), where=where)


def _explain(message: str) -> str:
    lowered = message.lower()
    if "excessive depth" in lowered:
        return (
            f"elements are nested more than {MAX_DEPTH} levels deep, deeper than any real "
            "document needs; opis does not lift this limit, for safety"
        )
    if "amplification" in lowered or "entity loop" in lowered:
        return ENTITIES_REFUSED
    if "entity" in lowered and "not defined" in lowered:
        return (
            f"the XML is not well-formed: {message} (only the five XML entities and numeric "
            "character references such as &#160; are understood); fix the file and ingest it again"
        )
    if "no element found" in lowered or "document is empty" in lowered:
        return "the file holds no XML element; there is nothing to ingest"
    if "encoding" in lowered or "utf-8" in lowered:
        return (
            f"the bytes do not match the file's character encoding ({message}); the file may be "
            "damaged or saved in another encoding; re-save it as UTF-8 and ingest it again"
        )
    if "start tag expected" in lowered:
        return f"the file is not XML: it does not start with an element ({message})"
    if "premature end" in lowered or "end of data" in lowered or "'</' not found" in lowered:
        return (
            f"the XML ends before its elements are closed ({message}); the file looks truncated; "
            "fetch a complete copy and ingest it again"
        )
    return f"the XML is not well-formed ({message}); fix the file and ingest it again"
