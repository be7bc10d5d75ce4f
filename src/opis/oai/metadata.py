"""The metadata formats a record is disseminated in: a registry of prefix → format.

- ``oai_dc``: simple Dublin Core, which every OAI-PMH repository must offer. Fifteen elements
  cannot hold an archival location's parts or a telegram's apparatus, so they carry what they can:
  each location as written goes to ``dc:source`` (the original the text derives from).
  Creators and types follow the citation forms (``opis.cite.creators``, ``opis.cite.item_types``):
  ``dc:creator`` "Family, Given" as the authority inverts the name; ``dc:type`` the DCMI type
  "Text", then the citation managers' item type (``letter``, ``manuscript``), then the type as
  printed ("Ciphered telegram").
- ``opis``: the whole record as the JSON API gives it (``opis.records.serialize``), written as XML
  element for element, so a harvester loses nothing a script reading ``/api/documents/{id}`` gets:
  every archival location with its parts and as written, the cable fields, dateline and signature,
  agents with their roles, languages and collections. Texts, footnotes and thread links are left
  out: they are the document, not its description, and ``/api/documents/{id}`` serves them.

Both are built from ``document_json`` so the API, the bulk export and a harvest say the same thing.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from lxml import etree

from opis.cite.creators import authors, inverted
from opis.cite.item_types import item_type, printed_type
from opis.records.models import Document, Footnote, Text
from opis.records.serialize import document_json

from .protocol import XSI_NS, OAIError, xml_text

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
OPIS_NS = "urn:opis:record:1"
OPIS_SCHEMA_PATH = "/static/opis/oai/opis-record.xsd"

# Thread links are computed per request by serialize; OAI leaves them out, so skip the queries.
_NO_THREADS = {"refers_to": [], "referred_by": []}


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    namespace: str
    schema: str  # absolute URL, or a path on this server (made absolute per request)
    render: Callable[[Document, str], etree._Element]  # (document, page URL) → element


FORMATS: dict[str, MetadataFormat] = {}


def register(metadata_format: MetadataFormat) -> MetadataFormat:
    FORMATS[metadata_format.prefix] = metadata_format
    return metadata_format


def metadata_format(prefix: str) -> MetadataFormat:
    """The format for a metadataPrefix, or cannotDisseminateFormat naming those on offer."""
    try:
        return FORMATS[prefix]
    except KeyError:
        raise OAIError(
            "cannotDisseminateFormat",
            f"metadataPrefix={prefix!r} is not offered; use one of {', '.join(FORMATS)} "
            "(ListMetadataFormats lists them)",
        ) from None


def described_documents():
    """Documents with the parts the formats read, and without the texts and footnotes they leave
    out (a page of ListRecords need not load a hundred documents' full texts)."""
    return Document.objects.prefetch_related(
        "locations",
        "collections",
        "agent_roles__agent",
        Prefetch("texts", queryset=Text.objects.none()),
        Prefetch("footnotes", queryset=Footnote.objects.none()),
    )


# --- oai_dc ---------------------------------------------------------------------------------


def _dc_date(date: dict) -> str:
    """W3CDTF to the date's precision; a range as ISO 8601 ``start/end``; unknown: nothing."""
    start, end, precision = date["start"], date["end"], date["precision"]
    if not start:
        return ""
    if precision == "year":
        return start[:4]
    if precision == "month":
        return start[:7]
    if precision == "range" and end and end != start:
        return f"{start}/{end}"
    return start


def _collection_name(collection: dict) -> str:
    """ "Documents on Australian Foreign Policy, Volume 1: 1937-38"; a series of one: its title."""
    series, title = collection["series"], collection["title"]
    return title if series in (None, title) else f"{series}, {title}"


def dc_values(record: dict, page_url: str = "") -> list[tuple[str, str]]:
    """(element, value) pairs of the Dublin Core description of one record (JSON shape)."""
    values = [("title", record["title"])]
    values += [("creator", inverted(name)) for name in authors(record)]
    values += [("description", record["summary"] or "")]
    values += [("date", _dc_date(record["date"]))]
    values += [("type", "Text"), ("type", item_type(record).zotero)]
    values += [("type", printed_type(record) or "")]
    values += [("identifier", page_url or record["id"])]
    values += [("source", location["raw"]) for location in record["locations"]]
    values += [("language", language) for language in record["original_languages"]]
    values += [("relation", record["source_url"] or "")]
    values += [("relation", _collection_name(c)) for c in record["collections"]]
    values += [("coverage", record["dateline"] or "")]
    return [(name, value) for name, value in values if value]


def oai_dc(document: Document, page_url: str = "") -> etree._Element:
    """The ``<oai_dc:dc>`` element for one document, carrying its own namespace declarations.

    ``page_url`` (the document's page in the reading room) becomes ``dc:identifier`` when known;
    otherwise the document id does. Used by the OAI provider and by ``opis export --format oai_dc``.
    """
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for name, value in dc_values(document_json(document, threads=_NO_THREADS), page_url):
        etree.SubElement(root, f"{{{DC_NS}}}{name}").text = xml_text(value)
    return root


# --- opis -----------------------------------------------------------------------------------

# The record keys the opis format leaves out (see the module docstring); ``source.path`` is a path
# on the server's disk, of no use to a harvester. A harvested record is always published (any
# other is absent, or a deleted header), so its status says nothing.
_OMITTED = ("texts", "footnotes", "threads", "notes", "status", "embargo_until")
# A list's members are named in the singular.
_ITEM_NAMES = {
    "original_languages": "language",
    "locations": "location",
    "agents": "agent",
    "collections": "collection",
    "addressees": "addressee",
    "recipients_any_of": "recipient",
    "copies": "copy",
}


def opis_record(document: Document, page_url: str = "") -> etree._Element:
    """``<opis:record>``: the JSON record, key for key; null values are left out."""
    record = document_json(document, threads=_NO_THREADS)
    for key in _OMITTED:
        record.pop(key, None)
    record["source"] = {k: v for k, v in record["source"].items() if k != "path"}
    root = etree.Element(f"{{{OPIS_NS}}}record", nsmap={"opis": OPIS_NS, "xsi": XSI_NS})
    if page_url:
        root.set("href", page_url)
    for key, value in record.items():
        _append(root, key, value)
    return root


def _append(parent: etree._Element, name: str, value) -> None:
    if value is None or value == [] or value == {}:
        return
    element = etree.SubElement(parent, f"{{{OPIS_NS}}}{name}")
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(element, key, inner)
    elif isinstance(value, list):
        for item in value:
            _append(element, _ITEM_NAMES.get(name, "item"), item)
    else:
        element.text = xml_text(str(value))


register(MetadataFormat("oai_dc", OAI_DC_NS, OAI_DC_SCHEMA, oai_dc))
register(MetadataFormat("opis", OPIS_NS, OPIS_SCHEMA_PATH, opis_record))
