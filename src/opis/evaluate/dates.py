"""The date parser against two real sources of truth.

* DFAT: the front matter's ``doc_date`` against the date found in the body's heading line
  ("Cablegram UN949 NEW YORK, 8 December 1946, 8.08 p.m.", "Canberra, 17 May 1966"); where the
  body opens with a "## 102 Minute from …" title, the heading is the next line.
* FRUS TEI: each ``<dateline>``'s text against the ``when`` of its ``<date>`` (and the time of
  day, where ``when`` carries one).

A pair agrees **exactly** when the parsed interval is the expected one (same start and end).
It is **consistent** when one contains the other: a heading "8–9 December 1969" for a
doc_date of 9 December, or a heading with a day for a doc_date of the month. Everything else is
a mismatch, classed so that the harvest's mistakes and the parser's can be told apart.

Run ``python -m opis.evaluate.dates`` for the figures; docs/quality.md records them.
"""

import calendar
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path

from lxml import etree

from opis.drafts import DateInterval
from opis.evaluate.corpora import dfat_files, frus_files, relative
from opis.understand.dates import find_datetime, parse_date

TARGET = 0.98
TEI = "{http://www.tei-c.org/ns/1.0}"


@dataclass
class DateMiss:
    where: str
    kind: str
    written: str
    expected: str
    parsed: str


@dataclass
class DateFigures:
    source: str
    pairs: int = 0
    exact: int = 0
    consistent: int = 0  # exact included
    times: int = 0  # pairs whose expected value carries a time of day
    times_exact: int = 0
    misses: list[DateMiss] = field(default_factory=list)
    time_misses: list[tuple[str, str, time, time | None]] = field(default_factory=list)

    @property
    def exact_rate(self) -> float:
        return self.exact / self.pairs if self.pairs else 0.0

    @property
    def consistent_rate(self) -> float:
        return self.consistent / self.pairs if self.pairs else 0.0

    @property
    def dated(self) -> int:
        """Pairs whose written text holds a date at all (a year or a month name)."""
        return self.pairs - self.by_class["no-date-found"]

    @property
    def parser_rate(self) -> float:
        return self.consistent / self.dated if self.dated else 0.0

    @property
    def by_class(self) -> Counter:
        return Counter(m.kind for m in self.misses)

    def add(
        self,
        where: str,
        written: str,
        expected: DateInterval,
        clock: time | None = None,
        expected_clock: time | None = None,
    ) -> None:
        found, found_clock = find_datetime(written)
        self.pairs += 1
        if expected_clock is not None:
            self.times += 1
            self.times_exact += found_clock == expected_clock
            if found_clock != expected_clock:
                self.time_misses.append((where, written, expected_clock, found_clock))
        exact = (found.start, found.end) == (expected.start, expected.end)
        inside = found.start is not None and (
            found.start <= expected.start <= expected.end <= found.end
            or expected.start <= found.start <= found.end <= expected.end
        )
        self.exact += exact
        self.consistent += exact or inside
        if exact:
            return
        kind = "consistent" if inside else _miss_kind(found, expected, written)
        self.misses.append(DateMiss(where, kind, written, _span(expected), _span(found)))


def _miss_kind(found: DateInterval, expected: DateInterval, written: str) -> str:
    if found.start is None:
        return "no-date-found" if not re.search(r"\d{4}", written) else "date-not-read"
    if str(expected.start.year) not in written:
        return "expected-year-not-written"
    month = calendar.month_name[expected.start.month]
    if found.start.day == expected.start.day and re.search(rf"Received\s+{month}", written):
        return "when-takes-received-month"
    if found.start.year != expected.start.year:
        return "other-year"
    if (found.start.month, found.start.day) == (expected.start.day, expected.start.month):
        return "day-month-swapped"
    if found.start.month != expected.start.month:
        return "other-month"
    return "other-day"


def _span(interval: DateInterval) -> str:
    if interval.start is None:
        return "—"
    if interval.start == interval.end:
        return interval.start.isoformat()
    return f"{interval.start.isoformat()}..{interval.end.isoformat()}"


def evaluate_dfat(root: Path | None = None) -> DateFigures:
    figures = DateFigures("DFAT doc_date vs heading line")
    for document in dfat_files(root):
        expected = parse_date(str(document.meta.get("doc_date") or ""))
        if expected.start is None:
            continue
        figures.add(relative(document.path), heading(document.body), expected)
    return figures


def heading(body: str) -> str:
    """The dateline of a DFAT body: its first line after any "## …" title, or, where that line
    holds no date, the first of the next two short lines (≤ 100 characters) that does: a
    heading the harvest split ("Circular Cablegram D15 (extract)," / "LONDON, 18 September…")."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    lines = [line for line in lines if not line.startswith("#")][:3]
    for line in lines:
        if len(line) <= 100 and find_datetime(line)[0].start is not None:
            return line
    return lines[0] if lines else ""


def evaluate_frus(root: Path | None = None) -> DateFigures:
    figures = DateFigures("FRUS <dateline> text vs <date when>")
    for path in frus_files(root):
        events = etree.iterparse(
            str(path), events=("end",), tag=(f"{TEI}dateline", f"{TEI}div"),
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        )  # fmt: skip
        for _, element in events:
            if element.tag == f"{TEI}div":
                if element.get("type") == "document":
                    element.clear(keep_tail=True)
                continue
            when = next((d.get("when") for d in element.iter(f"{TEI}date") if d.get("when")), None)
            if when:
                expected, clock = _when(when)
                if expected.start is not None:
                    written = " ".join("".join(element.itertext()).split())
                    where = f"{relative(path)}, line {element.sourceline}"
                    figures.add(where, written, expected, expected_clock=clock)
    return figures


def _when(value: str) -> tuple[DateInterval, time | None]:
    """A TEI ``when``: "1917-11-30T19:00:00", "1918-11-20", "1917-11"."""
    day, _, clock = value.partition("T")
    expected = parse_date(day)
    if clock and re.match(r"\d{2}:\d{2}", clock):
        return expected, time(int(clock[:2]), int(clock[3:5]))
    return expected, None


def report(figures: DateFigures, examples: int = 3) -> str:
    lines = [
        f"Dates: {figures.source}",
        f"  pairs {figures.pairs}; exact {figures.exact} = {figures.exact_rate:.2%}; "
        f"consistent (one interval holds the other) {figures.consistent} = "
        f"{figures.consistent_rate:.2%} (target {TARGET:.0%})",
        f"  of the {figures.dated} whose text holds a date: consistent {figures.parser_rate:.2%}",
    ]
    if figures.times:
        lines.append(
            f"  time of day where the source gives one: {figures.times_exact}/{figures.times} = "
            f"{figures.times_exact / figures.times:.2%}"
        )
    lines.append("  differences by class:")
    for kind, count in figures.by_class.most_common():
        lines.append(f"    {count:5d}  {kind}")
        for miss in [m for m in figures.misses if m.kind == kind][:examples]:
            lines.append(
                f"           {miss.written[:90]!r}: expected {miss.expected}, parsed {miss.parsed}"
                f"  ({miss.where})"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    examples = int(args[0]) if args and args[0].isdigit() else 3
    results = [evaluate_dfat(), evaluate_frus()]
    sys.stdout.write("\n\n".join(report(f, examples) for f in results) + "\n")
    return 0 if all(f.consistent_rate >= TARGET for f in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
