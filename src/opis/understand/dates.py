"""Dates as intervals with a precision.

A historian's date is rarely a point: "November 1967" is the whole month, "1950" the whole year.
Storing start, end and precision lets search find a document by any overlapping range while the
page shows the date as the source wrote it. Issue 3 extends the forms understood here.
"""

import calendar
import re
from datetime import date

from opis.readers.drafts import DateInterval

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")  # July 13, 1950
_DMY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")  # 13 July 1950
_MY = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")  # November 1967
_RANGE = re.compile(r"^(.+?)\s*(?:\.\.|/|–|—| to )\s*(.+)$")


def month_interval(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def format_display(interval: DateInterval) -> str:
    """A readable form of an interval: "13 July 1950", "November 1967", "1950"."""
    start, end = interval.start, interval.end
    if start is None:
        return ""
    if interval.precision == "day":
        return f"{start.day} {calendar.month_name[start.month]} {start.year}"
    if interval.precision == "month":
        return f"{calendar.month_name[start.month]} {start.year}"
    if interval.precision == "year":
        return str(start.year)
    return f"{start.isoformat()} – {end.isoformat() if end else '?'}"


def parse_date(text: str) -> DateInterval:
    """Parse a written date into an interval; unknown forms give precision "unknown", never raise."""
    written = " ".join(str(text or "").split())
    found = _parse_point(written)
    if found is None:
        found = _parse_range(written)
    if found is None:
        return DateInterval(display=written, precision="unknown")
    start, end, precision = found
    return DateInterval(start=start, end=end, precision=precision, display=written)


def _parse_range(text: str) -> tuple[date, date, str] | None:
    match = _RANGE.match(text)
    if not match:
        return None
    left, right = _parse_point(match.group(1)), _parse_point(match.group(2))
    if left is None or right is None or left[0] > right[1]:
        return None
    return left[0], right[1], "range"


def _parse_point(text: str) -> tuple[date, date, str] | None:
    try:
        return _parse_point_unchecked(text)
    except ValueError:  # impossible dates such as 31 June: not understood, not guessed
        return None


def _parse_point_unchecked(text: str) -> tuple[date, date, str] | None:
    if match := _ISO.match(text):
        year, month, day = (int(g) if g else None for g in match.groups())
        if month is None:
            return date(year, 1, 1), date(year, 12, 31), "year"
        if day is None:
            return (*month_interval(year, month), "month")
        return date(year, month, day), date(year, month, day), "day"
    if (match := _MDY.match(text)) and match.group(1).lower() in MONTHS:
        point = date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
        return point, point, "day"
    if (match := _DMY.match(text)) and match.group(2).lower() in MONTHS:
        point = date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
        return point, point, "day"
    if (match := _MY.match(text)) and match.group(1).lower() in MONTHS:
        return (*month_interval(int(match.group(2)), MONTHS[match.group(1).lower()]), "month")
    return None
