"""Build ``src/opis/understand/data/offices.json`` from the Office of the Historian's
"Principal Officers and Chiefs of Mission" (``hsg-authority/pocom`` in the shared corpora).

The raw database (4,000 person files, 199 missions, 83 positions) stays outside the repository;
the table keeps only what resolving an office on a day needs: each principal position's terms,
each country mission's terms with the chief's rank, each person's name as the authority writes
it (``opis.understand.names`` links that name to the person) with the people database record
that describes them, and the country names a title may use. Run from the repository root:

    .venv/bin/python tools/build_offices.py [--corpora ../shared/corpora]
"""

import argparse
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from opis import config
from opis.understand.hsg_people import HSG_PEOPLE, hsg_records
from opis.understand.romanize import fold

OUT = Path(__file__).resolve().parents[1] / "src" / "opis" / "understand" / "data" / "offices.json"
POCOM = Path("hsg-authority") / "pocom"
# A chief's role, as a title writes the rank: "the Minister in …", "the Chargé in …".
RANKS = {
    "ambassador-e-p": "ambassador",
    "envoy-extraordinary-minister-plenipotentiary": "minister",
    "envoy-extraordinary-minister-plenipotentiary-consul-general": "minister",
    "minister-plenipotentiary": "minister",
    "minister": "minister",
    "minister-resident": "minister-resident",
    "minister-resident-and-extraordinary": "minister-resident",
    "minister-resident-consul-general": "minister-resident",
    "minister-resident-foreign-service-officer": "minister-resident",
    "charge-daffaires": "charge",
    "charge-daffaires-consul-general": "charge",
    "charge-daffaires-pro-tem": "charge",
    "charge-daffaires-ad-interim": "charge",
    "diplomatic-agent": "agent",
    "diplomatic-agent-consul-general": "agent",
    "agent": "agent",
    "agent-consul-general": "agent",
    "commissioner": "commissioner",
    "commissioner-consul-general": "commissioner",
}
# Names a title may give a country that the mission files' ids do not spell.
COUNTRY_NAMES = {
    "great britain": "united-kingdom",
    "england": "united-kingdom",
    "britain": "united-kingdom",
    "the soviet union": "russia",
    "soviet union": "russia",
    "the ussr": "russia",
    "ussr": "russia",
    "persia": "iran",
    "siam": "thailand",
    "the ottoman empire": "turkey",
    "ottoman empire": "turkey",
    "the netherlands": "netherlands",
    "holland": "netherlands",
    "the argentine republic": "argentina",
    "santo domingo": "dominican-republic",
    "the dominican republic": "dominican-republic",
    "the two sicilies": "two-sicilies",
    "naples": "two-sicilies",
    "the hawaiian islands": "hawaii",
    "the sandwich islands": "hawaii",
    "the kingdom of serbs, croats and slovenes": "yugoslavia",
    "the serb-croat-slovene state": "yugoslavia",
    "abyssinia": "ethiopia",
    "the union of south africa": "south-africa",
    "the irish free state": "ireland",
    "the philippines": "philippines",
    "colombia": "colombia",
    "new granada": "colombia",
    "the united states of colombia": "colombia",
    "the vatican": "holy-see",
    "korea": "korea",
}


def _day(text: str | None, last: bool = False) -> str:
    """An ISO day from pocom's dates, which may give only a year or a month."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-28" if last else f"{text}-01"
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-12-31" if last else f"{text}-01-01"
    return ""


def _term(entry: ET.Element) -> tuple[str, str]:
    """(start, end): from the day the officer took up the post (credentials presented, else
    arrival, else appointment) to the day they left it."""
    start = next(
        (
            _day(entry.findtext(f"{event}/date"))
            for event in ("started", "arrived", "appointed")
            if _day(entry.findtext(f"{event}/date"))
        ),
        "",
    )
    return start, _day(entry.findtext("ended/date"), last=True)


def _entry(entry: ET.Element, *more: str) -> tuple[list[str], str]:
    """A term [start, end, person, *more] with the day the officer was appointed."""
    term = [*_term(entry), entry.findtext("person-id") or "", *more]
    return term, _day(entry.findtext("appointed/date"))


def _closed(entries: list[tuple[list[str], str]]) -> list[list[str]]:
    """Terms in order of their start; a term with no end ends where the next begins (the last
    one stays open: a chief still serving, or one the database has not closed). Where the post
    stood empty before a term began, the term begins at the appointment (or when the post fell
    empty, if that was later): the editors call an appointed minister "the Minister" before he
    presents his credentials."""
    entries = sorted((e for e in entries if e[0][0]), key=lambda e: e[0][0])
    terms = [term for term, _ in entries]
    for this, after in zip(terms, terms[1:], strict=False):
        if not this[1]:
            this[1] = after[0]
    for before, (this, appointed) in zip(terms, entries[1:], strict=False):
        if appointed and before[1] and before[1] < this[0] and appointed < this[0]:
            this[0] = max(appointed, before[1])
    return terms


def principals(pocom: Path) -> dict[str, list[list[str]]]:
    table: dict[str, list[tuple[list[str], str]]] = {}
    for path in sorted((pocom / "positions-principals").glob("*.xml")):
        root = ET.parse(path).getroot()
        name = " ".join((root.findtext("names/singular") or "").split())
        if not name or "ad interim" in name or "Continental Congress" in name:
            continue
        table.setdefault(name, []).extend(_entry(entry) for entry in root.iter("principal"))
    return {name: _closed(entries) for name, entries in sorted(table.items())}


def missions(pocom: Path) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    table: dict[str, list[list[str]]] = {}
    names: dict[str, str] = {}
    for path in sorted((pocom / "missions-countries").glob("*.xml")):
        root = ET.parse(path).getroot()
        territory = root.findtext("territory-id") or path.stem
        names[territory.replace("-", " ")] = territory
        terms = []
        for chief in root.iter("chief"):
            rank = RANKS.get(chief.findtext("role-title-id") or "", "other")
            terms.append(_entry(chief, rank))
            contemporary = re.sub(r"-\d{4}$", "", chief.findtext("contemporary-territory-id") or "")
            if contemporary:
                names.setdefault(contemporary.replace("-", " "), territory)
        table[territory] = _closed(terms)
    for name, territory in COUNTRY_NAMES.items():
        if territory in table:
            names[name] = territory
    return table, dict(sorted(names.items()))


def people(pocom: Path, wanted: set[str], corpora: Path) -> dict[str, list[str]]:
    """pocom person id → [name as the authority writes it, people database record, family name,
    initials of the given names]."""
    by_slug: dict[str, dict] = {}
    tarball = corpora / HSG_PEOPLE
    if tarball.exists():
        for record in hsg_records(tarball, config.cache_folder()):
            for url in record["urls"]:
                if "departmenthistory/people/" in url:
                    by_slug[url.rstrip("/").rsplit("/", 1)[-1]] = record
    table = {}
    for path in sorted((pocom / "people").glob("*/*.xml")):
        root = ET.parse(path).getroot()
        pid = root.findtext("id") or path.stem
        if pid not in wanted:
            continue
        family = " ".join((root.findtext("persName/surname") or "").split())
        given = " ".join((root.findtext("persName/forename") or "").split())
        record = by_slug.get(pid)
        name = record["canonical"] if record else f"{family}, {given}".strip(", ")
        initials = "".join(w[0] for w in re.split(r"[\s.]+", fold(given)) if w).lower()
        table[pid] = [name, record["hsg"] if record else "", fold(family).lower(), initials]
    return table


def build(corpora: Path) -> dict:
    pocom = corpora / POCOM
    principal_terms = principals(pocom)
    mission_terms, countries = missions(pocom)
    wanted = {t[2] for terms in principal_terms.values() for t in terms}
    wanted |= {t[2] for terms in mission_terms.values() for t in terms}
    return {
        "about": (
            "Who held each principal office of the State Department and each chief of mission "
            "post, by day: derived by tools/build_offices.py from the Office of the Historian's "
            "Principal Officers and Chiefs of Mission (github.com/HistoryAtState/pocom, US "
            "Government work). people: pocom id -> [name as the authority writes it, people "
            "database record or '', family name, initials]. principals: office -> [start, end, "
            "person]. missions: country -> [start, end, person, rank]."
        ),
        "people": people(pocom, wanted, corpora),
        "principals": principal_terms,
        "missions": mission_terms,
        "countries": countries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=config.shared_corpora())
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    table = build(args.corpora)
    args.out.write_text(
        json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n",
        encoding="utf-8",
    )
    linked = sum(1 for person in table["people"].values() if person[1])
    print(  # noqa: T201 - a build script reports what it wrote
        f"{args.out}: {len(table['people'])} people ({linked} with a people database record), "
        f"{len(table['principals'])} principal offices, {len(table['missions'])} missions"
    )


if __name__ == "__main__":
    main()
