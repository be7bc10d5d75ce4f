"""Dates and times in telegram headers: "8 December 1946, 8.08 p.m.", "Sent 03:15 13.7.50",
"Received 9th December", a received day that rolls into the next month.

Split from ``cable`` so that module keeps to the header's layouts and parties.
"""

import calendar
import re
from datetime import date, timedelta

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9

MONTH_WORD = r"(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?,?\s+({MONTH_WORD}),?\s+(\d{{3,4}})\b", re.I)
_MDY = re.compile(rf"\b({MONTH_WORD})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_WORD})", re.I)
_MD = re.compile(rf"\b({MONTH_WORD})\s+(\d{{1,2}})\b(?!\s*[.:]\d)", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\b")
TIME = re.compile(
    r"(?<![\d.])(?:(\d{1,2})(?:[.:]\s?(\d{2}))?\s*\[?([ap])\.?\s*m\.?\]?|(\d{1,2})?\s*(noon|midnight)"
    r"|(\d{1,2}):(\d{2}))(?![\d])",
    re.IGNORECASE,
)


HEADER_LINE_CHARS = 1000  # a header line longer than this is text, not a clerk's line


def date_in(text: str) -> tuple[date | None, int, int]:
    """The first written date in text, with where it starts and ends.

    Only the first ``HEADER_LINE_CHARS`` are looked at: these are header lines, and a file whose
    text is one line of megabytes must not cost seconds of month-name searching."""
    text = text[:HEADER_LINE_CHARS]
    for pattern, order in ((_DMY, (0, 1, 2)), (_MDY, (1, 0, 2))):
        if match := pattern.search(text):
            day, month, year = (match.group(i + 1) for i in order)
            found = make_date(int(year), MONTHS.get(month.lower().rstrip(".")), int(day))
            if found:
                return found, match.start(), match.end()
    if match := _NUMERIC_DATE.search(text):
        year = int(match.group(3))
        year = year + 1900 if year < 100 else year
        found = make_date(year, int(match.group(2)), int(match.group(1)))
        if found:
            return found, match.start(), match.end()
    return None, -1, -1


def make_date(year: int, month: int | None, day: int) -> date | None:
    if not month or year < 1000:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def time_in(text: str) -> str:
    """ "8.08 p.m." → "20:08"; "12 noon" → "12:00"; "03:15" → "03:15"; "" when none is written."""
    match = TIME.search(text)
    if not match:
        return ""
    hour_12, minute_12, half, noon_hour, noon, hour_24, minute_24 = match.groups()
    if hour_24 is not None:
        hour, minute = int(hour_24), int(minute_24)
    elif noon:
        hour, minute = (12 if noon.lower() == "noon" else 0), 0
    else:
        hour, minute = int(hour_12), int(minute_12 or 0)
        if hour < 12 and half.lower() == "p":
            hour += 12
        elif hour == 12 and half.lower() == "a":
            hour = 0
    if hour > 23 or minute > 59:
        return ""
    return f"{hour:02d}:{minute:02d}"


def stamp(day: date | None, time: str) -> str:
    if day is None:
        return ""
    return f"{day.isoformat()}T{time}" if time else day.isoformat()


def received(text: str, sent: date | None) -> str:
    """When it arrived: "Received 9 December, 3 p.m.", "Received [26]" (a day of the month), or
    "[Received 11.10 p.m.]" (FRUS leaves the date out when it is the day of sending)."""
    text = " ".join(text.replace("[", " ").replace("]", " ").split())
    day, _, end = date_in(text)
    if day is None and sent is not None:
        day, _, end = day_month_in(text, sent)
    if day is None and sent is not None:
        if match := _DAY_ONLY.match(text):
            day, end = day_after(sent, int(match.group(1))), match.end(1)
        elif time_in(text):
            day, end = sent, 0
    if day is None:
        return ""
    return stamp(day, time_in(text[end:]))


_DAY_ONLY = re.compile(r"\s*(\d{1,2})(?!\d|\s*[.:]\d|\s*[ap]\.?\s*m|\s*noon|\s*midnight)")


def day_month_in(text: str, sent: date) -> tuple[date | None, int, int]:
    """ "22 July" or "July 4" without a year: the first such date on or after the sending."""
    for pattern, day_group in ((_DM, 1), (_MD, 2)):
        if match := pattern.search(text):
            month = MONTHS.get(match.group(3 - day_group).lower().rstrip("."))
            day = int(match.group(day_group))
            for year in (sent.year, sent.year + 1):
                found = make_date(year, month, day)
                if found and found >= sent - timedelta(days=1):
                    return found, match.start(), match.end()
    return None, -1, -1


def day_after(sent: date, day_of_month: int) -> date | None:
    """The first date on or after ``sent`` falling on that day of the month."""
    for offset in range(0, 32):
        candidate = sent + timedelta(days=offset)
        if candidate.day == day_of_month:
            return candidate
    return None
