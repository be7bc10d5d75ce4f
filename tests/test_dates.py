"""Dates as intervals with a precision, from every form the corpora and the archives write.

What cannot be read is left unknown, never guessed; ``parse_date`` never raises; the written
form is kept for display. The DFAT and FRUS corpora measure the parser against their own dates.
"""

import random
import time
from datetime import date
from datetime import time as clock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from opis.drafts import DateInterval
from opis.evaluate.corpora import dfat_volumes
from opis.understand import dates
from opis.understand.dates import (
    find_date,
    find_datetime,
    format_display,
    month_interval,
    parse_date,
    parse_datetime,
)

D = date
DAYS = [
    # written, start, end, precision
    ("13.7.50", D(1950, 7, 13), D(1950, 7, 13), "day"),  # a telegram's stamp: 19xx
    ("13.07.1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("13.VII.1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("7/13/50", D(1950, 7, 13), D(1950, 7, 13), "day"),  # only one order is possible
    ("13/7/50", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("July 13, 1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("Jul. 13, 1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("13 July 1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("13th July, 1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("Thursday, 13 July 1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("8 December 1946, 8.08 p.m.", D(1946, 12, 8), D(1946, 12, 8), "day"),
    ("13 июля 1950 г.", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("13 июля 1950 года", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("1950年7月13日", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("一九五〇年七月十三日", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("1er juillet 1950", D(1950, 7, 1), D(1950, 7, 1), "day"),
    ("13. Juli 1950", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("29 February 1952", D(1952, 2, 29), D(1952, 2, 29), "day"),
    ("1950-07-13", D(1950, 7, 13), D(1950, 7, 13), "day"),
    ("May 11 (23), 1861", D(1861, 5, 11), D(1861, 5, 11), "day"),  # Julian (Gregorian)
    ("December 8/20, 1897", D(1897, 12, 8), D(1897, 12, 8), "day"),
    ("October 20/November 1, 1897", D(1897, 10, 20), D(1897, 10, 20), "day"),
]
MONTHS_AND_YEARS = [
    ("November 1967", D(1967, 11, 1), D(1967, 11, 30), "month"),
    ("November, 1967", D(1967, 11, 1), D(1967, 11, 30), "month"),
    ("июль 1950 г.", D(1950, 7, 1), D(1950, 7, 31), "month"),
    ("1950年7月", D(1950, 7, 1), D(1950, 7, 31), "month"),
    ("June —, 1861", D(1861, 6, 1), D(1861, 6, 30), "month"),  # the day left blank
    ("1950-07", D(1950, 7, 1), D(1950, 7, 31), "month"),
    ("1952-02", D(1952, 2, 1), D(1952, 2, 29), "month"),
    ("1950", D(1950, 1, 1), D(1950, 12, 31), "year"),
    ("[1950]", D(1950, 1, 1), D(1950, 12, 31), "year"),
    ("1950年", D(1950, 1, 1), D(1950, 12, 31), "year"),
]
RANGES = [
    ("early 1950", D(1950, 1, 1), D(1950, 4, 30), "range"),
    ("mid-1950", D(1950, 5, 1), D(1950, 8, 31), "range"),
    ("late 1950", D(1950, 9, 1), D(1950, 12, 31), "range"),
    ("early July 1950", D(1950, 7, 1), D(1950, 7, 10), "range"),
    ("mid-July 1950", D(1950, 7, 11), D(1950, 7, 20), "range"),
    ("late July 1950", D(1950, 7, 21), D(1950, 7, 31), "range"),
    ("early 1950s", D(1950, 1, 1), D(1953, 12, 31), "range"),
    ("mid-1950s", D(1954, 1, 1), D(1956, 12, 31), "range"),
    ("late 1950s", D(1957, 1, 1), D(1959, 12, 31), "range"),
    ("first half of 1950", D(1950, 1, 1), D(1950, 6, 30), "range"),
    ("second half of 1950", D(1950, 7, 1), D(1950, 12, 31), "range"),
    ("[not before 10 July 1950]", D(1950, 7, 10), D(1951, 7, 9), "range"),  # one year open
    ("not after 10 July 1950", D(1949, 7, 11), D(1950, 7, 10), "range"),
    ("on or after 2 November 1939", D(1939, 11, 2), D(1940, 11, 1), "range"),
    ("c. 1950", D(1949, 1, 1), D(1951, 12, 31), "range"),
    ("circa 1950", D(1949, 1, 1), D(1951, 12, 31), "range"),
    ("c. July 1950", D(1950, 6, 1), D(1950, 8, 31), "range"),
    ("1950s", D(1950, 1, 1), D(1959, 12, 31), "range"),
    ("the 1950's", D(1950, 1, 1), D(1959, 12, 31), "range"),
    ("Spring 1951", D(1951, 3, 1), D(1951, 5, 31), "range"),
    ("Summer 1951", D(1951, 6, 1), D(1951, 8, 31), "range"),
    ("Autumn 1951", D(1951, 9, 1), D(1951, 11, 30), "range"),
    ("Fall 1951", D(1951, 9, 1), D(1951, 11, 30), "range"),
    ("Winter 1951", D(1950, 12, 1), D(1951, 2, 28), "range"),
    ("Winter 1950-51", D(1950, 12, 1), D(1951, 2, 28), "range"),
    ("10–12 July 1950", D(1950, 7, 10), D(1950, 7, 12), "range"),
    ("July 10-12, 1950", D(1950, 7, 10), D(1950, 7, 12), "range"),
    ("10 July – 12 August 1950", D(1950, 7, 10), D(1950, 8, 12), "range"),
    ("July 10 – August 12, 1950", D(1950, 7, 10), D(1950, 8, 12), "range"),
    ("July–August 1950", D(1950, 7, 1), D(1950, 8, 31), "range"),
    ("1950-07..1950-08", D(1950, 7, 1), D(1950, 8, 31), "range"),
    ("1950–53", D(1950, 1, 1), D(1953, 12, 31), "range"),
    ("1950-1953", D(1950, 1, 1), D(1953, 12, 31), "range"),
    ("1950/51", D(1950, 1, 1), D(1951, 12, 31), "range"),
    ("between 10 July and 12 August 1950", D(1950, 7, 10), D(1950, 8, 12), "range"),
    ("10 July to 12 August 1950", D(1950, 7, 10), D(1950, 8, 12), "range"),
    ("December 1950 – January 1951", D(1950, 12, 1), D(1951, 1, 31), "range"),
]


@pytest.mark.parametrize(("written", "start", "end", "precision"), DAYS + MONTHS_AND_YEARS + RANGES)
def test_parse_date(written, start, end, precision):
    parsed = parse_date(written)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)
    assert parsed.display == written


NOT_DATES = [
    "31 June 1950",  # June has 30 days
    "1950-02-29",  # 1950 is not a leap year
    "30 February 1952",
    "32 July 1950",
    "13.13.50",
    "1950-13",
    "1946-13-08",  # no thirteenth month
    "3/4/50",  # 3 April or 4 March: not guessed
    "Smarch 3, 1950",
    "1950-08..1950-07",  # ends before it starts
    "Summer 1950-52",
    "sometime in the summer",
    "n.d.",
    "[Undated.]",
    "十十年",
    "",
    "0000",
]


@pytest.mark.parametrize("written", NOT_DATES)
def test_what_is_not_a_date_stays_unknown(written):
    parsed = parse_date(written)
    assert (parsed.start, parsed.end, parsed.precision) == (None, None, "unknown")
    assert parsed.display == written


TIMES = [
    ("8 December 1946, 8.08 p.m.", D(1946, 12, 8), clock(20, 8)),
    ("November 30, 1917, 7 p.m.", D(1917, 11, 30), clock(19, 0)),
    ("March 8, 1934—4 p.m.", D(1934, 3, 8), clock(16, 0)),
    ("October 24, 1934—noon", D(1934, 10, 24), clock(12, 0)),
    ("December 21, 1917, 12 noon", D(1917, 12, 21), clock(12, 0)),
    ("15 October 1949, 10.15", D(1949, 10, 15), clock(10, 15)),
    ("13.7.50 03:15", D(1950, 7, 13), clock(3, 15)),
    ("1950-07-13T10:00", D(1950, 7, 13), clock(10, 0)),
    ("13 July 1950", D(1950, 7, 13), None),
    ("13.7.50", D(1950, 7, 13), None),  # the numbers of a date are no time
]


@pytest.mark.parametrize(("written", "day", "time_of_day"), TIMES)
def test_parse_datetime_returns_the_day_and_the_time(written, day, time_of_day):
    interval, said = parse_datetime(written)
    assert (interval.start, interval.end, interval.precision) == (day, day, "day")
    assert interval.display == written
    assert said == time_of_day


def test_parse_datetime_gives_no_time_without_a_date():
    assert parse_datetime("8.08 p.m.") == (DateInterval(display="8.08 p.m."), None)


RUNNING_TEXT = [
    # text, start, end, display, time
    ("Cablegram UN949 NEW YORK, 8 December 1946, 8.08 p.m.", D(1946, 12, 8), D(1946, 12, 8),
     "8 December 1946", clock(20, 8)),
    ("Canberra, 17 May 1966", D(1966, 5, 17), D(1966, 5, 17), "17 May 1966", None),
    ("Canberra, 8–9 December 1969", D(1969, 12, 8), D(1969, 12, 9), "8–9 December 1969", None),
    ("London, undated [June 1971]", D(1971, 6, 1), D(1971, 6, 30), "June 1971", None),
    ("Cablegram unnumbered n.d.[on or after 2 November 1939],", D(1939, 11, 2), D(1940, 11, 1),
     "on or after 2 November 1939", None),
    ("Cablegram 224 CANBERRA, 10 [August] 1947, 12.40 p.m.", D(1947, 8, 10), D(1947, 8, 10),
     "10 August 1947", clock(12, 40)),
    ("Canberra, 30 May 1968[1](#f1)", D(1968, 5, 30), D(1968, 5, 30), "30 May 1968", None),
    ("Canberra, 25 August 19751", D(1975, 8, 25), D(1975, 8, 25), "25 August 1975", None),
    ("Washington, D. C. November 23, 1864.", D(1864, 11, 23), D(1864, 11, 23),
     "November 23, 1864", None),  # D. C. is no circa
    ("Colon, 8.15 p.m., May 3, 1894.", D(1894, 5, 3), D(1894, 5, 3), "May 3, 1894",
     clock(20, 15)),
    ("Paris, November 30, 1917, 7 p.m. [Received December 1, 2.40 p.m.]", D(1917, 11, 30),
     D(1917, 11, 30), "November 30, 1917", clock(19, 0)),
    ("SOVIET AMBASSADOR Sent 03:15\n13.7.50", D(1950, 7, 13), D(1950, 7, 13), "13.7.50",
     clock(3, 15)),  # the seed telegram's stamp: the time written just before the date
    ("Department of State, Washington, March25, 1864.", D(1864, 3, 25), D(1864, 3, 25),
     "March25, 1864", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "start", "end", "display", "time_of_day"), RUNNING_TEXT)
def test_find_datetime_in_running_text(text, start, end, display, time_of_day):
    interval, said = find_datetime(text)
    assert (interval.start, interval.end, interval.display) == (start, end, display)
    assert said == time_of_day
    assert find_date(text) == interval


@pytest.mark.parametrize(
    "text", ["Cablegram 66,", "Repeated to U.K. High Commissioner", "Paris, Monday night.", ""]
)
def test_find_date_finds_nothing_where_there_is_no_date(text):
    assert find_date(text).precision == "unknown"


DISPLAYS = [
    ("1950-07-13", "13 July 1950"),
    ("1967-11", "November 1967"),
    ("1950", "1950"),
    ("10–12 July 1950", "10–12 July 1950"),
    ("July 10 – August 12, 1950", "10 July – 12 August 1950"),
    ("1950-07..1950-08", "July–August 1950"),
    ("1950s", "1950–1959"),
    ("December 1950 – January 1951", "December 1950 – January 1951"),
    ("[not before 10 July 1950]", "10 July 1950 – 9 July 1951"),
    ("nonsense", ""),
]


@pytest.mark.parametrize(("written", "shown"), DISPLAYS)
def test_format_display(written, shown):
    assert format_display(parse_date(written)) == shown


def test_format_display_of_an_open_range():
    assert format_display(DateInterval(D(1950, 7, 10), None, "range")) == "10 July 1950 – ?"


def test_month_interval():
    assert month_interval(1952, 2) == (D(1952, 2, 1), D(1952, 2, 29))
    assert month_interval(1950, 12) == (D(1950, 12, 1), D(1950, 12, 31))


DATE_PIECES = st.sampled_from(
    [
        "13", "7", "50", "1950", "0000", "9999", ".", "/", "-", "–", "..", " ", ",", "July", "июля",
        "г.", "年", "月", "日", "十", "early", "mid-", "late", "c.", "not before", "not after", "[",
        "]", "(", ")", "s", "'s", "Spring", "Winter", "to", "and", "between", "p.m.", "noon", ":",
        "T", "VII", "31", "29", "February",
    ]
)  # fmt: skip
DATE_TEXTS = st.lists(st.one_of(DATE_PIECES, st.integers(0, 10000).map(str)), max_size=12).map(
    "".join
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), DATE_TEXTS))
@example("not before 31 December 9999")
@example("not after 1 January 0001")
@example("c. 9999")
@example("early 9990s")
def test_parse_date_is_total_and_ordered(text):
    parsed = parse_date(text)
    assert parsed.display == " ".join(text.split())
    assert parsed.precision in ("day", "month", "year", "range", "unknown")
    if parsed.precision == "unknown":
        assert parsed.start is None and parsed.end is None
    else:
        assert parsed.start <= parsed.end
    interval, _ = parse_datetime(text)
    assert interval.start is None or interval.start <= interval.end
    found, _ = find_datetime(text)
    assert found.start is None or found.start <= found.end


def test_parse_date_is_fast():
    """~10 µs for a typical date on a quiet machine; the bound leaves room for a busy one."""
    rng = random.Random(7)
    written = [
        f"{rng.randint(1, 28)} {rng.choice(['July', 'March', 'May'])} {rng.randint(1900, 1999)}"
        for _ in range(300)
    ] + [f"{rng.randint(1900, 1999)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
         for _ in range(300)]  # fmt: skip
    dates._interpret.cache_clear()
    dates._with_time.cache_clear()
    began = time.perf_counter()
    for text in written:
        parse_date(text)
    assert (time.perf_counter() - began) / len(written) < 300e-6


@pytest.mark.corpus
def test_dfat_dates_agree_with_the_front_matter():
    """Measured on every DFAT document (docs/quality.md explains the figures and classes)."""
    from opis.evaluate.dates import TARGET, evaluate_dfat

    if not dfat_volumes().exists():
        pytest.skip(f"{dfat_volumes()} is not here; the shared corpora live beside the checkout")
    figures = evaluate_dfat()
    assert figures.pairs > 9000
    assert figures.consistent_rate >= TARGET, figures.by_class
    assert figures.exact_rate >= 0.97
