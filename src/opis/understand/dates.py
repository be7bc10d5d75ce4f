"""Dates as intervals with a precision.

A historian's date is rarely a point: "November 1967" is the whole month, "1950" the whole year.
Storing start, end and precision lets search find a document by any overlapping range while the
page shows the date as the source wrote it (``display`` keeps the text, whitespace collapsed).

Forms understood (English, Russian, Chinese, French and German month names; ``[…]`` editorial
brackets and a leading weekday are dropped before reading):

* points: ``1950-07-13``, ``July 13, 1950``, ``13 July 1950``, ``13th July, 1950``, ``13 июля 1950
  г.``, ``1950年7月13日`` (also in Chinese numerals), ``13.7.50`` and ``13.VII.1950`` (day, month,
  year: the Russian and Chinese order), ``November 1967``, ``1950``;
* ranges: ``10–12 July 1950``, ``July 10-12, 1950``, ``10 July – 12 August 1950``, ``July–August
  1950``, ``1950-07..1950-08``, ``1950–53``, ``X to Y``, ``between X and Y``.

Rules that are choices, not facts (each gives precision ``range``):

* **Two-digit years** are 19xx: "13.7.50" is a telegram's date stamp of the period.
* **Slashed numbers** (``3/4/50``) are read only where the order is certain (one part above 12);
  dotted numbers are day.month.year, the order of the Soviet and European sources.
* **early / mid / late** split a year into thirds (Jan–Apr, May–Aug, Sep–Dec), a month into days
  1–10, 11–20, 21–end, a decade into years 0–3, 4–6, 7–9; "first/second half of" a year is
  Jan–Jun / Jul–Dec; "beginning of" and "end of" read as early and late.
* **Seasons** are the northern meteorological ones: spring Mar–May, summer Jun–Aug, autumn/fall
  Sep–Nov; winter YYYY is Dec YYYY-1 – Feb YYYY, and "winter 1950–51" Dec 1950 – Feb 1951.
* **Open bounds** get one year (``OPEN_BOUND_YEARS``): "[not before 10 July 1950]" is
  10 July 1950 – 9 July 1951, "not after 10 July 1950" is 11 July 1949 – 10 July 1950.
* **circa** widens by one unit of the date's own precision on each side: "c. 1950" is 1949–1951,
  "c. July 1950" June–August 1950.
* A decade ("1950s") is its ten years.

Impossible dates ("31 June 1950", "1950-02-29") and anything else give precision ``unknown`` with
nothing guessed; ``parse_date`` never raises. ``parse_datetime`` also returns a written time of
day ("8.08 p.m.", "noon", "03:15"), which DateInterval has no field for; ``find_date`` and
``find_datetime`` look for the first date in running text (a dateline, a cable heading). What a
date is once read, a span of days, is ``date_spans``: made, combined and written back there
(``format_display``).
"""

import re
from collections.abc import Callable
from datetime import date, time
from functools import lru_cache

from opis.drafts import DateInterval
from opis.understand.calendar_words import (
    CHINESE_DIGITS,
    MONTH_WORDS,
    ROMAN_MONTHS,
    SEASONS,
    THIRDS,
)
from opis.understand.clock import TIME, TIME_JOINER, clock, time_around
from opis.understand.date_spans import (
    ONE_DAY,
    Span,
    add_years,
    between,
    day_span,
    format_display,
    month_interval,
    next_month,
    year_range,
    year_span,
)

# What other modules use; format_display and month_interval are date_spans', named here too.
__all__ = [
    "OPEN_BOUND_YEARS",
    "find_date",
    "find_datetime",
    "format_display",
    "month_interval",
    "parse_date",
    "parse_datetime",
]

OPEN_BOUND_YEARS = 1

# ---------------------------------------------------------------------------------------------
# The pieces of the grammar, shared by the whole-text forms and the search in running text.

_MONTH = r"(?:" + "|".join(re.escape(m) for m in sorted(MONTH_WORDS, key=len, reverse=True))
_MONTH += r")(?![^\W\d_])\.?"  # a whole word, though a digit may follow ("March25")
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|\.)?"
_YEAR = r"(?:A\.\s?D\.\s*)?\d{4}"
_DAY_YEAR = r"\??[,.]{0,2}\s*"  # "July 13, 1864", "July 28. 1864", "July 13,.1864", "24?, 1917"
_DASH = r"\s*[-–—]\s*"
_RANGE_WORD = r"(?:\s*(?:\.\.|–|—|/)\s*|\s+-\s+|\s+(?:to|until|till|through|thru|до|по)\s+)"
_CN_NUM = r"(?:\d{1,4}|[〇零一二三四五六七八九十]{1,4})"


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Public API


def parse_date(text: str) -> DateInterval:
    """A written date as an interval; a form not understood gives precision "unknown", no error."""
    written = " ".join(str(text or "").split())
    found = _with_time(written)[0] if len(written) <= 200 else None
    if found is None:
        return DateInterval(display=written, precision="unknown")
    start, end, precision = found
    return DateInterval(start=start, end=end, precision=precision, display=written)


def parse_datetime(text: str) -> tuple[DateInterval, time | None]:
    """A date with a time of day: "8 December 1946, 8.08 p.m." gives the day and 20:08.

    The time is returned only alongside a date it belongs to; the interval's display is the whole
    text as written.
    """
    written = " ".join(str(text or "").split())
    found, clock = _with_time(written) if len(written) <= 200 else (None, None)
    if found is None:
        return DateInterval(display=written, precision="unknown"), None
    return DateInterval(*found, display=written), clock


def find_date(text: str) -> DateInterval:
    """The first date in running text ("Cablegram 949 NEW YORK, 8 December 1946, 8.08 p.m.")."""
    return find_datetime(text)[0]


def find_datetime(text: str) -> tuple[DateInterval, time | None]:
    """The first date in running text, and the time of day written right after it, if any."""
    text = _FOOTNOTE.sub("", _CORRECTION.sub("", str(text or "")[:5000]))
    text = _GLUED_FOOTNOTE.sub(r"\1", _EDITORIAL.sub(r"\1", text))
    for match in _FIND.finditer(text):
        start = match.start()
        qualifier = _QUALIFIER_BEFORE.search(text, max(0, start - 30), start)
        if qualifier:
            start = qualifier.start()
        written = " ".join(text[start : match.end()].split())
        found = _interpret(written) or _interpret(" ".join(match.group().split()))
        if found is None:
            continue
        clock = time_around(text, start, match.end())
        return DateInterval(*found, display=written), clock
    return DateInterval(display="", precision="unknown"), None


# ---------------------------------------------------------------------------------------------
# Whole-text forms: a registry of (pattern, reader); the first that matches and makes sense wins.

Reader = Callable[[re.Match], Span | None]
_FORMS: dict[str, list[tuple[re.Pattern, Reader]]] = {"digit": [], "word": []}


def _form(first: str, pattern: str):
    """Register a reader for texts that start with a digit, a word, or either ("any")."""

    def register(reader: Reader) -> Reader:
        for kind in ("digit", "word") if first == "any" else (first,):
            _FORMS[kind].append((_compile(pattern), reader))
        return reader

    return register


@_form("digit", r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
def _iso(m: re.Match) -> Span | None:
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if not month:
        return year_span(year)
    if not day:
        return (*month_interval(year, int(month)), "month")
    return day_span(year, int(month), int(day))


@_form("digit", r"(\d{4})\s*([-–—/])\s*(\d{4}|\d{2})")
def _year_range(m: re.Match) -> Span | None:
    first, separator, last = m.groups()
    if separator == "-" and len(last) == 2 and int(last) <= 12:
        return None  # 1950-07 is a month (ISO), read by _iso
    return year_range(int(first), _full_year(int(first), last))


@_form("digit", r"(\d{1,2})([./])(\d{1,2}|[ivx]{1,4})\2(\d{4}|\d{2})")
def _numeric(m: re.Match) -> Span | None:
    day, separator, month, year = m.groups()
    year_number = int(year) if len(year) == 4 else 1900 + int(year)
    if month.isdigit():
        first, second = int(day), int(month)
        if separator == "/" and first <= 12 and second <= 12 and first != second:
            return None  # 3/4/50: April or March? not guessed
        if separator == "/" and second > 12:
            first, second = second, first  # 7/13/50: the American order
        return day_span(year_number, second, first)
    if separator == "/" or month.lower() not in ROMAN_MONTHS:
        return None
    return day_span(year_number, ROMAN_MONTHS[month.lower()], int(day))


@_form("digit", rf"(\d{{1,2}})(?:st|nd|rd|th|er|\.)?,?\s*(?:of\s+)?({_MONTH}),?\s+(\d{{4}})")
def _day_month_year(m: re.Match) -> Span | None:
    return day_span(int(m.group(3)), _month_number(m.group(2)), int(m.group(1)))


@_form("word", rf"({_MONTH}),?\s*(\d{{1,2}})(?:st|nd|rd|th)?{_DAY_YEAR}(?:A\.\s?D\.\s*)?(\d{{4}})")
def _month_day_year(m: re.Match) -> Span | None:
    return day_span(int(m.group(3)), _month_number(m.group(1)), int(m.group(2)))


@_form(
    "word",
    rf"({_MONTH}),?\s+(\d{{1,2}})(?:,?\s*\((?:{_MONTH}\s+)?\d{{1,2}},?\)|\s*/\s*"
    rf"(?:{_MONTH}\s+)?\d{{1,2}}),?\s+(\d{{4}})",
)
def _dual_date(m: re.Match) -> Span | None:
    """ "May 11 (23), 1861", "December 8/20, 1897", "October 20/November 1, 1897": a Julian
    date with its Gregorian twin; the first, as written (FRUS encodes that one)."""
    return day_span(int(m.group(3)), _month_number(m.group(1)), int(m.group(2)))


@_form("word", rf"({_MONTH})\s+(?:[—–-]+,?|,)\s+(\d{{4}})")
def _blank_day(m: re.Match) -> Span | None:
    """ "June —, 1861": the day left blank in the source, so the month."""
    return (*month_interval(int(m.group(2)), _month_number(m.group(1))), "month")


@_form("word", rf"({_MONTH}),?\s+(?:of\s+)?(\d{{4}})")
def _month_year(m: re.Match) -> Span | None:
    return (*month_interval(int(m.group(2)), _month_number(m.group(1))), "month")


@_form("any", rf"({_CN_NUM})\s*年\s*(?:({_CN_NUM})\s*月\s*(?:({_CN_NUM})\s*[日号])?)?")
def _chinese(m: re.Match) -> Span | None:
    year, month, day = (_chinese_number(g) if g else None for g in m.groups())
    if year is None or year < 1000:
        return None
    if month is None:
        return year_span(year)
    if day is None:
        return (*month_interval(year, month), "month")
    return day_span(year, month, day)


@_form("any", r"(?:the\s+)?(\d{3})0'?s")
def _decade(m: re.Match) -> Span | None:
    return year_range(int(m.group(1)) * 10, int(m.group(1)) * 10 + 9)


@_form(
    "word", r"(spring|summer|autumn|fall|winter),?\s+(?:of\s+)?(\d{4})(?:\s*[-–/]\s*(\d{2}|\d{4}))?"
)
def _season(m: re.Match) -> Span | None:
    first, last = SEASONS[m.group(1).lower()]
    year = int(m.group(2))
    if m.group(3):
        if first != 12 or _full_year(year, m.group(3)) != year + 1:
            return None
        year += 1
    start_year = year - 1 if first == 12 else year
    return date(start_year, first, 1), month_interval(year, last)[1], "range"


@_form("digit", rf"(\d{{1,2}}){_DASH}(\d{{1,2}})\s+({_MONTH}),?\s+(\d{{4}})")
def _days_of_month(m: re.Match) -> Span | None:
    year, month = int(m.group(4)), _month_number(m.group(3))
    return between(day_span(year, month, int(m.group(1))), day_span(year, month, int(m.group(2))))


@_form("word", rf"({_MONTH})\s+(\d{{1,2}}){_DASH}(\d{{1,2}}),?\s+(\d{{4}})")
def _month_days(m: re.Match) -> Span | None:
    year, month = int(m.group(4)), _month_number(m.group(1))
    return between(day_span(year, month, int(m.group(2))), day_span(year, month, int(m.group(3))))


@_form("digit", rf"(\d{{1,2}})\s+({_MONTH}){_DASH}(\d{{1,2}})\s+({_MONTH}),?\s+(\d{{4}})")
def _day_month_pair(m: re.Match) -> Span | None:
    year = int(m.group(5))
    first = day_span(year, _month_number(m.group(2)), int(m.group(1)))
    return between(first, day_span(year, _month_number(m.group(4)), int(m.group(3))))


@_form("word", rf"({_MONTH})\s+(\d{{1,2}}){_DASH}({_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})")
def _month_day_pair(m: re.Match) -> Span | None:
    year = int(m.group(5))
    first = day_span(year, _month_number(m.group(1)), int(m.group(2)))
    return between(first, day_span(year, _month_number(m.group(3)), int(m.group(4))))


@_form("word", rf"({_MONTH})\s*(?:[-–—/]|\s+to\s+)\s*({_MONTH}),?\s+(\d{{4}})")
def _months_of_year(m: re.Match) -> Span | None:
    year = int(m.group(3))
    first = month_interval(year, _month_number(m.group(1)))
    return between((*first, "month"), (*month_interval(year, _month_number(m.group(2))), "month"))


# ---------------------------------------------------------------------------------------------
# Qualified and composite forms, read around an inner date.

_RUSSIAN_YEAR = re.compile(r"\s*(?:г|гг|года|год)$")  # "1950 г.", "1950 года"
_WEEKDAY = _compile(
    r"^(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|thur)\.?,?\s+(?=\d|[a-z])"
)
_QUALIFIED = _compile(
    r"^(early|beginning\s+of|mid|middle\s+of|late|end\s+of)[\s-]+(?:the\s+)?(.+)$"
    r"|^(first|second|1st|2nd)\s+half\s+of\s+(\d{4})$"
    r"|^(?:c\.|ca\.|circa|approx\.|approximately|about)\s*(.+)$"
    r"|^(not\s+before|on\s+or\s+after|after|not\s+earlier\s+than)\s+(.+)$"
    r"|^(not\s+after|on\s+or\s+before|before|not\s+later\s+than|by)\s+(.+)$"
)
_RANGE = _compile(
    rf"^(?:between\s+|from\s+)?(.+?){_RANGE_WORD}(.+)$|^between\s+(.+?)\s+and\s+(.+)$"
)


@lru_cache(maxsize=8192)
def _interpret(written: str) -> Span | None:
    """The interval a whole text names, or None; what it cannot read it leaves, never guesses."""
    core = written.lstrip(" [(").rstrip(" ]),.;:?")
    if core[-1:] in ("г", "а", "д"):
        core = _RUSSIAN_YEAR.sub("", core).rstrip(" ]),.;:?")
    if not core or len(core) > 120:
        return None
    if core[0].isalpha():
        core = _WEEKDAY.sub("", core)
    for pattern, reader in _FORMS["digit" if core[0] in "0123456789" else "word"]:
        if match := pattern.fullmatch(core):
            try:
                found = reader(match)
            except (ValueError, OverflowError):  # 31 June, year 0: not a date, not guessed
                found = None
            if found:
                return found
    try:
        return _qualified(core) or _range(core)
    except (ValueError, OverflowError):
        return None


@lru_cache(maxsize=8192)
def _with_time(written: str) -> tuple[Span | None, time | None]:
    """The date a text names, and the time of day written with it ("…, 8.08 p.m.")."""
    found = _interpret(written)
    if found or not any(c.isdigit() for c in written):
        return found, None
    for match in reversed(list(TIME.finditer(written))):
        said = clock(match)
        before = TIME_JOINER.sub("", written[: match.start()])
        found = _interpret((before + written[match.end() :]).strip()) if said else None
        if found:
            return found, said
    return None, None


def _qualified(core: str) -> Span | None:
    m = _QUALIFIED.match(core)
    if not m:
        return None
    if m.group(1):
        inner = _interpret(m.group(2))
        return _third(inner, THIRDS[m.group(1).split()[0].lower()]) if inner else None
    if m.group(3):
        year = int(m.group(4))
        if m.group(3).lower() in ("first", "1st"):
            return date(year, 1, 1), date(year, 6, 30), "range"
        return date(year, 7, 1), date(year, 12, 31), "range"
    if m.group(5):
        inner = _interpret(m.group(5))
        return _circa(inner) if inner else None
    if m.group(6):
        inner = _interpret(m.group(7))
        return (
            (inner[0], add_years(inner[0], OPEN_BOUND_YEARS) - ONE_DAY, "range") if inner else None
        )
    inner = _interpret(m.group(9))
    return (add_years(inner[1], -OPEN_BOUND_YEARS) + ONE_DAY, inner[1], "range") if inner else None


def _range(core: str) -> Span | None:
    m = _RANGE.match(core)
    if not m:
        return None
    left, right = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    first, last = _interpret(left), _interpret(right)
    if last and not first:  # "10 July to 12 August 1950": the left side borrows the year
        year = re.search(r"\d{4}", right)
        first = (
            _interpret(f"{left} {year.group()}") if year and not re.search(r"\d{4}", left) else None
        )
    return between(first, last)


def _third(inner: Span, third: int) -> Span | None:
    start, end, precision = inner
    if precision == "year":
        first, last = ((1, 4), (5, 8), (9, 12))[third]
        return date(start.year, first, 1), month_interval(start.year, last)[1], "range"
    if precision == "month":
        first, last = ((1, 10), (11, 20), (21, end.day))[third]
        return start.replace(day=first), start.replace(day=last), "range"
    decade_span = (date(start.year, 1, 1), date(start.year + 9, 12, 31))
    decade = start.year % 10 == 0 and (start, end) == decade_span
    if precision == "range" and decade:
        first, last = ((0, 3), (4, 6), (7, 9))[third]
        return year_range(start.year + first, start.year + last)
    return None


def _circa(inner: Span) -> Span | None:
    start, end, precision = inner
    if precision == "year":
        return year_range(start.year - 1, end.year + 1)
    if precision == "month":
        before = (start.replace(day=1) - ONE_DAY).replace(day=1)
        return before, month_interval(*next_month(end))[1], "range"
    return start - ONE_DAY, end + ONE_DAY, "range"


# ---------------------------------------------------------------------------------------------
# Search in running text, and times of day.

_FIND_FORMS = [
    rf"{_DAY}{_DASH}{_DAY}\s+{_MONTH},?\s+{_YEAR}",
    rf"{_MONTH}\s+\d{{1,2}}{_DASH}\d{{1,2}},?\s+{_YEAR}",
    rf"{_DAY}\s+{_MONTH}{_DASH}{_DAY}\s+{_MONTH},?\s+{_YEAR}",
    rf"{_MONTH}\s+\d{{1,2}}{_DASH}{_MONTH}\s+\d{{1,2}},?\s+{_YEAR}",
    rf"{_MONTH}\s*[-–—]\s*{_MONTH},?\s+{_YEAR}",
    rf"{_MONTH},?\s+\d{{1,2}}(?:,?\s*\((?:{_MONTH}\s+)?\d{{1,2}},?\)|\s*/\s*(?:{_MONTH}\s+)?"
    rf"\d{{1,2}}),?\s+{_YEAR}",
    rf"{_DAY},?\s*(?:of\s+)?{_MONTH},?\s+{_YEAR}",
    rf"{_MONTH},?\s*\d{{1,2}}(?:st|nd|rd|th)?{_DAY_YEAR}{_YEAR}",
    rf"{_MONTH}\s+(?:[—–-]+,?|,)\s+{_YEAR}",
    rf"(?:(?:early|mid|late)[\s-]+)?{_MONTH},?\s+{_YEAR}",
    r"\d{1,2}\.(?:\d{1,2}|[IVX]{1,4})\.(?:\d{4}|\d{2})(?!\.?\d)",
    rf"{_CN_NUM}\s*年\s*{_CN_NUM}\s*月(?:\s*{_CN_NUM}\s*[日号])?",
    r"\d{4}-\d{2}-\d{2}",
    r"(?:spring|summer|autumn|fall|winter),?\s+\d{4}",
    r"\[\d{4}\]",
]
_FIND = _compile(r"(?:(?<![\w.])(?=\d)|(?<!\w)(?=\D))(?:" + "|".join(_FIND_FORMS) + r")(?![\w])")
# Apparatus around a date in running text: footnote marks ("1975[1]", "[1](#f1)", a superscript
# digit printed against the year: "19751") go; editors' brackets ("10 [August] 1947") open.
_FOOTNOTE = re.compile(r"\[\d{1,2}\]\(#f\d+\)|(?:(?<=[^\W\d_])|(?<=\d{4})|(?<=\]))\s?\[\d{1,2}\]")
_EDITORIAL = re.compile(r"\[\??([\w ]{1,12})\]")
_CORRECTION = re.compile(r"(?<=\d)\s\[\d{1,2}\](?=,)")  # "February 27 [26], 1934": as written
_GLUED_FOOTNOTE = _compile(rf"((?:{_MONTH})\s+\d{{4}})[1-9](?!\d)")
_QUALIFIER_BEFORE = _compile(
    r"(?:not\s+before|not\s+after|on\s+or\s+after|on\s+or\s+before|(?-i:(?<!\w)c\.|ca\.|circa))\s*$"
)  # "c." only in lower case: "Washington, D. C. November 23, 1864" is not circa

# ---------------------------------------------------------------------------------------------
# Numbers as written


def _full_year(first: int, written: str) -> int:
    """ "1950–53": the second year takes the century of the first."""
    return int(written) if len(written) == 4 else first // 100 * 100 + int(written)


def _month_number(word: str) -> int:
    number = MONTH_WORDS.get(word.lower().rstrip("."), 0)
    if not number:
        raise ValueError(word)
    return number


def _chinese_number(text: str) -> int:
    """ "1950", "一九五〇", "十三", "二十一": a number in Arabic or Chinese digits."""
    if text.isdigit():
        return int(text)
    tens, ten, units = text.partition("十")
    digits = tens + units
    if any(c not in CHINESE_DIGITS for c in digits) or (ten and (len(tens) > 1 or len(units) > 1)):
        raise ValueError(text)
    if not ten:
        return int("".join(str(CHINESE_DIGITS[c]) for c in text))
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)
