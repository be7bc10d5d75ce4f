"""A search that finds most of the archive has its facets counted as the archive's totals less the
documents it leaves out (``search.facets``, the complements of Lucene's facet module), and they are
the counts of its hits: the oracle is Tantivy's own count over the hits, every term of every facet,
on the session's catalogue (the seed and a real DFAT volume).
"""

import pytest

from conftest import SEED_ID
from opis.records.publication import set_status
from opis.search import facets, search
from opis.search.compile import Compiler
from opis.search.engine import public_only
from opis.search.index import open_index, snapshot
from opis.search.indexer import apply_pending, reindex
from opis.search.query import parse

# Each found in most documents, by its words alone: a word, a pair of common words, two words,
# either of two, and nothing at all (the list that opens the reading room).
MOST = ["the", '"of the"', "the of", "the OR zzyzx", ""]
FLOORED = [*MOST, "department", "trade AND wool", '"the minister"', "jet* fighter", "-the",
           "type:cablegram", "year:1950 the", "the -department", "literal:the",
           "title:the"]  # fmt: skip


def hit_counts(query: str, staff: bool = False) -> dict[str, dict[str, int]]:
    """Every term of every facet, counted by Tantivy over the query's hits."""
    index = open_index()
    compiled = Compiler(index.schema, []).compile(parse(query).node)
    selected = compiled if staff else public_only(index.schema, compiled)
    raw = index.searcher().aggregate(selected, facets.COMPLETE_AGGREGATIONS)
    return {
        name: {str(b["key"]): b["doc_count"] for b in raw[name]["buckets"] if b["doc_count"]}
        for name in facets.AGGREGATIONS
    }


def assert_top_terms(shown: dict[str, int], counted: dict[str, int], size: int) -> None:
    """``shown`` is ``counted`` cut to its ``size`` most frequent terms (ties in any order)."""
    assert len(shown) == min(size, len(counted))
    assert all(counted.get(term) == n for term, n in shown.items()), (shown, counted)
    left = [n for term, n in counted.items() if term not in shown]
    assert not left or min(shown.values()) >= max(left)


@pytest.mark.parametrize("query", MOST)
def test_facets_counted_from_what_a_search_leaves_out_are_the_counts_of_its_hits(query, archive):
    searcher, commit = snapshot(open_index())
    assert commit is not None, "the searcher's commit is known, so the totals may be used"
    floor = facets.least_hits(parse(query).node, searcher)
    assert floor > facets.COMPLEMENT_ABOVE * searcher.num_docs, "so the complement is counted"
    for staff in (False, True):
        shown = search(query, staff=staff).facets
        counted = hit_counts(query, staff)
        for name, spec in facets.AGGREGATIONS.items():
            values = {v.value: v.count for v in shown[name]}
            assert_top_terms(values, counted[name], int(spec["terms"]["size"]))


@pytest.mark.parametrize("query", FLOORED)
def test_the_floor_under_a_query_s_hits_is_never_above_them(query, archive):
    searcher = open_index().searcher()
    assert facets.least_hits(parse(query).node, searcher) <= search(query, staff=True).total


def test_a_word_s_floor_is_the_documents_holding_it(archive):
    searcher = open_index().searcher()
    found = search("department", staff=True).total
    assert 0 < facets.least_hits(parse("department").node, searcher) <= found
    assert facets.least_hits(parse("type:cablegram").node, searcher) == 0


def test_totals_are_counted_again_after_a_commit(archive, isolated_index):
    reindex()
    before = search("the")
    set_status(SEED_ID, "draft")
    apply_pending()
    after = search("the")
    assert after.total == before.total - 1
    years = lambda results: sum(v.count for v in results.facets["year"])  # noqa: E731
    assert years(after) == years(before) - 1
    assert_top_terms(
        {v.value: v.count for v in after.facets["type"]}, hit_counts("the")["type"], 50
    )
