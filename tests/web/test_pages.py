"""The reading room as a person meets it: pages, search, facets, records and errors.

Runs on the session archive (the seed telegram and one DFAT volume) through Django's test client.
"""

import hashlib
import html
import re

import pytest
from hostile import HOSTILE_QUERIES

from conftest import SEED_ID
from opis.records.models import Collection, Document
from opis.search import search
from opis.web.middleware import POLICY


def text_of(response) -> str:
    """The text of the page's <main>, tags dropped and spaces collapsed, as a reader sees it."""
    body = response.content.decode()
    body = body[body.index("<main") : body.index("</main>")]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", body).split()))


def test_home_shows_what_the_archive_holds(client, archive):
    response = client.get("/")
    assert response.status_code == 200
    page = text_of(response)
    total = Document.objects.count()
    assert f"Search {total} diplomatic documents" in page
    for collection in Collection.objects.all():
        count = collection.documents.count()
        assert collection.title in page
        assert f"{count} document{'s' if count != 1 else ''}" in page
    assert "Wilson Center Digital Archive" in page  # the series heading
    assert 'href="/search?q=decade%3A1950"' in response.content.decode()
    assert 'name="q"' in response.content.decode()


def test_home_decade_bars_give_counts_as_text(client, archive):
    response = client.get("/")
    bars = {bar["label"]: bar["count"] for bar in response.context["decades"]}
    assert bars["1950s"] == Document.objects.filter(date_start__year__range=(1950, 1959)).count()
    assert re.search(r"1950s</a>.*?bars__count\">1<", response.content.decode(), re.S)


def test_search_finds_the_seed_with_a_highlighted_snippet(client, archive):
    response = client.get("/search", {"q": "jet fighter"})
    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="/documents/{SEED_ID}"' in content
    assert "<b>jet</b>" in content and "<b>fighter</b>" in content
    assert "July 13, 1950" in text_of(response)


def test_facets_have_counts_and_links_that_narrow(client, archive):
    everything = client.get("/search", {"q": ""})
    groups = {group.name: group for group in everything.context["facet_groups"]}
    assert {"decade", "year", "type", "lang", "archive", "collection"} <= set(groups)
    telegram = next(v for v in groups["type"].values if v.label == "telegram")
    assert telegram.count > 0
    assert html.escape(telegram.url) in everything.content.decode()

    narrowed = client.get(telegram.url)
    assert narrowed.context["query"] == "type:telegram"
    assert narrowed.context["results"].total == telegram.count
    assert narrowed.context["results"].total < everything.context["results"].total
    chips = narrowed.context["chips"]
    assert [chip.label for chip in chips] == ["Document type: telegram"]
    assert chips[0].remove_url == "/search?q="


def test_language_and_collection_facets_read_as_names(client, archive):
    page = text_of(client.get("/search", {"q": "jet fighter"}))
    assert "Russian (ru)" in page
    assert "Wilson Center Digital Archive" in page
    assert "Repository" in page and "APRF" in page and "AVP RF" in page


def test_an_active_facet_links_back_to_the_wider_search(client, archive):
    response = client.get("/search", {"q": "jet fighter lang:ru"})
    languages = next(g for g in response.context["facet_groups"] if g.name == "lang")
    russian = next(v for v in languages.values if v.label == "Russian (ru)")
    assert russian.active
    assert russian.url == "/search?q=jet+fighter"
    assert 'aria-current="true"' in response.content.decode()


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sorting_by_date(client, archive, sort):
    response = client.get("/search", {"q": "", "sort": sort})
    starts = [hit.date["start"] for hit in response.context["results"].results]
    assert starts == sorted(starts, reverse=sort == "-date")
    assert re.search(rf'<option value="{sort}" selected>', response.content.decode())


def test_pagination_moves_through_the_results(client, archive):
    first = client.get("/search", {"q": ""})
    second = client.get("/search", {"q": "", "page": 2})
    assert second.context["results"].page == 2
    assert not {h.id for h in first.context["results"].results} & {
        h.id for h in second.context["results"].results
    }
    content = second.content.decode()
    assert 'rel="prev"' in content and 'href="/search?q="' in content
    assert 'href="/search?q=&amp;page=3"' in content
    assert '<span aria-current="page">2</span>' in content
    assert "21–40 of" in text_of(second)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999999", "5" * 5000])
def test_a_bad_page_number_is_a_polite_400(client, archive, page):
    response = client.get("/search", {"q": "", "page": page})
    assert response.status_code == 400
    assert "page" in text_of(response)
    assert response["Content-Security-Policy"] == POLICY


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:20]))
def test_hostile_queries_get_a_page_and_an_explanation(client, archive, query):
    response = client.get("/search", {"q": query})
    assert response.status_code == 200
    page = text_of(response)
    for message in search(query).messages:
        assert message in page
    results = response.context["results"]
    assert results.total > 0 or "Suggestions" in page
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_page_past_the_last_one_says_how_many_there_are(client, archive):
    response = client.get("/search", {"q": "jet fighter", "page": 3})
    assert response.status_code == 400
    assert "page=3 is past the end: this search has 1 page(s)" in text_of(response)


def test_no_results_page_offers_suggestions(client, archive):
    response = client.get("/search", {"q": "zzqqxx type:telegram"})
    page = text_of(response)
    assert "No documents found" in page
    assert "Remove a filter above" in page
    assert "Browse the collections" in page


def test_document_page_shows_each_archival_location_as_parts(client, archive):
    response = client.get(f"/documents/{SEED_ID}")
    assert response.status_code == 200
    locations = response.context["locations"]
    assert [dict(loc["parts"]) for loc in locations] == [
        {"Repository": "APRF", "Fond": "45", "Opis": "1", "Delo": "331", "Folios": "85"},
        {
            "Repository": "AVP RF",
            "Fond": "059a",
            "Opis": "5a",
            "Delo": "3",
            "Papka": "11",
            "Folios": "118",
        },
        {"Repository": "RGASPI", "Fond": "558", "Opis": "11", "Delo": "334", "Folios": "0085"},
    ]
    content = response.content.decode()
    for label, value in [("Repository", "AVP RF"), ("Fond", "059a"), ("Papka", "11")]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in content
    assert "As cited: RGASPI, f. 558, op. 11, d. 334, ll.0085" in text_of(response)


def test_document_page_reads_in_the_order_of_the_reference_record(client, archive):
    page = text_of(client.get(f"/documents/{SEED_ID}"))
    order = [
        "July 13, 1950",
        "Ciphered telegram, Filippov [Stalin] to Zhou Enlai or Mao Zedong (via Roshchin)",
        "Telegram",
        "Citation",
        "Archival locations",
        "Summary",
        "Original language Russian (ru)",
        "People",
        "Contents",
        "Collection",
        "Provenance",
    ]
    positions = [page.index(part) for part in order]
    assert positions == sorted(positions)


def test_document_page_names_people_with_their_roles(client, archive):
    page = text_of(client.get(f"/documents/{SEED_ID}"))
    for line in [
        "Stalin — signatory, signed as Filippov",
        "Zhou Enlai — alternative recipient",
        "Mao Zedong — alternative recipient",
        "Roshchin — intermediary",
        "Stalin — copy recipient (2 copies)",
        "Molotov — copy recipient",
    ]:
        assert line in page


def test_document_page_keeps_the_text_and_its_paragraphs(client, archive):
    response = client.get(f"/documents/{SEED_ID}")
    content = response.content.decode()
    assert "Translation - English" in content
    assert "English (en), translation" in text_of(response)
    # paragraphs are anchored passages (tests/web/test_share.py); line breaks stay inside them
    assert re.search(
        r'lang="en">\s*<p class="passage" id="p-1">CIPHERED TELEGRAM No. 3305\n', content
    )
    assert re.search(r"Communicate your views\.<a [^>]+>¶</a></p>\s*<p [^>]+>As regards", content)
    assert f'href="/api/documents/{SEED_ID}"' in content
    assert 'href="https://digitalarchive.umd.edu/document/110692"' in content
    page = text_of(response)
    assert "wilson-record" in page and "stalin-to-mao-zhou-1950-07-13.md" in page
    sha = Document.objects.get(pk=SEED_ID).source_sha256
    assert sha in page


def test_unknown_document_is_a_404_page_that_names_the_id(client, archive):
    response = client.get("/documents/frus1918Russiav03/d101")
    assert response.status_code == 404
    page = text_of(response)
    assert "No document “frus1918Russiav03/d101”" in page
    assert 'action="/search"' in response.content.decode()


def test_unknown_page_is_a_404_in_the_house_style(client, archive):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is no page at /no/such/page." in text_of(response)
    assert "opis.css" in response.content.decode()


def test_collection_pages_list_documents_in_date_order(client, archive):
    listing = client.get("/collections/")
    assert listing.status_code == 200
    volume = Collection.objects.filter(slug__startswith="dfat-").first()
    assert f'href="/collections/{volume.slug}"' in listing.content.decode()

    response = client.get(f"/collections/{volume.slug}")
    assert response.status_code == 200
    documents = list(response.context["page"].object_list)
    assert [d.date_start for d in documents] == sorted(d.date_start for d in documents)
    assert f"{volume.documents.count()} documents" in text_of(response)
    assert client.get(f"/collections/{volume.slug}", {"page": 2}).status_code == 200
    assert client.get(f"/collections/{volume.slug}", {"page": 999}).status_code == 400


def test_unknown_collection_is_a_404_page(client, archive):
    response = client.get("/collections/no-such-volume")
    assert response.status_code == 404
    assert "No collection “no-such-volume”" in text_of(response)


def test_server_error_page_apologises_without_details(rf):
    from opis.web.views import server_error

    response = server_error(rf.get("/documents/x"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/search?q=jet+fighter",
        "/search?q=%22",
        f"/documents/{SEED_ID}",
        "/collections/",
        "/collections/wilson-center-digital-archive",
        "/documents/no-such-id",
        "/search?page=abc",
        "/api/docs",
    ],
)
def test_every_html_page_carries_the_strict_csp(client, archive, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == POLICY
    content = response.content.decode()
    assert " style=" not in content
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", content)


def test_static_files_are_served_without_debug(client, settings, db):
    settings.DEBUG = False
    css = client.get("/static/opis/opis.css")
    assert css.status_code == 200
    assert b"".join(css.streaming_content).startswith(b"/* opis reading room")
    swagger = client.get("/static/ninja/swagger-ui-bundle.js")
    assert swagger.status_code == 200
    for response in (css, swagger):
        response.close()
    assert client.get("/static/opis/nothing.css").status_code == 404


HOSTILE_RECORD = """**July 14, 1950**

**Letter, Filippov [<script>alert(1)</script>] to Mao Zedong <img src=x onerror=alert(2)>**

**Citation:**

"Letter <script>alert(1)</script>", July 14, 1950, Wilson Center Digital Archive, APRF, \
Fond 45, Opis 1, Delo <i>332</i>, List 1. <https://digitalarchive.umd.edu/document/999001>

**Summary:**

A summary with <script>alert(1)</script> and <img src=x onerror=alert(2)> in it.

**Original Language:**

Russian

**Contents:**

Translation - English

Body text: alert <script>alert(1)</script> & <b onmouseover="alert(3)">bold</b>.

Copies: <script>alert(1)</script> (2)
"""
RAW_MARKUP = ["<script>alert(1)</script>", "<img src=x", "<i>332</i>", "<b onmouseover"]


@pytest.fixture
def hostile_record(tmp_path, db, isolated_index):
    """A Wilson-layout record whose title, summary, citation and body carry live markup."""
    from opis.ingest import ingest_paths

    path = tmp_path / "hostile.md"
    path.write_text(HOSTILE_RECORD, encoding="utf-8")
    report = ingest_paths([path])
    assert report.as_json()["ingested"] == 1, report.as_json()
    return "wcda-999001"


def test_stray_markup_is_escaped_on_every_page(client, hostile_record):
    urls = [
        "/",
        "/search?q=alert",
        "/search?q=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/search?q=",
        f"/documents/{hostile_record}",
        "/collections/",
        "/collections/wilson-center-digital-archive",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        for markup in RAW_MARKUP:
            assert markup not in content, (url, markup)
    record = client.get(f"/documents/{hostile_record}").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in record
    assert "&lt;img src=x onerror=alert(2)&gt;" in record
    assert hostile_record in client.get("/search?q=alert").content.decode()


def test_a_frus_document_with_a_slash_in_its_id_shows_its_printed_pages(client, frus_record):
    assert "/" in frus_record
    response = client.get(f"/documents/{frus_record}")
    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r'<a class="page-break" id="page-697"[^>]*>p\. 697</a>', content)
    assert f'href="/api/documents/{frus_record}"' in content
    assert client.get(f"/api/documents/{frus_record}").json()["id"] == frus_record


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (None, [("", "abcdef")]),
        ([{"n": "1", "offset": 0}, {"n": "2", "offset": 3}], [("1", "abc"), ("2", "def")]),
        ([{"n": "7", "offset": 2}], [("", "ab"), ("7", "cdef")]),
        ([{"n": "9", "offset": 6}], [("", "abcdef"), ("9", "")]),
        ([{"n": "x", "offset": 99}, {"n": "y", "offset": "2"}, "junk"], [("", "abcdef")]),
        ([{"n": "2", "offset": 4}, {"n": "1", "offset": 1}], [("", "abcd"), ("2", "ef")]),
    ],
)
def test_text_is_cut_at_trustworthy_page_breaks_only(pages, expected):
    from opis.web.display import text_segments

    segments = text_segments("abcdef", pages)
    assert [(segment.page, segment.text) for segment in segments] == expected


def test_the_telegram_details_read_as_the_document_writes_them(client, archive):
    page = client.get("/documents/wcda-110692").content.decode()
    assert "Stalin (2), Molotov" in page
    assert "13 July 1950, 03:15" in page
    assert "ZHOU ENLAI, MAO ZEDONG" in page
    assert "{&#x27;name&#x27;" not in page and "{'name'" not in page


def test_the_document_page_offers_the_original_file_as_received(client, archive, seed_path):
    page = client.get(f"/documents/{SEED_ID}").content.decode()
    sha256 = hashlib.sha256(seed_path.read_bytes()).hexdigest()
    assert f'href="/originals/{sha256}"' in page
    download = client.get(f"/originals/{sha256}")
    assert b"".join(download.streaming_content) == seed_path.read_bytes()
