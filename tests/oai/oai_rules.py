"""The OAI-PMH 2.0 rules a response must follow that can be checked offline (no schema fetch).

Used by the protocol tests (Django test client) and the harvest tests (a real server): every
response goes through ``check_response`` before anything else is asserted about it.
"""

import re
from datetime import UTC, datetime, timedelta

from lxml import etree

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OPIS = "urn:opis:record:1"
NS = {"oai": OAI, "oai_dc": OAI_DC, "dc": DC, "opis": OPIS}
SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
VERBS = (
    "Identify", "ListMetadataFormats", "ListSets", "ListIdentifiers", "ListRecords", "GetRecord",
)  # fmt: skip
ERROR_CODES = {
    "badArgument", "badResumptionToken", "badVerb", "cannotDisseminateFormat", "idDoesNotExist",
    "noRecordsMatch", "noMetadataFormats", "noSetHierarchy",
}  # fmt: skip
SET_SPEC = re.compile(r"([A-Za-z0-9\-_\.!~\*'\(\)])+(:[A-Za-z0-9\-_\.!~\*'\(\)]+)*")


def q(tag: str) -> str:
    return f"{{{OAI}}}{tag}"


def check_response(body: bytes, base_url: str, sent: dict[str, str]) -> etree._Element:
    """The envelope: namespace and schemaLocation, a fresh UTC responseDate, the request echoed
    (only the base URL after badVerb/badArgument), then either errors or the verb's element."""
    root = etree.fromstring(body)
    assert root.tag == q("OAI-PMH")
    assert root.nsmap[None] == OAI
    location = root.get(f"{{{XSI}}}schemaLocation").split()
    assert location == [OAI, "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"]
    children = list(root)
    assert [c.tag for c in children[:2]] == [q("responseDate"), q("request")]
    response_date = children[0].text
    assert SECONDS.fullmatch(response_date), response_date
    moment = datetime.strptime(response_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=2)
    request = children[1]
    assert request.text == base_url
    rest = children[2:]
    errors = [c for c in rest if c.tag == q("error")]
    if errors:
        assert errors == rest, "an error response holds only errors"
        codes = {e.get("code") for e in errors}
        assert codes <= ERROR_CODES
        assert all(e.text and e.text.strip() for e in errors), "every error says why"
        if codes & {"badVerb", "badArgument"}:
            assert dict(request.attrib) == {}, "badVerb/badArgument echo no arguments"
        else:
            assert dict(request.attrib) == sent
    else:
        assert len(rest) == 1 and rest[0].tag == q(sent["verb"])
        assert dict(request.attrib) == sent
        for datestamp in root.iter(q("datestamp")):
            assert SECONDS.fullmatch(datestamp.text), datestamp.text
        for spec in root.iter(q("setSpec")):
            assert SET_SPEC.fullmatch(spec.text), spec.text
        for header in root.iter(q("header")):
            _check_header(header)
        for record in root.iter(q("record")):
            _check_record(record)
    return root


def _check_header(header: etree._Element) -> None:
    tags = [c.tag for c in header]
    assert tags[:2] == [q("identifier"), q("datestamp")]
    assert set(tags[2:]) <= {q("setSpec")}
    assert header.get("status") in (None, "deleted")
    assert header[0].text.startswith("oai:")


def _check_record(record: etree._Element) -> None:
    """A record: its header, then metadata with exactly one element, unless deleted."""
    header, *rest = list(record)
    assert header.tag == q("header")
    if header.get("status") == "deleted":
        assert rest == [], "a deleted record carries no metadata"
        return
    assert [c.tag for c in rest] == [q("metadata")]
    assert len(rest[0]) == 1
    content = rest[0][0]
    assert content.tag in (f"{{{OAI_DC}}}dc", f"{{{OPIS}}}record")
    if content.tag == f"{{{OAI_DC}}}dc":
        assert all(etree.QName(c).namespace == DC for c in content)
        assert content.get(f"{{{XSI}}}schemaLocation").split() == [
            OAI_DC,
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        ]


def error_code(root: etree._Element) -> str | None:
    error = root.find(q("error"))
    return None if error is None else error.get("code")
