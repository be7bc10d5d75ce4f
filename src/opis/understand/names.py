"""The authority of persons: which person a name written in a document stands for.

Historians search for a person, not a string: Stalin signed as Filippov; Zhou Enlai is Chou En-lai
and Чжоу Эньлай. Two sources are merged here:

- the curated list ``data/persons.json`` (the opis team's 1945–1955 actors, with original-script
  names, pseudonyms with years and the publication that attests them);
- the Office of the Historian people database (``hsg-authority/people/people-data.tar.gz``, 16,312
  records with the name forms FRUS volumes used), read in place and cached (see ``hsg_people``).

A person whose curated entry names its hsg record is one person: the curated canonical name wins
and the name forms are unioned. Every form is matched by its ``name_key`` (see ``romanize``), never
by similarity. A key held by several persons is settled only by the strength of the claim: a form
the curated list states (3) outranks a form stated by the Office of the Historian or derived from a
curated name (2), which outranks a form opis derived by rule for a record of the database, such as
a bare surname (1). Two persons with equal claims make the name ambiguous: ``resolve`` returns None
and ``candidates`` lists them.
"""

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from opis import config
from opis.understand import romanize
from opis.understand.claims import DERIVED, EXPLICIT, STATED, ranked
from opis.understand.hsg_people import HSG_PEOPLE, HSG_SOURCE, hsg_records
from opis.understand.romanize import initials, name_key

CURATED = Path(__file__).with_name("data") / "persons.json"
FAMILY_FIRST = {"zh", "ko", "vi"}


@dataclass(frozen=True)
class Pseudonym:
    """A name a person signed or was referred to under, for the years the source attests."""

    name: str
    from_year: int | None
    to_year: int | None
    source: str
    variants: tuple[str, ...] = ()

    def covers(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.from_year or year) <= year <= (self.to_year or year)


@dataclass
class Person:
    """One person of the authority; ``variants`` holds every spelling matched to them."""

    id: str
    canonical: str
    display: str
    variants: list[str] = field(default_factory=list)
    pseudonyms: list[Pseudonym] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    description: str = ""
    sources: list[str] = field(default_factory=list)
    born: int | None = None
    died: int | None = None
    original: dict[str, str] = field(default_factory=dict)
    hsg_id: str | None = None
    curated: bool = False


class Authority:
    """Persons and the index from name keys to them; build with ``Authority.load``."""

    def __init__(self) -> None:
        self.persons: dict[str, Person] = {}
        self.hsg_count = 0
        self._claims: dict[str, dict[str, int]] = {}
        self._pseudonyms: dict[str, list[tuple[str, Pseudonym]]] = {}

    @classmethod
    def load(
        cls,
        curated: Path = CURATED,
        hsg_tarball: Path | None = None,
        cache_dir: Path | None = None,
    ) -> "Authority":
        """The curated list, merged with the hsg people records when a tarball is given."""
        authority = cls()
        records = hsg_records(hsg_tarball, cache_dir) if hsg_tarball else []
        authority.hsg_count = len(records)
        by_hsg = {record["hsg"]: record for record in records}
        merged = authority._add_curated(json.loads(Path(curated).read_text("utf-8")), by_hsg)
        for record in records:
            if record["hsg"] not in merged:
                authority._add_hsg(record)
        return authority

    def resolve(self, name: str) -> Person | None:
        """The one person the name stands for; None when nobody or several persons hold it."""
        claims = self._claims.get(name_key(name or ""))
        if not claims:
            return None
        best = max(claims.values())
        holders = [pid for pid, rank in claims.items() if rank == best]
        return self.persons[holders[0]] if len(holders) == 1 else None

    def candidates(self, name: str) -> list[Person]:
        """Every person holding the name, strongest claim first."""
        claims = self._claims.get(name_key(name or ""), {})
        ranked = sorted(
            claims.items(), key=lambda item: (-item[1], self.persons[item[0]].canonical)
        )
        return [self.persons[pid] for pid, _ in ranked]

    def pseudonym_of(self, name: str, year: int | None = None) -> Person | None:
        """The person who used the pseudonym (in that year, when given); None if not one person."""
        uses = self._pseudonyms.get(name_key(name or ""), [])
        holders = {pid for pid, pseudonym in uses if pseudonym.covers(year)}
        return self.persons[holders.pop()] if len(holders) == 1 else None

    def get(self, person_id: str) -> Person | None:
        return self.persons.get(person_id)

    def __len__(self) -> int:
        return len(self.persons)

    def _add(self, person: Person, forms: list[tuple[str, int]], keys=None) -> None:
        self.persons[person.id] = person
        seen = set(person.variants)
        for text, _rank in forms:
            if text and text not in seen:
                seen.add(text)
                person.variants.append(text)
        for key, rank in keys or [(name_key(text), rank) for text, rank in forms]:
            if key:
                claims = self._claims.setdefault(key, {})
                claims[person.id] = max(rank, claims.get(person.id, 0))

    def _add_curated(self, document: dict, by_hsg: dict[str, dict]) -> set[str]:
        references = document.get("references", {})
        merged = set()
        for entry in document["persons"]:
            person, forms = curated_person(entry, references)
            record = by_hsg.get(entry.get("hsg") or "")
            keys = [(name_key(text), rank) for text, rank in forms]
            if record:
                merged.add(record["hsg"])
                person.born = person.born or record["born"]
                person.died = person.died or record["died"]
                person.sources.append(HSG_SOURCE.format(id=record["hsg"]) + _first_url(record))
                forms += [(text, rank) for text, _key, rank in record["forms"]]
                keys += [(key, rank) for _text, key, rank in record["forms"]]
            for pseudonym in person.pseudonyms:  # matched by resolve, listed apart from variants
                for text in (pseudonym.name, *pseudonym.variants):
                    keys.append((name_key(text), EXPLICIT))
                    self._pseudonyms.setdefault(name_key(text), []).append((person.id, pseudonym))
            self._add(person, forms, keys)
        return merged

    def _add_hsg(self, record: dict) -> None:
        slug = record["slug"]
        if slug in self.persons:  # a curated id took it
            slug = f"{slug}-{record['hsg']}"
        person = Person(
            id=slug,
            canonical=record["canonical"],
            display=record["display"],
            description=record["description"],
            sources=[HSG_SOURCE.format(id=record["hsg"]) + _first_url(record)],
            born=record["born"],
            died=record["died"],
            hsg_id=record["hsg"],
        )
        self._add(
            person,
            [(text, rank) for text, _key, rank in record["forms"]],
            [(key, rank) for _text, key, rank in record["forms"]],
        )


def _first_url(record: dict) -> str:
    return f", {record['urls'][0]}" if record.get("urls") else ""


# Curated persons ----------------------------------------------------------------------------------


def curated_person(entry: dict, references: dict[str, str]) -> tuple[Person, list[tuple[str, int]]]:
    """A Person from one entry of persons.json, with its name forms and their ranks."""
    names = entry.get("names", {})
    original = _original_names(entry.get("script", ""), names)
    pseudonyms = [_pseudonym(p, references) for p in entry.get("pseudonyms", [])]
    person = Person(
        id=entry["id"],
        canonical=entry["canonical"],
        display=entry.get("display") or entry["canonical"],
        pseudonyms=pseudonyms,
        roles=list(entry.get("roles", [])),
        description=entry.get("description", ""),
        sources=[references.get(s, s) for s in entry.get("sources", [])],
        born=entry.get("born"),
        died=entry.get("died"),
        original=original,
        hsg_id=entry.get("hsg"),
        curated=True,
    )
    explicit = [person.canonical, *entry.get("variants", []), *original.values()]
    forms = [(text, EXPLICIT) for text in explicit]
    forms.append((person.display, STATED if " " in person.display else DERIVED))
    # Word order of uninverted forms: Mao Zedong is family-first; Wellington Koo, who wrote his
    # name in Western order (canonical "Koo, V. K. Wellington"), is not: only inverted forms count.
    family_first = entry.get("script") in FAMILY_FIRST and "," not in person.canonical
    east_asian_western = entry.get("script") in FAMILY_FIRST and not family_first
    for text in [person.canonical, *entry.get("variants", [])]:
        if "," in text or not east_asian_western:
            forms += ranked(romanize.name_forms(text, family_first), STATED)
    forms += _script_forms(entry.get("script", ""), names)
    return person, forms


def _pseudonym(data: dict, references: dict[str, str]) -> Pseudonym:
    cited = [references.get(data["source"], data["source"])]
    cited += [references.get(key, key) for key in data.get("also", [])]
    source = " Also: ".join(cited) + data.get("note", "")
    return Pseudonym(
        name=data["name"],
        from_year=data.get("from_year"),
        to_year=data.get("to_year"),
        source=source,
        variants=tuple(data.get("variants", ())),
    )


def _original_names(script: str, names: dict) -> dict[str, str]:
    if script == "ru" and names.get("cyrillic"):
        family, given, patronymic = names["cyrillic"]
        return {"ru": f"{family}, {given} {patronymic}"}
    if script == "zh":
        found = {"zh-Hans": names.get("hanzi", ""), "zh-Hant": names.get("hanzi_traditional", "")}
        return {tag: text for tag, text in found.items() if text}
    if script == "ko":
        found = {"ko": names.get("hangul", ""), "ko-Hani": names.get("hanja", "")}
        return {tag: text for tag, text in found.items() if text}
    return {}


def _script_forms(script: str, names: dict) -> list[tuple[str, int]]:
    """Romanizations generated from the original script: Russian schemes, Pinyin, Wade-Giles."""
    forms: list[tuple[str, int]] = []
    if script == "ru" and names.get("cyrillic"):
        parts = [tuple(names["cyrillic"]), *romanize.russian_scheme_names(names["cyrillic"])]
        for fam, *given in parts:
            giv = " ".join(given)
            forms += ranked(romanize.western_forms(fam, giv), STATED)
            forms.append((f"{fam} {initials(giv)}", STATED))  # Russian order: Сталин И. В.
    if script == "zh" and names.get("pinyin"):
        pinyin = names["pinyin"]
        forms += ranked(romanize.name_forms(pinyin, family_first=True), STATED)
        for wade_giles in romanize.wade_giles_forms(pinyin):
            forms += ranked(romanize.name_forms(wade_giles, family_first=True), STATED)
        for hyphenate in (False, True):  # Чжоу Эньлай; Мао Цзэ-дун as Soviet documents wrote it
            forms.append((romanize.pinyin_to_cyrillic(pinyin, hyphenate), STATED))
    return forms


# The default authority and the API ---------------------------------------------------------------

_default: Authority | None = None
_default_lock = threading.Lock()


def default_hsg_tarball() -> Path | None:
    """``$OPIS_HSG_PEOPLE``, else the tarball in the shared corpora (``config.shared_corpora``)
    if it is there; None without it (the curated list alone)."""
    configured = config.value("OPIS_HSG_PEOPLE")
    if configured:
        return configured
    tarball = config.shared_corpora() / HSG_PEOPLE
    return tarball if tarball.exists() else None


def authority() -> Authority:
    """The authority built once per process: curated list plus hsg records, their derived forms
    cached in ``cache_folder()``."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Authority.load(hsg_tarball=default_hsg_tarball(), cache_dir=cache_folder())
        return _default


def cache_folder() -> Path:
    """``$OPIS_CACHE``, else ``$XDG_CACHE_HOME/opis`` (``~/.cache/opis``): ``config.cache_folder``.

    The cache is a pure function of the tarball and the rules (its name is their digest), so every
    data folder on the machine can share it: a fresh archive, or a test's, need not spend seconds
    deriving 16,000 people's name forms again."""
    return config.cache_folder()


def resolve(name: str) -> Person | None:
    """The person a name stands for, matched after normalisation; None if unknown or ambiguous."""
    return authority().resolve(name)


def candidates(name: str) -> list[Person]:
    """Everyone the name could stand for: what to offer when ``resolve`` finds it ambiguous."""
    return authority().candidates(name)


def pseudonym_of(name: str, year: int | None = None) -> Person | None:
    """Who used this pseudonym (in that year): pseudonym_of("Filippov", 1950) → Stalin."""
    return authority().pseudonym_of(name, year)


def variants_for(person: Person) -> list[str]:
    """Every spelling of the person's name that the authority knows, canonical first."""
    return list(person.variants)


def search_terms(person: Person) -> list[str]:
    """Every form to index for the person, so a query in any spelling finds any other: the variants,
    the pseudonyms, and each form without apostrophes ("Shao-chi" beside "Shao-ch'i")."""
    terms = [*person.variants]
    terms += [text for p in person.pseudonyms for text in (p.name, *p.variants)]
    terms += [romanize.strip_apostrophes(text) for text in terms]
    return list(dict.fromkeys(t for t in terms if t))


def person_json(person: Person) -> dict:
    """The JSON shape that ``opis names resolve NAME --json`` prints."""
    return {
        "id": person.id,
        "canonical": person.canonical,
        "variants": variants_for(person),
        "pseudonyms": [
            {"name": p.name, "from_year": p.from_year, "to_year": p.to_year, "source": p.source}
            for p in person.pseudonyms
        ],
    }
