"""Times of day as despatches write them: "8.08 p.m.", "7 p.m.", "12 noon", "midnight", "03:15",
"1800 hours". ``opis.understand.dates`` uses them to split a date from its time and to find the
time written next to a date in running text ("Paris, November 30, 1917, 7 p.m.", "8.15 p.m., May
3, 1894"). Dotted 24-hour times ("10.15") are read only beside a date, never alone.
"""

import re
from datetime import time


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


TIME = _compile(
    r"(?<![\d.:])(?P<h>\d{1,2})(?:[.:](?P<mi>\d{2}))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|(?:12\s*)?(?P<word>noon|midnight)"
    r"|(?<![\d.:])(?P<h24>\d{1,2})[:.](?P<m24>\d{2})(?::(?P<s24>\d{2}))?(?![\d.:]?\d)"
    r"(?:\s*(?:hours|hrs)\b\.?)?"
    r"|(?<![\d.:])(?P<hh>[012]\d)(?P<mm>[0-5]\d)\s*(?:hours|hrs|Z\b|GMT\b)"
)
TIME_JOINER = _compile(r"(?:(?<=\d)T|[\s,;—–-]+(?:at\s*)?|\s+at\s*)$")
_AFTER = _compile(
    r"\]?\s*[,—–-]?\s*\[?\s*[—–-]?\s*(?:at\s+)?(?=\d|noon|midnight)(?:" + TIME.pattern + ")"
)  # ", 8.08 p.m.", "—noon", "—[9:17 p.m.]"
_BEFORE = _compile("(?:" + TIME.pattern + r")\s*,?\s*$")  # "8.15 p.m., May 3, 1894"


def time_around(text: str, start: int, end: int) -> time | None:
    """The time written just after written[start:end] (a date), or just before it."""
    after = _AFTER.match(text, end)
    if after:
        return clock(after)
    before = _BEFORE.search(text, max(0, start - 25), start)
    return clock(before) if before else None


def clock(m: re.Match) -> time | None:
    """The time a TIME match names, or None where it is no time (25:00, 13 p.m.)."""
    if m.group("word"):
        return time(12) if m.group("word").lower() == "noon" else time(0)
    if m.group("ap"):
        hour, minute = int(m.group("h")), int(m.group("mi") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        return time(hour % 12 + (12 if m.group("ap").lower() == "p" else 0), minute)
    hour = int(m.group("h24") or m.group("hh"))
    minute, second = int(m.group("m24") or m.group("mm")), int(m.group("s24") or 0)
    return time(hour, minute, second) if hour <= 23 and minute <= 59 and second <= 59 else None
