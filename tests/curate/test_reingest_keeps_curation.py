"""Re-ingest never silently undoes a curator: curated fields keep the curator's value, and where
the source changed under them a review item asks a curator to settle it."""

import pytest
from django.contrib.auth.models import User

from conftest import SEED_ID, SEED_TITLE
from opis.curate.edit import edit_record
from opis.curate.review import open_items, settle
from opis.ingest import ingest_paths
from opis.records.accounts import set_role
from opis.records.models import Document, ReviewItem
from opis.records.serialize import document_json, load_document

CURATED_TITLE = "Ciphered telegram No. 3305, Filippov [Stalin] to Zhou Enlai or Mao Zedong"


@pytest.fixture
def seed_copy(archive, seed_path, tmp_path, isolated_index):
    """The seed as a file of its own, ingested: the record now comes from this copy."""
    copy = tmp_path / "seed.md"
    copy.write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    assert ingest_paths([copy], force=True).ok
    return copy


def curate_title(version: int) -> None:
    edit_record(
        SEED_ID, {"title": CURATED_TITLE}, actor="curie", comment="the number", version=version
    )


def rewrite(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_changed_source_keeps_the_curation_and_asks(seed_copy):
    curate_title(Document.objects.get(pk=SEED_ID).version)
    rewrite(seed_copy, "**Ciphered telegram, Filippov", "**Coded telegram, Filippov")
    rewrite(seed_copy, "Telegram from Stalin to Mao", "Cable from Stalin to Mao")
    report = ingest_paths([seed_copy])
    assert report.ok and report.documents[0]["status"] == "updated"
    record = document_json(load_document(SEED_ID))
    assert record["title"] == CURATED_TITLE  # the curator's
    assert record["summary"].startswith("Cable from Stalin")  # the source's, untouched by curators
    items = list(ReviewItem.objects.filter(document_id=SEED_ID, settled_at__isnull=True))
    assert [(i.kind, i.field) for i in items] == [("source-changed", "title")]
    detail = items[0].detail
    assert detail["source_before"] == SEED_TITLE
    assert detail["source_now"].startswith("Coded telegram")
    assert detail["curated"] == CURATED_TITLE

    again = ingest_paths([seed_copy], force=True)  # the same source, read again: nothing new
    assert again.ok
    assert ReviewItem.objects.filter(document_id=SEED_ID).count() == 1
    assert load_document(SEED_ID).title == CURATED_TITLE


def test_an_unchanged_source_raises_nothing(seed_copy):
    curate_title(Document.objects.get(pk=SEED_ID).version)
    assert ingest_paths([seed_copy], force=True).ok
    assert load_document(SEED_ID).title == CURATED_TITLE
    assert not ReviewItem.objects.filter(document_id=SEED_ID).exists()


@pytest.mark.parametrize(("choice", "title"), [("keep", CURATED_TITLE), ("source", "Coded")])
def test_settling_keeps_the_curation_or_takes_the_source(seed_copy, choice, title):
    curate_title(Document.objects.get(pk=SEED_ID).version)
    rewrite(seed_copy, "**Ciphered telegram, Filippov", "**Coded telegram, Filippov")
    assert ingest_paths([seed_copy]).ok
    (item,) = open_items()
    curator = User.objects.create_user("curie")
    set_role(curator, "curator")
    settle(item.pk, choice, actor=curator.username)
    assert load_document(SEED_ID).title.startswith(title)
    assert not open_items()
    curated = Document.objects.get(pk=SEED_ID).curated
    assert ("title" in curated) == (choice == "keep")
