"""Metadata for a scanned file from a side-car JSON beside it (in its folder or the folder above).

Scans arrive without metadata inside them; the archive that released them publishes a JSON list
instead (the State Department FOIA reading room: ``foia_pdfs.json``, one entry per PDF). Any JSON
in the file's folder or its parent is a side-car when it holds entries that name files:

* ``{"documents": [{"filename": "C09000001.pdf", "doc_id": ..., "title": ...}, ...]}`` (or a
  bare list of such entries);
* ``{"<doc id>": {"filename": ...}, ...}`` (also under ``"documents"``).

Entries keyed by a document id *without* a file name (``foia_metadata.json``, curated dates and
descriptions) fill the fields a file's entry leaves empty, once that entry has named the id.
A JSON holding neither (``frus_core.json``: records of other documents) is simply not a side-car.

Side-cars are read once per folder and process (a 60-PDF folder would otherwise parse the same
megabyte 60 times), and re-read when one of them changes on disk. A JSON that cannot be parsed is
named in a note on the record, so metadata meant for it is never dropped in silence.
"""

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from opis.drafts import AgentDraft, CollectionDraft, DateInterval, LocationDraft
from opis.understand.dates import format_display, parse_date
from opis.understand.languages import language_codes

MAX_SIDECAR_BYTES = 50 * 1024 * 1024
# "Russian, English and French": a longer value is no list of languages, and looking up each of
# its 100,000 parts (or one megabyte-long name) in pycountry takes minutes.
MAX_LANGUAGES_CHARS = 200
SHARED_FIELDS = ("case_number", "case_subject", "source", "language", "classification")
# Series names for the collections of known publishers of scans (the side-car's ``source``).
SERIES_OF_SOURCE = {"foia.state.gov": "State Department FOIA"}
REPOSITORY_OF_SOURCE = {"foia.state.gov": "U.S. Department of State, FOIA Virtual Reading Room"}
_UNDETERMINED = re.compile(r"^\s*(date )?(undetermined|unknown|undated|n\.\s?d\.?)\s*$", re.I)
_QUALIFIER = re.compile(r"\s*\((?:est\.?|estimated|uncertain|approx\.?|circa)\)\s*$", re.I)


@dataclass
class ScanMetadata:
    """What a side-car says of one file; empty strings where it says nothing."""

    doc_id: str = ""
    title: str = ""
    date: DateInterval = field(default_factory=DateInterval)
    summary: str = ""
    doc_type: str = ""
    classification: str = ""
    source_url: str = ""
    languages: list[str] = field(default_factory=list)
    agents: list[AgentDraft] = field(default_factory=list)
    collections: list[CollectionDraft] = field(default_factory=list)
    locations: list[LocationDraft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def metadata_for(path: Path) -> ScanMetadata:
    """The side-car metadata of one file (an empty ScanMetadata when no side-car names it)."""
    path = Path(path)
    by_name, by_id, notes = {}, {}, []
    for folder in (path.parent, path.parent.parent):
        found = _folder_sidecars(str(folder), _stamp(folder))
        by_name = {**found.by_name, **by_name}  # the nearer folder wins
        by_id = {**found.by_id, **by_id}
        notes += found.notes
    entry = dict(by_name.get(path.name, {}))
    doc_id = str(entry.get("doc_id") or entry.get("id") or "")
    for key, value in by_id.get(doc_id, {}).items():
        if entry.get(key) in (None, ""):
            entry[key] = value
    metadata = _metadata(entry, path) if entry else ScanMetadata()
    metadata.notes = notes
    return metadata


@dataclass
class _Sidecars:
    by_name: dict[str, dict] = field(default_factory=dict)
    by_id: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _stamp(folder: Path) -> tuple:
    """Names, sizes and times of a folder's JSON files: the cache key that notices a change."""
    try:
        files = sorted(folder.glob("*.json"))
        return tuple((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    except OSError:
        return ()


@lru_cache(maxsize=64)
def _folder_sidecars(folder: str, stamp: tuple) -> _Sidecars:
    found = _Sidecars()
    for name, size, _ in stamp:
        if size > MAX_SIDECAR_BYTES:
            continue
        try:
            data = json.loads(Path(folder, name).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError, RecursionError) as exc:  # RecursionError: nested too deep
            found.notes.append(
                f"the JSON {Path(folder, name)} beside this file could not be read ({exc}); "
                "if it is a side-car, its metadata was not used"
            )
            continue
        shared = _shared_fields(data)
        for entry in _entries(data):
            if isinstance(entry.get("filename"), str):
                entry = {**shared, **{k: v for k, v in entry.items() if v not in (None, "")}}
                found.by_name.setdefault(Path(entry["filename"]).name, entry)
        for doc_id, entry in _keyed_entries(data):
            found.by_id.setdefault(doc_id, entry)
    return found


def _entries(data) -> list[dict]:
    """Entries of a list side-car, or of an id-keyed one (each value an entry)."""
    documents = data.get("documents", data) if isinstance(data, dict) else data
    if isinstance(documents, list):
        return [e for e in documents if isinstance(e, dict)]
    if isinstance(documents, dict):
        return [e for e in documents.values() if isinstance(e, dict)]
    return []


def _shared_fields(data) -> dict:
    """A side-car's top-level values (``case_number``, ``source``): every entry's defaults."""
    if not isinstance(data, dict):
        return {}
    return {k: data[k] for k in SHARED_FIELDS if isinstance(data.get(k), str)}


def _keyed_entries(data) -> list[tuple[str, dict]]:
    documents = data.get("documents", data) if isinstance(data, dict) else None
    if not isinstance(documents, dict):
        return []
    return [(str(k), v) for k, v in documents.items() if isinstance(v, dict)]


def _text(entry: dict, *keys: str) -> str:
    """A side-car value as text, or "". NUL characters are dropped: a catalogue cannot hold them
    (``validate`` would refuse the whole record), and a bad side-car never costs the scan."""
    for key in keys:
        value = entry.get(key)
        if isinstance(value, (str, int, float)) and str(value).replace("\x00", "").strip():
            return " ".join(str(value).replace("\x00", "").split())
    return ""


def _title(entry: dict) -> str:
    """The entry's title, unless it is only the FOIA case's subject and a position ("Meeting of
    President Reagan … Document 2 of 73"), which sixty records would share: then the document's
    own description, with the position kept ("… Zakharov … (Document 2 of 73)")."""
    title, subject = _text(entry, "title"), _text(entry, "case_subject")
    description = _text(entry, "description", "summary")
    if not (subject and description and title.startswith(subject)):
        return title
    position = title[len(subject) :].strip(" -–,")
    return description.rstrip(".") + (f" ({position})" if position else "")


def _metadata(entry: dict, path: Path) -> ScanMetadata:
    source = _text(entry, "source")
    case = _text(entry, "case_number")
    agents = [AgentDraft(name=_text(entry, "from"), role="author", kind="organisation")]
    agents.append(AgentDraft(name=_text(entry, "to"), role="addressee", kind="organisation"))
    metadata = ScanMetadata(
        doc_id=_text(entry, "doc_id", "id"),
        title=_title(entry),
        date=side_car_date(entry),
        summary=_text(entry, "description", "summary"),
        doc_type=_text(entry, "doctype", "doc_type").lower(),
        classification=_text(entry, "classification"),
        source_url=_text(entry, "source_url", "url"),
        languages=language_codes(_text(entry, "language", "languages")[:MAX_LANGUAGES_CHARS]),
        agents=[agent for agent in agents if agent.name],
    )
    if case:
        series = SERIES_OF_SOURCE.get(source, source)
        title = _text(entry, "case_subject") or f"Case {case}"
        metadata.collections.append(CollectionDraft(slug=case.lower(), title=title, series=series))
        repository = REPOSITORY_OF_SOURCE.get(source, source)
        reference = f"{case}, {path.stem}"
        metadata.locations.append(
            LocationDraft(
                raw=f"{repository}, case {reference}" if repository else f"Case {reference}",
                repository=repository,
                series=f"FOIA case {case}",
                reference=path.stem,
            )
        )
    return metadata


def side_car_date(entry: dict) -> DateInterval:
    """``date`` (ISO) read as an interval, shown as ``date_display`` says it; with no ``date``,
    the display itself is read ("October 1986 (uncertain)" is that month); "Date undetermined"
    is an unknown date, shown as "Undated" like any other."""
    written, display = _text(entry, "date"), _text(entry, "date_display")
    if _UNDETERMINED.match(display):
        display = ""
    interval = parse_date(written) if written else DateInterval()
    if interval.precision == "unknown" and display:
        interval = parse_date(_QUALIFIER.sub("", display))
    if interval.precision == "unknown":
        return DateInterval(display=display or ("" if _UNDETERMINED.match(written) else written))
    interval.display = display or format_display(interval)
    return interval
