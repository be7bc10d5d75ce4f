"""Charts drawn on the server as SVG: bars over time, and a person's documents by role and year.

A historian reads dates and people faster from a picture than from a list, but the picture must
work without JavaScript, print, and be read out by a screen reader. So the geometry is computed
here and the templates (``_histogram.svg.html``, ``_role_strip.svg.html``) write plain SVG: every
bar is a link with a ``<title>``, and every chart has a table of the same figures beside it.
"""

from dataclasses import dataclass, field

WIDTH = 720  # the viewBox width; the SVG scales to its column
BAR_AREA = 120  # the tallest bar of a histogram
LABEL_WIDTH = 170  # the role names left of a strip chart
ROW_HEIGHT = 30
MIN_YEARS = 11  # a strip spans at least this many years, so one year reads as a moment in time
MARGIN = 24  # room left and right of a histogram for the first and last axis labels


@dataclass
class Bar:
    """One bar: ``start``/``end`` are what the query language writes for it ("1950", "1950-07")."""

    label: str
    count: int
    url: str
    start: str
    end: str
    title: str = ""
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    active: bool = False


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Histogram:
    bars: list[Bar]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = BAR_AREA + 24
    baseline: int = BAR_AREA
    view_box: str = f"{-MARGIN} 0 {WIDTH + 2 * MARGIN} {BAR_AREA + 24}"


def histogram(bars: list[Bar], noun: str = "document") -> Histogram:
    """Place the bars side by side, heights proportional to the tallest; about eight axis
    labels whatever the number of bars, so a century stays legible."""
    if not bars:
        return Histogram([], [])
    tallest = max(b.count for b in bars) or 1
    step = WIDTH / len(bars)
    gap = min(2.0, step / 5)
    every = max(1, round(len(bars) / 8))
    ticks = []
    for i, bar in enumerate(bars):
        bar.width = round(step - gap, 2)
        bar.x = round(i * step, 2)
        bar.height = round(bar.count / tallest * (BAR_AREA - 4), 2) if bar.count else 0
        bar.y = round(BAR_AREA - bar.height, 2)
        plural = "" if bar.count == 1 else "s"
        bar.title = bar.title or f"{bar.label}: {bar.count} {noun}{plural}"
        if i % every == 0:
            ticks.append(Tick(round(bar.x + step / 2, 2), bar.label))
    return Histogram(bars, ticks)


@dataclass
class Cell:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass
class StripRow:
    label: str
    y: float
    total: int
    undated: int = 0
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Strip:
    rows: list[StripRow]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = 0
    years: list[int] = field(default_factory=list)


def role_strip(by_role: dict[str, dict[int | None, int]], names: dict[str, str]) -> Strip:
    """One row per role, one column per year from the first to the last: a bar per year the
    person held that role in some document, its height the number of documents."""
    dated = sorted({y for years in by_role.values() for y in years if y is not None})
    rows: list[StripRow] = []
    span = list(range(dated[0], dated[-1] + 1)) if dated else []
    if span and len(span) < MIN_YEARS:  # centred on what there is
        before = (MIN_YEARS - len(span)) // 2
        span = list(range(span[0] - before, span[0] - before + MIN_YEARS))
    step = (WIDTH - LABEL_WIDTH) / max(1, len(span))
    tallest = max((n for years in by_role.values() for y, n in years.items() if y), default=1)
    for i, (role, years) in enumerate(by_role.items()):
        row = StripRow(
            label=names.get(role, role), y=i * ROW_HEIGHT,
            total=sum(years.values()), undated=years.get(None, 0),
        )  # fmt: skip
        for year, count in sorted((y, n) for y, n in years.items() if y is not None):
            height = max(3.0, count / tallest * (ROW_HEIGHT - 8))
            plural = "" if count == 1 else "s"
            row.cells.append(
                Cell(
                    x=round(LABEL_WIDTH + (year - span[0]) * step + 0.5, 2),
                    y=round(row.y + ROW_HEIGHT - 4 - height, 2),
                    width=round(max(2.0, step - 1), 2),
                    height=round(height, 2),
                    title=f"{year}: {count} document{plural} as {row.label}",
                )  # fmt: skip
            )
        rows.append(row)
    every = max(1, round(len(span) / 8))
    ticks = [
        Tick(round(LABEL_WIDTH + (i + 0.5) * step, 2), str(year))
        for i, year in enumerate(span)
        if i % every == 0 or i == len(span) - 1
    ]
    return Strip(rows, ticks, height=len(rows) * ROW_HEIGHT + 20, years=span)
