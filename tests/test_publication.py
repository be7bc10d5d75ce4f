"""Publication control: statuses set at ingest and by `opis status`, kept by re-ingest, and what
they change for readers (search, OAI-PMH, threads, originals). The route-by-route check of every
URL is ``tests/web/test_access_matrix.py``; docs/publication.md says the rules.
"""

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from conftest import DFAT_VOLUME_2, SEED_ID, require, run_opis, run_opis_json
from opis.errors import BadEdit
from opis.ingest import ingest_paths
from opis.oai import listing
from opis.records.accounts import CURATOR, set_role
from opis.records.audit import DEACCESSION, PUBLICATION
from opis.records.holdings import archive_stats, collection_summaries
from opis.records.models import AuditEvent, Document, IndexChange, RecordVersion, ThreadLink
from opis.records.publication import parse_status, set_status
from opis.records.visibility import readers_threads
from opis.records.withdraw import withdraw
from opis.search import search
from opis.search.engine import hides_any
from opis.search.index import open_index, snapshot
from opis.search.indexer import apply_pending, index_figures, reindex


@pytest.fixture
def two_files(tmp_path) -> list[Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    return [Path(shutil.copy(p, folder)) for p in sorted(require(DFAT_VOLUME_2).glob("*.md"))[:2]]


def ids_found(query: str = "", *, staff: bool = False) -> set[str]:
    return {hit.id for hit in search(query, per_page=100, staff=staff).results}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("published", ("published", None)),
        ("draft", ("draft", None)),
        ("embargoed:2030-01-01", ("embargoed", "2030-01-01")),
    ],
)
def test_a_status_is_read_as_written(text, expected):
    status, until = parse_status(text)
    assert (status, until.isoformat() if until else None) == expected


@pytest.mark.parametrize(
    "text", ["public", "embargoed", "embargoed:2030-13-01", "draft:2030-01-01"]
)
def test_a_bad_status_names_the_rule(text):
    with pytest.raises(BadEdit, match="status"):
        parse_status(text)


def test_ingest_as_draft_then_reingest_keeps_status_and_counts_versions(
    db, isolated_index, two_files
):
    until = timezone.localdate() + timedelta(days=10)
    report = ingest_paths(two_files, status="embargoed", embargo_until=until).as_json()
    ids = [d["id"] for d in report["documents"]]
    assert {d.status for d in Document.objects.filter(pk__in=ids)} == {"embargoed"}
    assert ids_found("", staff=False).isdisjoint(ids)
    assert set(ids) <= ids_found("", staff=True)

    first = ids[0]
    set_status(first, "draft", reason="not yet")
    Document.objects.filter(pk=first).update(curated={"title": "as the source had it"})
    version = Document.objects.get(pk=first).version
    # A changed file, ingested "published": the record keeps its own status, curation, embargo.
    two_files[0].write_text(two_files[0].read_text() + "\nOne more line.\n")
    assert ingest_paths(two_files, status="published").ok
    again = Document.objects.get(pk=first)
    assert again.status == "draft"
    assert set(again.curated) == {"title"}  # the curator's field stays curated (docs/curation.md)
    assert again.version == version + 1  # replaced: +1
    other = Document.objects.get(pk=ids[1])
    assert (other.status, other.embargo_until, other.version) == ("embargoed", until, 1)


def test_a_status_change_is_a_version_an_audit_event_and_an_index_change(archive):
    before = Document.objects.get(pk=SEED_ID)
    IndexChange.objects.all().delete()
    changed = set_status(SEED_ID, "draft", reason="checking", actor="ana")
    assert changed.version == before.version + 1
    assert changed.updated_at > before.updated_at
    versions = RecordVersion.objects.filter(document_id=SEED_ID).order_by("number")
    assert [(v.number, v.action) for v in versions] == [
        (before.version, "ingest"),
        (before.version + 1, "status"),
    ]
    assert versions.last().record["status"] == "draft"
    assert IndexChange.objects.filter(document_id=SEED_ID).exists()
    event = AuditEvent.objects.filter(object=SEED_ID).last()
    assert (event.action, event.actor, event.detail["status"]) == (PUBLICATION, "ana", "draft")
    withdraw(SEED_ID, "duplicate", actor="ana")
    assert AuditEvent.objects.filter(object=SEED_ID).last().action == DEACCESSION
    assert Document.objects.get(pk=SEED_ID).status == "withdrawn"


def test_readers_search_hides_unpublished_records_in_hits_facets_and_counts(
    archive, isolated_index
):
    reindex()
    everything = search("", per_page=1, staff=True)
    set_status(SEED_ID, "draft")
    apply_pending()
    readers = search("", per_page=1)
    assert readers.total == everything.total - 1
    assert SEED_ID not in ids_found("jet fighter")
    assert SEED_ID in ids_found("jet fighter", staff=True)
    decades = lambda results: sum(v.count for v in results.facets["decade"])  # noqa: E731
    assert decades(readers) == decades(everything) - 1
    hit = search("jet fighter", staff=True).results[0]
    assert (hit.id, hit.status) == (SEED_ID, "draft")


def test_an_embargo_lifts_by_itself_without_a_reindex(archive, isolated_index):
    reindex()
    set_status(SEED_ID, "embargoed", until=timezone.localdate() + timedelta(days=1))
    apply_pending()
    assert SEED_ID not in ids_found("jet fighter")
    set_status(SEED_ID, "embargoed", until=timezone.localdate())
    apply_pending()
    assert SEED_ID in ids_found("jet fighter")


def test_readers_skip_their_filter_only_while_they_may_see_every_record(archive, isolated_index):
    """Where every record is published, the readers' filter would keep every hit, and their
    searches leave it out (``engine.hides_any``). The first record they may not see brings it
    back in the very next search: it is asked of each search's own index reader, not kept."""
    for document_id in archive.exclude(status="published").values_list("pk", flat=True):
        set_status(document_id, "published")
    reindex()
    today = timezone.localdate()
    assert not hides_any(open_index().schema, snapshot(open_index())[0], today)
    readers, staff = (
        search("jet fighter", per_page=100),
        search("jet fighter", per_page=100, staff=True),
    )
    assert SEED_ID in ids_found("jet fighter")
    assert [h.id for h in readers.results] == [h.id for h in staff.results]
    assert (readers.total, readers.facets) == (staff.total, staff.facets)

    set_status(SEED_ID, "embargoed", until=today + timedelta(days=1))
    apply_pending()
    searcher = snapshot(open_index())[0]
    assert hides_any(open_index().schema, searcher, today)
    assert not hides_any(open_index().schema, searcher, today + timedelta(days=1)), "it lifts"
    assert SEED_ID not in ids_found("jet fighter")
    assert search("", per_page=1).total == search("", per_page=1, staff=True).total - 1


def test_counts_for_readers_leave_unpublished_records_out_and_stats_say_how_many(archive):
    total = Document.objects.count()
    set_status(SEED_ID, "withdrawn")
    slug = Document.objects.get(pk=SEED_ID).collections.first().slug
    public = {c.slug: c.count for c in collection_summaries()}
    everything = {c.slug: c.count for c in collection_summaries(public=False)}
    assert public[slug] == everything[slug] - 1
    stats = archive_stats()
    assert stats["documents"] == total
    assert stats["statuses"]["unpublished"] == 1


def test_oai_lists_a_withdrawn_record_as_deleted_and_a_draft_never(archive):
    draft = archive.exclude(pk=SEED_ID).order_by("pk").first()
    set_status(draft.pk, "draft")
    withdraw(SEED_ID, "duplicate")
    listed = {
        entry.document_id: entry.deleted
        for entry in listing.Selection().page(None, 10**6, full=False)
    }
    assert listed[SEED_ID] is True
    assert draft.pk not in listed
    assert listing.find(draft.pk) is None


def test_an_embargo_that_ended_is_harvested_as_of_its_day(archive):
    ended = timezone.localdate() - timedelta(days=3)
    set_status(SEED_ID, "embargoed", until=ended)
    since = timezone.now() - timedelta(days=1)
    Document.objects.filter(pk=SEED_ID).update(updated_at=timezone.now() - timedelta(days=30))
    entry = listing.find(SEED_ID)
    assert entry.stamp.date() == ended
    selection = listing.Selection(since=since)
    assert SEED_ID not in [e.document_id for e in selection.page(None, 10**6, full=False)]


def test_readers_do_not_follow_thread_links_to_unpublished_cables(archive):
    source, target = archive.order_by("pk").values_list("pk", flat=True)[:2]
    ThreadLink.objects.create(source_id=source, position=0, target_id=target, text="your 466")
    set_status(target, "draft")
    threads = {"refers_to": [{"id": target, "text": "your 466"}], "referred_by": []}
    assert readers_threads(threads)["refers_to"] == [{"id": None, "text": "your 466"}]
    back = {"refers_to": [], "referred_by": [{"id": target, "text": "my 12"}]}
    assert readers_threads(back)["referred_by"] == []


def test_originals_are_cached_an_hour_never_immutable(client, archive):
    document = Document.objects.get(pk=SEED_ID)
    response = client.get(f"/originals/{document.source_sha256}")
    response.close()
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=3600"
    set_status(SEED_ID, "draft")
    assert client.get(f"/originals/{document.source_sha256}").status_code == 404


def test_opis_status_and_search_and_stats_from_the_command_line(tmp_path, seed_path):
    run_opis(tmp_path, "ingest", "--status", "draft", str(seed_path))
    stats, _ = run_opis_json(tmp_path, "stats")
    assert stats["statuses"]["unpublished"] == stats["documents"] >= 1
    assert "(draft)" in run_opis(tmp_path, "search", "jet fighter").stdout
    changed, _ = run_opis_json(
        tmp_path, "status", SEED_ID, "embargoed", "--until", "2030-01-01", "--reason", "donor"
    )
    assert changed["status"] == "embargoed" and changed["embargo_until"] == "2030-01-01"
    refused = run_opis(tmp_path, "status", SEED_ID, "embargoed", check=False)
    assert refused.returncode != 0 and "YYYY-MM-DD" in refused.stderr
    every, _ = run_opis(tmp_path, "export", "--format", "jsonl"), None
    assert SEED_ID in every.stdout
    public = run_opis(tmp_path, "export", "--format", "jsonl", "--published-only")
    assert SEED_ID not in public.stdout


def test_staff_see_an_unpublished_record_with_its_badge_and_readers_a_plain_404(
    client, archive, isolated_index
):
    reindex()
    until = timezone.localdate() + timedelta(days=5)
    set_status(SEED_ID, "embargoed", until=until)
    apply_pending()
    absent = client.get("/documents/no-such-record")
    refused = client.get(f"/documents/{SEED_ID}")
    assert refused.status_code == absent.status_code == 404
    assert client.get(f"/api/documents/{SEED_ID}").json()["error"]["message"] == (
        client.get("/api/documents/no-such-record")
        .json()["error"]["message"]
        .replace("no-such-record", SEED_ID)
    )
    curator = User.objects.create_user("badge-curator")
    set_role(curator, CURATOR)
    client.force_login(curator)
    badge = f"Embargoed until {until.isoformat()}"
    assert badge in client.get(f"/documents/{SEED_ID}").content.decode()
    assert badge in client.get("/search?q=jet+fighter").content.decode()
    record = client.get(f"/api/documents/{SEED_ID}").json()
    assert (record["status"], record["embargo_until"]) == ("embargoed", until.isoformat())


def test_an_index_of_an_older_schema_is_rebuilt_from_the_catalogue(archive, isolated_index):
    isolated_index.mkdir(parents=True, exist_ok=True)
    (isolated_index / "opis-index.json").write_text('{"schema_version": 2}')
    IndexChange.objects.all().delete()
    assert ids_found("jet fighter") == set()  # opened: set aside, with its place in the log
    assert index_figures()["pending"] == Document.objects.count()  # all of it is due
    apply_pending()
    assert SEED_ID in ids_found("jet fighter")
