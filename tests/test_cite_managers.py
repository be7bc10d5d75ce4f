"""What a citation manager builds from opis: the item each format gives, read back by real
third-party parsers (rispy for RIS, bibtexparser for BibTeX, citeproc-py for CSL-JSON, lxml for the
page's tags and unAPI), for four kinds of document: the seed (a ciphered telegram in three Russian
archives), a DFAT cablegram, a FRUS telegram and a FOIA scan.

Every form must agree on the item type (letter or manuscript), title, date, authors, recipients,
archive, archival location and URL. ``EXPECTED`` is the specification: what a historian would
type into Zotero by hand for each document.
"""

import json
import warnings
from dataclasses import dataclass

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares
from citeproc.source.json import CiteProcJSON
from lxml import etree, html

from conftest import FOIA, KENNAN, SEED_ID, SEED_LOCATIONS, require
from opis.ingest import ingest_paths
from opis.oai.metadata import dc_values
from opis.records.models import Document
from opis.records.serialize import document_json, load_document

FOIA_ARCHIVE = "U.S. Department of State, FOIA Virtual Reading Room"


@dataclass(frozen=True)
class Item:
    """What a citation manager files: Zotero's type and fields, names "Family, Given"."""

    type: str
    title: str
    date: str
    authors: tuple[str, ...]
    recipients: tuple[str, ...]
    archive: str
    location: str
    url: str


def expected(name: str, found_id: str) -> Item:
    page = f"http://testserver/documents/{found_id}"
    return {
        "seed": Item(
            "letter", "Ciphered telegram, Filippov [Stalin] to Zhou Enlai or Mao Zedong "
            "(via Roshchin)", "1950-07-13", ("Stalin, Iosif Vissarionovich",),
            ("Zhou, Enlai", "Mao, Zedong"), "APRF", "; ".join(SEED_LOCATIONS),
            "https://digitalarchive.umd.edu/document/110692",
        ),
        "dfat": Item(
            "letter", "Mr S. M. Bruce, High Commissioner in London, to Prime Minister's "
            "Department", "1937-11-12", ("S. M. Bruce",), ("Prime Minister's Department",), "NAA",
            "NAA: A981, CHIN 116", page,
        ),
        "frus": Item(
            "letter", "The Chargé in the Soviet Union (Kennan) to the Secretary of State",
            # the office the title names, as the person who held it that day (understand/offices)
            "1946-02-22", ("Kennan, George Frost",), ("Byrnes, James Francis",), "", "", page,
        ),
        "foia": Item(
            "manuscript", load_document(found_id).title, "", (), (), FOIA_ARCHIVE,
            f"{FOIA_ARCHIVE}: C09000001",
            "https://foia.state.gov/DOCUMENTS/FOIA_Micro_Aug2024_9/F-1986-04261/DOC_0C09000001/"
            "C09000001.pdf",
        ),
    }[name]  # fmt: skip


SOURCES = {"frus": KENNAN, "foia": FOIA / "F-1986-04261" / "C09000001.pdf"}


def document_id(name: str) -> str:
    """The id of one of the four: seed and DFAT from the session catalogue; Kennan's telegram and
    one FOIA scan ingested into this test's catalogue (only the test that asks for them)."""
    if name == "seed":
        return SEED_ID
    if name == "dfat":
        return Document.objects.get(id__startswith="dfat-v1-103-").id
    report = ingest_paths([require(SOURCES[name])], ocr="never").as_json()
    assert report["ingested"] == 1, report
    return report["documents"][0]["id"]


# --- each format, read back ----------------------------------------------------------------

RIS_TYPES = {"PCOMM": "letter", "MANSCPT": "manuscript"}
BIBTEX_TYPES = {"letter": "letter", "unpublished": "manuscript"}  # Zotero's BibTeX importer
CSL_TYPES = {"personal_communication": "letter", "manuscript": "manuscript"}


def ris_date(value: str) -> str:
    return "-".join(part for part in value.split("/") if part)


def from_ris(text: str) -> Item:
    (entry,) = rispy.loads(text)
    return Item(
        RIS_TYPES[entry["type_of_reference"]],
        entry["title"],
        ris_date(entry.get("date", "")),
        tuple(entry.get("authors", [])),
        tuple(entry.get("secondary_authors", [])),
        entry.get("name_of_database", ""),
        entry.get("accession_number", ""),
        entry["urls"][0],
    )


def _bib_name(parts) -> str:
    # a braced name ("{Prime Minister's Department}") is one family name; the braces are TeX's
    family, given = " ".join(parts.last).removeprefix("{").removesuffix("}"), " ".join(parts.first)
    return f"{family}, {given}" if given else family


def from_bibtex(text: str) -> Item:
    """biblatex has no archive or recipient field: the location is in ``library``, the
    recipients in the ``note`` ("To Zhou Enlai or Mao Zedong. …")."""
    middleware = [middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()]
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {key: field.value for key, field in entry.fields_dict.items()}
    return Item(
        BIBTEX_TYPES[entry.entry_type],
        fields["title"].strip("{}"),
        fields.get("date", ""),
        tuple(_bib_name(name) for name in fields.get("author", [])),
        (),
        "",
        fields.get("library", ""),
        fields.get("url", ""),
    )


def _csl_name(name) -> str:
    if name.get("literal"):
        return name["literal"]
    return f"{name.family}, {name.given}" if name.get("given") else name.family


def from_csl_json(text: str) -> Item:
    (raw,) = json.loads(text)
    with warnings.catch_warnings():
        # citeproc-py does not know CSL's ``static-ordering`` (family-first names such as Zhou
        # Enlai); it says so and reads the family and given names all the same.
        warnings.filterwarnings("ignore", "The following arguments for Name are unsupported: "
                                "static-ordering$", UserWarning)  # fmt: skip
        reference = CiteProcJSON([raw])[raw["id"].lower()]  # citeproc-py keys in lower case
    issued = reference.get("issued")
    date = "-".join(f"{issued[k]:02d}" for k in ("year", "month", "day")) if issued else ""
    return Item(
        CSL_TYPES[reference.type],
        str(reference.title),
        date,
        tuple(_csl_name(n) for n in reference.get("author", [])),
        tuple(_csl_name(n) for n in reference.get("recipient", [])),
        str(reference.get("archive", "")),
        str(reference.get("archive_location", "")),
        str(reference.get("URL", "")),
    )


def from_page(page: bytes) -> Item:
    """What Zotero's Embedded Metadata translator reads off the document page."""
    tree = html.fromstring(page)

    def values(name: str) -> tuple[str, ...]:
        return tuple(tree.xpath(f'//meta[@name="{name}"]/@content'))

    return Item(
        values("DC.type")[0],
        values("DC.title")[0],
        (values("DC.date") or ("",))[0],
        values("DC.creator"),
        values("z.recipients"),
        (values("z.archive") or ("",))[0],
        (values("z.archiveLocation") or ("",))[0],
        values("DC.identifier")[0],
    )


def parsed_items(client, document_id: str) -> dict[str, Item]:
    """The item from each format opis offers for one document, as a citation manager reads it."""
    cite = f"/api/documents/{document_id}/cite?style="
    items = {
        "ris": from_ris(client.get(cite + "ris").content.decode()),
        "bibtex": from_bibtex(client.get(cite + "bibtex").content.decode()),
        "csl-json": from_csl_json(client.get(cite + "csl-json").content.decode()),
        "unapi ris": from_ris(
            client.get("/unapi", {"id": document_id, "format": "ris"}).content.decode()
        ),
        "page": from_page(client.get(f"/documents/{document_id}").content),
    }
    return items


# What each format cannot carry (the rest must equal EXPECTED): BibTeX has no archive or
# recipient field (they are in ``note``); the page's identifier is the page itself.
CANNOT = {"bibtex": ("recipients", "archive", "url"), "page": ("url",)}


@pytest.mark.parametrize("name", ["seed", "dfat", "frus", "foia"])
def test_every_format_gives_the_same_item(client, archive, isolated_index, name):
    found_id = document_id(name)
    want = expected(name, found_id)
    for form, item in parsed_items(client, found_id).items():
        for field in Item.__dataclass_fields__:
            if field in CANNOT.get(form, ()):
                continue
            assert getattr(item, field) == getattr(want, field), (form, field)


def test_the_bibtex_note_names_recipients_and_location(client, archive):
    text = client.get(f"/api/documents/{SEED_ID}/cite?style=bibtex").content.decode()
    (entry,) = bibtexparser.parse_string(text).entries
    note = entry.fields_dict["note"].value
    assert note.startswith("To Zhou Enlai or Mao Zedong.") and SEED_LOCATIONS[0] in note
    assert entry.fields_dict["type"].value == "Ciphered telegram"


def test_the_page_says_what_zotero_needs_and_nothing_that_misleads_it(client, archive):
    tree = html.fromstring(client.get(f"/documents/{SEED_ID}").content)
    names = tree.xpath("//meta/@name")
    for misleading in ("citation_author", "citation_inbook_title", "citation_book_title"):
        assert misleading not in names  # drop recipients / force a book section
    assert "DC.source" not in names  # it would become a publication title
    assert tree.xpath('//meta[@name="z.letterType"]/@content') == ["Ciphered telegram"]
    summary = load_document(SEED_ID).summary
    assert tree.xpath('//meta[@name="description"]/@content') == [summary]
    assert tree.xpath('//link[@rel="unapi-server"]/@href') == ["/unapi"]
    assert tree.xpath('//abbr[@class="unapi-id"]/@title') == [SEED_ID]


# --- unAPI ----------------------------------------------------------------------------------


def test_unapi_lists_its_formats_as_the_spec_says(client, archive):
    response = client.get("/unapi")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    formats = etree.fromstring(response.content)
    assert formats.tag == "formats" and formats.get("id") is None
    offered = {f.get("name"): f.get("type") for f in formats}
    assert offered == {
        "bibtex": "application/x-bibtex",
        "ris": "application/x-research-info-systems",
        "csl-json": "application/vnd.citationstyles.csl+json",
    }
    one = client.get("/unapi", {"id": SEED_ID})
    assert one.status_code == 300 and etree.fromstring(one.content).get("id") == SEED_ID
    bibtex = client.get("/unapi", {"id": SEED_ID, "format": "bibtex"})
    assert bibtex.status_code == 200 and bibtex.content.startswith(b"@letter{")


@pytest.mark.parametrize(
    "query, status",
    [
        ({"id": "no-such-id"}, 404),
        ({"id": "no-such-id", "format": "ris"}, 404),
        ({"id": SEED_ID, "format": "mods"}, 406),
        ({"format": "ris"}, 400),
    ],
)
def test_unapi_refuses_what_it_cannot_answer(client, archive, query, status):
    assert client.get("/unapi", query).status_code == status


def test_an_unpublished_record_is_absent_from_unapi_for_readers(client, archive):
    Document.objects.filter(id=SEED_ID).update(status="draft")
    assert client.get("/unapi", {"id": SEED_ID, "format": "ris"}).status_code == 404
    assert client.get("/unapi", {"id": SEED_ID}).status_code == 404


def test_a_search_page_offers_every_hit_through_unapi_with_its_archive(client, archive):
    page = html.fromstring(client.get("/search", {"q": "telegram"}).content)
    assert page.xpath('//link[@rel="unapi-server"]/@href') == ["/unapi"]
    hits = page.xpath('//li[@class="hit"]')
    ids = page.xpath('//li[@class="hit"]//abbr[@class="unapi-id"]/@title')
    assert hits and len(ids) == len(hits)
    for document_id in ids:
        item = from_ris(client.get("/unapi", {"id": document_id, "format": "ris"}).content.decode())
        record = document_json(load_document(document_id))
        if record["locations"]:
            assert item.archive and item.location, document_id
    assert SEED_ID in ids


# --- OAI-PMH's Dublin Core follows the same mapping -----------------------------------------


def test_oai_dc_names_creators_inverted_and_the_item_type(archive):
    values = dc_values(document_json(load_document(SEED_ID)))
    assert ("creator", "Stalin, Iosif Vissarionovich") in values
    assert [v for k, v in values if k == "type"] == ["Text", "letter", "Ciphered telegram"]
