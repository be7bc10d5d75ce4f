"""The home page and ``opis stats --json`` tell the same figures: one rule for each, in
``opis.records.holdings`` (a collection's span ends at its latest *end* date, for both)."""

import json

from click.testing import CliRunner

from opis.cli import main


def test_the_home_page_and_opis_stats_agree(archive, client):
    result = CliRunner().invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    page = client.get("/").context

    assert page["document_count"] == stats["documents"] > 0
    assert page["undated_count"] == stats["undated"]
    assert page["collection_count"] == len(stats["collections"])
    shown = {c.slug: (c.count, c.first, c.last) for _, group in page["series"] for c in group}
    for collection in stats["collections"]:
        count, first, last = shown[collection["slug"]]
        assert count == collection["count"]
        assert (first.isoformat(), last.isoformat()) == (collection["first"], collection["last"])
    bars = {bar["label"]: bar["count"] for bar in page["decades"] if bar["count"]}
    assert bars == {d["label"]: d["count"] for d in stats["decades"]}


def test_a_span_ends_at_the_latest_end_date(archive, client):
    """A document dated over a range reaches its last day in both figures."""
    document = archive.exclude(date_start=None).order_by("-date_start").first()
    later = document.date_start.replace(year=document.date_start.year + 1)
    archive.filter(pk=document.pk).update(date_end=later)
    result = CliRunner().invoke(main, ["stats", "--json"])
    stats = json.loads(result.output)
    assert stats["span"]["last"] == later.isoformat()
    assert later.strftime("%Y") in client.get("/").context["span"]
