"""Repositories: one canonical name each, whatever a citation calls it.

"AVP RF", "AVPRF", "АВП РФ" and "Archive of Foreign Policy of the Russian Federation" are one
archive; a search for ``archive:avprf`` must find all four. Each entry gives the canonical key
(the short form historians use), the full English name, the country, the aliases that may be
looked for in running text, and ``quiet`` aliases: names that resolve here when given as a
repository but are too ambiguous to look for in prose ("AA", "BA", "PRO", "FMA").

Names of foreign ministries' archives follow the Office of the Historian's World Wide Diplomatic
Archives Index (hsg-authority/wwdai). Renamed institutions resolve to today's name where the
holdings are the same: TsKhSD (to 1999) is RGANI, RTsKhIDNI is RGASPI, the Public Record Office is
The National Archives, Australian Archives (AA) is the National Archives of Australia.

The archives that have a grammar of their own are declared below, in code, beside the modules
that read them. Every other repository a historian may cite — foreign ministries' and national
archives, party and security-service archives, manuscript libraries — is in the register
``understand/data/repositories.json`` (official names, former names, forms historians write);
an entry whose key is already here adds its names to it. A repository in that register is
recognised wherever it is cited, and the generic fallback keeps its reference as written.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

REGISTER = Path(__file__).parent.parent / "data" / "repositories.json"


@dataclass(frozen=True)
class Repository:
    key: str
    name: str
    country: str
    aliases: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()


_GRAMMARS = (
    # Russia and the Soviet Union
    Repository("APRF", "Archive of the President of the Russian Federation", "RU",
               ("AP RF", "АПРФ", "АП РФ", "Arkhiv Prezidenta Rossiiskoi Federatsii",
                "Presidential Archive of the Russian Federation")),
    Repository("AVP RF", "Foreign Policy Archive of the Russian Federation", "RU",
               ("AVPRF", "АВП РФ", "АВПРФ", "AVP SSSR", "АВП СССР",
                "Archive of Foreign Policy of the Russian Federation",
                "Foreign Policy Archives of the Russian Federation",
                "Archive of Foreign Policy, Russian Federation",
                "Arkhiv vneshnei politiki Rossiiskoi Federatsii",
                "Архив внешней политики Российской Федерации")),
    Repository("RGASPI", "Russian State Archive of Socio-Political History", "RU",
               ("РГАСПИ", "RTsKhIDNI", "РЦХИДНИ",
                "Russian State Archive of Social and Political History",
                "Russian State Archive of Socio-Political History")),
    Repository("RGANI", "Russian State Archive of Contemporary History", "RU",
               ("РГАНИ", "TsKhSD", "ЦХСД", "SCCD",
                "Russian State Archive of Contemporary History",
                "Center for the Storage of Contemporary Documentation")),
    Repository("GARF", "State Archive of the Russian Federation", "RU",
               ("ГАРФ", "State Archive of the Russian Federation")),
    Repository("RGAE", "Russian State Archive of the Economy", "RU", ("РГАЭ",)),
    Repository("RGVA", "Russian State Military Archive", "RU", ("РГВА",)),
    Repository("TsAMO", "Central Archive of the Russian Ministry of Defence", "RU",
               ("ЦАМО", "TsAMO RF", "ЦАМО РФ")),
    # Eastern Europe
    Repository("AMSZ", "Archive of the Ministry of Foreign Affairs of Poland", "PL",
               ("Archiwum Ministerstwa Spraw Zagranicznych",)),
    Repository("AAN", "Archive of Modern Records, Warsaw", "PL", ("Archiwum Akt Nowych",)),
    Repository("MNL OL", "National Archives of Hungary", "HU",
               ("MOL", "Magyar Nemzeti Levéltár Országos Levéltára", "Magyar Országos Levéltár",
                "National Archives of Hungary", "Hungarian National Archives")),
    Repository("AMZV", "Archive of the Ministry of Foreign Affairs of the Czech Republic", "CZ",
               ("Archiv Ministerstva zahraničních věcí",)),
    Repository("TsDA", "Central State Archives, Sofia", "BG",
               ("ЦДА",), ("Central State Archives",)),
    Repository("ANIC", "National Historical Central Archives of Romania", "RO",
               ("Arhivele Naţionale Istorice Centrale", "Arhivele Nationale Istorice Centrale")),
    Repository("BStU", "Stasi Records Archive", "DE", ("Stasi Records Archive",)),
    # Germany
    Repository("BArch", "Bundesarchiv (German Federal Archives)", "DE",
               ("Bundesarchiv", "German Federal Archives", "SAPMO-BArch", "BA-MA", "BArch-MA"),
               ("BA",)),
    Repository("PA AA", "Political Archive of the Federal Foreign Office", "DE",
               ("PAAA", "PA/AA", "Politisches Archiv des Auswärtigen Amts",
                "Politisches Archiv des Auswärtigen Amtes",
                "Political Archive of the Federal Foreign Office",
                "Political Archive of the German Foreign Office")),
    # Western Europe and the Commonwealth
    Repository("TNA", "The National Archives (UK)", "GB",
               ("The National Archives (UK)", "The National Archives, Kew", "Public Record Office",
                "UK National Archives", "National Archives of the United Kingdom"),
               ("PRO", "TNA PRO", "TNA: PRO", "The National Archives")),
    Repository("NAA", "National Archives of Australia", "AU",
               ("National Archives of Australia", "Australian Archives"), ("AA",)),
    Repository("LAC", "Library and Archives Canada", "CA",
               ("Library and Archives Canada", "National Archives of Canada"), ("NAC",)),
    Repository("Archives diplomatiques", "Archives diplomatiques (La Courneuve and Nantes)", "FR",
               ("Centre des archives diplomatiques de La Courneuve",
                "Centre des archives diplomatiques de Nantes",
                "Archives du ministère des Affaires étrangères", "CADN", "CADLC")),
    Repository("ASMAE", "Historical Diplomatic Archive, Ministry of Foreign Affairs of Italy", "IT",
               ("Archivio Storico Diplomatico del Ministero degli Affari Esteri",
                "Archivio Storico Diplomatico")),
    # United States
    Repository("NARA", "National Archives and Records Administration", "US",
               ("National Archives and Records Administration", "U.S. National Archives",
                "US National Archives", "National Archives", "NARA II")),
    Repository("Department of State", "U.S. Department of State (files now at NARA, RG 59)", "US",
               (), ("Department of State", "State Department")),
    Repository("Roosevelt Library", "Franklin D. Roosevelt Presidential Library", "US",
               ("Franklin D. Roosevelt Library", "FDR Library", "FDRL")),
    Repository("Truman Library", "Harry S. Truman Presidential Library", "US",
               ("Harry S. Truman Library", "Harry S. Truman Presidential Library", "HSTL")),
    Repository("Eisenhower Library", "Dwight D. Eisenhower Presidential Library", "US",
               ("Dwight D. Eisenhower Library", "Eisenhower Presidential Library", "DDEL")),
    Repository("Kennedy Library", "John F. Kennedy Presidential Library", "US",
               ("John F. Kennedy Library", "JFK Library", "JFKL")),
    Repository("Johnson Library", "Lyndon Baines Johnson Presidential Library", "US",
               ("Lyndon B. Johnson Library", "LBJ Library", "LBJL")),
    Repository("Nixon Library", "Richard Nixon Presidential Library", "US",
               ("Richard Nixon Library", "Nixon Presidential Materials", "RNL")),
    Repository("Ford Library", "Gerald R. Ford Presidential Library", "US",
               ("Gerald R. Ford Library", "GRFL")),
    Repository("Carter Library", "Jimmy Carter Presidential Library", "US",
               ("Jimmy Carter Library",)),
    Repository("Reagan Library", "Ronald Reagan Presidential Library", "US",
               ("Ronald Reagan Library",)),
    Repository("Hoover Institution Archives", "Hoover Institution Library & Archives", "US",
               ("Hoover Institution",)),
    Repository("UN Archives", "United Nations Archives and Records Management Section", "UN",
               ("United Nations Archives", "UNARMS")),
    # East Asia
    Repository("PRC FMA", "Foreign Ministry Archives of the People's Republic of China", "CN",
               ("PRCFMA", "CFMA", "Chinese Foreign Ministry Archive",
                "Chinese Foreign Ministry Archives", "Foreign Ministry Archives of the PRC",
                "Archive of the Ministry of Foreign Affairs of the People's Republic of China",
                "Archives of the Ministry of Foreign Affairs of the People's Republic of China",
                "中华人民共和国外交部档案馆", "外交部档案馆"),
               ("FMA",)),
    Repository("MOFA Japan", "Diplomatic Archives of the Ministry of Foreign Affairs, Japan", "JP",
               ("Diplomatic Archives of the Ministry of Foreign Affairs of Japan",
                "Diplomatic Archives of the Ministry of Foreign Affairs",
                "Diplomatic Record Office of the Ministry of Foreign Affairs",
                "Diplomatic Record Office", "Gaimushō Gaikō Shiryōkan", "Gaimusho Gaiko Shiryokan",
                "外務省外交史料館", "JMOFA"),
               ("DRO",)),
    Repository("Academia Historica", "Academia Historica (Guoshiguan), Taipei", "TW",
               ("國史館", "Guoshiguan")),
)  # fmt: skip


def _with_register(table: tuple[Repository, ...], path: Path) -> tuple[Repository, ...]:
    """The code's table, extended by the register: new repositories appended, and the names of
    a repository the code already has (former names too) added to its aliases. A register
    entry's full name is looked for in running text too, unless it is among its quiet names."""
    entries = json.loads(path.read_text(encoding="utf-8"))["repositories"]
    merged = {repository.key: repository for repository in table}
    for entry in entries:
        quiet = tuple(entry.get("quiet", ()))
        written = (entry["name"], *entry.get("aliases", ()), *entry.get("former", ()))
        names = tuple(dict.fromkeys(n for n in written if n not in quiet))
        known = merged.get(entry["key"])
        if known is None:
            merged[entry["key"]] = Repository(
                entry["key"], entry["name"], entry["country"], names, quiet
            )
        else:
            aliases = known.aliases + tuple(n for n in names if n not in known.aliases)
            merged[entry["key"]] = replace(known, aliases=aliases, quiet=known.quiet + quiet)
    return tuple(merged.values())


TABLE = _with_register(_GRAMMARS, REGISTER)


def key_of(name: str) -> str:
    """Names compared without case, spaces or punctuation: "AVP RF" = "avprf" = "A.V.P. RF"."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


REPOSITORIES: dict[str, str] = {}  # every alias, as written, to its canonical key
BY_KEY: dict[str, Repository] = {}
_CANONICAL: dict[str, str] = {}  # key_of(alias) to canonical key
for _repository in TABLE:
    BY_KEY[_repository.key] = _repository
    for _alias in (_repository.key, _repository.name, *_repository.aliases, *_repository.quiet):
        REPOSITORIES.setdefault(_alias, _repository.key)
        _CANONICAL.setdefault(key_of(_alias), _repository.key)


def canonical_repository(name: str) -> str:
    """The canonical key for a repository name or alias; an unknown name comes back as written."""
    written = " ".join(str(name or "").split())
    return _CANONICAL.get(key_of(written), written)


def _alias_pattern(alias: str) -> str:
    """Abbreviations match as written (case matters: "PRO" is not "pro"); names ignore case."""
    words = [re.escape(word) for word in alias.split()]
    if any(ch.islower() for ch in alias) and " " in alias:
        return "(?i:" + r"\s+".join(words) + ")"
    return r"\s+".join(words)


def mentions(text: str, *, quiet: bool = False) -> Iterator[tuple[int, int, str]]:
    """Every repository named in ``text``: (start, end, canonical key), longest alias first.

    One regex alternation of all aliases tries ~150 names at every word; this looks up the
    aliases that begin with each word of the text instead, which is ~20 times faster.
    """
    table = _QUIET_FIRST_WORDS if quiet else _FIRST_WORDS
    for word in _WORD.finditer(text):
        for pattern, key in table.get(word.group().casefold(), ()):
            if match := pattern.match(text, word.start()):
                yield match.start(), match.end(), key
                break


def repository_pattern(*keys: str, quiet: bool = False) -> str:
    """A regex alternation of the aliases of ``keys`` (all repositories when none are given)."""
    chosen = [BY_KEY[k] for k in keys] if keys else list(TABLE)
    aliases = {a for r in chosen for a in (r.key, *r.aliases) if a not in r.quiet}
    if quiet:
        aliases |= {a for r in chosen for a in r.quiet}
    ordered = sorted(aliases, key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(_alias_pattern(a) for a in ordered) + r")(?![\w-])"


_WORD = re.compile(r"(?<![\w-])\w+")


def _by_first_word(quiet: bool) -> dict[str, list[tuple[re.Pattern, str]]]:
    table: dict[str, list[tuple[re.Pattern, str]]] = {}
    for repository in TABLE:
        names = {a for a in (repository.key, *repository.aliases) if a not in repository.quiet}
        names |= set(repository.quiet) if quiet else set()
        for alias in names:
            first = _WORD.search(alias)
            assert first is not None, f"alias {alias!r} of {repository.key} has no word"
            pattern = re.compile(_alias_pattern(alias) + r"(?![\w-])")
            table.setdefault(first.group().casefold(), []).append((pattern, repository.key))
    for patterns in table.values():
        patterns.sort(key=lambda p: len(p[0].pattern), reverse=True)
    return table


_FIRST_WORDS = _by_first_word(quiet=False)
_QUIET_FIRST_WORDS = _by_first_word(quiet=True)
