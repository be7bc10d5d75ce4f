"""OAI-PMH 2.0 at /oai, verb by verb and error by error, through the Django test client.

The archive is the session catalogue (the seed and one DFAT volume). Every response is first
checked against the protocol's envelope rules (``oai_rules.check_response``).
"""

import time
from datetime import UTC, datetime

import pytest
from django.core import signing
from django.utils import timezone
from lxml import etree
from oai_rules import DC, NS, OPIS, check_response, error_code, q

from conftest import CORPORA, SEED_ID, require
from opis.errors import NotFound
from opis.ingest import ingest_paths
from opis.oai import metadata, tokens
from opis.oai.metadata import oai_dc
from opis.oai.protocol import Repository
from opis.records.models import Collection, Deletion, Document, IndexChange
from opis.records.serialize import document_json, load_document
from opis.records.withdraw import delete_document, withdraw
from opis.search import search
from opis.search.indexer import apply_pending, reindex

BASE = "http://testserver/oai"
SEED = f"oai:testserver:{SEED_ID}"


def oai(client, method: str = "get", **arguments) -> etree._Element:
    response = getattr(client, method)("/oai", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return check_response(response.content, BASE, arguments)


def harvest(client, verb: str, **arguments) -> tuple[list[etree._Element], list[etree._Element]]:
    """Follow resumption tokens to the end: every header or record, and every token element."""
    items, token_elements = [], []
    root = oai(client, verb=verb, **arguments)
    while True:
        assert error_code(root) is None, etree.tostring(root)
        answer = root.find(q(verb))
        items += answer.findall(q("record" if verb == "ListRecords" else "header"))
        token = answer.find(q("resumptionToken"))
        if token is None:
            return items, token_elements
        token_elements.append(token)
        if not token.text:
            return items, token_elements
        root = oai(client, verb=verb, resumptionToken=token.text)


def identifiers(items) -> list[str]:
    return [i.findtext(".//oai:identifier", namespaces=NS) for i in items]


def catalogue_ids(query=None) -> list[str]:
    query = Document.objects.all() if query is None else query
    return [
        f"oai:testserver:{i}"
        for i in query.order_by("updated_at", "pk").values_list("pk", flat=True)
    ]


@pytest.fixture
def small_pages(settings):
    settings.OPIS_OAI_PAGE_SIZE = 7
    return 7


# ---------------------------------------------------------------------------------------------
# Identify, ListMetadataFormats, ListSets.


def test_identify_describes_the_repository(client, archive):
    identify = oai(client, verb="Identify").find(q("Identify"))
    fields = {etree.QName(c).localname: c.text for c in identify if c.tag != q("description")}
    earliest = archive.order_by("updated_at").first().updated_at
    assert fields == {
        "repositoryName": fields["repositoryName"],
        "baseURL": BASE,
        "protocolVersion": "2.0",
        "adminEmail": fields["adminEmail"],
        "earliestDatestamp": earliest.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "deletedRecord": "persistent",
        "granularity": "YYYY-MM-DDThh:mm:ssZ",
    }
    assert "@" in fields["adminEmail"] and fields["repositoryName"]
    # "testserver" is no domain name, so no oai-identifier description is claimed.
    assert identify.find(q("description")) is None


def test_a_configured_repository_identifier_names_every_item(client, archive, settings):
    settings.OPIS_OAI_REPOSITORY_IDENTIFIER = "archive.example.org"
    identify = oai(client, verb="Identify").find(q("Identify"))
    scheme = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"
    description = identify.find(f"{q('description')}/{scheme}oai-identifier")
    assert description.findtext(f"{scheme}repositoryIdentifier") == "archive.example.org"
    assert description.findtext(f"{scheme}sampleIdentifier").startswith("oai:archive.example.org:")
    configured = f"oai:archive.example.org:{SEED_ID}"
    record = oai(client, verb="GetRecord", identifier=configured, metadataPrefix="oai_dc")
    assert record.findtext(".//oai:header/oai:identifier", namespaces=NS) == configured
    by_host = oai(client, verb="GetRecord", identifier=SEED, metadataPrefix="oai_dc")
    assert error_code(by_host) == "idDoesNotExist"


def test_list_metadata_formats_offers_oai_dc_and_opis(client, archive):
    for arguments in ({}, {"identifier": SEED}):
        root = oai(client, verb="ListMetadataFormats", **arguments)
        formats = {
            f.findtext(q("metadataPrefix")): (
                f.findtext(q("metadataNamespace")),
                f.findtext(q("schema")),
            )
            for f in root.iter(q("metadataFormat"))
        }
        assert formats == {
            "oai_dc": (
                "http://www.openarchives.org/OAI/2.0/oai_dc/",
                "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
            ),
            "opis": (OPIS, "http://testserver/static/opis/oai/opis-record.xsd"),
        }


def test_the_opis_schema_is_served_and_validates_the_opis_records(client, archive):
    schema = client.get("/static/opis/oai/opis-record.xsd")
    assert schema.status_code == 200
    validator = etree.XMLSchema(etree.fromstring(b"".join(schema.streaming_content)))
    documents = list(metadata.described_documents())
    assert any(d.cable for d in documents) and any(d.locations.all() for d in documents)
    for document in documents:
        validator.assertValid(
            metadata.opis_record(document, f"http://testserver/documents/{document.pk}")
        )


def test_list_sets_has_one_set_per_collection(client, archive):
    root = oai(client, verb="ListSets")
    sets = {s.findtext(q("setSpec")): s.findtext(q("setName")) for s in root.iter(q("set"))}
    assert sets == dict(Collection.objects.values_list("slug", "title"))
    assert sets["wilson-center-digital-archive"] == "Wilson Center Digital Archive"


# ---------------------------------------------------------------------------------------------
# GetRecord: the two formats.


def test_get_record_in_oai_dc(client, archive):
    root = oai(client, verb="GetRecord", identifier=SEED, metadataPrefix="oai_dc")
    header = root.find(".//oai:header", NS)
    document = Document.objects.get(pk=SEED_ID)
    assert header.findtext(q("datestamp")) == document.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [s.text for s in header.findall(q("setSpec"))] == ["wilson-center-digital-archive"]
    dc = root.find(".//oai_dc:dc", NS)
    values = [(etree.QName(e).localname, e.text) for e in dc]
    assert ("title", document.title) in values
    assert ("date", "1950-07-13") in values
    assert ("creator", "Stalin, Iosif Vissarionovich") in values  # as the authority inverts it
    assert [v for k, v in values if k == "type"] == ["Text", "letter", "Ciphered telegram"]
    assert ("language", "ru") in values
    assert ("identifier", f"http://testserver/documents/{SEED_ID}") in values
    assert [v for k, v in values if k == "source"] == [
        "APRF, Fond 45, Opis 1, Delo 331, List 85",
        "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118",
        "RGASPI, f. 558, op. 11, d. 334, ll.0085",
    ]


def test_oai_dc_is_public_for_the_bulk_export(archive):
    element = oai_dc(load_document(SEED_ID))
    assert element.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
    assert element.nsmap["dc"] == DC  # standalone: it declares its own namespaces
    again = etree.fromstring(etree.tostring(element))
    assert again.findtext(f"{{{DC}}}identifier") == SEED_ID  # no page URL given: the id
    assert again.findtext(f"{{{DC}}}title") == Document.objects.get(pk=SEED_ID).title


def test_get_record_in_opis_carries_the_json_record(client, archive):
    root = oai(client, verb="GetRecord", identifier=SEED, metadataPrefix="opis")
    record = root.find(".//opis:record", NS)
    expected = document_json(load_document(SEED_ID))
    assert record.findtext("opis:title", namespaces=NS) == expected["title"]
    locations = [
        {etree.QName(part).localname: part.text for part in location}
        for location in record.iterfind("opis:locations/opis:location", NS)
    ]
    assert locations == [
        {k: v for k, v in location.items() if v is not None} for location in expected["locations"]
    ]
    assert len(locations) == 3 and locations[1]["papka"] == "11"
    assert record.findtext("opis:cable/opis:number", namespaces=NS) == "3305"
    assert record.findtext("opis:cable/opis:signed_as", namespaces=NS) == "FILIPPOV"
    assert [c.findtext("opis:count", namespaces=NS) for c in
            record.iterfind("opis:cable/opis:copies/opis:copy", NS)] == ["2", None]  # fmt: skip
    agents = [
        (a.findtext("opis:name", namespaces=NS), a.findtext("opis:role", namespaces=NS))
        for a in record.iterfind("opis:agents/opis:agent", NS)
    ]
    assert agents == [(a["name"], a["role"]) for a in expected["agents"]]
    assert ("Stalin", "signatory") in agents and ("Roshchin", "intermediary") in agents
    assert [e.text for e in record.iterfind("opis:original_languages/opis:language", NS)] == ["ru"]
    assert record.findtext("opis:collections/opis:collection/opis:slug", namespaces=NS) == (
        "wilson-center-digital-archive"
    )
    assert (
        record.find("opis:texts", NS) is None and record.find("opis:source/opis:path", NS) is None
    )


def test_document_ids_with_a_slash_are_items_too(client, db, isolated_index):
    kennan = require(CORPORA / "frus-tei" / "samples" / "frus1946v06-d475-kennan-long-telegram.xml")
    assert ingest_paths([kennan]).ok
    document = Document.objects.get(pk__startswith="frus1946v06/")
    identifier = f"oai:testserver:{document.pk}"
    root = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert root.findtext(".//oai:header/oai:identifier", namespaces=NS) == identifier
    assert root.findtext(".//dc:identifier", namespaces=NS) == (
        f"http://testserver/documents/{document.pk}"
    )
    repository = Repository(BASE, "http://testserver", "testserver", "opis", "a@b.org")
    assert repository.document_id(identifier) == document.pk


# ---------------------------------------------------------------------------------------------
# Lists, pages and resumption tokens.


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_a_list_pages_through_every_record_once(client, archive, small_pages, verb):
    items, token_elements = harvest(client, verb, metadataPrefix="oai_dc")
    assert identifiers(items) == catalogue_ids()
    total = archive.count()
    assert [t.get("cursor") for t in token_elements] == [
        str(n) for n in range(0, total, small_pages)
    ]
    assert {t.get("completeListSize") for t in token_elements} == {str(total)}
    assert token_elements[-1].text is None and token_elements[-1].get("expirationDate") is None
    assert all(t.get("expirationDate") for t in token_elements[:-1])


def test_a_short_list_has_no_resumption_token(client, archive):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
               set="wilson-center-digital-archive")  # fmt: skip
    assert identifiers(root.iter(q("header"))) == [SEED]
    assert root.find(f".//{q('resumptionToken')}") is None


def test_paging_is_stable_while_records_change(client, archive, small_pages):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first_page = identifiers(root.iter(q("header")))
    token = root.findtext(f".//{q('resumptionToken')}")
    served_id = first_page[0].rsplit(":", 1)[1]
    waiting_id = catalogue_ids()[20].rsplit(":", 1)[1]
    time.sleep(1.1)  # a later datestamp, to the second
    for changed in (served_id, waiting_id):
        Document.objects.filter(pk=changed).update(title="Changed during the harvest")
        Document.objects.filter(pk=changed).update(updated_at=timezone.now())
    rest = []
    while token:
        root = oai(client, verb="ListIdentifiers", resumptionToken=token)
        rest += identifiers(root.iter(q("header")))
        token = root.findtext(f".//{q('resumptionToken')}")
    served = first_page + rest
    assert set(served) == set(catalogue_ids()), "nothing skipped"
    assert served[-2:] == [f"oai:testserver:{served_id}", f"oai:testserver:{waiting_id}"]
    assert len(served) == archive.count() + 1, "only the changed record already served comes twice"


def test_selective_harvest_by_set(client, archive, small_pages):
    slug = next(
        s for s in Collection.objects.values_list("slug", flat=True) if s.startswith("dfat")
    )
    items, _ = harvest(client, "ListIdentifiers", metadataPrefix="opis", set=slug)
    assert identifiers(items) == catalogue_ids(Document.objects.filter(collections__slug=slug))
    assert {s.text for i in items for s in i.findall(q("setSpec"))} == {slug}


def test_selective_harvest_by_from_and_until(client, archive):
    Document.objects.filter(pk=SEED_ID).update(
        updated_at=datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC)
    )
    stamp = "1999-12-31T23:59:59Z"
    for window in ({"from": stamp, "until": stamp}, {"from": "1999-12-31", "until": "1999-12-31"},
                   {"until": "1999-12-31"}):  # fmt: skip
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **window)
        assert identifiers(root.iter(q("header"))) == [SEED], window
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2000-01-01"})
    assert SEED not in identifiers(root.iter(q("header")))
    late = oai(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2999-01-01"})
    assert error_code(late) == "noRecordsMatch"


# ---------------------------------------------------------------------------------------------
# Withdrawn documents: tombstones.


@pytest.mark.parametrize("how", ["withdrawn", "deleted outright"])
def test_a_withdrawn_document_is_served_as_deleted(client, archive, how):
    document = archive.exclude(pk=SEED_ID).first()
    slugs = sorted(document.collections.values_list("slug", flat=True))
    if how == "withdrawn":  # kept for staff, status withdrawn: its datestamp is the withdrawal
        withdrawn = withdraw(document.pk, "duplicate")
        assert Document.objects.get(pk=document.pk).status == "withdrawn"
        when = withdrawn.updated_at
    else:  # gone for good: a tombstone
        deletion = delete_document(document.pk, "duplicate")
        assert not Document.objects.filter(pk=document.pk).exists()
        assert deletion.collections == slugs
        when = deletion.deleted_at
    assert IndexChange.objects.filter(document_id=document.pk).exists()
    identifier = f"oai:testserver:{document.pk}"
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")

    record = oai(client, verb="GetRecord", identifier=identifier, metadataPrefix="opis")
    header = record.find(".//oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext(q("datestamp")) == stamp
    assert [s.text for s in header.findall(q("setSpec"))] == slugs
    assert record.find(".//oai:metadata", NS) is None

    for verb in ("ListIdentifiers", "ListRecords"):
        root = oai(client, verb=verb, metadataPrefix="oai_dc", **{"from": stamp}, set=slugs[0])
        deleted = [h for h in root.iter(q("header")) if h.get("status") == "deleted"]
        assert identifiers(deleted) == [identifier]
    formats = oai(client, verb="ListMetadataFormats", identifier=identifier)
    assert len(formats.findall(f".//{q('metadataFormat')}")) == 2
    with pytest.raises(NotFound, match="already withdrawn"):
        withdraw(document.pk)


def test_withdrawal_drops_the_document_from_the_index(archive, isolated_index):
    reindex()
    assert SEED_ID in [hit.id for hit in search("jet fighter").results]
    withdraw(SEED_ID)
    apply_pending()
    assert SEED_ID not in [hit.id for hit in search("jet fighter").results]


def test_ingesting_a_withdrawn_id_again_removes_its_tombstone(archive, seed_path, isolated_index):
    delete_document(SEED_ID, "by mistake")
    assert Deletion.objects.filter(document_id=SEED_ID).exists()
    assert ingest_paths([seed_path]).ok
    assert Document.objects.filter(pk=SEED_ID).exists()
    assert not Deletion.objects.filter(document_id=SEED_ID).exists()


# ---------------------------------------------------------------------------------------------
# Errors: the protocol's own codes, HTTP 200, no arguments echoed after badVerb/badArgument.

LIST = {"metadataPrefix": "oai_dc"}


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ""}, "badVerb"),
        ({"verb": "identify"}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": SEED}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", **LIST, "limit": "1000000"}, "badArgument"),
        ({"verb": "ListRecords", **LIST, "from": "13 July 1950"}, "badArgument"),
        ({"verb": "ListRecords", **LIST, "from": "1950-13-01"}, "badArgument"),
        ({"verb": "ListRecords", **LIST, "from": "1950-07-13T03:15Z"}, "badArgument"),
        ({"verb": "ListRecords", **LIST, "until": "1950-07-13T03:15:00.5Z"}, "badArgument"),
        ({"verb": "ListRecords", **LIST, "until": "1950-07-13T03:15:00+01:00"}, "badArgument"),
        (
            {"verb": "ListRecords", **LIST, "from": "2001-01-02", "until": "2001-01-01"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", **LIST, "from": "2001-01-01", "until": "2001-01-01T10:00:00Z"},
            "badArgument",
        ),  # fmt: skip
        ({"verb": "ListRecords", **LIST, "resumptionToken": "x"}, "badArgument"),
        ({"verb": "ListIdentifiers", **LIST, "set": "bad\x01set"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "garbled"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "identifier": SEED, "metadataPrefix": ""},
            "cannotDisseminateFormat",
        ),
        ({"verb": "GetRecord", "identifier": "oai:testserver:nope", **LIST}, "idDoesNotExist"),
        ({"verb": "GetRecord", "identifier": SEED_ID, **LIST}, "idDoesNotExist"),
        ({"verb": "GetRecord", "identifier": "oai:testserver:", **LIST}, "idDoesNotExist"),
        ({"verb": "ListMetadataFormats", "identifier": "oai:elsewhere:1"}, "idDoesNotExist"),
        ({"verb": "ListRecords", **LIST, "set": "no-such-volume"}, "noRecordsMatch"),
        ({"verb": "ListIdentifiers", **LIST, "until": "1900-01-01"}, "noRecordsMatch"),
    ],
)
def test_errors_carry_the_protocols_codes(client, archive, arguments, code):
    root = oai(client, **arguments)
    assert error_code(root) == code


@pytest.mark.parametrize("repeated", ["verb", "metadataPrefix"])
def test_a_repeated_argument_is_refused(client, archive, repeated):
    response = client.get(f"/oai?verb=ListRecords&metadataPrefix=oai_dc&{repeated}=ListRecords")
    root = check_response(response.content, BASE, {})
    assert error_code(root) == ("badVerb" if repeated == "verb" else "badArgument")


def _token(client, verb="ListIdentifiers") -> str:
    root = oai(client, verb=verb, metadataPrefix="oai_dc")
    return root.findtext(f".//{q('resumptionToken')}")


def test_forged_expired_and_misused_tokens_are_refused(client, archive, small_pages):
    token = _token(client)
    state = tokens.redeem(token, "ListIdentifiers")
    assert state.cursor == small_pages and state.arguments == {"metadataPrefix": "oai_dc"}
    payload = signing.loads(token, salt=tokens.SALT)
    payload["c"] = 0
    forged = signing.dumps(payload, salt="someone else's salt", compress=True)
    too_old = _signed_in_the_past(payload, tokens.LIFETIME.total_seconds() + 60)
    nonsense = signing.dumps({"hello": "world"}, salt=tokens.SALT)
    cases = {
        token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb"): "was not issued",
        forged: "was not issued",
        too_old: "expired",
        nonsense: "does not hold a list position",
    }
    for bad, why in cases.items():
        root = oai(client, verb="ListIdentifiers", resumptionToken=bad)
        assert error_code(root) == "badResumptionToken"
        assert why in root.findtext(q("error"))
    wrong_verb = oai(client, verb="ListRecords", resumptionToken=token)
    assert error_code(wrong_verb) == "badResumptionToken"
    assert "verb=ListIdentifiers" in wrong_verb.findtext(q("error"))


def _signed_in_the_past(payload: dict, seconds: float) -> str:
    """A genuine token, signed ``seconds`` ago (Django's signer, with its clock set back)."""

    class PastSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time() - seconds))

    return PastSigner(salt=tokens.SALT).sign_object(payload, compress=True)


def test_no_sets_without_collections(client, archive):
    Collection.objects.all().delete()
    assert error_code(oai(client, verb="ListSets")) == "noSetHierarchy"
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="dfat-v1")
    assert error_code(root) == "noSetHierarchy"


def test_no_metadata_formats_when_none_is_registered(client, archive, monkeypatch):
    monkeypatch.setattr(metadata, "FORMATS", {})
    root = oai(client, verb="ListMetadataFormats", identifier=SEED)
    assert error_code(root) == "noMetadataFormats"


# ---------------------------------------------------------------------------------------------
# HTTP: POST as GET, other methods refused without a 500.


def test_post_answers_as_get_does(client, archive):
    arguments = {"verb": "GetRecord", "identifier": SEED, "metadataPrefix": "opis"}
    by_post = oai(client, "post", **arguments)
    by_get = oai(client, **arguments)
    assert etree.tostring(by_post.find(q("GetRecord"))) == etree.tostring(
        by_get.find(q("GetRecord"))
    )


def test_other_methods_are_refused_cleanly(client, archive):
    assert client.put("/oai?verb=Identify").status_code == 405
    assert client.delete("/oai").status_code == 405


@pytest.mark.parametrize(
    "value",
    ["' OR 1=1 --", "<script>alert(1)</script>", "ü" * 5000, "%00", "\u202e", "𝕏", "../../etc"],
)
def test_hostile_values_get_protocol_errors(client, archive, value):
    for arguments in (
        {"verb": value},
        {"verb": "GetRecord", "identifier": value, "metadataPrefix": "oai_dc"},
        {"verb": "GetRecord", "identifier": SEED, "metadataPrefix": value},
        {"verb": "ListRecords", "resumptionToken": value},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": value},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": value},
    ):
        assert error_code(oai(client, **arguments)) is not None
