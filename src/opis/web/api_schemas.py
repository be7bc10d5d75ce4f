"""The API's answers, declared as schemas so that the OpenAPI description is exact.

Record schemas document every key and let keys added to ``document_json`` later pass through, so
the API always answers exactly what ``opis show --json`` prints. Lists carry ``next``, the URL of
the following page (see ``opis.web.pagination``), or null on the last page.
"""

from ninja import Schema
from pydantic import ConfigDict

from opis.records.serialize import date_json


class Record(Schema):
    """Record schemas document every key of ``document_json``. django-ninja reads the answer
    through attribute access, so an undeclared key would be dropped, not passed through: the test
    ``test_the_document_schema_declares_every_key_of_the_record`` fails when one is missing."""

    model_config = ConfigDict(extra="allow")


class ErrorDetail(Schema):
    status: int
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorDetail


class DateOut(Record):
    start: str | None
    end: str | None
    precision: str
    display: str | None


class HitOut(Schema):
    id: str
    title: str
    date: DateOut
    doc_type: str | None
    snippet: str
    score: float | None
    status: str = "published"
    embargo_until: str | None = None


class FacetValueOut(Schema):
    value: str
    count: int
    label: str
    filter: str


class SearchOut(Schema):
    query: str
    total: int
    page: int
    per_page: int
    sort: str
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    messages: list[str]
    next: str | None


class LocationOut(Record):
    repository: str | None
    fond: str | None
    opis: str | None
    delo: str | None
    papka: str | None
    folios: str | None
    series: str | None
    control_symbol: str | None
    barcode: str | None
    reference: str | None
    raw: str


class TextOut(Record):
    language: str | None
    role: str
    label: str | None
    body: str
    pages: list[dict]
    method: str | None  # how the text was obtained: OCR, a PDF's text layer, …
    confidence: float | None  # mean OCR word confidence, 0-100


class FootnoteOut(Record):
    label: str | None
    body: str


class AgentOut(Record):
    name: str
    kind: str
    person_id: str | None
    role: str
    signed_as: str | None
    count: int | None


class CollectionRef(Record):
    slug: str
    title: str
    series: str | None
    position: int | None


class ThreadRef(Record):
    id: str | None
    text: str


class ThreadsOut(Record):
    refers_to: list[ThreadRef]
    referred_by: list[ThreadRef]


class CableCopy(Record):
    name: str
    count: int | None


class CableOut(Record):
    number: str | None
    origin: str | None
    destination: str | None
    sent: str | None
    received: str | None
    handling: str | None
    classification: str | None
    addressees: list[str]
    intermediary: str | None
    recipients_any_of: list[str]
    action: str | None
    signed_as: str | None
    signatory: str | None
    copies: list[CableCopy]


class SourceOut(Record):
    path: str
    sha256: str
    reader: str
    ingested_at: str | None
    updated_at: str | None


class DocumentOut(Record):
    id: str
    title: str
    date: DateOut
    doc_type: str | None
    doc_number: str | None
    summary: str | None
    original_languages: list[str]
    source_url: str | None
    citation: str | None
    classification: str | None
    dateline: str | None
    signed: str | None
    cable: CableOut | None
    locations: list[LocationOut]
    texts: list[TextOut]
    footnotes: list[FootnoteOut]
    agents: list[AgentOut]
    collections: list[CollectionRef]
    threads: ThreadsOut
    notes: list[str]
    version: int
    status: str
    embargo_until: str | None
    source: SourceOut


class SpanOut(Schema):
    first: str | None
    last: str | None


class CollectionOut(Schema):
    slug: str
    title: str
    series: str | None
    position: int | None
    count: int
    span: SpanOut


class DocumentBrief(Schema):
    id: str
    title: str
    date: DateOut
    doc_type: str | None


class DocumentListOut(Schema):
    total: int
    limit: int
    next: str | None
    results: list[DocumentBrief]


class CollectionListOut(Schema):
    total: int
    limit: int
    next: str | None
    results: list[CollectionOut]


class CollectionPageOut(CollectionOut):
    page: int | None  # the page asked for by number; null when reached by cursor
    per_page: int
    pages: int
    next: str | None
    documents: list[DocumentBrief]


class PersonBrief(Schema):
    id: str
    canonical: str
    display: str
    documents: int  # how many documents of the archive name them
    url: str


class PeopleOut(Schema):
    query: str
    resolved: str | None  # the id of the one person the name stands for, if it is one
    total: int
    limit: int
    next: str | None
    results: list[PersonBrief]


class PseudonymOut(Schema):
    name: str
    from_year: int | None
    to_year: int | None
    source: str


class AppearanceOut(DocumentBrief):
    roles: list[str]  # author, recipient, mentioned, …
    written: list[str]  # the name as the document writes it: "Filippov", "ZHOU ENLAI"


class PersonOut(Schema):
    id: str
    canonical: str
    display: str
    variants: list[str]
    pseudonyms: list[PseudonymOut]
    roles: list[str]
    description: str
    born: int | None
    died: int | None
    original: dict[str, str]
    sources: list[str]
    total: int  # documents in which the person appears
    limit: int
    next: str | None
    documents: list[AppearanceOut]


ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def document_brief(document) -> dict:
    """A document in a list: what ``DocumentBrief`` declares."""
    return {
        "id": document.id,
        "title": document.title,
        "date": date_json(document),
        "doc_type": document.doc_type or None,
    }
