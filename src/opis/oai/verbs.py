"""The six OAI-PMH verbs, each a function from its checked arguments to its response element.

``VERBS`` is the registry: each verb's argument rules (read by ``protocol.read_arguments``) and
its handler. Handlers raise ``OAIError`` for the protocol's error conditions.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from lxml import etree

from opis.records.models import Collection, Document
from opis.records.visibility import public_q

from . import listing, metadata, tokens
from .protocol import (
    GRANULARITY,
    Arguments,
    OAIError,
    Repository,
    check_bounds,
    datestamp,
    oai,
    parse_bound,
    xml_text,
)

OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
# The oai-identifier scheme's rule for a repository identifier (a domain name).
_DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")


@dataclass(frozen=True)
class Verb:
    arguments: Arguments
    handle: Callable[[Repository, dict[str, str]], etree._Element]


def identify(repository: Repository, arguments: dict[str, str]) -> etree._Element:
    element = etree.Element(oai("Identify"))
    earliest = listing.earliest_datestamp()
    for name, value in (
        ("repositoryName", repository.name),
        ("baseURL", repository.base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", repository.admin_email),
        ("earliestDatestamp", datestamp(earliest) if earliest else "1970-01-01T00:00:00Z"),
        ("deletedRecord", "persistent"),
        ("granularity", GRANULARITY),
    ):
        etree.SubElement(element, oai(name)).text = value
    if _DOMAIN.fullmatch(repository.identifier):
        element.append(_oai_identifier_description(repository))
    return element


def _oai_identifier_description(repository: Repository) -> etree._Element:
    """The oai-identifier description, offered when the repository identifier is a domain name."""
    description = etree.Element(oai("description"))
    ns = OAI_IDENTIFIER_NS
    sample = Document.objects.filter(public_q()).order_by("pk").values_list("pk", flat=True)[:1]
    sample = sample[0] if sample else None
    scheme = etree.SubElement(description, f"{{{ns}}}oai-identifier", nsmap={None: ns})
    scheme.set(
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation",
        f"{ns} {OAI_IDENTIFIER_SCHEMA}",
    )
    for name, value in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repository.identifier),
        ("delimiter", ":"),
        ("sampleIdentifier", repository.oai_identifier(sample or "document-id")),
    ):
        etree.SubElement(scheme, f"{{{ns}}}{name}").text = value
    return description


def list_metadata_formats(repository: Repository, arguments: dict[str, str]) -> etree._Element:
    if "identifier" in arguments:
        document_id = repository.document_id(arguments["identifier"])
        if listing.find(document_id, full=False) is None:
            raise _no_such_item(arguments["identifier"])
    if not metadata.FORMATS:
        raise OAIError("noMetadataFormats", "this repository offers no metadata formats")
    element = etree.Element(oai("ListMetadataFormats"))
    for metadata_format in metadata.FORMATS.values():
        entry = etree.SubElement(element, oai("metadataFormat"))
        etree.SubElement(entry, oai("metadataPrefix")).text = metadata_format.prefix
        schema = metadata_format.schema
        if schema.startswith("/"):
            schema = repository.site_url + schema
        etree.SubElement(entry, oai("schema")).text = schema
        etree.SubElement(entry, oai("metadataNamespace")).text = metadata_format.namespace
    return element


def list_sets(repository: Repository, arguments: dict[str, str]) -> etree._Element:
    """One set per collection, all in one response (a FRUS-sized archive has ~600)."""
    if "resumptionToken" in arguments:
        raise OAIError(
            "badResumptionToken",
            "ListSets answers in one response and issues no resumptionToken; ask without one",
        )
    collections = list(Collection.objects.order_by("slug"))
    if not collections:
        raise OAIError("noSetHierarchy", "this archive holds no collections yet, so no sets")
    element = etree.Element(oai("ListSets"))
    for collection in collections:
        entry = etree.SubElement(element, oai("set"))
        etree.SubElement(entry, oai("setSpec")).text = collection.slug
        etree.SubElement(entry, oai("setName")).text = xml_text(collection.title)
    return element


def get_record(repository: Repository, arguments: dict[str, str]) -> etree._Element:
    metadata_format = metadata.metadata_format(arguments["metadataPrefix"])
    entry = listing.find(repository.document_id(arguments["identifier"]))
    if entry is None:
        raise _no_such_item(arguments["identifier"])
    element = etree.Element(oai("GetRecord"))
    element.append(_record(repository, entry, metadata_format))
    return element


def list_identifiers(repository: Repository, arguments: dict[str, str]) -> etree._Element:
    return _list(repository, arguments, "ListIdentifiers", full=False)


def list_records(repository: Repository, arguments: dict[str, str]) -> etree._Element:
    return _list(repository, arguments, "ListRecords", full=True)


def _list(repository: Repository, arguments: dict[str, str], verb: str, *, full: bool):
    """ListIdentifiers and ListRecords: a page of the selection, and a token for the next."""
    resumed = "resumptionToken" in arguments
    state = tokens.redeem(arguments["resumptionToken"], verb) if resumed else None
    request = state.arguments if state else arguments
    metadata_format = metadata.metadata_format(request["metadataPrefix"])
    selection = _selection(request)
    size = settings.OPIS_OAI_PAGE_SIZE
    entries = selection.page(state.after if state else None, size + 1, full=full)
    if not entries and not state:  # (a resumed list may end empty: records left the set)
        raise OAIError("noRecordsMatch", _nothing_matches(request))
    more, entries = len(entries) > size, entries[:size]
    element = etree.Element(oai(verb))
    for entry in entries:
        element.append(
            _record(repository, entry, metadata_format) if full else _header(repository, entry)
        )
    cursor = state.cursor if state else 0
    if more or resumed:
        token = etree.SubElement(element, oai("resumptionToken"))
        token.set("completeListSize", str(selection.count()))
        token.set("cursor", str(cursor))
        if more:
            last = entries[-1]
            resumption = tokens.Resumption(
                verb, request, (last.stamp, last.document_id), cursor + len(entries)
            )
            token.text, expires = tokens.issue(resumption)
            token.set("expirationDate", datestamp(expires))
    return element


def _selection(request: dict[str, str]) -> listing.Selection:
    since = parse_bound("from", request["from"]) if "from" in request else None
    until = parse_bound("until", request["until"]) if "until" in request else None
    check_bounds(since, until)
    set_spec = request.get("set")
    if set_spec is not None and not Collection.objects.exists():
        raise OAIError("noSetHierarchy", "this archive holds no collections yet, so no sets")
    return listing.Selection(
        since=since.moment if since else None,
        before=until.end if until else None,
        set_spec=set_spec,
    )


def _nothing_matches(request: dict[str, str]) -> str:
    if "set" in request and not Collection.objects.filter(slug=request["set"]).exists():
        return f"set={request['set']!r} is not a set of this repository; ListSets lists them"
    asked = ", ".join(f"{k}={v!r}" for k, v in request.items() if k != "metadataPrefix")
    return f"no records match {asked or 'this request'}; widen from/until or choose another set"


def _no_such_item(identifier: str) -> OAIError:
    return OAIError(
        "idDoesNotExist",
        f"identifier={identifier!r} names no record, present or withdrawn; "
        "ListIdentifiers lists them",
    )


def _header(repository: Repository, entry: listing.Entry) -> etree._Element:
    header = etree.Element(oai("header"))
    if entry.deleted:
        header.set("status", "deleted")
    etree.SubElement(header, oai("identifier")).text = repository.oai_identifier(entry.document_id)
    etree.SubElement(header, oai("datestamp")).text = datestamp(entry.stamp)
    for spec in entry.set_specs:
        etree.SubElement(header, oai("setSpec")).text = spec
    return header


def _record(repository: Repository, entry: listing.Entry, metadata_format) -> etree._Element:
    """A record: its header, and (unless withdrawn) its metadata in the requested format."""
    record = etree.Element(oai("record"))
    record.append(_header(repository, entry))
    if not entry.deleted:
        page_url = f"{repository.site_url}/documents/{quote(entry.document_id, safe='/')}"
        etree.SubElement(record, oai("metadata")).append(
            metadata_format.render(entry.document, page_url)
        )
    return record


_LIST = Arguments(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    resumable=True,
)
VERBS: dict[str, Verb] = {
    "Identify": Verb(Arguments(), identify),
    "ListMetadataFormats": Verb(
        Arguments(optional=frozenset({"identifier"})), list_metadata_formats
    ),
    "ListSets": Verb(Arguments(resumable=True), list_sets),
    "ListIdentifiers": Verb(_LIST, list_identifiers),
    "ListRecords": Verb(_LIST, list_records),
    "GetRecord": Verb(Arguments(required=frozenset({"identifier", "metadataPrefix"})), get_record),
}
