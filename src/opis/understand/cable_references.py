"""References from one cable to others, as written: "Your UN[Y]466", "our Assembly 354",
"reference my telegram 212", "Washington 1222 of 20th August".

Finding them is a matter of the text alone (this module); deciding which archived cable each one
means needs the whole correspondence (``threads``). ``find_references`` reads only the main text
of a cable (``reference_text``): the heading's number is the cable's own, and editors' notes cite
documents, not cables.
"""

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from opis.understand.cable import cable_numbers, heading_end, main_text, normalise_number
from opis.understand.cable_times import MONTHS

SLACK = timedelta(days=1)  # time zones: a reply can bear the date of the cable it answers

_CLERKS_MONTHS = {"jany": 1, "feby": 2, "augt": 8, "octr": 10, "novr": 11, "decr": 12}
_MONTHS = MONTHS | _CLERKS_MONTHS
_FULL_MONTHS = {name.lower() for name in calendar.month_name if name}
_MONTH = r"(?i:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"


def _date_pattern(year_group: str) -> str:
    """ "20th August", "the 12th of August", "August 20", with an optional year in its group."""
    return (
        rf"(?:(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_DAY})"
        rf"(?:,?\s+(?P<{year_group}>\d{{4}}))?"
    )


_KIND = (
    r"(?i:(?:circular\s+)?(?:tele-?grams?|cablegrams?|cables?|tels?\.|tele\b|messages?|savingrams?"
    r"|repl(?:y|ies)|circulars?|circ\.|cite\."
    r"|despatch(?:es)?|dispatch(?:es)?|memorand(?:um|a)|minutes?|letters?))"
)
_TO_WHOM = (  # "your telegram to him, No. 53", "my telegram to the Dominions Office 244"
    r"(?:\s+to\s+(?:the\s+)?(?:him|her|them|me|you|[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,2}?)"
    r"(?=,?\s+(?:(?i:no\.?|numbers?)\s?)?\d))?"
)
_WHEN = r"(?:,?\s*(?i:of\s+)?(?i:to-?day|yesterday)(?:['’]s)?,?)?"
_ADJECTIVES = (
    r"(?i:(?:immediately\s+)?(?:(?:personal|secret|most\s+secret|top\s+secret|private|urgent|last|"
    r"previous|preceding|earlier|following|further|own|official|unnumbered|confidential|circular)"
    r"\s+)*)"
)
_STOP_WORDS = (
    "paragraphs?|party|parties|article|articles|government|item|items|note|notes|annex|part|parts"
    "|section|page|pages|chapter|resolution|clause|group|committee|division|brigade|battalion"
    "|squadron|regiment|table|appendix|schedule|document|documents|volume|no|nos|number|numbers"
    "|of|in|on|at|to|for|and|or|the|a|an|about|from|since|by|with|per|cent|year|years|draft"
)
_SERIES = rf"(?:(?!{_MONTH}|(?i:{_STOP_WORDS})\b)[A-Z][a-z]{{2,14}}\s(?:(?i:no\.?|number)\s?)?)"
_CODE = r"(?:(?:[A-Z]{1,6}(?:\[[A-Z]{1,2}\])?[.-]?\s?){1,3}(?:No\.?\s?)?)"
_ONE = (
    rf"(?:{_SERIES}|{_CODE})?\d{{1,5}}[A-Z]?"
    r"(?![\d/]|\s?(?:st|nd|rd|th)\b|[.,:]\d|\s?(?:a\.\s?m|p\.\s?m|per\s*cent|%|o'clock)"
    rf"|\s+{_MONTH}\b(?!\s+\d{{1,2}}(?:st|nd|rd|th)?\b))"
)
_NUMBERS = rf"(?P<numbers>{_ONE}(?:\s*(?:,|and|&|or)\s+(?:No\.?\s?)?{_ONE})*)"
_TRAIL_DATE = (
    rf"(?:(?:\s*(?:,|(?i:of|dated))\s*|\s+)(?:the\s+)?(?P<after>{_date_pattern('year_a')}))?"
)
_PARTY_WORD = (
    r"(?:(?:Mr|Dr|Sir)\.?\s)?(?!(?i:your|my|our|his|her|their|reference|ref|re|see|with|in|and|the"
    r"|a|this|that|following|further|also|under|by|from|to|circular|secret|personal|most|top"
    rf"|immediate|urgent|important)\b|{_MONTH})(?:O['’])?[A-Z][\w-]*"
)
_LEAD = (
    rf"(?:(?P<dir>(?i:your|my|our|his|her|their))\s+{_ADJECTIVES}"
    rf"(?:(?P<kind>{_KIND}){_TO_WHOM}{_WHEN},?\s+)?"
    rf"|(?P<party>(?:{_PARTY_WORD}\s){{1,3}}?)(?:’s\s+|'s\s+)?(?P<pkind>{_KIND})\s+"
    rf"|(?P<party2>{_PARTY_WORD})(?:’s|'s)\s+(?:(?P<p2kind>{_KIND})\s+)?"
    rf"|(?P<ref>(?i:\bref(?:erence|\.)?|\bre))\s+"
    rf"|(?P<bare>{_KIND}){_TO_WHOM},?\s+)"
)
_REFERENCE = re.compile(
    rf"(?<![\w’'])(?:{_LEAD})"
    rf"(?:(?:of\s+)?(?P<before>{_date_pattern('year_b')}),?\s+(?:\d{{1,2}}(?:\.\d\d)?\s*"
    rf"(?:a\.m\.|p\.m\.|noon|midnight),?\s+)?)?"
    rf"(?:(?i:circular)\s+)?(?:(?i:nos?|numbers?)\.?\s?)?{_NUMBERS}{_TRAIL_DATE}",
)
# Where a reference may begin: each way ``_LEAD`` begins is a capital letter (a named party, or
# any capitalised word) or, in any case, one of these words' beginnings, after no letter.
_STARTS = re.compile(
    r"(?<![\w’'])(?:[A-Z]|(?i:your|my|our|his|her|their|re|tel|cable|messag|saving|repl|circ"
    r"|cite|despatch|dispatch|memorand|minute|letter))"
)
_SPLIT_NUMBERS = re.compile(r"\s*(?:,|\band\b|&|\bor\b)\s+(?:No\.?\s?)?", re.IGNORECASE)
_FOOT_MARK = re.compile(r"\[\d{1,3}\](?:\(#f\d+\))?")


@dataclass(frozen=True)
class Reference:
    """One cited cable, as written in the citing text."""

    text: str  # as written: "Your UN[Y]466"
    number: str  # normalised: "UNY466"
    direction: str  # "yours", "mine", "ours", or "" (a named party, or not said)
    date: str = ""  # ISO, where the reference gives one ("of 13 July")
    party: str = ""  # a named sender: "Washington" in "Washington telegram 1222"
    kind: str = ""  # "telegram", "letter", "despatch", "memorandum", or "" where unsaid
    start: int = 0  # offsets into the text searched
    end: int = 0


def find_references(
    body: str, *, own_number: str = "", own_origin: str = "", written: date | None = None
) -> list[Reference]:
    """Every numbered reference to another cable in ``body`` (the main text, without notes).

    ``written`` (the citing document's date) gives a year to "of 20th August". A reference to the
    citing cable's own number from its own side ("our 212" in cable 212) is left out: a cable is not
    its own predecessor. ``own_origin`` turns a party that is the sender's own place ("Canberra
    212" written in Canberra) into "ours".
    """
    own = set(cable_numbers(own_number))
    found: list[Reference] = []
    text = re.sub(
        r"\b0\.(?=[A-Z]{2})", "O.", reference_text(body or "")
    )  # "0.JA1201": a zero for O
    for match in reference_matches(text):
        for reference in _references_in(match, written, own_origin):
            if reference.number in own and reference.direction in ("mine", "ours", ""):
                continue
            found.append(reference)
    return found


def reference_matches(text: str) -> Iterator[re.Match]:
    """What ``_REFERENCE.finditer(text)`` finds, tried only where a reference may begin
    (``_STARTS``). The expression tried at every word was a fifth of reading a DFAT volume; most
    words begin in lower case, where no reference can. The leftmost match first, then the next
    from where it ended, as ``finditer`` goes: the same matches."""
    end = 0
    for start in _STARTS.finditer(text):
        if start.start() < end:
            continue
        match = _REFERENCE.match(text, start.start())
        if match:
            end = match.end()
            yield match


def _references_in(match: re.Match, written: date | None, own_origin: str) -> list[Reference]:
    direction, party = _direction(match, own_origin)
    kind = _kind(match.group("kind") or match.group("pkind") or match.group("p2kind") or "")
    if match.group("bare"):
        kind = _kind(match.group("bare"))
    day = _reference_date(match, written)
    text = _as_written(match.group(0))
    references: list[Reference] = []
    prefix = ""
    for part in _SPLIT_NUMBERS.split(match.group("numbers")):
        part = _FOOT_MARK.sub("", part).strip()
        number = normalise_number(part)
        if not number or not re.search(r"\d", number):
            continue
        letters = re.match(r"^[A-Z]+", number)
        if letters:
            prefix = letters.group(0)
        elif prefix and references:  # "FEC.52 and 54": the second is FEC54
            number = prefix + number
        references.append(
            Reference(
                text=text,
                number=number,
                direction=direction,
                date=day,
                party=party,
                kind=kind,
                start=match.start(),
                end=match.end(),
            )
        )
    return references


def _as_written(text: str) -> str:
    """The reference's words on one line, without a sentence's closing stop ("of 20th August.")
    but keeping an abbreviation's ("of 12th Feby.")."""
    text = " ".join(text.split()).rstrip(",")
    last = re.search(r"([A-Za-z]+)\.$", text)
    if last and (last.group(1).lower() in _FULL_MONTHS or len(last.group(1)) >= 5):
        return text[:-1]
    return text


def _direction(match: re.Match, own_origin: str) -> tuple[str, str]:
    word = (match.group("dir") or "").lower()
    if word == "your":
        return "yours", ""
    if word in ("my", "our"):
        return ("mine" if word == "my" else "ours"), ""
    party = (match.group("party") or match.group("party2") or "").strip()
    if party.lower() in {"the", "this", "that", "these", "a", "reference", "re", "following"}:
        party = ""
    if party and own_origin and party.upper() == own_origin.upper():
        return "ours", ""
    return "", party


def _kind(word: str) -> str:
    word = word.lower()
    for stem, kind in (
        ("letter", "letter"),
        ("desp", "despatch"),
        ("disp", "despatch"),
        ("memorand", "memorandum"),
        ("minute", "memorandum"),
    ):
        if stem in word:
            return kind
    return "telegram" if word else ""


def _reference_date(match: re.Match, written: date | None) -> str:
    text = match.group("after") or match.group("before") or ""
    year = match.group("year_a") or match.group("year_b")
    if not text:
        return ""
    day_match = re.search(r"\d{1,2}", text)
    month_match = re.search(_MONTH, text, re.IGNORECASE)
    if not day_match or not month_match:
        return ""
    month = _MONTHS.get(month_match.group(0).lower().rstrip("."))
    day = int(day_match.group(0))
    if month is None:
        return ""
    if year:
        years = [int(year)]
    elif written is None:
        return f"--{month:02d}-{day:02d}" if 0 < day <= 31 else ""  # ISO 8601: no year
    else:
        years = [written.year, written.year - 1]
    for candidate_year in years:
        try:
            found = date(candidate_year, month, day)
        except ValueError:
            continue
        if year or written is None or found <= written + SLACK:
            return found.isoformat()
    return ""


def reference_text(body: str) -> str:
    """The part of a body where a cable cites others: the main text, without the heading line
    (whose number is the cable's own) or the editors' notes; blanked, not cut, so offsets hold."""
    text = main_text(body)
    end = heading_end(text)
    text = " " * end + text[end:]
    return text
