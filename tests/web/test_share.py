"""Share links: every search is a URL, every document and passage has one, search engines get a
sitemap, and reference managers capture a page of results (COinS).

Runs on the session archive (the seed telegram and one DFAT volume) through Django's test client;
the FRUS sample and a two-text record are ingested where a test needs printed pages or texts.
"""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import SEED_ID, SEED_LOCATIONS
from opis.cite import csl_json
from opis.cite.coins import DUBLIN_CORE, context_object
from opis.cite.creators import inverted
from opis.cite.item_types import of_item
from opis.records.models import Collection, Document, Text
from opis.records.serialize import document_json, load_document
from opis.search import search
from opis.web.filters import search_url
from opis.web.passages import paragraph_spans, passages
from opis.web.sitemaps import DocumentSitemap
from opis.web.views import texts_with_passages

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
TWO_TEXTS = """**July 15, 1950**

**Letter, Zhou Enlai to Filippov [Stalin]**

**Citation:**

"Letter", July 15, 1950, Wilson Center Digital Archive, APRF, Fond 45, Opis 1, Delo 334, \
List 2. <https://digitalarchive.umd.edu/document/999002>

**Contents:**

Original - Russian

Первый абзац.

Второй абзац.

Translation - English

First paragraph.

Second paragraph.
"""


def page_tree(response):
    assert response.status_code == 200, response.content[:300]
    return lxml_html.fromstring(response.content.decode())


HIT_LINKS = "//h3[@class='hit__title']/a"


def klass(node, tag: str, name: str) -> list:
    """Elements ``tag`` of class ``name`` under ``node`` (XPath: lxml's CSS needs cssselect)."""
    return node.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def visible_text(passage) -> str:
    """A passage as a reader copies it: without its ¶ link and the printed page marks."""
    return "".join(
        (node.text or "") if node.tag == "p" else (node.tail or "")
        for node in [passage, *passage.iterchildren()]
    )


# ---- passages: paragraphs and printed pages with anchors --------------------------------------

BODY = "One line\nsame paragraph.\n\nSecond paragraph runs\nonto the next page.\n\n\n  Third."


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        # no page breaks: paragraphs only, single line breaks kept inside them
        (None, [("p-1", "", [("", "One line\nsame paragraph.")]),
                ("p-2", "", [("", "Second paragraph runs\nonto the next page.")]),
                ("p-3", "", [("", "  Third.")])]),
        # a page starting mid-paragraph is a mark inside it, and the paragraph spans both pages
        ([{"n": "100", "offset": 0}, {"n": "101", "offset": 53}],
         [("p-1", "100", [("100", "One line\nsame paragraph.")]),
          ("p-2", "100–101", [("", "Second paragraph runs\nonto "), ("101", "the next page.")]),
          ("p-3", "101", [("", "  Third.")])]),
        # a break in the blank lines between paragraphs opens the next one
        ([{"n": "7", "offset": 25}],
         [("p-1", "", [("", "One line\nsame paragraph.")]),
          ("p-2", "7", [("7", "Second paragraph runs\nonto the next page.")]),
          ("p-3", "7", [("", "  Third.")])]),
        # a break at the very end is kept, closing the last paragraph
        ([{"n": "9", "offset": len(BODY)}],
         [("p-1", "", [("", "One line\nsame paragraph.")]),
          ("p-2", "", [("", "Second paragraph runs\nonto the next page.")]),
          ("p-3", "", [("", "  Third."), ("9", "")])]),
    ],
)  # fmt: skip
def test_a_text_is_cut_into_paragraphs_with_page_marks_inside_them(pages, expected):
    found = passages(BODY, pages)
    assert [
        (
            p.anchor,
            p.pages,
            [(piece.page.n if piece.page else "", piece.text) for piece in p.pieces],
        )
        for p in found
    ] == expected
    assert "".join(piece.text for p in found for piece in p.pieces).replace("\n", "") == "".join(
        BODY[start:end] for start, end in paragraph_spans(BODY)
    ).replace("\n", "")


def test_page_anchors_are_safe_unique_and_carry_the_text_number():
    found = passages(
        "a\n\nb\n\nc",
        [{"n": "xii", "offset": 0}, {"n": "12 bis", "offset": 3}, {"n": "12 bis", "offset": 6}],
        prefix="t2-",
    )
    marks = [piece.page.anchor for p in found for piece in p.pieces if piece.page]
    assert marks == ["t2-page-xii", "t2-page-12-bis", "t2-page-12-bis-2"]
    assert [p.anchor for p in found] == ["t2-p-1", "t2-p-2", "t2-p-3"]
    assert passages("", [{"n": "1", "offset": 0}]) == [] and passages("\n \n", None) == []


def test_anchors_carry_the_text_number_only_when_there_are_several_texts():
    one = texts_with_passages([Text(body="a\n\nb", language="en")])
    assert [p.anchor for p in one[0]["passages"]] == ["p-1", "p-2"]
    two = texts_with_passages([Text(body="a", pages=[{"n": "5", "offset": 0}]), Text(body="b")])
    assert [p.anchor for text in two for p in text["passages"]] == ["t1-p-1", "t2-p-1"]
    assert two[0]["passages"][0].pieces[0].page.anchor == "t1-page-5"


def test_every_paragraph_of_the_seed_has_an_anchor_and_a_link_to_it(client, archive):
    tree = page_tree(client.get(f"/documents/{SEED_ID}"))
    body = Document.objects.get(pk=SEED_ID).texts.get().body
    paragraphs = klass(tree, "p", "passage")
    spans = paragraph_spans(body)
    assert len(paragraphs) == len(spans) > 10
    for number, (paragraph, (start, end)) in enumerate(zip(paragraphs, spans, strict=True), 1):
        assert paragraph.get("id") == f"p-{number}"
        link = klass(paragraph, "a", "passage__link")[0]
        assert link.get("href") == f"#p-{number}" and link.text == "¶"
        assert link.get("aria-label") == f"Link to this passage: paragraph {number}"
        assert visible_text(paragraph) == body[start:end]
    ids = [node.get("id") for node in tree.iter() if node.get("id")]
    assert len(ids) == len(set(ids)), "an anchor appears twice on the page"
    again = page_tree(client.get(f"/documents/{SEED_ID}")).xpath("//p[@class='passage']")
    assert [p.get("id") for p in again] == [p.get("id") for p in paragraphs]


def test_every_printed_page_of_a_frus_document_has_an_anchor(client, frus_record):
    text = Document.objects.get(pk=frus_record).texts.get()
    tree = page_tree(client.get(f"/documents/{frus_record}"))
    marks = klass(tree, "a", "page-break")
    assert [mark.get("data-page") for mark in marks] == [str(page["n"]) for page in text.pages]
    for mark in marks:
        assert mark.get("href") == "#" + mark.get("id") == f"#page-{mark.get('data-page')}"
        assert mark.text == f"p. {mark.get('data-page')}"
    first = klass(tree, "p", "passage")[-1]
    assert first.get("data-pages"), "the last paragraph knows the printed page it stands on"


def test_a_document_with_two_texts_numbers_its_anchors_per_text(
    client, tmp_path, db, isolated_index
):
    from opis.ingest import ingest_paths

    path = tmp_path / "two-texts.md"
    path.write_text(TWO_TEXTS, encoding="utf-8")
    assert ingest_paths([path]).as_json()["ingested"] == 1
    tree = page_tree(client.get("/documents/wcda-999002"))
    # side by side (issue 15): paragraph n of each text on row n, anchors numbered per text
    assert [p.get("id") for p in klass(tree, "*", "passage")] == [
        "t1-p-1",
        "t2-p-1",
        "t1-p-2",
        "t2-p-2",
    ]
    assert sorted(p.get("id") for p in klass(tree, "*", "passage")) == [
        "t1-p-1",
        "t1-p-2",
        "t2-p-1",
        "t2-p-2",
    ]
    label = klass(tree.get_element_by_id("t2-p-2"), "a", "passage__link")[0].get("aria-label")
    assert label == "Link to this passage: paragraph 2 of text 2"


# ---- every search is a URL ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "sort", "page"),
    [
        ("korea", "date", 1),
        ("", "relevance", 2),
        ("type:telegram", "-date", 1),
        ("china", "relevance", 2),
    ],
)
def test_a_search_url_restores_query_filters_sort_and_page(client, archive, query, sort, page):
    expected = search(query, sort=sort, page=page, per_page=20)
    if expected.pages < page:
        pytest.fail(f"the session archive should give {query!r} at least {page} pages")
    tree = page_tree(client.get(search_url(query, sort, page)))
    assert tree.get_element_by_id("search-q").get("value") == query
    hits = [a.get("href") for a in tree.xpath(HIT_LINKS)]
    assert hits == [f"/documents/{hit.id}" for hit in expected.results]
    if expected.total > 1:
        chosen = tree.xpath("//select[@id='sort']/option[@selected]")[0].get("value")
        assert chosen == expected.sort
    if expected.pages > 1:
        assert tree.xpath("//nav[@class='pagination']//*[@aria-current='page']")[0].text == str(
            page
        )
    # every link that changes one thing keeps the rest of the state
    for link in tree.xpath("//nav[@class='pagination']//a | //aside//a | //a[@class='chip']"):
        params = parse_qs(urlsplit(link.get("href")).query)
        assert params.get("sort", ["relevance"]) == [sort]
    for link in tree.xpath("//nav[@class='pagination']//a"):
        assert parse_qs(urlsplit(link.get("href")).query).get("q", [""]) == [query]


def test_a_facet_link_is_a_url_that_shows_its_filter_again(client, archive):
    tree = page_tree(client.get("/search?q=korea&sort=date"))
    facet = tree.xpath("//h3[@id='facet-type']/following-sibling::ul//a")[0]
    narrowed = page_tree(client.get(facet.get("href")))
    query = narrowed.get_element_by_id("search-q").get("value")
    assert query.startswith("korea type:")
    assert klass(narrowed, "a", "chip")
    assert narrowed.xpath("//input[@name='sort']")[0].get("value") == "date"


def test_the_search_page_links_its_whole_result_set_as_jsonl_and_csv(researcher_client, archive):
    tree = page_tree(
        researcher_client.get("/search", {"q": "korea type:telegram", "sort": "date", "page": "1"})
    )
    links = {
        a.text: a.get("href") for a in tree.xpath("//p[contains(@class, 'results__export')]/a")
    }
    assert set(links) == {"JSON Lines", "CSV"}
    for label, extension in (("JSON Lines", "jsonl"), ("CSV", "csv")):
        parts = urlsplit(links[label])
        assert parts.path == f"/export/search.{extension}"
        assert parse_qs(parts.query) == {"q": ["korea type:telegram"], "sort": ["date"]}


# ---- COinS -------------------------------------------------------------------------------------


def coins_of(tree) -> list[dict]:
    return [
        parse_qs(span.get("title"))
        for span in tree.xpath("//li[@class='hit']/span[@class='Z3988']")
    ]


def test_search_hits_carry_coins_that_parse_back_to_the_record(client, archive):
    tree = page_tree(client.get("/search", {"q": "jet fighter"}))
    assert len(coins_of(tree)) == len(klass(tree, "li", "hit"))
    seed = next(
        c for c in coins_of(tree) if c["rft_id"] == [f"http://testserver/documents/{SEED_ID}"]
    )
    record = document_json(load_document(SEED_ID))
    assert seed["ctx_ver"] == ["Z39.88-2004"]
    assert seed["rft_val_fmt"] == [DUBLIN_CORE] and seed["rft.type"] == ["letter"]
    assert seed["rft.title"] == [record["title"]]
    assert seed["rft.date"] == ["1950-07-13"]
    assert seed["rft.creator"] == ["Stalin, Iosif Vissarionovich"]
    assert seed["rft.source"] == ["; ".join(SEED_LOCATIONS)]
    assert seed["rft.publisher"] == ["Wilson Center Digital Archive"]
    assert seed["rft.description"] == [record["summary"]]


def test_a_dfat_hit_is_captured_as_a_letter_or_manuscript_printed_in_its_volume(client, archive):
    collection = Collection.objects.filter(series="Documents on Australian Foreign Policy").first()
    tree = page_tree(client.get("/search", {"q": f"collection:{collection.slug}"}))
    found = coins_of(tree)
    assert len(found) == 20
    for coins, hit in zip(found, tree.xpath(HIT_LINKS), strict=True):
        document_id = hit.get("href").removeprefix("/documents/")
        item = csl_json(document_json(load_document(document_id)))
        assert coins["rft_val_fmt"] == [DUBLIN_CORE] and "rft.genre" not in coins
        assert coins["rft.type"] == [of_item(item).zotero]  # never a creator-less book item
        assert coins["rft.title"] == [item["title"]]
        (relation,) = coins["rft.relation"]
        assert relation.startswith(f"Documents on Australian Foreign Policy, {collection.title}")
        assert coins.get("rft.creator", []) == [inverted(n) for n in item.get("author", [])]
        assert coins["rft_id"] == [f"http://testserver{hit.get('href')}"]


def test_coins_keep_every_character_and_leave_out_what_is_unknown():
    item = {
        "id": "x",
        "type": "manuscript",
        "title": "R&D + 100% = “ok”? a=b; Чичерин",
        "author": [{"literal": "Чичерин & Co"}],
        "issued": {"literal": "undated"},
    }
    coins = parse_qs(context_object(item, "https://archive.example/documents/a%2Fb?x=1&y=2"))
    assert coins["rft.title"] == [item["title"]] and coins["rft.creator"] == ["Чичерин & Co"]
    assert coins["rft_id"] == ["https://archive.example/documents/a%2Fb?x=1&y=2"]
    assert "rft.date" not in coins and "rft.source" not in coins
    month = {"type": "manuscript", "title": "t", "issued": {"date-parts": [[1950, 7], [1950, 8]]}}
    assert parse_qs(context_object(month, "u"))["rft.date"] == ["1950-07"]


# ---- sitemap and robots.txt --------------------------------------------------------------------


def xml(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def sitemap_locations(client) -> dict[str, str]:
    """Every URL the sitemap index leads to, with its lastmod; each file checked on the way."""
    index = xml(client.get("/sitemap.xml"))
    assert index.tag == f"{SITEMAP}sitemapindex"
    found: dict[str, str] = {}
    for entry in index.iter(f"{SITEMAP}sitemap"):
        parts = urlsplit(entry.findtext(f"{SITEMAP}loc"))
        urlset = xml(client.get(parts.path, parse_qs(parts.query)))
        assert urlset.tag == f"{SITEMAP}urlset"
        urls = list(urlset.iter(f"{SITEMAP}url"))
        assert 0 < len(urls) <= DocumentSitemap.limit
        for url in urls:
            location = url.findtext(f"{SITEMAP}loc")
            assert location not in found, f"{location} is listed twice"
            found[location] = url.findtext(f"{SITEMAP}lastmod")
    return found


def test_the_sitemap_lists_every_document_and_collection_with_its_lastmod(client, archive):
    found = sitemap_locations(client)
    for document in Document.objects.all():
        url = f"http://testserver/documents/{document.id}"
        assert found.pop(url) == document.updated_at.date().isoformat()
    for collection in Collection.objects.all():
        assert f"http://testserver/collections/{collection.slug}" in found
        found.pop(f"http://testserver/collections/{collection.slug}")
    assert set(found) == {"http://testserver/", "http://testserver/collections/"}


def test_the_sitemap_index_pages_a_large_archive_and_lastmod_follows_changes(
    client, archive, monkeypatch
):
    monkeypatch.setattr(DocumentSitemap, "limit", 7)
    total = Document.objects.count()
    index = xml(client.get("/sitemap.xml"))
    pages = [e.findtext(f"{SITEMAP}loc") for e in index.iter(f"{SITEMAP}sitemap")]
    documents = [loc for loc in pages if "/sitemap-documents.xml" in loc]
    assert len(documents) == -(-total // 7) > 1
    assert documents[1] == "http://testserver/sitemap-documents.xml?p=2"
    assert sum(1 for loc in sitemap_locations(client) if "/documents/" in loc) == total

    later = datetime.datetime(2031, 5, 6, 7, 8, tzinfo=datetime.UTC)
    Document.objects.filter(pk=SEED_ID).update(updated_at=later)
    assert sitemap_locations(client)[f"http://testserver/documents/{SEED_ID}"] == "2031-05-06"
    latest = [e.findtext(f"{SITEMAP}lastmod") for e in xml(client.get("/sitemap.xml"))]
    assert latest[0].startswith("2031-05-06T07:08:00")


@pytest.mark.parametrize(
    "url",
    ["/sitemap-documents.xml?p=0", "/sitemap-documents.xml?p=abc", "/sitemap-documents.xml?p=999",
     "/sitemap-nothing.xml", "/sitemap-documents.xml?p=-1"],
)  # fmt: skip
def test_a_sitemap_page_that_does_not_exist_is_a_404_page(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"Traceback" not in response.content


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_searches(client, archive):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/admin/", "/api/", "/export/", "/search"):
        assert f"Disallow: {path}" in lines
    assert not any(line.startswith("Disallow: /documents") for line in lines)


def test_search_pages_cite_each_hit_exactly_as_its_document_page_does(
    archive, django_assert_max_num_queries
):
    from opis.records.serialize import citable_records

    ids = list(Document.objects.values_list("id", flat=True))
    with django_assert_max_num_queries(6):  # however many ids: no query per document
        records = citable_records(ids)
    assert set(records) == set(ids)
    for document_id in ids:
        full = document_json(load_document(document_id))
        day = datetime.date(2025, 1, 2)
        assert csl_json(records[document_id], day) == csl_json(full, day), document_id
