"""JSON Lines: a header line, one record per line, a trailer line. The format for a lossless copy.

Each record is the JSON contract of ``opis.records.serialize`` (the same shape as
``GET /api/documents/{id}``), so a script that reads one reads the other. The header names the
export (``opis_export``: its version, when, of what); the trailer repeats the count actually
written, so the reader (``opis.readers.opis_jsonl``) can tell a whole export from one cut short.
``opis ingest`` of this file rebuilds the records exactly (docs/export.md).

Records are compact, one per line, UTF-8 as is (``ensure_ascii=False``); JSON escapes every
control character, so a record never spans two lines.
"""

import json
from collections.abc import Iterator
from importlib.metadata import version

from opis.export import ExportContext

EXPORT_VERSION = 1
HEADER_KEY = "opis_export"
TRAILER_KEY = "opis_export_end"


def _line(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


def header_line(context: ExportContext, export_format: str = "jsonl") -> str:
    return _line(
        {
            HEADER_KEY: EXPORT_VERSION,
            "format": export_format,
            "exported_at": context.exported_at.isoformat(),
            "query": context.selection.query,
            "count": context.selection.count(),
            "opis_version": version("opis"),
        }
    )


def record_line(record: dict) -> str:
    return _line(record)


def trailer_line(count: int) -> str:
    return _line({TRAILER_KEY: EXPORT_VERSION, "count": count})


class JsonLines:
    name = "jsonl"
    description = "JSON Lines: the whole record per line; opis ingest restores it exactly"
    media_type = "application/x-ndjson; charset=utf-8"
    extension = ".jsonl"
    folder = False
    label = "JSON Lines"
    download = True

    def pieces(self, context: ExportContext) -> Iterator[str]:
        yield header_line(context)
        count = 0
        for record in context.selection.records(context.progress):
            yield record_line(record)
            count += 1
        context.details["count"] = count
        yield trailer_line(count)


FORMAT = JsonLines()
