"""Citations: one CSL-JSON item per document, rendered as Chicago, BibTeX, RIS and CSL-JSON;
offered by ``opis cite``, ``/api/documents/{id}/cite`` and the document page's Cite panel."""

import datetime
import html
import json
import re

import pytest
from click.testing import CliRunner

from conftest import SEED_ID, SEED_LOCATIONS, run_opis
from opis.cite import STYLES, UnknownStyle, cite, csl_json
from opis.cli import main
from opis.records.models import Document
from opis.records.serialize import document_json, load_document

SEED_URL = "https://digitalarchive.umd.edu/document/110692"
HOSTILE_RECORD = """**July 14, 1950**

**Letter <script>alert(1)</script> "quoted" to Mao Zedong**

**Citation:**

"Letter", July 14, 1950, Wilson Center Digital Archive, APRF, Fond 45, Opis 1, Delo 332, \
List 1. <https://digitalarchive.umd.edu/document/999001>

**Original Language:**

Russian

**Contents:**

Translation - English

Body text.
"""
TRICKY = {
    "id": "frus1918Russiav03/d101",
    "title": "Braces {and} 100% R&D under_score — Чичерин # $ ~ ^ \\",
    "date": {"start": "1918-03", "end": None, "precision": "month", "display": "March 1918"},
    "doc_type": "telegram",
    "doc_number": None,
    "summary": None,
    "source_url": "https://history.state.gov/x%20y",
    "locations": [],
    "agents": [{"name": "Чичерин & Co", "role": "signatory"}],
    "collections": [
        {
            "slug": "frus1918Russiav03",
            "title": "Foreign Relations of the United States, 1918, Russia, Volume III",
            "series": "Foreign Relations of the United States",
        }
    ],
}


def seed_record() -> dict:
    return document_json(load_document(SEED_ID))


def dfat_record(number: str = "103") -> dict:
    document = Document.objects.filter(id__startswith="dfat-v1-", doc_number=number).first()
    return document_json(load_document(document.id))


def bibtex_fields(entry: str) -> tuple[str, str, dict[str, str]]:
    """A tiny BibTeX reader: checks braces balance (escaped ones aside) and returns the fields."""
    match = re.fullmatch(r"@(\w+)\{([^,\s]+),\n(.*)\n\}\n", entry, re.S)
    assert match, entry
    fields, depth, name, value = {}, 0, "", ""
    body = match.group(3) + ","
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            value += body[i : i + 2] if depth else ""
            i += 2
            continue
        if char == "{":
            depth += 1
            if depth == 1:
                value = ""
                i += 1
                continue
        elif char == "}":
            depth -= 1
            assert depth >= 0, entry
            if depth == 0:
                fields[name.strip(" \n,=")] = value
                name, value = "", ""
                i += 1
                continue
        if depth:
            value += char
        else:
            name += char
        i += 1
    assert depth == 0, entry
    return match.group(1), match.group(2), fields


# --- The CSL-JSON item ----------------------------------------------------------------------


def test_the_seed_is_one_letter_item_with_every_archival_location(archive):
    item = csl_json(seed_record(), accessed=datetime.date(2025, 1, 2))
    for key in ("id", "type", "title", "issued", "URL", "accessed"):
        assert key in item
    assert item["type"] == "personal_communication" and item["genre"] == "Ciphered telegram"
    assert item["issued"] == {"date-parts": [[1950, 7, 13]]}
    assert item["author"] == [{"family": "Stalin", "given": "Iosif Vissarionovich"}]
    assert item["recipient"] == [
        {"family": "Zhou", "given": "Enlai", "static-ordering": True},
        {"family": "Mao", "given": "Zedong", "static-ordering": True},
    ]
    assert item["note"] == "Via: Nikolai Vasilievich Roshchin"
    assert item["archive"] == "APRF"
    assert item["archive_location"] == "; ".join(SEED_LOCATIONS)
    assert item["publisher"] == "Wilson Center Digital Archive"
    assert item["accessed"] == {"date-parts": [[2025, 1, 2]]}


def test_a_dfat_cablegram_keeps_its_archival_identity_with_its_volume(archive):
    item = csl_json(dfat_record())
    assert item["type"] == "personal_communication"  # a telegram, not a section of a book
    assert item["collection-title"] == "Documents on Australian Foreign Policy"
    assert item["container-title"].startswith("Volume 1")
    assert item["number"] == "103" and "chapter-number" not in item
    assert item["note"].startswith("Printed in: Documents on Australian Foreign Policy, Volume 1")
    assert item["archive"] == "NAA" and item["archive_location"] == "NAA: A981, CHIN 116"


@pytest.mark.parametrize(
    "date, parts",
    [
        ({"start": "1950-07-13", "end": "1950-07-13", "precision": "day"}, [[1950, 7, 13]]),
        ({"start": "1950-07-01", "end": "1950-07-31", "precision": "month"}, [[1950, 7]]),
        ({"start": "1950-01-01", "end": "1950-12-31", "precision": "year"}, [[1950]]),
        (
            {"start": "1950-07-13", "end": "1950-07-15", "precision": "day"},
            [[1950, 7, 13], [1950, 7, 15]],
        ),
    ],
)
def test_issued_keeps_the_records_precision(date, parts):
    item = csl_json({**TRICKY, "date": date})
    assert item["issued"] == {"date-parts": parts}


def test_a_frus_document_takes_its_number_from_its_id():
    item = csl_json(TRICKY)
    assert item["type"] == "personal_communication" and item["number"] == "101"
    note = STYLES["chicago-note"].render(item)
    assert "Foreign Relations of the United States, 1918, Russia, Volume III, Document 101" in note
    assert note.count("Foreign Relations of the United States") == 1


# --- Chicago --------------------------------------------------------------------------------


def test_the_seeds_chicago_note_names_title_date_three_locations_and_url(archive):
    note = cite(seed_record(), "chicago-note")
    assert (
        "“Ciphered telegram, Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin),”" in note
    )
    assert "July 13, 1950" in note
    assert "; ".join(SEED_LOCATIONS) in note
    assert note.endswith(SEED_URL + ".")


def test_the_seeds_short_note_and_bibliography_entry(archive):
    assert (
        cite(seed_record(), "chicago-short") == "Stalin to Zhou Enlai or Mao Zedong, July 13, 1950."
    )
    entry = cite(seed_record(), "chicago-bib")
    assert entry.startswith("Stalin, Iosif Vissarionovich. “Ciphered telegram,")
    assert all(location in entry for location in SEED_LOCATIONS)


def test_a_dfat_document_cites_as_a_document_in_its_series(archive):
    record = dfat_record()
    note = cite(record, "chicago-note")
    assert re.search(r"Documents on Australian Foreign Policy, Volume 1: [^,]+, Document 103", note)
    assert "DAFP, vol. 1, doc. 103" in cite(record, "chicago-short")
    assert "In Documents on Australian Foreign Policy, Volume 1" in cite(record, "chicago-bib")


# --- BibTeX, RIS, CSL-JSON ------------------------------------------------------------------


def test_bibtex_of_the_seed_parses_back(archive):
    kind, key, fields = bibtex_fields(cite(seed_record(), "bibtex"))
    assert (kind, key) == ("letter", SEED_ID)
    assert fields["year"] == "1950" and fields["date"] == "1950-07-13"
    assert fields["library"] == "; ".join(SEED_LOCATIONS)
    assert fields["author"] == "Stalin, Iosif Vissarionovich"
    assert fields["type"] == "Ciphered telegram"
    assert fields["url"] == SEED_URL


def test_bibtex_escapes_special_characters_and_keeps_unicode():
    kind, key, fields = bibtex_fields(cite(TRICKY, "bibtex"))
    assert (kind, key) == ("letter", "frus1918Russiav03_d101")
    title = fields["title"]
    for escaped in (r"\{and\}", r"100\%", r"R\&D", r"under\_score", r"\#", r"\$", "Чичерин"):
        assert escaped in title
    assert r"\textbackslash{}" in title and r"\textasciitilde{}" in title
    assert fields["author"] == r"{Чичерин \& Co}"
    assert fields["url"] == r"https://history.state.gov/x\%20y"


def test_ris_is_tagged_from_ty_to_er(archive):
    lines = cite(seed_record(), "ris").splitlines()
    assert lines[0] == "TY  - PCOMM" and lines[-1] == "ER  - "
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines)
    tags = dict(line.split("  - ", 1) for line in lines)
    assert tags["DA"] == "1950/07/13/" and tags["PY"] == "1950"
    assert tags["AU"] == "Stalin, Iosif Vissarionovich" and tags["UR"] == SEED_URL
    assert tags["AN"] == "; ".join(SEED_LOCATIONS) and tags["DB"] == "APRF"
    assert tags["DP"] == "Wilson Center Digital Archive" and tags["M3"] == "Ciphered telegram"
    assert "TY  - PCOMM" in cite(dfat_record(), "ris")


def test_csl_json_is_an_array_of_one_valid_item(archive):
    items = json.loads(cite(seed_record(), "csl-json"))
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert {"id", "type", "title"} <= set(item)
    assert all(isinstance(part, int) for parts in item["issued"]["date-parts"] for part in parts)
    names = item["author"] + item["recipient"]
    assert all({"family", "given"} <= set(name) for name in names), "names inverted"


def test_an_unknown_style_names_the_styles_there_are():
    with pytest.raises(UnknownStyle, match="chicago-note") as error:
        cite(TRICKY, "apa")
    assert error.value.http_status == 400


def test_the_cli_offers_every_registered_style_in_order():
    style = next(p for p in main.commands["cite"].params if p.name == "style")
    assert style.type.choices == tuple(STYLES)
    assert STYLES["chicago-note"] is next(iter(STYLES.values())), "the Cite panel shows it first"


# --- CLI ------------------------------------------------------------------------------------


def test_opis_cite_prints_a_style_and_reports_unknown_ids(tmp_path, seed_path):
    data = tmp_path / "data"
    run_opis(data, "ingest", str(seed_path))
    assert SEED_LOCATIONS[1] in run_opis(data, "cite", SEED_ID).stdout
    bib = run_opis(data, "cite", SEED_ID, "--style", "bibtex").stdout
    assert bib.startswith("@letter{wcda-110692,")
    missing = run_opis(data, "cite", "no-such-id", check=False)
    assert missing.returncode == 3 and "no document with id 'no-such-id'" in missing.stderr


def test_opis_cite_rejects_an_unknown_style():
    result = CliRunner().invoke(main, ["cite", SEED_ID, "--style", "apa"])
    assert result.exit_code == 2 and "chicago-note" in result.output


# --- API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "style, media_type",
    [
        ("chicago-note", "text/plain"),
        ("chicago-short", "text/plain"),
        ("chicago-bib", "text/plain"),
        ("bibtex", "application/x-bibtex"),
        ("ris", "application/x-research-info-systems"),
        ("csl-json", "application/vnd.citationstyles.csl+json"),
    ],
)
def test_the_api_answers_each_style_with_its_media_type(client, archive, style, media_type):
    response = client.get(f"/api/documents/{SEED_ID}/cite", {"style": style})
    assert response.status_code == 200
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    assert response.content.decode() == cite(seed_record(), style)


def test_the_api_cites_chicago_note_by_default_and_the_record_route_still_works(client, archive):
    response = client.get(f"/api/documents/{SEED_ID}/cite")
    assert response.content.decode().startswith("“Ciphered telegram")
    assert client.get(f"/api/documents/{SEED_ID}").json()["id"] == SEED_ID


def test_the_api_rejects_an_unknown_style_in_the_one_error_shape(client, archive):
    response = client.get(f"/api/documents/{SEED_ID}/cite", {"style": "apa"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_style"
    assert set(response.json()["error"]) == {"status", "code", "message"}
    missing = client.get("/api/documents/no-such-id/cite")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_a_frus_id_with_a_slash_is_cited_through_the_api(client, frus_record):
    assert "/" in frus_record
    response = client.get(f"/api/documents/{frus_record}/cite", {"style": "chicago-note"})
    assert response.status_code == 200
    assert "Foreign Relations of the United States" in response.content.decode()
    assert "Document 475" in response.content.decode()


# --- The document page ----------------------------------------------------------------------


def meta(page: str) -> list[tuple[str, str]]:
    return [
        (name, html.unescape(content))
        for name, content in re.findall(r'<meta name="([^"]+)" content="([^"]*)">', page)
    ]


def test_the_seeds_page_has_a_cite_panel_and_meta_tags(client, archive):
    response = client.get(f"/documents/{SEED_ID}")
    page = response.content.decode()
    tags = meta(page)
    assert ("citation_title", seed_record()["title"]) in tags
    assert not [name for name, _ in tags if name == "citation_author"], "it would drop recipients"
    assert ("DC.creator", "Stalin, Iosif Vissarionovich") in tags
    assert ("citation_date", "1950/07/13") in tags and ("DC.date", "1950-07-13") in tags
    assert ("citation_archive_location", "; ".join(SEED_LOCATIONS)) in tags
    assert ("citation_public_url", f"http://testserver/documents/{SEED_ID}") in tags
    assert ("DC.identifier", f"http://testserver/documents/{SEED_ID}") in tags
    assert ("DC.language", "en") in tags and "DC.source" not in dict(tags)
    assert ("citation_language", "en") in tags and ("DC.type", "letter") in tags
    assert ("z.recipients", "Zhou, Enlai") in tags and ("z.recipients", "Mao, Zedong") in tags
    assert ("z.archive", "APRF") in tags and ("z.letterType", "Ciphered telegram") in tags
    assert ("description", seed_record()["summary"]) in tags
    assert html.escape(cite(seed_record(), "chicago-note"), quote=True) in page
    assert html.escape(cite(seed_record(), "chicago-short"), quote=True) in page
    for style in ("bibtex", "ris", "csl-json"):
        assert f'href="/api/documents/{SEED_ID}/cite?style={style}"' in page
    assert "<script>" not in page.replace("<script src=", "")  # no inline script (CSP)


def test_meta_tags_and_citations_escape_markup_in_a_title(client, tmp_path, db, isolated_index):
    from opis.ingest import ingest_paths

    path = tmp_path / "hostile.md"
    path.write_text(HOSTILE_RECORD, encoding="utf-8")
    assert ingest_paths([path]).as_json()["ingested"] == 1
    page = client.get("/documents/wcda-999001").content.decode()
    assert "<script>alert(1)" not in page
    title = dict(meta(page))["citation_title"]
    assert "<script>alert(1)</script>" in title and '"quoted"' in title
    assert 'content="Letter &lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot;' in page
