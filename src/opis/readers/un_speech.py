"""UN General Debate speeches (UNGDC): one plain-text file per statement, metadata in its name.

The corpus (``shared/corpora/un-general-debates``) names each speech ``ISO3_SESSION_YEAR.txt``
(``GRC_05_1950.txt``: Greece, 5th session, 1950) and has no other per-file metadata, so the name is
the record: country, session and year. A file is recognised only by that name, never by its
content, because a speech is plain prose that any ``.txt`` file could resemble.

**How file names map to fields** is one regular expression, the setting ``OPIS_FILENAME_PATTERN``
(``opis.config``; ``filename_pattern()``), with the named groups ``country`` (ISO 3166-1 alpha-3),
``session`` and ``year``. A corpus named differently can set it to its own expression with the same
groups; it also decides which files this reader recognises. For example
``OPIS_FILENAME_PATTERN='^(?P<year>\\d{4})-(?P<session>\\d+)-(?P<country>[A-Z]{3})\\.txt$'``.
It must match the whole file name, extension included.

**Speakers.** Where ``Speakers_by_session.xlsx`` (columns Year, Session, ISO Code, Country, Name of
Person Speaking, Post) lies in the speech's folder or up to two folders above it, it is read in
place, once per process, with the standard library and lxml (an .xlsx is zipped XML; no
spreadsheet package is needed for one plain table). It gives the speaker's name and post only.

**Countries** are named from the code, not from the table's Country column: that column spells one
state several ways ("Congo, Brazzaville", "Congo (Brazzaville", "Hungry"), and the country is an
agent whose one name must not vary by session. Names come from pycountry (its short common name
where it has one), with ``_NAMES`` for dissolved states, for names a historian of the period would
not search by, and for the corpus's own use of ``RUS``, ``BLR`` and ``UKR`` before 1992 for the
Soviet Union and its two member republics seated in the UN.

**Text.** The upstream README says the sources are the UN's verbatim records of the debate, so the
body is a ``transcript`` in English: speeches given in another language are the UN's English
rendering, which is what the corpus holds, hence ``original_languages`` ``["en"]``.
"""

import re
import zipfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pycountry
from lxml import etree

from opis import config
from opis.drafts import AgentDraft, CollectionDraft, DocumentDraft, TextDraft
from opis.errors import ReaderError
from opis.readers.source import SourceFile
from opis.understand.dates import format_display, parse_date

SERIES = "United Nations General Debate"
SPEAKERS_TABLE = "Speakers_by_session.xlsx"

# Dissolved states and names of the period; the corpus files the Soviet Union under RUS.
_NAMES = {
    "SUN": "Union of Soviet Socialist Republics",
    "YUG": "Yugoslavia",
    "CSK": "Czechoslovakia",
    "DDR": "German Democratic Republic",
    "YMD": "Democratic Yemen",
    "YAR": "Yemen Arab Republic",
    "ZAR": "Zaire",
    "COD": "Democratic Republic of the Congo",
    "TUR": "Turkey",
    "SWZ": "Swaziland",
    "CIV": "Ivory Coast",
}
_SOVIET = {
    "RUS": "Union of Soviet Socialist Republics",
    "BLR": "Byelorussian Soviet Socialist Republic",
    "UKR": "Ukrainian Soviet Socialist Republic",
}
_SOVIET_UNTIL = 1991  # files of these codes up to 1991 are the Soviet delegations' statements

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def filename_pattern() -> re.Pattern:
    """``OPIS_FILENAME_PATTERN``, read when a file is looked at: country, session and year."""
    return config.value("OPIS_FILENAME_PATTERN")


class UnSpeechReader:
    name = "un-general-debate"
    extensions = (".txt",)

    def detect(self, source: SourceFile, head: str) -> bool:
        return filename_pattern().match(source.path.name) is not None

    def read(self, source: SourceFile) -> Iterator[DocumentDraft]:
        match = filename_pattern().match(source.path.name)
        if match is None:
            raise ReaderError(
                f"the file name {source.path.name!r} does not match {filename_pattern().pattern} "
                "(country, session, year); rename it or set OPIS_FILENAME_PATTERN",
                where="file name",
            )
        iso3, session, year = match["country"].upper(), int(match["session"]), int(match["year"])
        body = source.text().strip()
        if not body:
            raise ReaderError("the speech file holds no text", where="whole file")
        speaker = speakers(_table_near(source.path)).get((iso3, session))
        country = country_name(iso3, year)
        person = (speaker or {}).get("name", "")
        date = parse_date(str(year))
        date.display = format_display(date)
        agents = [AgentDraft(name=country, role="author", kind="organisation")]
        if person:
            agents.append(AgentDraft(name=person, role="author", kind="person"))
        post = (speaker or {}).get("post", "")
        yield DocumentDraft(
            id=f"ungd-{iso3}-{session:02d}-{year}".lower(),
            title=_title(country, person, session, year),
            date=date,
            doc_type="speech",
            summary=f"Speaker: {person}, {post}." if person and post else "",
            original_languages=["en"],
            texts=[TextDraft(body=body, language="en", role="transcript")],
            agents=agents,
            collections=[
                CollectionDraft(
                    slug=f"ungd-session-{session:02d}",
                    title=f"UN General Assembly, {_ordinal(session)} session ({year}), "
                    "General Debate",
                    series=SERIES,
                    position=session,
                )
            ],
        )


def _title(country: str, person: str, session: int, year: int) -> str:
    who = f"{country} ({person})" if person else country
    return f"Statement by {who}, General Assembly, {_ordinal(session)} session ({year})"


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def country_name(iso3: str, year: int) -> str:
    """The state's name for an ISO 3166 alpha-3 code as used in the corpus, or the code itself."""
    if iso3 in _SOVIET and year <= _SOVIET_UNTIL:
        return _SOVIET[iso3]
    if iso3 in _NAMES:
        return _NAMES[iso3]
    country = pycountry.countries.get(alpha_3=iso3) or pycountry.historic_countries.get(
        alpha_3=iso3
    )
    if country is None:
        return iso3
    return getattr(country, "common_name", None) or country.name


def _table_near(path: Path) -> Path | None:
    for folder in list(path.resolve().parents)[:3]:
        candidate = folder / SPEAKERS_TABLE
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=4)
def speakers(table: Path | None) -> dict[tuple[str, int], dict[str, str]]:
    """(ISO3, session) -> name and post of the speaker; {} without a readable table."""
    if table is None:
        return {}
    try:
        rows = _sheet_rows(table)
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return {}  # the table is a courtesy: speeches are read without it
    found: dict[tuple[str, int], dict[str, str]] = {}
    for row in rows[1:]:
        code, session = row.get("C", "").strip().upper(), row.get("B", "").strip()
        if not code or not session.replace(".0", "").isdigit():
            continue
        found.setdefault(
            (code, int(session.replace(".0", ""))),
            {
                "name": " ".join(row.get("E", "").split()),
                "post": " ".join(row.get("F", "").split()),
            },
        )
    return found


def _sheet_rows(table: Path) -> list[dict[str, str]]:
    """The first worksheet as rows of {column letter: text}."""
    with zipfile.ZipFile(table) as book:
        strings = [
            "".join(t.text or "" for t in item.iter(f"{_SHEET_NS}t"))
            for item in etree.fromstring(book.read("xl/sharedStrings.xml"), _XML)
        ]
        sheet = etree.fromstring(book.read("xl/worksheets/sheet1.xml"), _XML)
    rows = []
    for row in sheet.iter(f"{_SHEET_NS}row"):
        values = {}
        for cell in row.iter(f"{_SHEET_NS}c"):
            column = re.sub(r"\d", "", cell.get("r") or "")
            value = cell.find(f"{_SHEET_NS}v")
            if value is not None:
                text = value.text or ""
                values[column] = strings[int(text)] if cell.get("t") == "s" else text
            else:
                values[column] = "".join(t.text or "" for t in cell.iter(f"{_SHEET_NS}t"))
        rows.append(values)
    return rows


READER = UnSpeechReader()
