"""CSV: one row per document, flat columns, for a spreadsheet. A summary, not a copy.

Choices made for the people who open it in Excel (docs/export.md):

- **UTF-8 with a byte-order mark.** Without it Excel reads UTF-8 as the local code page and turns
  Молотов or 周恩来 into mojibake; Python (``utf-8-sig``), pandas, LibreOffice and opis's own
  tabular reader all accept the mark.
- **RFC 4180 quoting by the csv module**, rows ending in CRLF: commas, quotes, newlines and stray
  HTML inside a field survive as they are.
- **No formulas.** A cell starting with ``= + - @`` (or a tab or carriage return) is prefixed
  with an apostrophe, so a spreadsheet shows it as text instead of running it (OWASP, "CSV
  injection"). The JSON Lines export keeps every character exactly.
- Lists (languages, collections, archival locations) are joined with `` ; ``.
"""

import csv
import io
from collections.abc import Iterator

from opis.export import ExportContext

BOM = "\ufeff"
JOIN = " ; "
COLUMNS = (
    "id", "title", "date_start", "date_end", "date_precision", "date_display", "doc_type",
    "doc_number", "classification", "languages", "collections", "archival_locations",
    "citation", "source_url", "summary", "url",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def row(record: dict, context: ExportContext) -> list[str]:
    date = record["date"]
    values = {
        **{key: record[key] for key in ("id", "title", "doc_type", "doc_number")},
        "date_start": date["start"],
        "date_end": date["end"],
        "date_precision": date["precision"],
        "date_display": date["display"],
        "classification": record["classification"],
        "languages": JOIN.join(record["original_languages"]),
        "collections": JOIN.join(c["title"] for c in record["collections"]),
        "archival_locations": JOIN.join(loc["raw"] for loc in record["locations"]),
        "citation": record["citation"],
        "source_url": record["source_url"],
        "summary": record["summary"],
        "url": context.document_url(record["id"]),
    }
    return [_cell(values[column]) for column in COLUMNS]


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class CsvTable:
    name = "csv"
    description = "CSV: one row per document, for spreadsheets (UTF-8 with BOM)"
    media_type = "text/csv; charset=utf-8"
    extension = ".csv"
    folder = False
    label = "CSV"
    download = True

    def pieces(self, context: ExportContext) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)  # excel dialect: minimal quoting, CRLF
        writer.writerow(COLUMNS)
        yield BOM + _drain(buffer)
        for record in context.selection.records(context.progress):
            writer.writerow(row(record, context))
            yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


FORMAT = CsvTable()
