"""What readers produce: plain, database-free drafts of records.

Readers know file formats and nothing of the catalogue; the ingest pipeline turns drafts into rows.
"""

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class DateInterval:
    """A date as an interval with a precision, and the form it was written in."""

    start: date | None = None
    end: date | None = None
    precision: str = "unknown"  # day | month | year | range | unknown
    display: str = ""


@dataclass
class LocationDraft:
    raw: str
    repository: str = ""
    fond: str = ""
    opis: str = ""
    delo: str = ""
    papka: str = ""
    folios: str = ""
    series: str = ""
    control_symbol: str = ""
    barcode: str = ""
    reference: str = ""


@dataclass
class TextDraft:
    body: str
    language: str = ""
    role: str = "original"
    label: str = ""
    pages: list[dict] | None = None  # [{"n": "101", "offset": 1234}]: page breaks into body
    method: str = ""  # "" (text as given), "text-layer" (a PDF's own text) or "ocr"
    confidence: float | None = None  # mean OCR word confidence, 0-100


@dataclass
class Doubt:
    """Something an extractor read but doubts, for a curator's "needs review" list (ingest keeps
    each as a ``ReviewItem`` of kind "doubt"): the field, why, and the values in conflict."""

    field: str
    message: str
    detail: dict = dataclasses.field(default_factory=dict)  # ``field`` is taken above


@dataclass
class FootnoteDraft:
    body: str
    label: str = ""


@dataclass
class AgentDraft:
    name: str
    role: str
    signed_as: str = ""
    count: int | None = None
    kind: str = "person"


@dataclass
class CollectionDraft:
    slug: str
    title: str
    series: str = ""
    position: int | None = None


@dataclass
class Provenance:
    """Where a record first came from, for a record that arrives second-hand (an opis export).

    The catalogue then keeps the original file's path, checksum and reader rather than the
    export's, so a restored archive still points at its originals (and their checksums)."""

    path: str
    sha256: str
    reader: str


@dataclass
class DocumentDraft:
    id: str
    title: str
    date: DateInterval = field(default_factory=DateInterval)
    doc_type: str = ""
    doc_number: str = ""
    summary: str = ""
    original_languages: list[str] = field(default_factory=list)
    source_url: str = ""
    citation: str = ""
    classification: str = ""
    dateline: str = ""
    signed: str = ""
    cable: dict | None = None
    texts: list[TextDraft] = field(default_factory=list)
    locations: list[LocationDraft] = field(default_factory=list)
    agents: list[AgentDraft] = field(default_factory=list)
    collections: list[CollectionDraft] = field(default_factory=list)
    footnotes: list[FootnoteDraft] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)  # for the curators' review list
    provenance: Provenance | None = None  # set only by readers of second-hand records
    cited: list[dict] | None = None  # a cable's references as written; set by ingest, not readers
    # the persons its texts name (``understand.mentions.Found``), found where the file is read so
    # that the writer's transaction does not wait on the matcher; set by ingest, not readers
    mentions: Any = None
