"""opis's own JSON Lines export, read back: the round trip that restores an archive exactly.

An export (``opis export --format jsonl``, ``opis.export.jsonl``) is a header line
``{"opis_export": 1, …}``, one record per line in the JSON contract of ``opis.records.serialize``,
and a trailer ``{"opis_export_end": 1, "count": N}``. Each record becomes the very draft it was
built from; what the catalogue derives (agents' person ids from the authority, thread links,
index entries) is derived again on ingest, and the record's provenance (the original file's
path, checksum and reader) is kept, so the restored archive points at the same originals.

The export is one unit: a record that cannot be read, or a file that ends without its trailer
(cut off while copying), fails the whole file, naming the line, rather than restore part of an
archive as if it were all of it; an export too large to hold is checked whole before its
records are given one by one (``stream``). Registered before the generic tabular reader, which
keeps every other ``.jsonl`` file.
"""

import json
from collections.abc import Iterator
from dataclasses import fields
from datetime import date

from opis.drafts import (
    AgentDraft,
    CollectionDraft,
    DateInterval,
    DocumentDraft,
    FootnoteDraft,
    LocationDraft,
    Provenance,
    TextDraft,
)
from opis.errors import ReaderError
from opis.readers.source import SourceFile

HEADER_KEY = "opis_export"
TRAILER_KEY = "opis_export_end"
VERSIONS = (1,)
LOCATION_PARTS = tuple(f.name for f in fields(LocationDraft) if f.name != "raw")


class OpisExportReader:
    name = "opis-export"
    extensions = (".jsonl",)
    streaming = True  # an export of a large archive is read line by line, past the text limit
    part = "record"  # past it, written record by record as it is read (``stream``)

    def detect(self, source: SourceFile, head: str) -> bool:
        try:
            first = json.loads(head.lstrip("\ufeff").split("\n", 1)[0])
        except ValueError:
            return False
        return isinstance(first, dict) and HEADER_KEY in first

    def read(self, source: SourceFile) -> Iterator[DocumentDraft]:
        for _, draft in _records(source):
            yield draft

    def stream(self, source: SourceFile) -> Iterator[tuple[str, DocumentDraft | ReaderError]]:
        """The records with their lines, for an export larger than a text record may be
        (``OPIS_MAX_TEXT_FILE_MB``: a million records are some gigabytes), so that ingest writes
        them in bounded transactions instead of holding every draft. The export stays one unit:
        a first pass reads every line, record and the trailer's count and keeps nothing, so a
        damaged export fails whole, before anything is written; the second gives the drafts."""
        for _ in _records(source):
            pass
        for number, draft in _records(source):
            yield f"line {number}", draft


def _records(source: SourceFile) -> Iterator[tuple[int, DocumentDraft]]:
    """Each record's line number and draft; a ReaderError naming the line for anything that
    is not an export of this version, whole, with as many records as its trailer counts."""
    count, trailer = 0, None
    with source.path.open(encoding="utf-8-sig", newline="\n") as lines:
        _check_header(_json(next(lines), 1))
        for number, line in enumerate(lines, start=2):
            if not line.strip():
                continue
            if trailer is not None:
                raise ReaderError("there is text after the export's last line", f"line {number}")
            value = _json(line, number)
            if TRAILER_KEY in value:
                trailer = (value, number)
                continue
            yield number, _draft(value, number)
            count += 1
    _check_trailer(trailer, count)


def _json(line: str, number: int) -> dict:
    try:
        value = json.loads(line)
    except ValueError as exc:
        raise ReaderError(f"the line is not JSON ({exc})", f"line {number}") from None
    if not isinstance(value, dict):
        raise ReaderError("the line is not a JSON object", f"line {number}")
    return value


def _check_header(header: dict) -> None:
    if header.get(HEADER_KEY) not in VERSIONS:
        raise ReaderError(
            f"export version {header.get(HEADER_KEY)!r} is not one this opis reads "
            f"({', '.join(map(str, VERSIONS))}); export again with this version of opis",
            "line 1",
        )


def _check_trailer(trailer: tuple[dict, int] | None, count: int) -> None:
    if trailer is None:
        raise ReaderError(
            f"the export has no closing line after {count} record(s): it was cut short; "
            "copy or export it again (nothing was ingested from it)",
            "end of file",
        )
    value, number = trailer
    if value.get("count") != count:
        raise ReaderError(
            f"the export's closing line counts {value.get('count')!r} records but it holds "
            f"{count}; records were lost or added, export it again",
            f"line {number}",
        )


def _draft(record: dict, number: int) -> DocumentDraft:
    """The draft a record was built from, or a ReaderError naming the record and its line."""
    try:
        return _build(record)
    except KeyError as exc:
        problem = f"has no {exc.args[0]!r}"
    except (TypeError, ValueError, AttributeError) as exc:
        problem = f"is not an opis record ({exc})"
    raise ReaderError(f"record {record.get('id')!r} {problem}", f"line {number}")


def _text(value) -> str:
    return "" if value is None else str(value)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def draft_from_record(record: dict) -> DocumentDraft:
    """The draft a record in the JSON contract stands for (``records.serialize.document_json``):
    how an export is read back and how a curator's edit (``opis.curate``) is written. Raises
    KeyError, TypeError, ValueError or AttributeError for a record that is not in the contract."""
    return _build(record)


def _build(record: dict) -> DocumentDraft:
    when, source = record["date"], record["source"]
    return DocumentDraft(
        id=record["id"],
        title=record["title"],
        date=DateInterval(
            start=_day(when["start"]),
            end=_day(when["end"]),
            precision=when["precision"],
            display=_text(when["display"]),
        ),
        **{
            key: _text(record[key])
            for key in (
                "doc_type",
                "doc_number",
                "summary",
                "source_url",
                "citation",
                "classification",
                "dateline",
                "signed",
            )
        },  # fmt: skip
        original_languages=list(record["original_languages"]),
        cable=record["cable"],
        texts=[_text_draft(text) for text in record["texts"]],
        locations=[
            LocationDraft(raw=loc["raw"], **{part: _text(loc[part]) for part in LOCATION_PARTS})
            for loc in record["locations"]
        ],
        agents=[
            AgentDraft(
                name=a["name"],
                role=a["role"],
                signed_as=_text(a["signed_as"]),
                count=a["count"],
                kind=a["kind"],
            )  # fmt: skip
            for a in record["agents"]
        ],
        collections=[
            CollectionDraft(
                slug=c["slug"],
                title=c["title"],
                series=_text(c["series"]),
                position=c.get("position"),
            )  # fmt: skip
            for c in record["collections"]
        ],
        footnotes=[
            FootnoteDraft(body=f["body"], label=_text(f["label"])) for f in record["footnotes"]
        ],
        notes=list(record["notes"]),
        provenance=_provenance(source),
    )


def _provenance(source: dict) -> Provenance:
    provenance = Provenance(
        path=_text(source["path"]), sha256=_text(source["sha256"]), reader=_text(source["reader"])
    )
    if len(provenance.sha256) > 64 or len(provenance.reader) > 60:
        raise ValueError("its source checksum or reader name is too long")
    return provenance


def _text_draft(text: dict) -> TextDraft:
    return TextDraft(
        body=text["body"],
        language=_text(text["language"]),
        role=text["role"],
        label=_text(text["label"]),
        pages=text["pages"] or None,
        method=_text(text["method"]),
        confidence=text["confidence"],
    )


READER = OpisExportReader()
