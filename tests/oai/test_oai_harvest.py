"""A real harvester (sickle) against a real server (``opis serve`` on the seed and all of DFAT).

What a harvest brings home is compared with the catalogue itself, read straight from the server's
SQLite file or PostgreSQL database: every document once, with its title, date, datestamp and
sets; the seed with its three archival locations; selective harvests by set and by from/until;
a withdrawn document harvested as deleted, and back again after it is ingested anew. Every page
the client fetches goes through the protocol's envelope rules first (``oai_rules.check_response``).
"""

from collections import defaultdict
from datetime import date, timedelta

import pytest
from oai_rules import NS, check_response
from sickle import Sickle
from sickle.iterator import OAIResponseIterator
from sickle.oaiexceptions import IdDoesNotExist, NoRecordsMatch

from conftest import SEED_ID, catalogue_rows, run_opis, run_opis_json

pytestmark = pytest.mark.corpus


class CheckedSickle(Sickle):
    """sickle, with every response checked against the protocol's rules before it is used."""

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        assert response.http_response.status_code == 200
        assert response.http_response.headers["Content-Type"] == "text/xml; charset=utf-8"
        check_response(response.http_response.content, self.endpoint, kwargs)
        self.pages += 1
        return response

    pages = 0


@pytest.fixture(scope="module")
def harvester(reading_room):
    return CheckedSickle(f"{reading_room}/oai", max_retries=0)


@pytest.fixture(scope="module")
def identifier_prefix(reading_room):
    return "oai:127.0.0.1:"


class Catalogue:
    """The server's catalogue, read-only, with plain SQL: the harvest's yardstick."""

    def __init__(self, data_dir):
        self.data_dir = data_dir

    def rows(self, sql: str, *params) -> list[tuple]:
        return catalogue_rows(self.data_dir, sql, *params)

    def documents(self) -> dict[str, dict]:
        sets = defaultdict(list)
        for doc_id, slug in self.rows(
            "SELECT l.document_id, c.slug FROM records_document_collections l "
            "JOIN records_collection c ON c.id = l.collection_id"
        ):
            sets[doc_id].append(slug)
        return {
            doc_id: {
                "title": title,
                "date": date_start,
                "precision": precision,
                "datestamp": updated_at[:19].replace(" ", "T") + "Z",
                "sets": sorted(sets[doc_id]),
            }
            for doc_id, title, date_start, precision, updated_at in self.rows(
                "SELECT id, title, date_start, date_precision, updated_at FROM records_document"
            )
        }

    def locations(self) -> dict[str, int]:
        return dict(
            self.rows("SELECT document_id, count(*) FROM records_archivallocation GROUP BY 1")
        )


@pytest.fixture(scope="module")
def catalogue(corpus_data_dir):
    data_dir, _ = corpus_data_dir
    return Catalogue(data_dir)


def test_a_harvest_in_oai_dc_brings_home_every_document(harvester, catalogue, identifier_prefix):
    expected = catalogue.documents()
    harvested = {}
    pages_before = harvester.pages
    for record in harvester.ListRecords(metadataPrefix="oai_dc"):
        assert not record.deleted
        doc_id = record.header.identifier.removeprefix(identifier_prefix)
        assert doc_id not in harvested, f"{doc_id} harvested twice"
        harvested[doc_id] = record
    assert len(harvested) == len(expected) > 9000
    assert set(harvested) == set(expected)
    assert harvester.pages - pages_before == -(-len(expected) // 100)  # pages of 100
    for doc_id, record in harvested.items():
        row = expected[doc_id]
        assert record.metadata["title"] == [row["title"]]
        assert record.header.datestamp == row["datestamp"]
        assert sorted(record.header.setSpecs) == row["sets"]
        if row["precision"] == "day":
            assert record.metadata["date"] == [row["date"]]
        elif row["date"]:
            assert record.metadata["date"][0][:4] == row["date"][:4]
        else:
            assert "date" not in record.metadata
    seed = harvested[SEED_ID].metadata
    assert seed["creator"] == ["Stalin, Iosif Vissarionovich"] and len(seed["source"]) == 3


def test_a_harvest_in_opis_carries_every_archival_location(reading_room, catalogue):
    """Page by page (sickle's response iterator): the resumption tokens' cursor and
    completeListSize are checked too, and each page is parsed once."""
    pages = CheckedSickle(f"{reading_room}/oai", max_retries=0, iterator=OAIResponseIterator)
    expected = catalogue.documents()
    locations = catalogue.locations()
    records, cursors = {}, []
    for response in pages.ListRecords(metadataPrefix="opis"):
        token = response.xml.find(".//oai:resumptionToken", NS)
        assert token.get("completeListSize") == str(len(expected))
        cursors.append(int(token.get("cursor")))
        for element in response.xml.iterfind(".//opis:record", NS):
            records[element.findtext("opis:id", namespaces=NS)] = element
    assert cursors == list(range(0, len(expected), 100))
    assert set(records) == set(expected)
    for doc_id, element in records.items():
        assert element.findtext("opis:title", namespaces=NS) == expected[doc_id]["title"]
        assert element.findtext("opis:date/opis:start", namespaces=NS) == expected[doc_id]["date"]
        found = element.findall("opis:locations/opis:location", NS)
        assert len(found) == locations.get(doc_id, 0), doc_id
    seed = records[SEED_ID]
    assert [
        (
            loc.findtext("opis:repository", namespaces=NS),
            loc.findtext("opis:fond", namespaces=NS),
            loc.findtext("opis:raw", namespaces=NS),
        )
        for loc in seed.iterfind("opis:locations/opis:location", NS)
    ] == [
        ("APRF", "45", "APRF, Fond 45, Opis 1, Delo 331, List 85"),
        ("AVP RF", "059a", "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118"),
        ("RGASPI", "558", "RGASPI, f. 558, op. 11, d. 334, ll.0085"),
    ]
    assert seed.findtext("opis:cable/opis:number", namespaces=NS) == "3305"


def test_a_selective_harvest_by_set(harvester, catalogue, identifier_prefix):
    sets = {s.setSpec: s.setName for s in harvester.ListSets()}
    assert sets == dict(catalogue.rows("SELECT slug, title FROM records_collection"))
    expected = {i for i, row in catalogue.documents().items() if "dfat-v1" in row["sets"]}
    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set="dfat-v1"))
    assert {h.identifier.removeprefix(identifier_prefix) for h in headers} == expected
    assert len(headers) == len(expected) > 100


def test_a_withdrawn_document_is_harvested_as_deleted_then_back(
    harvester, catalogue, corpus_data_dir, identifier_prefix
):
    """Withdrawn, it is harvested as deleted; published again, it is back with a new datestamp.
    Each change has a datestamp of its own, so from/until select exactly it."""
    data_dir, _ = corpus_data_dir
    doc_id = next(i for i in sorted(catalogue.documents()) if i.startswith("dfat-v1-"))
    sets = catalogue.documents()[doc_id]["sets"]
    identifier = identifier_prefix + doc_id
    withdrawn, _ = run_opis_json(data_dir, "withdraw", doc_id, "--reason", "harvest test")
    try:
        assert (withdrawn["id"], withdrawn["status"]) == (doc_id, "withdrawn")
        record = harvester.GetRecord(identifier=identifier, metadataPrefix="opis")
        assert record.deleted and record.xml.find("oai:metadata", NS) is None
        stamp = record.header.datestamp
        headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": stamp}))
        assert [(h.identifier, h.deleted, h.setSpecs) for h in headers] == [
            (identifier, True, sets)
        ]
        records = list(
            harvester.ListRecords(metadataPrefix="oai_dc", set=sets[0], **{"from": stamp})
        )
        assert [(r.header.identifier, r.deleted) for r in records] == [(identifier, True)]
    finally:  # the session's corpus stays whole: published again (a re-ingest keeps the status)
        run_opis(data_dir, "status", doc_id, "published", "--reason", "harvest test done")
    assert not catalogue.rows("SELECT 1 FROM records_deletion WHERE document_id = ?", doc_id)
    back = catalogue.documents()[doc_id]["datestamp"]
    window = {"from": back, "until": back}
    records = list(harvester.ListRecords(metadataPrefix="oai_dc", **window))
    assert [(r.header.identifier, r.deleted) for r in records] == [(identifier, False)]
    assert records[0].metadata["title"] == [catalogue.documents()[doc_id]["title"]]
    earliest = min(row["datestamp"] for row in catalogue.documents().values())
    day_before = (date.fromisoformat(earliest[:10]) - timedelta(days=1)).isoformat()
    with pytest.raises(NoRecordsMatch):
        harvester.ListIdentifiers(metadataPrefix="oai_dc", until=day_before)
    with pytest.raises(IdDoesNotExist):
        harvester.GetRecord(
            identifier=identifier_prefix + "no-such-document", metadataPrefix="oai_dc"
        )
