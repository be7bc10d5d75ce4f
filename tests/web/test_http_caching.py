"""HTTP caching: what a browser may keep, what the server keeps, and when either stops holding.

- Record pages, the JSON record, citations, originals and page images carry validators; a
  conditional GET that still holds is a bodiless 304, and one after a change is a full 200.
- An anonymous reader's record page and search page are shared between readers (each with their
  own CSRF token); a signed-in person's page is never shared, stored or validated.
- Nothing a reader may not see is ever answered from a cache, a 304 included.
- An edit, a publication change and an ingest are seen at once.
"""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, RequestFactory

from conftest import DFAT_VOLUME_2, FOIA, SEED_ID, SEED_TITLE, require
from opis.curate.edit import edit_record
from opis.records.accounts import CURATOR, set_role
from opis.records.models import Document
from opis.records.publication import set_status
from opis.web.caching import CSRF_PLACEHOLDER, shared_page

PAGE = f"/documents/{SEED_ID}"
CURATOR_NAME = "zwolinska"  # a name no record holds
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def conditional(client: Client, url: str, first) -> dict:
    """Headers that make a GET conditional on the copy ``first`` answered."""
    headers = {}
    if first.has_header("ETag"):
        headers["If-None-Match"] = first["ETag"]
    if first.has_header("Last-Modified"):
        headers["If-Modified-Since"] = first["Last-Modified"]
    return headers


def read(response) -> bytes:
    """The body; a file is read to its end, which closes it as a server would."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def revalidated(client: Client, url: str, **only):
    """GET ``url``, then GET it again naming that copy; both responses."""
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    read(first)
    headers = only or conditional(client, url, first)
    return first, client.get(url, headers=headers)


def edit_title(document_id: str, title: str) -> None:
    version = Document.objects.get(pk=document_id).version
    edit_record(document_id, {"title": title}, actor="ana", comment="test", version=version)


def curator_client() -> Client:
    user = User.objects.create_user(CURATOR_NAME, password="unused")
    set_role(user, CURATOR)
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def scan(db, isolated_index) -> str:
    """A real FOIA scan, ingested with its own text layer: its sha256."""
    from opis.ingest import ingest_paths

    pdf = require(FOIA / "F-1986-04261" / "C09000034.pdf")
    report = ingest_paths([pdf], ocr="never").as_json()
    assert report["ingested"] == 1, report
    return Document.objects.get(pk=report["documents"][0]["id"]).source_sha256


def seed_sha(archive) -> str:
    return Document.objects.get(pk=SEED_ID).source_sha256


@pytest.mark.parametrize(
    "url",
    [
        PAGE,
        f"/api/documents/{SEED_ID}",
        f"/api/documents/{SEED_ID}/cite?style=bibtex",
        f"/api/documents/{SEED_ID}/cite?style=ris",
        "/originals/{sha}",
    ],
)
def test_a_copy_that_still_holds_is_a_bodiless_304(client, archive, url):
    url = url.format(sha=seed_sha(archive))
    first, second = revalidated(client, url)
    assert second.status_code == 304
    assert second.content == b""
    assert second["ETag"] == first["ETag"]
    assert "Cookie" in second["Vary"]


def test_a_page_image_is_validated_by_its_content_name(client, scan):
    url = f"/scans/{scan}/1.png"
    first, second = revalidated(client, url)
    assert first["Content-Type"] == "image/png"
    assert first["ETag"].startswith(f'"{scan}-1-')
    assert second.status_code == 304
    other = client.get(url, headers={"If-None-Match": '"another"'})
    assert other.status_code == 200
    assert read(other).startswith(b"\x89PNG")


@pytest.mark.parametrize("header", ["If-None-Match", "If-Modified-Since"])
def test_either_validator_alone_answers_304_for_the_record_page(client, archive, header):
    first = client.get(PAGE)
    validator = first["ETag" if header == "If-None-Match" else "Last-Modified"]
    assert client.get(PAGE, headers={header: validator}).status_code == 304


def test_the_json_record_keeps_the_apis_rule_its_version(client, archive):
    version = Document.objects.get(pk=SEED_ID).version
    first, second = revalidated(
        client, f"/api/documents/{SEED_ID}", **{"If-None-Match": f'"{version}"'}
    )
    assert first["ETag"] == f'"{version}"'
    assert second.status_code == 304


@pytest.mark.parametrize(
    "url", [PAGE, f"/api/documents/{SEED_ID}", f"/api/documents/{SEED_ID}/cite?style=bibtex"]
)
def test_an_edit_changes_the_validator_and_the_page(client, archive, url):
    first = client.get(url)
    edit_title(SEED_ID, "A title a curator corrected")
    second = client.get(url, headers=conditional(client, url, first))
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert "A title a curator corrected" in second.content.decode()
    assert "A title a curator corrected" not in first.content.decode()


def test_a_record_withdrawn_is_never_answered_from_a_cache(client, archive):
    first = client.get(PAGE)
    assert SEED_TITLE.encode() in first.content
    set_status(SEED_ID, "draft", actor="ana", reason="test")
    for headers in ({}, conditional(client, PAGE, first), {"If-None-Match": "*"}):
        again = client.get(PAGE, headers=headers)
        assert again.status_code == 404
        assert SEED_TITLE.encode() not in again.content
        assert not again.has_header("ETag")
    set_status(SEED_ID, "published", actor="ana", reason="test")
    back = client.get(PAGE, headers=conditional(client, PAGE, first))
    assert back.status_code == 200  # published again: a new version, so a full page
    assert SEED_TITLE.encode() in back.content


def test_an_unpublished_original_is_never_validated_for_a_reader(client, archive):
    sha = seed_sha(archive)
    first = client.get(f"/originals/{sha}")
    read(first)
    set_status(SEED_ID, "draft", actor="ana", reason="test")
    again = client.get(f"/originals/{sha}", headers=conditional(client, "", first))
    assert again.status_code == 404


def test_readers_share_a_page_but_never_a_csrf_token(archive):
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first, second = one.get(PAGE), two.get(PAGE)
    tokens = TOKEN.findall(first.content), TOKEN.findall(second.content)
    assert tokens[0] and tokens[1]
    assert set(tokens[0]).isdisjoint(tokens[1])
    assert CSRF_PLACEHOLDER.encode() not in first.content + second.content
    # the shared page's form works for the reader it was sent to: their token, their cookie
    sent = two.post(
        f"{PAGE}/corrections",
        {"csrfmiddlewaretoken": tokens[1][0].decode(), "note": "The date is wrong.", "field": ""},
    )
    assert sent.status_code == 302


def test_threads_missing_the_same_page_at_once_render_it_once():
    """After an index commit every thread of a busy process misses the same key together; one
    renders, the others wait for its page (an ingest's commits must not multiply the work)."""
    renders, started = [], threading.Barrier(8)

    def render(context):
        renders.append(context)
        time.sleep(0.2)  # long enough for the other threads to arrive and wait
        return HttpResponse(b"<p>the page</p>", content_type="text/html")

    def reader(_):
        started.wait()
        return shared_page(RequestFactory().get(PAGE), f"opis:test-page:{id(renders)}", render)

    with ThreadPoolExecutor(8) as pool:
        pages = list(pool.map(reader, range(8)))
    assert len(renders) == 1
    assert {page.content for page in pages} == {b"<p>the page</p>"}


def test_a_curator_never_gets_a_readers_page_nor_a_reader_a_curators(client, archive):
    reader_first = client.get(PAGE)
    curator = curator_client()
    staff = curator.get(PAGE, headers=conditional(client, PAGE, reader_first))
    assert staff.status_code == 200
    assert CURATOR_NAME.encode() in staff.content and b"/edit" in staff.content
    assert not staff.has_header("ETag")
    assert "no-store" in staff["Cache-Control"]
    reader_again = client.get(PAGE)
    assert CURATOR_NAME.encode() not in reader_again.content
    assert b"Signed in as" not in reader_again.content
    assert f"/documents/{SEED_ID}/edit".encode() not in reader_again.content


@pytest.mark.parametrize("url", ["/search?q=Roshchin", "/search?q=Roshchin&sort=date"])
def test_a_readers_kept_search_page_is_never_a_curators_nor_the_reverse(client, archive, url):
    curator = curator_client()
    for first, second in ((client, curator), (curator, client)):
        first.get(url)
        page = second.get(url).content
        assert (CURATOR_NAME.encode() in page) == (second is curator)
    assert client.get(url).content.count(b"/documents/" + SEED_ID.encode()) >= 1


def test_a_draft_curators_see_is_not_shared_with_readers(client, archive):
    set_status(SEED_ID, "draft", actor="ana", reason="test")
    assert curator_client().get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 404


def test_an_ingest_ends_a_cached_search(client, archive, isolated_index):
    from opis.ingest import ingest_paths

    query = "/search?q=Czechoslovakia"
    api = "/api/search?q=Czechoslovakia"
    before, api_before = client.get(query), client.get(api).json()
    assert client.get(query).content == before.content  # the same page, now kept
    report = ingest_paths([require(DFAT_VOLUME_2)]).as_json()
    assert report["ingested"] > 0
    after, api_after = client.get(query), client.get(api).json()
    assert api_after["total"] > api_before["total"]
    assert after.content != before.content


def test_searches_are_not_kept_when_the_setting_says_0(client, archive, settings, isolated_index):
    from opis.ingest import ingest_paths

    settings.OPIS_SEARCH_CACHE_SECONDS = 0
    assert client.get("/api/search?q=Czechoslovakia").json()["total"] == 0
    ingest_paths([require(DFAT_VOLUME_2)])
    assert client.get("/api/search?q=Czechoslovakia").json()["total"] > 0


def test_a_commit_by_another_process_is_never_kept_under_its_name_as_the_old_answer(
    archive, isolated_index
):
    """A search is kept under the identity of the index's last commit. A commit made by another
    process (here: a second handle on the same folder, as ``opis ingest`` holds one) is seen by
    this process's reader only when its poll of ``meta.json`` comes round; an answer found before
    then must not be kept under the new commit's name for the cache's whole minute."""
    import tantivy

    from opis.search.index import handle
    from opis.web.caching import searched

    def found() -> int:
        return searched("Zwolinskaquux", sort="relevance", page=1, per_page=10, staff=False).total

    assert found() == 0  # this process's index is open, its answer kept
    writer = handle(isolated_index).writer(heap_size=15_000_000, num_threads=1)
    writer.add_document(tantivy.Document(
        id="elsewhere-1", title="Zwolinskaquux", body="Zwolinskaquux", doc_type="cable",
        status="published", public_from=0, year=1950,
    ))  # fmt: skip
    writer.commit()
    writer.wait_merging_threads()
    del writer
    assert found() == 1  # at once, though the reader's own poll has not come round
    time.sleep(1.2)
    assert found() == 1
