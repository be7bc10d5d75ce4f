"""Metadata tables: CSV or JSON Lines, one document per row, with an optional text column.

The layout is the export of the Wilson Center scrapers (columns such as ``title``, ``date``,
``summary``, ``source`` (a URL), ``language``, ``text_body``, ``citation``, ``id``), but any table
with a title-like and a text-like column is recognised. Header names are matched case-insensitively
against ``COLUMNS``, which lists the synonyms for each field (text, text_body, body, content …).
A side-car ``<file>.mapping.json`` beside the table (``letters.csv.mapping.json``) overrides
them: ``{"title": "Headline", "text": "Full text"}`` maps a field to the column that holds it.

**A bad row does not sink the file.** The pipeline's unit is a file, so a ReaderError would throw
away every good row for one bad one. Instead a row without a title or a text is left out, and the
file fails only when no row at all can be read (the error then names the first bad row). Each left-
out row is recorded as its own note, "row N was not ingested: …", on the first document the file
yields, so a person opening any record of the batch, or the JSON of the first, sees which rows are
missing and why. Rows are numbered from 1 after the CSV header; in JSON Lines, row N is line N.

CSV input is decoded by ``SourceFile.text`` (UTF-8 with or without a BOM, or marked UTF-16; any
other encoding is refused with the offending byte), its dialect guessed by ``csv.Sniffer`` among
``,`` ``;`` tab and ``|`` (comma when the guess fails), and a field may be as large as the file may.
Text is kept verbatim, HTML included: what a cell says is what the record says.
"""

import csv
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from opis.drafts import DocumentDraft, TextDraft
from opis.errors import ReaderError
from opis.readers.source import SourceFile, max_text_bytes
from opis.understand.dates import format_display, parse_date
from opis.understand.languages import language_codes

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "identifier"),
    "title": ("title", "doc_title", "headline"),
    "text": ("text", "text_body", "body", "content"),
    "date": ("date", "doc_date"),
    "summary": ("summary", "description", "abstract"),
    "source_url": ("url", "source", "source_url", "link"),
    "language": ("language", "original_language", "lang"),
    "citation": ("citation",),
    "doc_type": ("doc_type", "type", "record_type"),
}
REQUIRED = ("title", "text")
# A CSV naming any of these is a table of documents: lacking a required column, it fails saying
# which, rather than passing for a lookup table (readers.not_documents).
DOCUMENT_FIELDS = {"title", "text", "date", "summary", "citation"}
DELIMITERS = ",;\t|"
MAX_REASONS_IN_ERROR = 5


class TabularReader:
    name = "tabular"
    extensions = (".csv", ".jsonl")
    whole_first_line = True  # a first row of any length is seen whole (readers.first_line_head)
    streaming = True  # past OPIS_MAX_TEXT_FILE_MB a table is read row by row (``stream``)

    def detect(self, source: SourceFile, head: str) -> bool:
        """Whether the header (CSV) or first object (JSON Lines) names a title and a text.

        A JSON Lines file whose first line is not a whole JSON object is not some other layout:
        it is a damaged (or, past ``OPIS_MAX_TEXT_FILE_MB``, too long) one of ours, and the
        ReaderError says which, rather than failing as a layout nobody knows. So does a CSV whose
        header names a document's field (a date, a title) but lacks a title or a text column."""
        head = head.lstrip("\ufeff")
        is_csv = source.path.suffix.lower() != ".jsonl"
        names = csv_header(head) if is_csv else _first_object_keys(source, head)
        mapping = column_mapping(names, _side_car(source.path))
        missing = [field for field in REQUIRED if field not in mapping]
        if missing and is_csv and DOCUMENT_FIELDS & set(mapping):
            raise _missing_columns(missing, names, source.path)  # a table of documents, lacking
        return not missing

    def read(self, source: SourceFile) -> Iterator[DocumentDraft]:
        names, rows = _rows(source)
        side_car = _side_car(source.path)
        mapping = column_mapping(names, side_car)
        per_row = source.path.suffix.lower() == ".jsonl"  # each JSON object names its own keys
        missing = [field for field in REQUIRED if field not in mapping]
        if missing:
            raise _missing_columns(missing, names, source.path)
        drafts, rejected = [], []
        for number, row in rows:
            try:
                row_mapping = column_mapping(list(row), side_car) if per_row else mapping
                drafts.append(_draft(row, row_mapping, source.path.stem, number))
            except ReaderError as exc:
                rejected.append((number, exc.reason))
        if not drafts:
            if not rejected:
                raise ReaderError("the table has a header but no rows", where="whole file")
            reasons = "; ".join(f"row {n}: {why}" for n, why in rejected[:MAX_REASONS_IN_ERROR])
            raise ReaderError(
                f"none of the {len(rejected)} rows could be read ({reasons})",
                where=f"row {rejected[0][0]}",
            )
        drafts[0].notes.extend(
            f"row {n} of {source.path.name} was not ingested: {why}" for n, why in rejected
        )
        yield from drafts

    def stream(self, source: SourceFile) -> Iterator[tuple[str, DocumentDraft | ReaderError]]:
        """The table row by row, never held whole: ("row N", its draft or why it was not read).

        For a table larger than a text record may be (``OPIS_MAX_TEXT_FILE_MB``): ingest writes
        its drafts in bounded batches as they come, so a row that cannot be read is reported on
        its own (a note on the first draft, as ``read`` makes, would come after that draft was
        written). A row longer than the record limit is such a row; the rest of the file goes on.
        A file that cannot go on (a bad header, bytes that are not its encoding, CSV quoting
        broken) raises a ReaderError naming the row."""
        source.refuse_non_text(size_limit=False)
        side_car = _side_car(source.path)
        stem = source.path.stem
        if source.path.suffix.lower() == ".jsonl":
            for number, line in _lines(source):
                if line is None:
                    yield f"row {number}", _too_long()
                elif line.strip():
                    row = _json_row(line)
                    mapping = column_mapping(list(row), side_car)
                    yield f"row {number}", _draft_or_error(row, mapping, stem, number)
            return
        csv.field_size_limit(max(max_text_bytes(), csv.field_size_limit()))
        reader = csv.reader(_csv_lines(_lines(source)), _dialect(_decoded_head(source)))
        try:
            names = next(reader)
        except StopIteration:
            raise ReaderError("the table is empty: no header row", where="line 1") from None
        except csv.Error as exc:
            raise ReaderError(f"the header is not valid CSV ({exc})", where="line 1") from None
        mapping = column_mapping(names, side_car)
        missing = [field for field in REQUIRED if field not in mapping]
        if missing:
            raise ReaderError(
                f"no column for {', '.join(missing)} among {', '.join(names)}; name one "
                f"({', '.join(COLUMNS[missing[0]])}) or map it in {source.path.name}.mapping.json",
                where="header",
            )
        for number, row in _csv_rows(reader, names):
            yield f"row {number}", _draft_or_error(row, mapping, stem, number)


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _decoded_head(source: SourceFile) -> str:
    """The first 8 KB as text, for guessing the CSV dialect (a character cut in two is moot)."""
    head = source.head(8192)
    return head.decode("utf-16" if head.startswith(_UTF16_BOMS) else "utf-8-sig", errors="replace")


def _lines(source: SourceFile) -> Iterator[tuple[int, str | None]]:
    """(line number, the line as text), decoded as ``decode_text`` would decode the whole file;
    None for a line longer than a record may be, which is read past, never held. Bytes that are
    not UTF-8 stop the file at their line."""
    limit = max_text_bytes()
    if source.head(2) in _UTF16_BOMS:  # UTF-16 cannot be cut at newline bytes: decode as text
        with source.path.open(encoding="utf-16", newline="") as text:
            number = 0
            try:
                for number, line in enumerate(text, start=1):  # noqa: B007 - read after the loop
                    yield number, line.replace("\r\n", "\n")
            except UnicodeDecodeError as exc:
                raise ReaderError(
                    f"marked as UTF-16 but not valid UTF-16 after line {number} ({exc.reason})",
                    where=f"line {number + 1}",
                ) from None
        return
    with source.path.open("rb") as handle:
        number = 0
        while raw := handle.readline(limit + 1):
            number += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):
                    raw = handle.readline(limit + 1)
                yield number, None
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ReaderError(
                    f"the text is not UTF-8 (byte 0x{raw[exc.start]:02x}); re-save the file as "
                    "UTF-8 and ingest it again",
                    where=f"line {number}",
                ) from None
            yield number, line[:-2] + "\n" if line.endswith("\r\n") else line


def _csv_lines(lines: Iterable[tuple[int, str | None]]) -> Iterator[str]:
    for number, line in lines:
        if line is None:  # a CSV record cannot be found again past a line it could not read
            raise ReaderError(f"{_too_long().reason}; the rows after it were not read",
                              where=f"line {number}")  # fmt: skip
        yield line


def _too_long() -> ReaderError:
    limit = max_text_bytes()
    return ReaderError(
        f"the row is longer than the {round(limit / 1048576, 2):g} MB a record may be; "
        "split it, or raise OPIS_MAX_TEXT_FILE_MB"
    )


def _draft_or_error(row: dict, mapping, stem: str, number: int) -> DocumentDraft | ReaderError:
    try:
        return _draft(row, mapping, stem, number)
    except ReaderError as exc:
        return exc


def _first_object_keys(source: SourceFile, head: str) -> list[str]:
    stripped = head.lstrip()
    number = head[: len(head) - len(stripped)].count("\n") + 1
    line, ended, _ = stripped.partition("\n")
    try:
        first = json.loads(line)
    except ValueError as exc:
        limit = max_text_bytes()
        if not ended and source.size > limit:  # the head stopped at the limit
            raise ReaderError(
                f"the first record is longer than the {round(limit / 1048576, 2):g} MB a "
                "record may be; split it, or raise OPIS_MAX_TEXT_FILE_MB",
                where=f"line {number}",
            ) from None
        raise ReaderError(
            f"line {number} is not JSON ({exc.args[0] if exc.args else exc}); a JSON Lines file "
            "holds one JSON object per line",
            where=f"line {number}",
        ) from None
    if not isinstance(first, dict):
        raise ReaderError(
            f"line {number} is not a JSON object; a JSON Lines table holds one object per row",
            where=f"line {number}",
        )
    return list(first)


def column_mapping(names: list[str], side_car: dict[str, str] | None = None) -> dict[str, str]:
    """Field -> the column (as written in the header) that holds it; the side-car wins."""
    by_lower = {str(name).strip().lower(): name for name in names if name is not None}
    mapping = {}
    for field, synonyms in COLUMNS.items():
        for synonym in synonyms:
            if synonym in by_lower:
                mapping[field] = by_lower[synonym]
                break
    for field, column in (side_car or {}).items():
        if column.strip().lower() in by_lower:
            mapping[field] = by_lower[column.strip().lower()]
    return mapping


def csv_header(head: str) -> list[str]:
    """The column names on a CSV head's first line; [] when that line is not CSV (a stray
    carriage return inside it is a malformed file, not a table of ours)."""
    head = head.lstrip("\ufeff")
    try:
        return next(csv.reader([(head.splitlines() or [""])[0]], _dialect(head)), [])
    except csv.Error:
        return []


def _missing_columns(missing: list[str], names: list[str], path: Path) -> ReaderError:
    return ReaderError(
        f"no column for {', '.join(missing)} among {', '.join(names) or 'no columns'}; "
        f"name one ({', '.join(COLUMNS[missing[0]])}) or map it in {path.name}.mapping.json",
        where="header",
    )


def _side_car(path: Path) -> dict[str, str]:
    side_car = path.with_name(path.name + ".mapping.json")
    if not side_car.is_file():
        return {}
    try:
        mapping = json.loads(side_car.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise ReaderError(
            f"{side_car.name} is not readable JSON ({exc}); fix or remove it", where=side_car.name
        ) from None
    unknown = [key for key in mapping if key not in COLUMNS] if isinstance(mapping, dict) else []
    if (
        not isinstance(mapping, dict)
        or unknown
        or not all(isinstance(v, str) for v in mapping.values())
    ):
        raise ReaderError(
            f"{side_car.name} must map fields ({', '.join(COLUMNS)}) to column names"
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
            where=side_car.name,
        )
    return mapping


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample[:8192], delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel


def _rows(source: SourceFile) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    text = source.text()
    if source.path.suffix.lower() == ".jsonl":
        return _jsonl_rows(text)
    csv.field_size_limit(max(max_text_bytes(), csv.field_size_limit()))  # a cell: a whole text
    reader = csv.reader(text.splitlines(keepends=True), _dialect(text))
    try:
        names = next(reader)
    except StopIteration:
        raise ReaderError("the table is empty: no header row", where="line 1") from None
    except csv.Error as exc:
        raise ReaderError(f"the header is not valid CSV ({exc})", where="line 1") from None
    return names, _csv_rows(reader, names)


def _csv_rows(reader, names: list[str]) -> Iterator[tuple[int, dict]]:
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReaderError(f"the CSV is malformed ({exc})", where=f"row {number}") from None
        if not any(cell.strip() for cell in cells):
            number -= 1  # a blank line is not a row
            continue
        yield number, dict(zip(names, cells, strict=False))


def _jsonl_rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    rows, names = [], {}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        row = _json_row(line)
        names.update(dict.fromkeys(row))
        rows.append((number, row))
    return [name for name in names if name != "_error"], iter(rows)


def _json_row(line: str) -> dict:
    """A JSON Lines row, or a row that says why it is none (``_draft`` refuses it)."""
    try:
        row = json.loads(line)
    except ValueError as exc:
        return {"_error": f"line is not JSON ({exc.args[0] if exc.args else exc})"}
    return row if isinstance(row, dict) else {"_error": "line is not a JSON object"}


def _draft(row: dict, mapping: dict[str, str], stem: str, number: int) -> DocumentDraft:
    if "_error" in row:
        raise ReaderError(row["_error"])

    def cell(field: str) -> str:
        value = row.get(mapping[field]) if field in mapping else None
        return "" if value is None else str(value)

    title, text = " ".join(cell("title").split()), cell("text").strip()
    missing = [name for name, value in (("title", title), ("text", text)) if not value]
    if missing:
        raise ReaderError(f"no {' and no '.join(missing)}")
    date = parse_date(cell("date")) if cell("date").strip() else parse_date("")
    date.display = format_display(date) if date.precision != "unknown" else cell("date").strip()
    languages = list(_language_codes(cell("language")))
    return DocumentDraft(
        id=_slug(cell("id")) or f"{_slug(stem)}-row{number}",
        title=title,
        date=date,
        doc_type=cell("doc_type").strip().lower(),
        summary=cell("summary").strip(),
        original_languages=languages,
        source_url=cell("source_url").strip(),
        citation=cell("citation").strip(),
        texts=[TextDraft(body=text, language=languages[0] if languages else "")],
    )


@lru_cache(maxsize=512)
def _language_codes(cell: str) -> tuple[str, ...]:
    """A table repeats a handful of language cells row after row; each is resolved once
    (resolving one took as long as the rest of a row's draft)."""
    return tuple(language_codes(cell))


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip())
    return re.sub(r"\.{2,}", ".", slug).strip("-.")[:150]


READER = TabularReader()
