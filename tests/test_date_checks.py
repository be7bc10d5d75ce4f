"""Encoded dates checked against the printed dateline and the collection's years.

The rule (``opis.understand.date_checks``): the printed dateline wins a conflict, the conflict
goes on the curators' "needs review" list with its reason, and an encoded date far outside the
collection's years is not trusted where nothing printed can confirm it. Specified by a table,
by a constructed TEI volume, on the real FRUS volumes whose encoders made such typos, and through
ingest onto the review list.
"""

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from conftest import FRUS, require
from opis.drafts import DateInterval
from opis.ingest import ingest_paths
from opis.readers.frus_tei import READER
from opis.readers.source import SourceFile
from opis.records.accounts import CURATOR, set_role
from opis.records.models import ReviewItem
from opis.understand.date_checks import check_machine_date


def day(text: str) -> DateInterval:
    point = date.fromisoformat(text)
    return DateInterval(point, point, "day")


def days(first: str, last: str) -> DateInterval:
    return DateInterval(date.fromisoformat(first), date.fromisoformat(last), "range")


NONE = DateInterval()
SPAN = (1854, 1865)


@pytest.mark.parametrize(
    ("machine", "printed", "kept", "rule"),
    [
        pytest.param(day("1864-06-05"), day("1864-06-05"), day("1864-06-05"), None, id="agree"),
        pytest.param(day("1864-06-05"), days("1864-06-05", "1864-06-17"), day("1864-06-05"), None,
                     id="the print holds the encoded day"),
        pytest.param(day("0201-06-05"), days("1864-06-05", "1864-06-17"),
                     days("1864-06-05", "1864-06-17"), "printed-wins", id="a year typed 0201"),
        pytest.param(day("1864-08-18"), day("1864-07-18"), day("1864-07-18"), "printed-wins",
                     id="the received month taken"),
        pytest.param(day("1864-06-19"), day("1864-06-17"), day("1864-06-17"), "printed-wins",
                     id="a street number taken for the day"),
        pytest.param(day("1864-06-05"), day("1964-06-05"), day("1864-06-05"), "encoded-kept",
                     id="a misprint outside the span loses to the encoding"),
        pytest.param(day("1846-08-09"), day("1846-08-09"), day("1846-08-09"), "agrees",
                     id="both outside the span: kept, doubted"),
        pytest.param(day("0201-10-12"), NONE, None, "unusable",
                     id="no year printed, encoded year impossible: not used"),
        pytest.param(day("1852-10-12"), NONE, day("1852-10-12"), "unchecked",
                     id="no date printed, encoded year a little outside: kept, doubted"),
        pytest.param(day("1860-10-12"), NONE, day("1860-10-12"), None, id="unprinted, plausible"),
    ],
)  # fmt: skip
def test_check_machine_date(machine, printed, kept, rule):
    checked = check_machine_date(machine, printed, SPAN, written="Washington, June 5–17, 1864.")
    assert checked.date == kept
    assert (checked.doubt.detail["rule"] if checked.doubt else None) == rule
    if checked.doubt:
        assert checked.doubt.field == "date" and checked.doubt.message


VOLUME = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="frus1864p9">
  <teiHeader><fileDesc><titleStmt><title type="complete">Papers Relating to Foreign Affairs,
  1864, Part IX (constructed)</title></titleStmt></fileDesc></teiHeader>
  <text><body>
    <div type="document" xml:id="d1" n="1">
      <head>Mr. Seward to Mr. Adams</head>
      <opener><dateline><placeName>Washington,</placeName>
        <date when="0201-06-05">June 5–17, 1864.</date></dateline></opener>
      <p>Sir: I transmit a copy of the regulation.</p>
    </div>
    <div type="document" xml:id="d2" n="2">
      <head>Mr. Adams to Mr. Seward</head>
      <opener><dateline><placeName>London,</placeName>
        <date when="1864-03-10">March 10, 1864.</date></dateline></opener>
      <p>Sir: I have the honor to acknowledge your despatch.</p>
    </div>
  </body></text>
</TEI>
"""


@pytest.fixture
def constructed_volume(tmp_path) -> Path:
    path = tmp_path / "frus1864p9.xml"
    path.write_text(VOLUME, encoding="utf-8")
    return path


def test_a_typed_year_loses_to_the_printed_dateline(constructed_volume):
    first, second = READER.read(SourceFile(constructed_volume))
    assert (first.date.start, first.date.end) == (date(1864, 6, 5), date(1864, 6, 17))
    assert [d.detail["rule"] for d in first.doubts] == ["printed-wins"]
    assert first.doubts[0].detail["machine"] == "0201-06-05"
    assert "printed date is used" in first.doubts[0].message
    assert (second.date.start, second.doubts) == (date(1864, 3, 10), [])


def test_doubts_reach_the_review_list_once(db, isolated_index, constructed_volume):
    ingest_paths([constructed_volume])
    items = ReviewItem.objects.filter(kind="doubt")
    assert [(i.document_id, i.field, i.detail["rule"]) for i in items] == [
        ("frus1864p9/d1", "date", "printed-wins")
    ]
    item = items.get()
    item.settled_at, item.settled_by = item.created_at, "curator"
    item.save()
    ingest_paths([constructed_volume], force=True)  # read again: the settled doubt stays settled
    assert ReviewItem.objects.filter(kind="doubt", settled_at__isnull=True).count() == 0


def test_the_review_page_shows_a_doubt_and_its_reason(
    client, db, isolated_index, constructed_volume
):
    ingest_paths([constructed_volume])
    curator = User.objects.create_user("curator-of-dates", password="not used")
    set_role(curator, CURATOR, actor="test")
    client.force_login(curator)
    page = client.get("/staff/review").content.decode()
    assert "frus1864p9/d1" in page and "0201-06-05" in page
    assert "printed date is used" in page and "Washington, June 5–17, 1864." in page


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("volume", "doc_id", "rule", "start", "end"),
    [
        ("frus1864p3.xml", "frus1864p3/d512", "printed-wins", date(1864, 6, 5), date(1864, 6, 17)),
        ("frus1864p4.xml", "frus1864p4/d382", "unusable", None, None),
        ("frus1870.xml", "frus1870/d51", "printed-wins", date(1870, 7, 18), date(1870, 7, 18)),
        ("frus1870.xml", "frus1870/d200", "agrees", date(1670, 11, 1), date(1670, 11, 1)),
    ],
)  # fmt: skip
def test_real_frus_typos(volume, doc_id, rule, start, end):
    drafts = {d.id: d for d in READER.read(SourceFile(require(FRUS / "volumes" / volume)))}
    draft = drafts[doc_id]
    assert [d.detail["rule"] for d in draft.doubts] == [rule]
    assert (draft.date.start, draft.date.end) == (start, end)
