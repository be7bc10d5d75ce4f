"""Every change is a version: who, when, why and the whole record; any version can be restored
as a new one, byte for byte the same record apart from its version number and times."""

import pytest

from conftest import SEED_ID, SEED_TITLE
from opis.curate.edit import edit_record, restore_version
from opis.curate.history import diff_lines, version_record, versions
from opis.errors import BadEdit, VersionConflict
from opis.records.audit import MODIFICATION, RECOVERY
from opis.records.models import AuditEvent, Document, IndexChange
from opis.records.serialize import document_json, load_document


def content(record: dict) -> dict:
    """A record less what a restore may change: its version and its times."""
    source = {k: v for k, v in record["source"].items() if k not in ("ingested_at", "updated_at")}
    return {**record, "version": None, "source": source}


def edit(changes: dict, version: int, comment: str = "a reason") -> dict:
    return edit_record(SEED_ID, changes, actor="ada", comment=comment, version=version)


def test_an_edit_is_a_new_version_kept_whole(archive):
    ingested = document_json(load_document(SEED_ID))
    assert ingested["version"] == 1
    after = edit({"title": "A better title"}, 1, "the title misreads the signature")
    assert (after["title"], after["version"]) == ("A better title", 2)
    listed = versions(SEED_ID)
    assert [(v["number"], v["actor"], v["action"]) for v in listed] == [
        (1, "ingest", "ingest"),
        (2, "ada", "edit"),
    ]
    assert listed[1]["comment"] == "the title misreads the signature"
    assert version_record(SEED_ID, 1) == ingested  # the record as it was, lazily kept
    assert version_record(SEED_ID, 2) == after
    stored = Document.objects.get(pk=SEED_ID)
    assert stored.curated == {"title": SEED_TITLE}  # the source's value, kept for re-ingest
    assert IndexChange.objects.filter(document_id=SEED_ID).exists()
    event = AuditEvent.objects.filter(object=SEED_ID, action=MODIFICATION).get()
    assert (event.actor, event.detail["fields"]) == ("ada", ["title"])


def test_what_an_edit_leaves_alone_stays_exactly(archive):
    before = document_json(load_document(SEED_ID))
    after = edit({"summary": "Stalin answers Zhou on air cover."}, 1)
    assert content({**after, "summary": before["summary"]}) == content(before)


def test_a_restore_is_byte_identical_to_the_version_restored(archive):
    first = document_json(load_document(SEED_ID))
    edit({"title": "Second", "notes": ["checked against the scan"]}, 1)
    texts = [{**first["texts"][0], "body": first["texts"][0]["body"] + "\n[corrected]"}]
    edit({"texts": texts, "date": {**first["date"], "display": "13 July 1950"}}, 2)
    restored = restore_version(SEED_ID, 1, actor="ada", comment="back to the source")
    assert restored["version"] == 4
    assert content(restored) == content(first)
    assert versions(SEED_ID)[-1]["action"] == "restore"
    assert AuditEvent.objects.filter(object=SEED_ID, action=RECOVERY).count() == 1
    assert Document.objects.get(pk=SEED_ID).curated == {}  # all the source's again


def test_a_stale_version_changes_nothing(archive):
    edit({"title": "First edit"}, 1)
    with pytest.raises(VersionConflict) as conflict:
        edit({"title": "From a stale page"}, 1)
    assert conflict.value.current["title"] == "First edit"
    assert conflict.value.current["version"] == 2
    assert load_document(SEED_ID).title == "First edit"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": 7}, "title"),
        ({"colour": "red"}, "colour"),
        ({"date": {"start": "1950-13-01"}}, "date.start"),
        ({"date": {"start": "1950-07-13", "end": "1950-07-01"}}, "date"),
        ({"agents": [{"name": "Stalin", "role": "emperor"}]}, "agents[0]"),
        ({"texts": [{"body": ""}]}, "texts[0]"),
        ({"doc_type": "x" * 61}, "doc_type"),
        ({"title": SEED_TITLE}, "title"),  # nothing would change
    ],
)
def test_a_bad_value_is_refused_naming_the_field(archive, changes, field):
    with pytest.raises(BadEdit) as refused:
        edit(changes, 1)
    assert refused.value.field == field
    assert Document.objects.get(pk=SEED_ID).version == 1


def test_a_comment_is_required(archive):
    with pytest.raises(BadEdit) as refused:
        edit({"title": "Why?"}, 1, comment=" ")
    assert refused.value.field == "comment"


def test_the_diff_shows_what_changed(archive):
    first = document_json(load_document(SEED_ID))
    second = edit({"title": "Changed <b>title</b>"}, 1)
    lines = diff_lines(first, second)
    assert ("remove", f'-  "title": "{SEED_TITLE}",') in lines
    assert ("add", '+  "title": "Changed <b>title</b>",') in lines
    assert not any('"version"' in line for kind, line in lines if kind != "same")
