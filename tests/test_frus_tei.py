"""FRUS TEI P5: one record per document, as the printed volume has it.

Read from the real corpus (``../shared/corpora/frus-tei``) with real lxml. Expected counts and ids
come from an independent lxml parse of each file in the test, not from the reader; spot checks on
single documents were read off the XML by hand.
"""

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pytest
from lxml import etree

from conftest import FRUS, KENNAN, ROOT, require
from opis.drafts import DocumentDraft
from opis.readers import reader_for
from opis.readers.frus_tei import READER, SERIES
from opis.readers.source import SourceFile

VOLUMES = FRUS / "volumes"
HISTORY = FRUS / "frus-history-documents"
NS = {"tei": "http://www.tei-c.org/ns/1.0", "frus": "http://history.state.gov/frus/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
DOCUMENT_DIVS = "//tei:div[@type='document']"
OUTERMOST = DOCUMENT_DIVS + "[not(ancestor::tei:div[@type='document'])]"


def volume_files() -> list[Path]:
    return sorted(require(VOLUMES).glob("*.xml"))


@lru_cache(maxsize=8)
def drafts(path: Path) -> tuple[DocumentDraft, ...]:
    """The reader's drafts of a file (kept for a few files only: bodies are large)."""
    return tuple(READER.read(SourceFile(path)))


@lru_cache(maxsize=4)
def tree(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))


@dataclass(frozen=True)
class Census:
    """What an independent parse finds in a volume, and what the reader produced from it."""

    divs: int  # every <div type="document">
    nested: int  # of which inside another document div
    nested_have_no_id: bool
    ids: tuple[str, ...]  # volume/xml:id of the outermost document divs that have one
    numbers: tuple[str, ...]  # their @n, "" where absent
    produced_ids: tuple[str, ...]
    produced_numbers: tuple[str, ...]


@cache
def census(path: Path) -> Census:
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False)).getroot()
    every = root.xpath(DOCUMENT_DIVS, namespaces=NS)
    outermost = root.xpath(OUTERMOST, namespaces=NS)
    nested = set(every) - set(outermost)
    produced = [(d.id, d.doc_number) for d in READER.read(SourceFile(path))]
    return Census(
        divs=len(every),
        nested=len(nested),
        nested_have_no_id=all(d.get(XML_ID) is None and d.get("n") is None for d in nested),
        ids=tuple(f"{path.stem}/{d.get(XML_ID)}" for d in outermost if d.get(XML_ID)),
        numbers=tuple(d.get("n") or "" for d in outermost),
        produced_ids=tuple(i for i, _ in produced),
        produced_numbers=tuple(n for _, n in produced),
    )


def document(volume: str, local_id: str) -> DocumentDraft:
    found = [
        d for d in drafts(require(VOLUMES / f"{volume}.xml")) if d.id == f"{volume}/{local_id}"
    ]
    assert len(found) == 1, f"{volume}/{local_id}"
    return found[0]


def page_at(draft: DocumentDraft, n: str) -> str:
    """The body text from where page ``n`` begins."""
    text = draft.texts[0]
    offset = next(p["offset"] for p in text.pages if p["n"] == n)
    return text.body[offset:]


# --- counts -----------------------------------------------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("path", volume_files(), ids=lambda p: p.stem)
def test_one_record_per_document_div(path):
    """Every <div type="document"> is a record, except enclosures nested in another document,
    which stay in that document's text (they have no id or number of their own)."""
    found = census(path)
    assert len(found.produced_ids) == found.divs - found.nested
    assert found.nested_have_no_id
    assert found.nested == (79 if path.stem == "frus1861" else 0)
    assert len(set(found.produced_ids)) == len(found.produced_ids)
    assert tuple(i for i in found.produced_ids if "/document-" not in i) == found.ids
    assert found.produced_numbers == found.numbers


@pytest.mark.corpus
def test_corpus_totals():
    """8,566 document divs in the 20 volumes; 79 are enclosures inside documents of 1861."""
    assert len(volume_files()) == 20
    assert sum(census(p).divs for p in volume_files()) == 8566
    assert sum(len(census(p).produced_ids) for p in volume_files()) == 8566 - 79


@pytest.mark.corpus
def test_every_record_of_a_volume_keeps_its_parts():
    """Citation, footnotes, markers and pages agree with the XML for a whole volume."""
    path = require(VOLUMES / "frus1917Supp02v02.xml")
    divs = tree(path).xpath(OUTERMOST, namespaces=NS)
    for div, draft in zip(divs, drafts(path), strict=True):
        sources = div.xpath("tei:note[@type='source']", namespaces=NS)
        assert draft.citation == " ".join(" ".join("".join(s.itertext()).split()) for s in sources)
        numbered = div.xpath(".//tei:note[@n]", namespaces=NS)
        assert [f.label for f in draft.footnotes] == [n.get("n") for n in numbered]
        body = draft.texts[0].body
        head_notes = div.xpath("tei:head//tei:note[@n]", namespaces=NS)
        for note in set(numbered) - set(head_notes):
            assert f"[{note.get('n')}]" in body
        offsets = [p["offset"] for p in draft.texts[0].pages]
        assert offsets == sorted(set(offsets)) and offsets[0] == 0 and offsets[-1] < len(body)
        inside = {pb.get("n") for pb in div.xpath(".//tei:pb", namespaces=NS)}
        assert inside <= {p["n"] for p in draft.texts[0].pages} | {""}
        assert draft.collections[0].slug == "frus1917Supp02v02"
        assert draft.texts[0].language == "en" and draft.texts[0].role == "original"


# --- spot checks --------------------------------------------------------------------------------


@pytest.mark.corpus
def test_a_telegram_with_footnotes_and_a_page_break():
    draft = document("frus1917Supp02v02", "d61")
    assert draft.title == ("The Secretary of State to the Ambassador in Great Britain (Page)")
    assert draft.doc_number == "61"
    assert draft.citation == "File No. 763.72112/4161 [Telegram]"
    assert draft.doc_type == "telegram"
    assert draft.dateline == "Washington, August 7, 1917, 4 p.m."
    assert (draft.date.start.isoformat(), draft.date.end.isoformat()) == ("1917-08-07",) * 2
    assert draft.date.precision == "day"
    assert draft.date.display == "August 7, 1917, 4 p.m."
    assert draft.signed == "Lansing"
    assert ("Lansing", "signatory", "Lansing") in [
        (a.name, a.role, a.signed_as) for a in draft.agents
    ]
    assert [(f.label, f.body) for f in draft.footnotes] == [
        ("1", "Ante, p. 911."),
        ("2", "Ante, p. 814."),
    ]
    body = draft.texts[0].body
    assert body.startswith(
        "Washington, August 7, 1917, 4 p.m.\n\n5266. Your 6830, July 24, 7 p.m.[1] "
    )
    assert "Ante" not in body
    # The document starts on page 918 (the last <pb> before it) and runs onto 919.
    assert [p["n"] for p in draft.texts[0].pages] == ["918", "919"]
    assert page_at(draft, "918") == body
    assert page_at(draft, "919").startswith("Cable censor refuses to pass suspicious financial")
    last_pb = tree(VOLUMES / "frus1917Supp02v02.xml").xpath(
        "(//tei:div[@xml:id='d61']/preceding::tei:pb)[last()]/@n", namespaces=NS
    )
    assert last_pb == ["918"]


@pytest.mark.corpus
def test_enclosures_stay_in_the_letter_that_encloses_them():
    draft = document("frus1917Supp02v02", "d101")
    assert draft.title == (
        "The Commercial Adviser of the British Embassy (Crawford) to the Counselor for the "
        "Department of State (Polk)"
    )
    assert draft.citation == "File No. 659.119/93"
    assert draft.signed == "Richard Crawford"  # the letter's; the enclosures' signers are not
    body = draft.texts[0].body
    assert "\n\n[Enclosure 1]\n\nThe Acting Chairman of the War Trade Board (Taylor)" in body
    assert "\n\nA. E. Taylor\n\n[Enclosure 2]" in body
    assert page_at(draft, "977").startswith("in petroleum, and on the basis of the alleged")


@pytest.mark.corpus
def test_people_are_linked_through_the_volume_persons_list():
    draft = document("frus1919Parisv01", "d5")
    assert (
        draft.title == "The French Minister for Foreign Affairs (Pichon) to the Secretary of State"
    )
    assert draft.citation == "763.72119/2590: Telegram [Translation]"
    assert draft.date.display == "November 13, 1918—1:30 p.m."
    assert [(a.name, a.role, a.signed_as) for a in draft.agents] == [
        ("Pichon, Stephen", "author", ""),
        # the side the editors did not mark, as the title names it: the office's holder that day
        ("Lansing, Robert", "addressee", ""),
        ("Pichon, Stephen", "signatory", "S. Pichon"),
    ]
    noted = document("frus1919Parisv01", "d7")
    assert noted.title == "The Greek Legation to the Department of State"  # footnote left out
    assert [f.label for f in noted.footnotes] == ["3"]
    assert noted.footnotes[0].body.startswith("The French original bears the following notation")
    assert [(a.name, a.role) for a in noted.agents] == [("Lansing, Robert", "mentioned")]
    assert noted.date.precision == "unknown" and noted.notes  # no dateline: said, not guessed


@pytest.mark.corpus
def test_mentions_are_one_per_person_and_only_from_the_volume_list():
    for draft in drafts(require(VOLUMES / "frus1919Parisv01.xml")):
        mentioned = [a.name for a in draft.agents if a.role == "mentioned"]
        assert len(mentioned) == len(set(mentioned))
        assert not set(mentioned) & {a.name for a in draft.agents if a.role != "mentioned"}
    # frus1917Supp02v02 points into the persons list of v01, which is not in the corpus.
    assert not any(
        a.role == "mentioned" for d in drafts(VOLUMES / "frus1917Supp02v02.xml") for a in d.agents
    )


@pytest.mark.corpus
def test_dates_from_when_and_from_the_frus_date_range():
    draft = document("frus1864p3", "d5")  # @when and frus:doc-dateTime-min/max, same day
    assert (draft.date.start.isoformat(), draft.date.precision) == ("1863-12-04", "day")
    assert draft.date.display == "December 4, 1863."
    assert [p["n"] for p in draft.texts[0].pages] == ["3", "4"]
    assert page_at(draft, "4").startswith("constant use of the French ports")
    month = document("frus1861", "d144")  # <date when="1861-06">June —, 1861.</date>
    assert (month.date.start.isoformat(), month.date.end.isoformat()) == (
        "1861-06-01",
        "1861-06-30",
    )
    assert (month.date.precision, month.date.display) == ("month", "June —, 1861")
    no_year = document("frus1864p4", "d167")  # <date when="--11-14">: a day with no year
    assert no_year.date.precision == "unknown" and no_year.date.display == "November 14."
    assert any("--11-14" in note for note in no_year.notes)


@pytest.mark.corpus
def test_the_kennan_long_telegram_fragment():
    (draft,) = READER.read(SourceFile(require(KENNAN)))
    assert draft.id == "frus1946v06/d475"
    assert draft.title == "The Chargé in the Soviet Union (Kennan) to the Secretary of State"
    assert draft.citation == "861.00/2–2246: Telegram"
    assert draft.doc_type == "telegram"
    assert draft.dateline == "Moscow, February 22, 1946—9 p.m. [Received February 22—3:52 p.m.]"
    assert (draft.date.start.isoformat(), draft.date.precision) == ("1946-02-22", "day")
    assert draft.date.display == "February 22, 1946—9 p.m."
    assert draft.signed == "Kennan"
    body = draft.texts[0].body
    assert body.startswith("secret\n\nMoscow, February 22, 1946—9 p.m.\n[Received")  # <lb/>
    assert "Feb 3 [13][44] involves questions so intricate" in body
    assert "\n(1) Basic features of post-war Soviet outlook.\n(2) Background" in body
    assert [f.label for f in draft.footnotes] == ["44", "45"]
    assert draft.footnotes[0].body.startswith("Not printed; in this telegram the Department")
    assert [p["n"] for p in draft.texts[0].pages] == [str(n) for n in range(697, 710)]
    assert page_at(draft, "709").startswith("peoples, in Europe at least, are tired")
    assert draft.collections[0].slug == "frus1946v06"
    assert draft.collections[0].series == SERIES


@pytest.mark.corpus
@pytest.mark.parametrize("path", sorted(HISTORY.glob("*.xml")), ids=lambda p: p.stem)
def test_history_documents_carry_their_source_line(path):
    records = drafts(path)
    body = tree(path).getroot().find("tei:text/tei:body", NS)
    lines = [" ".join("".join(p.itertext()).split()) for p in body.findall("tei:p", NS)]
    source = next((line for line in lines if line.startswith("Source:")), "")
    assert len(records) == len(tree(path).xpath(OUTERMOST, namespaces=NS))
    for draft in records:
        assert draft.id.startswith(f"{path.stem}/")
        assert draft.title and draft.texts
        assert draft.citation == source
        assert draft.collections[0].slug == path.stem
        assert draft.source_url.endswith(f"{path.stem}.pdf")


@pytest.mark.corpus
def test_history_document_spot_check():
    (first, *rest) = drafts(require(HISTORY / "1957-03-21-kennan-to-leopold.xml"))
    assert first.id == "1957-03-21-kennan-to-leopold/leopold-to-kennan"
    assert first.title == "Richard W. Leopold to George F. Kennan"
    assert first.citation.startswith("Source: Department of State, Bureau of Public Affairs")
    assert (first.date.start.isoformat(), first.date.precision) == ("1957-02-03", "day")
    assert first.dateline == first.date.display == "3 February 1957"
    assert len(rest) == 3


@pytest.mark.corpus
def test_a_document_without_a_heading_is_kept_with_a_note():
    untitled = [
        d for d in drafts(require(VOLUMES / "frus1902app1.xml")) if "<head>" in str(d.notes)
    ]
    assert [d.id for d in untitled] == [f"frus1902app1/d{n}" for n in (1, 2, 7, 10, 33)]
    assert untitled[0].title == "Untitled document 1"
    assert untitled[0].texts[0].body.startswith("Department of State,\nWashington, March 13, 1901.")


# --- reading and streaming --------------------------------------------------------------------


@pytest.mark.corpus
def test_the_registry_hands_tei_files_to_this_reader():
    for path in (VOLUMES / "frus1861.xml", KENNAN, HISTORY / "1958-11-03-noble-to-osborne.xml"):
        assert reader_for(SourceFile(require(path))).name == "frus-tei"
    assert {".xml", ".tei"} <= set(READER.extensions)


@pytest.mark.corpus
def test_drafts_come_one_at_a_time():
    stream = READER.read(SourceFile(require(VOLUMES / "frus1884.xml")))
    first = next(stream)
    assert first.id == "frus1884/d1"
    stream.close()


@pytest.mark.corpus
def test_memory_stays_flat_in_the_size_of_a_volume(tmp_path):
    """A volume four times the size of the largest real one is read in about the memory of one:
    each document is freed once read. (The whole tree would take several times the file size.)"""
    source = require(VOLUMES / "frus1884.xml").read_bytes()
    start, end = source.index(b"<body>") + len(b"<body>"), source.rindex(b"</body>")
    copies = [source[start:end].replace(b'xml:id="', b'xml:id="c%d-' % k) for k in range(4)]
    big = tmp_path / "frus1884.xml"
    big.write_bytes(source[:start] + b"".join(copies) + source[end:])
    script = textwrap.dedent(f"""
        import resource
        from pathlib import Path
        from opis.readers.frus_tei import READER
        from opis.readers.source import SourceFile
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        count = sum(1 for _ in READER.read(SourceFile(Path({str(big)!r}))))
        print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    count, grown_kb = map(int, run.stdout.split())
    assert count == 4 * 481
    assert grown_kb * 1024 < big.stat().st_size / 2, (
        f"grew {grown_kb} KB for {big.stat().st_size} B"
    )


# --- end to end ---------------------------------------------------------------------------------


@pytest.mark.corpus
def test_ingest_a_volume_then_find_and_show_a_document(db, isolated_index):
    from opis.ingest import ingest_paths
    from opis.records.serialize import document_json, load_document
    from opis.search import search

    report = ingest_paths([require(VOLUMES / "frus1919Parisv01.xml")])
    assert report.ok, [str(f) for f in report.failed]
    assert report.count("ingested") == 409
    found = search('"deeply touched with your telegram"')
    assert [hit.id for hit in found.results] == ["frus1919Parisv01/d5"]
    record = document_json(load_document("frus1919Parisv01/d5"))
    assert (
        record["title"]
        == "The French Minister for Foreign Affairs (Pichon) to the Secretary of State"
    )
    assert record["citation"] == "763.72119/2590: Telegram [Translation]"
    assert record["date"]["start"] == "1918-11-13" and record["doc_number"] == "5"
    assert record["collections"][0]["slug"] == "frus1919Parisv01"
    assert record["texts"][0]["body"].startswith(
        "Paris, November 13, 1918—1:30 p.m.\n\nI am deeply"
    )
    assert ("Pichon, Stephen", "signatory") in [(a["name"], a["role"]) for a in record["agents"]]
    assert record["texts"][0]["pages"] == [{"n": "2", "offset": 0}]
    assert record["dateline"] == "Paris, November 13, 1918—1:30 p.m."
    assert record["signed"] == "S. Pichon"
    noted = document_json(load_document("frus1919Parisv01/d7"))
    assert noted["footnotes"][0]["label"] == "3"
    assert noted["footnotes"][0]["body"].startswith("The French original bears the following")
