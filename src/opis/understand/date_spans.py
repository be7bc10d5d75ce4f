"""Spans of days: what a date is once read, made, combined and written back.

``dates`` reads what is written; each form it understands becomes a span (start, end, precision).
Making one (a day, a year, the years from one to another, the days between two spans), moving by
years or to the next month, and writing a span back for a page ("13 July 1950", "November 1967",
"10–12 July 1950") do not depend on how the date was written, so they live here, apart from the
grammar: a change to the forms read cannot change how a span is shown.
"""

import calendar
from datetime import date, timedelta

from opis.drafts import DateInterval

Span = tuple[date, date, str]  # start, end, precision
ONE_DAY = timedelta(days=1)


def month_interval(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def day_span(year: int, month: int, day: int) -> Span:
    point = date(year, month, day)  # ValueError for 31 June: the caller leaves the date unknown
    return point, point, "day"


def year_span(year: int) -> Span:
    return date(year, 1, 1), date(year, 12, 31), "year"


def year_range(first: int, last: int) -> Span | None:
    """The years ``first`` to ``last`` whole; None when they run backwards."""
    return (date(first, 1, 1), date(last, 12, 31), "range") if first <= last else None


def between(first: Span | None, last: Span | None) -> Span | None:
    if first is None or last is None or first[0] > last[1]:
        return None
    return first[0], last[1], "range"


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def next_month(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def format_display(interval: DateInterval) -> str:
    """A readable form of an interval: "13 July 1950", "November 1967", "10–12 July 1950"."""
    start, end = interval.start, interval.end
    if start is None:
        return ""
    if interval.precision == "day":
        return _day_text(start)
    if interval.precision == "month":
        return f"{calendar.month_name[start.month]} {start.year}"
    if interval.precision == "year":
        return str(start.year)
    if end is None:
        return f"{_day_text(start)} – ?"
    return _range_text(start, end)


def _day_text(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _range_text(start: date, end: date) -> str:
    whole_months = start.day == 1 and end == month_interval(end.year, end.month)[1]
    if whole_months and start.month == 1 and end.month == 12:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if whole_months:
        first, last = calendar.month_name[start.month], calendar.month_name[end.month]
        if start.year == end.year:
            return f"{first}–{last} {end.year}" if first != last else f"{last} {end.year}"
        return f"{first} {start.year} – {last} {end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {calendar.month_name[end.month]} {end.year}"
    if start.year == end.year:
        return f"{start.day} {calendar.month_name[start.month]} – {_day_text(end)}"
    return f"{_day_text(start)} – {_day_text(end)}"
