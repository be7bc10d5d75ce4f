"""Offices of the State Department resolved to the person who held them on a day.

FRUS titles its documents by office as often as by name: "The Secretary of State to the
Minister in Nicaragua", "The Ambassador in Great Britain to the Secretary of State". Without the
person, a record of 1894 has an author nobody can search for; with the date, the office names
one person: the Secretary of State on 1 February 1894 was Walter Q. Gresham, the Minister to
Nicaragua Lewis Baker. The Office of the Historian keeps who held each principal office and each
chief of mission post, with the days they began and ended (``data/offices.json``, derived from
its "Principal Officers and Chiefs of Mission" by ``tools/build_offices.py``).

The resolution is deliberately strict: a day on which two persons held the office (a handover,
concurrent assistant secretaries) names nobody, and a rank the holder did not hold names nobody
("the Chargé in Switzerland" while a minister was chief of mission: the chargé ad interim was
someone else, whom the table does not list). Offices of other governments are never resolved;
only the caller knows whether a title is American correspondence, so it passes a day only then.
The holder's name is the form the persons authority states for them ("Gresham, Walter
Quintin"), which ``names`` links to the same person at ingest.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from opis.understand.romanize import fold

DATA = Path(__file__).parent / "data" / "offices.json"
# The rank a title writes → the ranks of chiefs of mission it may stand for.
_RANKS = {
    "ambassador": {"ambassador"},
    "minister": {"minister", "minister-resident"},
    "minister resident": {"minister-resident"},
    "envoy extraordinary and minister plenipotentiary": {"minister"},
    "charge d'affaires": {"charge"},
    "charge d'affaires ad interim": {"charge"},
    "charge": {"charge"},
    "diplomatic agent": {"agent"},
    "agent and consul general": {"agent"},
    "commissioner": {"commissioner"},
}
_RANK_TITLES = {
    "ambassador": "Ambassador",
    "minister": "Minister",
    "minister-resident": "Minister Resident",
    "charge": "Chargé d'Affaires",
    "agent": "Diplomatic Agent",
    "commissioner": "Commissioner",
    "other": "Chief of Mission",
}
_MISSION = re.compile(
    rf"^(?P<rank>{'|'.join(sorted(map(re.escape, _RANKS), key=len, reverse=True))})"
    r"\s+(?:in|to|at|near)\s+(?P<country>.+)$"
)
_OURS = re.compile(r"^(?:the\s+)?(?:(?:american|united states|u\.\s?s\.)\s+)?")
_COUNSELOR = re.compile(r"^counselor\s+(?:of|for)\s+(?:the\s+)?department(?:\s+of\s+state)?$")
_HONORIFIC = re.compile(
    r"^(?:mr|mrs|dr|sir|hon|general|gen|colonel|col|admiral|captain|judge|senator|governor)\.?$"
)


@dataclass(frozen=True)
class Holder:
    """Who held an office on a day."""

    name: str  # as the persons authority writes it: "Gresham, Walter Quintin"
    person: str  # the Office of the Historian's person id: "gresham-walter-quintin"
    hsg_id: str  # the people database record describing them ("105187"), "" when none
    office: str  # the office as the table names it: "Secretary of State", "Minister to Nicaragua"


@dataclass(frozen=True)
class _Term:
    start: str
    end: str
    person: str
    office: str
    rank: str = ""

    def covers(self, day: str) -> bool:
        return self.start <= day and (not self.end or day <= self.end)


class OfficeTable:
    """The derived table, indexed for lookups by office, by country and by family name."""

    def __init__(self, data: dict):
        self.people: dict[str, list[str]] = data["people"]
        self.countries: dict[str, str] = data["countries"]
        self.principals: dict[str, list[_Term]] = {}
        for name, terms in data["principals"].items():
            self.principals[fold(name)] = [_Term(s, e, p, name) for s, e, p in terms]
        self.missions: dict[str, list[_Term]] = {}
        for territory, terms in data["missions"].items():
            country = _country_title(territory)
            self.missions[territory] = [
                _Term(s, e, p, f"{_RANK_TITLES[r]} to {country}", r) for s, e, p, r in terms
            ]
        self.by_family: dict[str, list[_Term]] = {}
        for terms in (*self.principals.values(), *self.missions.values()):
            for term in terms:
                family = self.people.get(term.person, ["", "", ""])[2]
                if family:
                    self.by_family.setdefault(family.split()[-1], []).append(term)

    def holder(self, office: str, on: date) -> Holder | None:
        found = self._terms(office)
        return self._one(*found, on) if found else None

    def is_known(self, office: str) -> bool:
        return self._terms(office) is not None

    def officer_named(self, name: str, on: date) -> Holder | None:
        family, initials = _family_and_initials(name)
        if not family:
            return None
        terms = [
            t
            for t in self.by_family.get(family.split()[-1], [])
            if self.people[t.person][2] == family
            and (not initials or self.people[t.person][3].startswith(initials))
        ]
        return self._one(terms, frozenset(), on)

    def _terms(self, office: str) -> tuple[list[_Term], frozenset[str]] | None:
        """The office's terms and, for a mission, the chiefs' ranks the title names; None when
        the table does not know the office."""
        text = _OURS.sub("", fold(" ".join(office.split())).strip(" .,;:"))
        text = "counselor" if _COUNSELOR.match(text) else text
        if text in self.principals:
            return self.principals[text], frozenset()
        match = _MISSION.match(text)
        if not match:
            return None
        country = match.group("country").strip()
        territory = self.countries.get(country) or self.countries.get(
            re.sub(r"^the\s+", "", country)
        )
        if territory is None:
            return None
        return self.missions[territory], frozenset(_RANKS[match.group("rank")])

    def _one(self, terms: list[_Term], ranks: frozenset[str], on: date) -> Holder | None:
        """The one person whose term covers the day; None for nobody or several, and None when
        the chief of mission that day held another rank than the title names."""
        day = on.isoformat()
        covering = [t for t in terms if t.covers(day)]
        if len({t.person for t in covering}) != 1:
            return None
        term = covering[-1]
        if ranks and term.rank not in ranks:
            return None
        name, hsg_id = self.people.get(term.person, [term.person, ""])[:2]
        return Holder(name=name, person=term.person, hsg_id=hsg_id, office=term.office)


def _country_title(territory: str) -> str:
    return " ".join(w.capitalize() for w in territory.split("-"))


def _family_and_initials(name: str) -> tuple[str, str]:
    """ "Mr. E. B. Washburne" → ("washburne", "eb"); "Gresham" → ("gresham", "")."""
    text = fold(" ".join(name.split())).strip(" .,")
    if "," in text:
        family, _, given = text.partition(",")
        words = given.split()
    else:
        words = [w for w in text.split() if not _HONORIFIC.match(w)]
        if not words:
            return "", ""
        family, words = words[-1], words[:-1]
        while words and words[-1] in ("de", "des", "van", "von", "du", "la", "le"):
            family, words = f"{words[-1]} {family}", words[:-1]
    initials = "".join(w[0] for w in re.split(r"[\s.]+", " ".join(words)) if w)
    return family.strip(" ."), initials


@cache
def table() -> OfficeTable:
    """The table, read once per process."""
    return OfficeTable(json.loads(DATA.read_text("utf-8")))


def holder(office: str, on: date) -> Holder | None:
    """Who held the office as a title writes it ("the Secretary of State", "the Minister in
    Nicaragua", "the American Ambassador in Great Britain") on that day; None when the table does
    not know the office, nobody held it, or more than one person did."""
    return table().holder(office, on)


def is_known_office(office: str) -> bool:
    """True when the table lists the office (whoever held it on a given day)."""
    return table().is_known(office)


def is_country(text: str) -> bool:
    """True when the words name a country the table has a mission to ("Nicaragua", "Great
    Britain", "the Netherlands"): a government, never a person."""
    name = fold(" ".join(text.split())).strip(" .,;:")
    return name in table().countries or name.removeprefix("the ") in table().countries


def officer_named(name: str, on: date) -> Holder | None:
    """The one principal officer or chief of mission of that family name (and those initials,
    when given: "Mr. E. B. Washburne") in office on that day, or None: "Mr. Gresham" in 1894 is
    the Secretary of State."""
    return table().officer_named(name, on)
