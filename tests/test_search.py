"""Search: what each part of the query language finds, how results are ranked, sorted, faceted,
highlighted and paged.

Expectations come from the catalogue, not from the index: a filter must find exactly the documents
the catalogue says match it, and the operators must combine result sets as sets combine. The
``archive`` fixture holds the seed and one DFAT volume; documents made up for a test are ingested
into an index of their own (``isolated_index``).
"""

import re
from datetime import date
from pathlib import Path

import pytest
import tantivy

from all_pages import found_ids as ids  # the set algebra below reads best short
from conftest import SEED_ID
from opis.errors import BadQuery
from opis.ingest import ingest_paths
from opis.records.models import ArchivalLocation, Document
from opis.search import facets, search
from opis.search.engine import _listing_by_date, _run
from opis.search.index import open_index, snapshot
from opis.search.indexer import reindex


def everything() -> set[str]:
    return set(Document.objects.values_list("pk", flat=True))


def words_of(document_id: str) -> str:
    """All the text of a record that search looks at: title, summary, bodies, citation, places."""
    document = Document.objects.get(pk=document_id)
    parts = [document.title, document.summary, document.citation]
    parts += list(document.texts.values_list("body", flat=True))
    parts += list(document.locations.values_list("raw", flat=True))
    parts += [f"{r.agent.name} {r.signed_as}" for r in document.agent_roles.select_related("agent")]
    return "\n".join(parts)


def overlapping(start: date, end: date) -> set[str]:
    """Documents whose date interval overlaps [start, end], by the catalogue."""
    rows = Document.objects.filter(date_start__lte=end, date_end__gte=start)
    return set(rows.values_list("pk", flat=True))


# ---------------------------------------------------------------------------------------------
# Words and operators combine as sets.


def test_words_are_all_required(archive):
    both = ids("singapore naval")
    assert both == ids("singapore") & ids("naval")
    assert both and both != ids("singapore") and both != ids("naval")


def test_and_is_the_default(archive):
    assert ids("singapore AND naval") == ids("singapore naval")


def test_or_finds_either(archive):
    either = ids("singapore OR japan")
    assert either == ids("singapore") | ids("japan")
    assert either != ids("singapore") and either != ids("japan")


@pytest.mark.parametrize("query", ["singapore -naval", "singapore NOT naval"])
def test_exclusion(query, archive):
    excluded = ids(query)
    assert excluded == ids("singapore") - ids("naval")
    assert excluded and excluded != ids("singapore")


def test_exclusion_alone_excludes_from_everything(archive):
    assert ids("-naval") == everything() - ids("naval")


def test_groups(archive):
    assert ids("(singapore OR japan) -naval") == (ids("singapore") | ids("japan")) - ids("naval")


def test_a_phrase_needs_its_words_together(archive):
    phrase = ids('"naval base"')
    assert phrase and phrase < ids("naval base")
    for document_id in phrase:
        assert re.search(r"naval\W+bas", words_of(document_id), re.IGNORECASE), document_id


def test_words_match_in_any_form(archive):
    """Stemming: "conferences" finds what "conference" finds."""
    assert ids("conferences") == ids("conference")


_ALL_WORDS: dict[str, str] = {}


@pytest.fixture
def all_words(archive) -> dict[str, str]:
    """The text of every record in the session catalogue (the same in every test: read once)."""
    if not _ALL_WORDS:
        from opis.records.serialize import documents_with_parts

        for document in documents_with_parts():
            parts = [document.title, document.summary, document.citation]
            parts += [text.body for text in document.texts.all()]
            parts += [location.raw for location in document.locations.all()]
            parts += [f"{r.agent.name} {r.signed_as}" for r in document.agent_roles.all()]
            _ALL_WORDS[document.pk] = "\n".join(parts)
    return _ALL_WORDS


@pytest.mark.parametrize(
    "prefix",
    [
        "singap",  # shorter than the stem of the word (singapor)
        "singapore",  # the whole word: longer than its stem
        "japan",
        "japanese",
        "negotiat",  # negotiations is indexed as negoti
        "conferenc",
        "diplom",
    ],
)
def test_a_prefix_finds_every_word_that_starts_with_it(prefix, all_words):
    expected = {
        pk for pk, text in all_words.items() if re.search(rf"\b{prefix}", text, re.IGNORECASE)
    }
    assert expected, f"the archive has words starting with {prefix}"
    assert ids(f"{prefix}*") == expected


# ---------------------------------------------------------------------------------------------
# Field filters find exactly what the catalogue holds.


def test_title_searches_titles_only(archive):
    in_titles = ids("title:conference")
    assert in_titles and in_titles < ids("conference")
    for document_id in in_titles:
        assert re.search(r"conferenc", Document.objects.get(pk=document_id).title, re.IGNORECASE)
    assert ids("title:singapore") == set() != ids("singapore")


@pytest.mark.parametrize(
    "doc_type", ["telegram", "letter", "memorandum", "record of conversation", "document"]
)
def test_type_filter(doc_type, archive):
    expected = set(archive.filter(doc_type=doc_type).values_list("pk", flat=True))
    assert expected, f"the archive holds some {doc_type}"
    assert ids(f'type:"{doc_type}"') == expected
    if " " not in doc_type:
        assert ids(f"type:{doc_type.upper()}") == expected


@pytest.mark.parametrize(
    ("query", "code"),
    [("lang:ru", "ru"), ("lang:Russian", "ru"), ("language:ru", "ru"), ("lang:en", "en"),
     ("lang:English", "en")],
)  # fmt: skip
def test_language_filter(query, code, archive):
    expected = {d.pk for d in archive.all() if code in d.original_languages}
    assert expected
    assert ids(query) == expected


@pytest.mark.parametrize(
    ("query", "repository"),
    [
        ("archive:APRF", "APRF"),
        ("archive:aprf", "APRF"),
        ('archive:"AVP RF"', "AVP RF"),
        ("archive:avprf", "AVP RF"),
        ("archive:AVPRF", "AVP RF"),
        ("archive:RGASPI", "RGASPI"),
        ("repository:RGASPI", "RGASPI"),
        ("archive:NAA", "NAA"),
    ],
)
def test_archive_filter_ignores_case_spaces_and_dots(query, repository, archive):
    expected = set(
        ArchivalLocation.objects.filter(repository=repository).values_list("document_id", flat=True)
    )
    assert expected
    assert ids(query) == expected


def test_the_seed_is_in_three_archives(archive):
    for repository in ("APRF", '"AVP RF"', "avprf", "RGASPI"):
        assert SEED_ID in ids(f"archive:{repository}")


@pytest.mark.parametrize("slug", ["dfat-v1", "wilson-center-digital-archive"])
def test_collection_filter(slug, archive):
    expected = set(archive.filter(collections__slug=slug).values_list("pk", flat=True))
    assert expected
    assert ids(f"collection:{slug}") == expected


@pytest.mark.parametrize(
    ("query", "start", "end"),
    [
        ("year:1950", date(1950, 1, 1), date(1950, 12, 31)),
        ("year:1937", date(1937, 1, 1), date(1937, 12, 31)),
        ("year:1937..1938", date(1937, 1, 1), date(1938, 12, 31)),
        ("date:1950-07..1950-08", date(1950, 7, 1), date(1950, 8, 31)),
        ("date:1950-07-13", date(1950, 7, 13), date(1950, 7, 13)),
        ("date:1937-02-15..1937-03-01", date(1937, 2, 15), date(1937, 3, 1)),
        ("date:1938-12-25..1939-01-05", date(1938, 12, 25), date(1939, 1, 5)),
        ("decade:1950", date(1950, 1, 1), date(1959, 12, 31)),
        ("decade:1930", date(1930, 1, 1), date(1939, 12, 31)),
        ("decade:1955", date(1950, 1, 1), date(1959, 12, 31)),
    ],
)
def test_date_filters_find_overlapping_intervals(query, start, end, archive):
    expected = overlapping(start, end)
    assert expected, f"the archive holds documents dated {start}..{end}"
    assert ids(query) == expected


def test_a_month_matches_any_range_that_overlaps_it(archive):
    """DFAT vol. 1 no. 4 is dated February 1937 (the whole month), not 1 February."""
    month = archive.get(pk="dfat-v1-4-memorandum-prepared-for-delegation-to-imperial-conference")
    assert month.date_precision == "month"
    assert month.pk in ids("date:1937-02-15..1937-03-01")
    assert month.pk in ids("date:1937-02-28")
    assert month.pk not in ids("date:1937-03-01..1937-03-31")


def test_filters_combine_with_words(archive):
    assert ids("singapore type:telegram") == ids("singapore") & ids("type:telegram")
    assert ids("korea year:1950 lang:ru") == {SEED_ID}


# ---------------------------------------------------------------------------------------------
# Documents made up for a test, in an index of their own.


def dfat_file(folder: Path, name: str, title: str, body: str, doc_date: str = "1966-05-17") -> Path:
    path = folder / name
    path.write_text(
        f"---\ndoc_date: '{doc_date}'\ndoc_num: 1\nnaa_refs: []\ntitle: {title}\nvol_id: 99\n"
        f"vol_title: 'Volume 99: synthetic'\n---\n\nCablegram CANBERRA\n\n{body}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def own_index(db, isolated_index, tmp_path):
    """Ingest files written by the test into an empty index; return the ids by file name."""

    def ingest(*files: Path) -> dict[str, str]:
        report = ingest_paths(list(files))
        assert report.ok, [str(f) for f in report.failed]
        return {Path(d["path"]).name: d["id"] for d in report.documents}

    return ingest


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_body(own_index, tmp_path):
    filler = "The minister discussed shipping, wool prices and the conference timetable."
    made = own_index(
        dfat_file(
            tmp_path, "1-body.md", "Cablegram to London", f"{filler} Zanzibar was mentioned."
        ),
        dfat_file(tmp_path, "2-title.md", "Zanzibar and London", f"{filler} Nothing else."),
    )
    results = search("zanzibar")
    assert [hit.id for hit in results.results] == [made["2-title.md"], made["1-body.md"]]
    assert results.results[0].score > results.results[1].score


def test_a_phrase_of_common_words_is_found_in_a_title_as_in_a_body(own_index, tmp_path):
    made = own_index(
        dfat_file(tmp_path, "1-title.md", "The state of the wool trade", "Prices fell."),
        dfat_file(tmp_path, "2-body.md", "Wool", "A review of the trade in wool."),
        dfat_file(tmp_path, "3-apart.md", "Trade of", "The minister spoke."),
    )
    assert ids('"of the"') == {made["1-title.md"], made["2-body.md"]}


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("date:1967-11-15..1967-12-01", True),
        ("date:1967-10-01..1967-11-01", True),
        ("date:1967-11", True),
        ("year:1967", True),
        ("decade:1960", True),
        ("date:1967-12-01..1967-12-31", False),
        ("date:1967-10", False),
        ("year:1968", False),
    ],
)
def test_a_document_dated_by_month_overlaps(query, found, own_index, tmp_path):
    made = own_index(dfat_file(tmp_path, "1-month.md", "Month", "Text.", doc_date="1967-11"))
    assert (made["1-month.md"] in ids(query)) is found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("year:1960", {"1-cold-war.md", "2-two-centuries.md"}),
        ("date:1850-03", {"2-two-centuries.md"}),
        ("decade:1990", {"1-cold-war.md", "2-two-centuries.md"}),
        ("year:1950", {"1-cold-war.md", "2-two-centuries.md", "3-day.md"}),
        ("within:1940..1995", {"1-cold-war.md", "3-day.md"}),
        ("within:1790..2000", {"1-cold-war.md", "2-two-centuries.md", "3-day.md"}),
        ("within:1950", {"3-day.md"}),
        ("year:2005", set()),
        ("year:1700..1799", set()),
    ],
)
def test_date_filters_find_records_of_long_spans_through_the_years_they_touch(
    query, found, own_index, tmp_path
):
    """A filter first takes the records of its years from the index's terms (``years``), then
    tests their days. A record spanning 47 years is listed under each; one spanning 200 years,
    more than ``index.MOST_YEARS``, under none, and is tested by every date filter."""
    made = own_index(
        dfat_file(tmp_path, "1-cold-war.md", "Cold War", "Text.", doc_date="1945/1991"),
        dfat_file(tmp_path, "2-two-centuries.md", "Centuries", "Text.", doc_date="1800/1999"),
        dfat_file(tmp_path, "3-day.md", "Day", "Text.", doc_date="1950-07-13"),
    )
    assert ids(query) == {made[name] for name in found}


def test_snippets_mark_matches_and_escape_everything_else(own_index, tmp_path):
    body = "Before <script>alert('x')</script> & <i>italics</i>: the Zanzibar question."
    own_index(dfat_file(tmp_path, "1-markup.md", "Markup", body))
    [hit] = search("zanzibar").results
    assert "<b>Zanzibar</b>" in hit.snippet
    assert "&lt;script&gt;" in hit.snippet and "&amp;" in hit.snippet
    assert not re.search(r"<(?!/?b>)", hit.snippet), "no tag but <b> reaches the page"


# ---------------------------------------------------------------------------------------------
# Sorting, facets, snippets and pages on the archive.


@pytest.mark.parametrize(("sort", "ascending"), [("date", True), ("-date", False)])
def test_sort_by_date(sort, ascending, archive):
    starts = []
    for page in (1, 2, 3):
        results = search("singapore OR japan", sort=sort, page=page, per_page=10)
        starts += [hit.date["start"] for hit in results.results]
    assert len(starts) == 30
    assert starts == sorted(starts, reverse=not ascending)


@pytest.mark.parametrize("sort", ["-date", "date"])
def test_everything_by_date_is_listed_from_its_last_or_first_years_as_a_whole_sort_lists_it(
    sort, archive, isolated_index
):
    """The reading room's list takes the years that hold its page, as the facets' totals count
    them, and sorts their records alone. Every page is the one sorting everything gives, ties
    of a date included; the pages that reach the undated records (last in both orders) sort
    everything."""
    some = archive.order_by("pk").values_list("pk", flat=True)[:150:3]
    archive.filter(pk__in=list(some)).update(date_start=None, date_end=None)
    reindex()
    index = open_index()
    searcher, commit = snapshot(index)
    everything, scope = tantivy.Query.all_query(), (commit, "staff")
    assert commit and facets.totals(searcher, everything, scope) is not None
    undated = archive.filter(date_start__isnull=True).count()
    per_page, pages, narrowed = 100, (archive.count() - 1) // 100 + 1, []
    assert undated and pages > 3
    for page in range(1, pages + 1):
        whole = _run(searcher, everything, sort, page, per_page)
        expected = [searcher.doc(address).get_first("id") for _, address in whole.hits]
        listed = search("", sort=sort, page=page, per_page=per_page, staff=True)
        assert [hit.id for hit in listed.results] == expected, f"page {page}"
        assert listed.total == archive.count()
        through = page * per_page
        if _listing_by_date(searcher, index.schema, None, sort, through, scope, everything):
            narrowed.append(page)
    dated = archive.count() - undated
    assert narrowed == list(range(1, dated // per_page + 1)), "every page of dated records only"


def test_an_empty_query_lists_everything_newest_first(archive):
    results = search("", per_page=5)
    assert results.total == archive.count()
    newest = archive.order_by("-date_start").values_list("date_start", flat=True)[:5]
    assert [hit.date["start"] for hit in results.results] == [d.isoformat() for d in newest]


def test_facets_of_everything_count_what_the_catalogue_holds(archive):
    facets = {
        name: {v.value: v.count for v in values} for name, values in search("").facets.items()
    }
    by_type: dict[str, int] = {}
    for doc_type in archive.values_list("doc_type", flat=True):
        by_type[doc_type] = by_type.get(doc_type, 0) + 1
    assert facets["type"] == by_type
    by_collection: dict[str, int] = {}
    for slug in archive.values_list("collections__slug", flat=True):
        by_collection[slug] = by_collection.get(slug, 0) + 1
    assert facets["collection"] == by_collection
    by_archive: dict[str, int] = {}
    holdings = ArchivalLocation.objects.order_by().values_list("repository", "document_id")
    for repository, _ in holdings.distinct():
        by_archive[repository] = by_archive.get(repository, 0) + 1
    assert facets["archive"] == by_archive
    by_decade: dict[str, int] = {}
    for start in archive.values_list("date_start", flat=True):
        key = str(start.year // 10 * 10)
        by_decade[key] = by_decade.get(key, 0) + 1
    assert facets["decade"] == by_decade
    assert facets["lang"] == {"en": archive.count() - 1, "ru": 1}


@pytest.mark.parametrize("query", ["singapore", "conference OR japan", "-naval"])
def test_each_facet_value_counts_the_documents_its_filter_finds(query, archive):
    results = search(query)
    assert results.facets["type"], "the query finds documents of some type"
    for name, values in results.facets.items():
        for value in values:
            assert search(f"({query}) {value.filter}", per_page=1).total == value.count, (
                name,
                value,
            )
    assert sum(v.count for v in results.facets["type"]) == results.total


def test_a_process_forked_after_a_search_still_counts_facets(archive):
    """Facets are counted on threads beside the ranking; ``opis serve --workers`` forks after
    the parent may have searched, and a forked worker must count them on threads of its own
    (a pool inherited through fork has none: its search would wait for ever)."""
    import os
    import signal

    before = search("singapore")
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: answer within 30 s or be stopped by the alarm
        signal.alarm(30)
        try:
            found = search("singapore")
            os.write(
                writing, repr(sorted((v.value, v.count) for v in found.facets["type"])).encode()
            )
        finally:
            os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as answer:
        said = answer.read()
    _, status = os.waitpid(child, 0)
    assert os.WIFEXITED(status), "the forked process never counted its facets"
    assert said == repr(sorted((v.value, v.count) for v in before.facets["type"]))


def test_snippets_highlight_the_words_found(archive):
    results = search("singapore", per_page=20)
    assert results.results
    for hit in results.results:
        marked = re.findall(r"<b>(.*?)</b>", hit.snippet)
        assert marked, hit.id
        assert all(word.lower().startswith("singapore") for word in marked), marked
        assert not re.search(r"<(?!/?b>)", hit.snippet)


def test_pages(archive):
    first, second = search("singapore", per_page=5), search("singapore", page=2, per_page=5)
    assert first.total == second.total > 10
    assert len(first.results) == len(second.results) == 5
    assert not {h.id for h in first.results} & {h.id for h in second.results}
    pages = [search("singapore", page=p, per_page=5).results for p in range(1, first.pages + 1)]
    assert {hit.id for page in pages for hit in page} == ids("singapore")
    beyond = search("singapore", page=first.pages + 1, per_page=5)
    assert beyond.results == [] and beyond.total == first.total


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"page": 0}, "page"),
        ({"per_page": 0}, "per_page"),
        ({"per_page": 1000}, "per_page"),
        ({"sort": "title"}, "sort"),
    ],
)
def test_impossible_paging_or_sorting_is_a_bad_query(options, named, archive):
    with pytest.raises(BadQuery, match=named):
        search("singapore", **options)
