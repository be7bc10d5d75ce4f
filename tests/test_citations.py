"""Archival citations: every location of a citation, split into repository, hierarchy and folios.

A location keeps its raw text (a slice of the citation as written); a part is filled only where
the citation names it, and a repository resolves to one canonical name whatever alias was used.
The DFAT corpus measures the NAA reader against the harvest's structured references.
"""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import SEED_CITATION
from opis.evaluate.corpora import dfat_volumes
from opis.understand.archives.repositories import TABLE, key_of
from opis.understand.citation import (
    REPOSITORIES,
    canonical_repository,
    citation_json,
    parse_archival_locations,
)


def loc(raw: str, **parts: str) -> dict:
    return {"raw": raw, **parts}


# citation → the locations found, each as its raw text and the parts that are not empty
FORMS = [
    # Russian and Soviet archives, Latin and Cyrillic, long and short
    pytest.param("APRF, Fond 45, Opis 1, Delo 331, List 85", [loc(
        "APRF, Fond 45, Opis 1, Delo 331, List 85",
        repository="APRF", fond="45", opis="1", delo="331", folios="85")], id="APRF long"),
    pytest.param("AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118", [loc(
        "AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118", repository="AVP RF",
        fond="059a", opis="5a", delo="3", papka="11", folios="118")], id="AVP RF with papka"),
    pytest.param("RGASPI, f. 558, op. 11, d. 334, ll.0085", [loc(
        "RGASPI, f. 558, op. 11, d. 334, ll.0085",
        repository="RGASPI", fond="558", opis="11", delo="334", folios="0085")], id="RGASPI short"),
    pytest.param("ф. 17, оп. 162, д. 44, л. 12–14", [loc(
        "ф. 17, оп. 162, д. 44, л. 12–14", fond="17", opis="162", delo="44", folios="12–14")],
        id="Cyrillic, no repository named: none guessed"),
    pytest.param("Ф. 17. Оп. 162. Д. 44. Л. 12–14.", [loc(
        "Ф. 17. Оп. 162. Д. 44. Л. 12–14", fond="17", opis="162", delo="44", folios="12–14")],
        id="Cyrillic with periods between parts"),
    pytest.param("RGASPI, f. 17, op. 162, d. 44, listy 46-48", [loc(
        "RGASPI, f. 17, op. 162, d. 44, listy 46-48",
        repository="RGASPI", fond="17", opis="162", delo="44", folios="46-48")], id="listy"),
    pytest.param("APRF, f. 3, op. 65, d. 5, ll. 12ob.-13", [loc(
        "APRF, f. 3, op. 65, d. 5, ll. 12ob.-13",
        repository="APRF", fond="3", opis="65", delo="5", folios="12ob.-13")], id="oborot"),
    pytest.param("АВП РФ, ф. 0100, оп. 43, п. 302, д. 10, л. 5 об.", [loc(
        "АВП РФ, ф. 0100, оп. 43, п. 302, д. 10, л. 5 об.", repository="AVP RF",
        fond="0100", opis="43", papka="302", delo="10", folios="5об.")], id="АВП РФ, papka first"),
    pytest.param("GARF, f. R-5446, op. 1, d. 20", [loc(
        "GARF, f. R-5446, op. 1, d. 20", repository="GARF", fond="R-5446", opis="1", delo="20")],
        id="GARF fond with R-"),
    pytest.param("RGANI, f. 89, op. 46, d. 1, ll. 1-3, 5", [loc(
        "RGANI, f. 89, op. 46, d. 1, ll. 1-3, 5",
        repository="RGANI", fond="89", opis="46", delo="1", folios="1-3, 5")], id="folio list"),
    pytest.param("Archive of Foreign Policy of the Russian Federation, f. 07, op. 23a, p. 18, "
                 "d. 235, l. 40", [loc(
        "Archive of Foreign Policy of the Russian Federation, f. 07, op. 23a, p. 18, d. 235, l. 40",
        repository="AVP RF", fond="07", opis="23a", papka="18", delo="235", folios="40")],
        id="repository by its full name"),
    pytest.param("AVP RF, f. 0100, op. 43, por. 19, papka 302, l. 5", [loc(
        "AVP RF, f. 0100, op. 43, por. 19, papka 302, l. 5",
        repository="AVP RF", fond="0100", opis="43", papka="302", folios="5")],
        id="por. kept in raw, mapped to nothing"),
    pytest.param(SEED_CITATION, [
        loc("APRF, Fond 45, Opis 1, Delo 331, List 85",
            repository="APRF", fond="45", opis="1", delo="331", folios="85"),
        loc("AVP RF, Fond 059a, Opis 5a, Delo 3, Papka 11, List 118", repository="AVP RF",
            fond="059a", opis="5a", delo="3", papka="11", folios="118"),
        loc("RGASPI, f. 558, op. 11, d. 334, ll.0085",
            repository="RGASPI", fond="558", opis="11", delo="334", folios="0085"),
    ], id="the seed: three archives in one citation"),
    # United States
    pytest.param("National Archives, RG 59, Central Decimal File 1950-54, 795.00/7-1350", [loc(
        "National Archives, RG 59, Central Decimal File 1950-54, 795.00/7-1350", repository="NARA",
        series="RG 59", control_symbol="795.00/7-1350",
        reference="RG 59, Central Decimal File 1950-54, 795.00/7-1350")], id="NARA decimal file"),
    pytest.param("RG 59, Central Decimal File 1950-54, 795.00/7-1350", [loc(
        "RG 59, Central Decimal File 1950-54, 795.00/7-1350", series="RG 59",
        control_symbol="795.00/7-1350",
        reference="RG 59, Central Decimal File 1950-54, 795.00/7-1350")],
        id="a record group alone: Canada's LAC has record groups too, so no repository"),
    pytest.param("NARA, RG 59, Lot 64 D 563, Box 12", [loc(
        "NARA, RG 59, Lot 64 D 563, Box 12", repository="NARA", series="RG 59",
        control_symbol="64 D 563", reference="RG 59, Lot 64 D 563, Box 12")], id="NARA lot file"),
    pytest.param("File No. 861.51/381.", [loc(
        "File No. 861.51/381", control_symbol="861.51/381", reference="861.51/381")],
        id="FRUS source note"),
    pytest.param("Department of State, Central Files, 611.61/2-1046", [loc(
        "Department of State, Central Files, 611.61/2-1046", repository="Department of State",
        control_symbol="611.61/2-1046", reference="Central Files, 611.61/2-1046")],
        id="State Department central files"),
    pytest.param("Department of State, S/P Files: Lot 64 D 563", [loc(
        "Department of State, S/P Files: Lot 64 D 563", repository="Department of State",
        control_symbol="64 D 563", reference="S/P Files: Lot 64 D 563")], id="lot file"),
    pytest.param("Lot 64 D 563", [loc(
        "Lot 64 D 563", control_symbol="64 D 563", reference="Lot 64 D 563")], id="bare lot"),
    pytest.param("Truman Library, Papers of Harry S. Truman, PSF", [loc(
        "Truman Library, Papers of Harry S. Truman, PSF", repository="Truman Library",
        reference="Papers of Harry S. Truman, PSF")], id="presidential library; S. is an initial"),
    # United Kingdom
    pytest.param("FO 371/84057", [loc(
        "FO 371/84057", repository="TNA", series="FO 371", control_symbol="84057",
        reference="FO 371/84057")], id="TNA reference alone"),
    pytest.param("PRO, CAB 128/17", [loc(
        "PRO, CAB 128/17", repository="TNA", series="CAB 128", control_symbol="17",
        reference="CAB 128/17")], id="PRO is TNA"),
    pytest.param("The National Archives, Kew, FO 371/84057/F1023/1", [loc(
        "The National Archives, Kew, FO 371/84057/F1023/1", repository="TNA", series="FO 371",
        control_symbol="84057/F1023/1", reference="FO 371/84057/F1023/1")], id="TNA item"),
    # Australia
    pytest.param("[NAA: A1838, 852/13/4]", [loc(
        "[NAA: A1838, 852/13/4]", repository="NAA", series="A1838", control_symbol="852/13/4",
        reference="A1838, 852/13/4")], id="NAA"),
    pytest.param("[AA : CP 290/6, BUNDLE 1, ITEM 28]", [loc(
        "[AA : CP 290/6, BUNDLE 1, ITEM 28]", repository="NAA", series="CP290/6",
        control_symbol="BUNDLE 1, ITEM 28", reference="CP290/6, BUNDLE 1, ITEM 28")],
        id="AA is NAA; a slash inside a CP series stays"),
    pytest.param("[AA:A1838/2, 852/13/4, ii]", [loc(
        "[AA:A1838/2, 852/13/4, ii]", repository="NAA", series="A1838",
        control_symbol="852/13/4 PART 2", reference="A1838, 852/13/4 PART 2")],
        id="consignment mark dropped, roman part made NAA's PART"),
    pytest.param("[NAA: A4940, C1724 part 2]", [loc(
        "[NAA: A4940, C1724 part 2]", repository="NAA", series="A4940",
        control_symbol="C1724 PART 2", reference="A4940, C1724 PART 2")], id="part n"),
    pytest.param("[AA:A1838 T184, 720/1, i]", [loc(
        "[AA:A1838 T184, 720/1, i]", repository="NAA", series="A1838",
        control_symbol="720/1 PART 1", reference="A1838, 720/1 PART 1")], id="transfer mark"),
    pytest.param("[NAA: Al838, 801113/11/1, xv]", [loc(
        "[NAA: Al838, 801113/11/1, xv]", repository="NAA", series="A1838",
        control_symbol="801113/11/1 PART 15", reference="A1838, 801113/11/1 PART 15")],
        id="OCR l in the series is 1; the control symbol is never corrected"),
    pytest.param("[NAA: A1838, 3038/10/1/2, ii; A11443, [14]]", [
        loc("[NAA: A1838, 3038/10/1/2, ii", repository="NAA", series="A1838",
            control_symbol="3038/10/1/2 PART 2", reference="A1838, 3038/10/1/2 PART 2"),
        loc("A11443, [14]]", repository="NAA", series="A11443", control_symbol="14",
            reference="A11443, 14"),
    ], id="two references in one bracket"),
    pytest.param("All documents cited are on file AA:A989, 43/735/168. Next.", [loc(
        "AA:A989, 43/735/168", repository="NAA", series="A989", control_symbol="43/735/168",
        reference="A989, 43/735/168")], id="unbracketed AA: in prose"),
    pytest.param("[AA: Am1068 ER47/31/14, i]", [loc(
        "[AA: Am1068 ER47/31/14, i]", repository="NAA")],
        id="no series to be read: raw and repository only"),
    # Germany
    pytest.param("BArch, B 136/59748, 403-410", [loc(
        "BArch, B 136/59748, 403-410", repository="BArch", series="B 136",
        control_symbol="59748", folios="403-410", reference="B 136/59748")], id="BArch"),
    pytest.param("Bundesarchiv Koblenz, B 136/3012, Bl. 12-15", [loc(
        "Bundesarchiv Koblenz, B 136/3012, Bl. 12-15", repository="BArch", series="B 136",
        control_symbol="3012", folios="12-15", reference="B 136/3012")], id="Bundesarchiv Bl."),
    pytest.param("PA AA, B 12, Bd. 1", [loc(
        "PA AA, B 12, Bd. 1", repository="PA AA", series="B 12", reference="B 12, Bd. 1")],
        id="PA AA"),
    # East Asia
    pytest.param("105-00001-01", [loc(
        "105-00001-01", repository="PRC FMA", control_symbol="105-00001-01",
        reference="105-00001-01")], id="PRC FMA number alone"),
    pytest.param("PRC FMA 109-00022-01", [loc(
        "PRC FMA 109-00022-01", repository="PRC FMA", control_symbol="109-00022-01",
        reference="109-00022-01")], id="PRC FMA"),
    pytest.param("中华人民共和国外交部档案馆, 档号 105-00012-02", [loc(
        "中华人民共和国外交部档案馆, 档号 105-00012-02", repository="PRC FMA",
        control_symbol="105-00012-02", reference="105-00012-02")], id="FMA in Chinese"),
    pytest.param(
        "Diplomatic Archives of the Ministry of Foreign Affairs of Japan, A'.1.0.0.1", [loc(
        "Diplomatic Archives of the Ministry of Foreign Affairs of Japan, A'.1.0.0.1",
        repository="MOFA Japan", control_symbol="A'.1.0.0.1", reference="A'.1.0.0.1")],
        id="MOFA Japan"),
    pytest.param("外務省外交史料館, B'.4.1.1.2-1", [loc(
        "外務省外交史料館, B'.4.1.1.2-1", repository="MOFA Japan", control_symbol="B'.4.1.1.2-1",
        reference="B'.4.1.1.2-1")], id="MOFA Japan in Japanese"),
    # the generic fallback: a known repository, an identifier no grammar reads
    pytest.param("AMSZ, z. 9, w. 65, t. 880", [loc(
        "AMSZ, z. 9, w. 65, t. 880", repository="AMSZ", reference="z. 9, w. 65, t. 880")],
        id="Polish MFA: raw, repository and the reference as written"),
    pytest.param("MOL, XIX-J-1-j, Korea, 11. doboz", [loc(
        "MOL, XIX-J-1-j, Korea, 11. doboz", repository="MNL OL",
        reference="XIX-J-1-j, Korea, 11. doboz")], id="Hungarian archives"),
    # what is not a location
    pytest.param("Wilson Center Digital Archive, APRF.", [], id="a repository without parts"),
    pytest.param("The ambassador wrote to Moscow on Tuesday, p. 12.", [], id="p. alone is a page"),
    pytest.param("See d. 5 and l. 3 of the report.", [], id="scattered abbreviations"),
    pytest.param("Department of State, Washington, May 9, 1861.", [], id="a FRUS dateline"),
    pytest.param("we visited the National Archives, Washington, in spring", [], id="prose"),
    pytest.param("B 136/59748", [], id="BArch shape without BArch named"),
    pytest.param("", [], id="empty"),
]  # fmt: skip


@pytest.mark.parametrize(("citation", "expected"), FORMS)
def test_parse_archival_locations(citation, expected):
    found = [{k: v for k, v in vars(location).items() if v} for location in
             parse_archival_locations(citation)]  # fmt: skip
    assert found == expected


ALIASES = [
    ("AVP RF", "AVP RF"), ("AVPRF", "AVP RF"), ("АВП РФ", "AVP RF"), ("avp rf", "AVP RF"),
    ("Archive of Foreign Policy of the Russian Federation", "AVP RF"), ("АПРФ", "APRF"),
    ("TsKhSD", "RGANI"), ("RTsKhIDNI", "RGASPI"), ("NAA", "NAA"), ("AA", "NAA"),
    ("National Archives of Australia", "NAA"), ("Australian Archives", "NAA"),
    ("NARA", "NARA"), ("National Archives", "NARA"), ("TNA", "TNA"), ("PRO", "TNA"),
    ("Public Record Office", "TNA"), ("The National Archives", "TNA"),
    ("The National Archives (UK)", "TNA"), ("PRC FMA", "PRC FMA"),
    ("Chinese Foreign Ministry Archive", "PRC FMA"), ("外交部档案馆", "PRC FMA"),
    ("Bundesarchiv", "BArch"), ("PAAA", "PA AA"), ("Diplomatic Record Office", "MOFA Japan"),
    ("Harry S. Truman Library", "Truman Library"), ("An Unknown Archive", "An Unknown Archive"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "canonical"), ALIASES)
def test_canonical_repository(name, canonical):
    assert canonical_repository(name) == canonical


def test_repositories_map_every_alias_to_one_canonical_name():
    assert REPOSITORIES["AVPRF"] == REPOSITORIES["АВП РФ"] == "AVP RF"
    owners: dict[str, set[str]] = {}
    for repository in TABLE:
        for alias in (repository.key, repository.name, *repository.aliases, *repository.quiet):
            owners.setdefault(key_of(alias), set()).add(repository.key)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}, "an alias names two archives"
    assert set(REPOSITORIES.values()) == {r.key for r in TABLE}


def test_citation_json_shape():
    result = citation_json("APRF, Fond 45, Opis 1, Delo 331, List 85; [NAA: A1838, 852/13/4]")
    assert list(result) == ["locations"]
    first, second = result["locations"]
    for key in ("repository", "fond", "opis", "delo", "papka", "folios", "reference", "raw"):
        assert key in first
    assert (first["repository"], first["fond"], first["folios"]) == ("APRF", "45", "85")
    assert (second["repository"], second["series"], second["control_symbol"]) == (
        "NAA",
        "A1838",
        "852/13/4",
    )
    assert citation_json("") == {"locations": []}


PIECES = st.sampled_from(
    [
        "APRF", "AVP RF", "RGASPI", "АПРФ", "Fond", "f.", "ф.", "Opis", "op.", "оп.", "Delo", "d.",
        "Papka", "p.", "List", "ll.", "л.", "ob.", "об.", "[NAA: ", "[AA:", "A1838", "Al838", "/2",
        " T184", "CP 290/6", ", ii", " part ", "]", "[", "FO 371/", "PRO, ", "RG 59", "Lot 64 D ",
        "795.00/7-1350", "File No. ", "BArch, B 136/", "PA AA, ", "PRC FMA ", "105-00001-01",
        "Truman Library, ", "A'.1.0.0.1", "MOFA Japan, ", "National Archives, ", ", ", "; ",
        " and ", ". ", "\n", "-", "–", "<i>", "</i>", "<", ">", "(", ")", "S.",
    ]
)  # fmt: skip
CITATIONS = st.lists(
    st.one_of(PIECES, st.integers(0, 99999).map(str), st.text(max_size=4)), max_size=30
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), CITATIONS))
@example(SEED_CITATION)
@example("[NAA: A11443, [14])_")
@example("[AA : A1838/2, 40,/3/9/1/1, i]")
def test_any_text_gives_locations_whose_raw_is_in_the_text(citation):
    for location in parse_archival_locations(citation):
        assert location.raw, "a location always keeps the text it was read from"
        assert location.raw in citation, f"raw {location.raw!r} is not text of {citation!r}"
        assert location.raw == location.raw.strip()


@pytest.mark.corpus
def test_dfat_naa_references_are_read_as_the_harvest_identifies_them():
    """Measured on every DFAT document (docs/quality.md explains the figures and classes)."""
    from opis.evaluate.citations import TARGET, evaluate

    if not dfat_volumes().exists():
        pytest.skip(f"{dfat_volumes()} is not here; the shared corpora live beside the checkout")
    figures = evaluate()
    assert figures.refs > 8000
    assert figures.parser_accuracy >= TARGET, figures.by_class
    assert figures.raw_rate >= 0.99  # the printed reference is delimited exactly
    assert figures.exact_rate >= 0.66  # agreement with RecordSearch's identity: a floor, not a goal
