"""Counting a search's facets: over its hits, or, when they are most of the archive, as the
archive's totals less the documents the search leaves out.

Tantivy counts the nine facets at some 35 ns a hit: a common word in 930,000 of a million cables
takes 32 ms to count, most of such a search's time (issue 12), and the unfiltered list that opens
the reading room counts every document. Lucene's facet module had the answer ("complements",
with its TotalFacetCountsCache): when a query matches most of the documents, count the ones it
does *not* match and subtract them from the totals, which are counted once and kept. So here:
the totals of what the searcher may see (readers: what is published today; staff: everything)
are counted once per index commit, and a search sure to find more than ``COMPLEMENT_ABOVE`` of
the documents counts only those it leaves out.

The counts are exact either way. The totals and the documents left out are counted on the same
commit (``index.snapshot``); every term of a facet is counted on both sides before the
subtraction, and only then is each facet cut to its size. Whether a search is sure to find most
documents is told from its words' document frequencies (``least_hits``), a floor that comes out
high only on a freshly updated index (Tantivy still counts a replaced document's old copy until
its segment is merged): then the plan is slower, never wrong.
"""

import threading

import tantivy

from opis.search.common_pairs import phrase_pairs
from opis.search.index import PAIRS_FIELD, TEXT_FIELDS, analyzer
from opis.search.query import And, Or, Text

AGGREGATIONS: dict[str, dict[str, dict[str, str | int]]] = {
    "type": {"terms": {"field": "doc_type", "size": 50}},
    "lang": {"terms": {"field": "lang", "size": 50}},
    "archive": {"terms": {"field": "repository", "size": 50}},
    "collection": {"terms": {"field": "collection", "size": 200}},
    # every year that holds a hit (no archive spans 5,000): counting a year as a term is a
    # quarter faster than a histogram of interval 1 over a million hits, and gives the same buckets
    "year": {"terms": {"field": "year", "size": 5000}},
    "person": {"terms": {"field": "person_id", "size": 30}},
    "place": {"terms": {"field": "place_id", "size": 30}},
    "classification": {"terms": {"field": "classification", "size": 30}},
}
# Lucene's default: below it the documents left out are nearly as many as the hits, and
# counting them costs a walk through every document besides.
COMPLEMENT_ABOVE = 0.6
# Buckets a complete count may hold: Tantivy's own limit on an aggregation's buckets. A facet
# with more terms than this (a vast name authority) is counted over the hits instead.
COMPLETE = 65_000
COMPLETE_AGGREGATIONS = {
    name: {"terms": {**spec["terms"], "size": COMPLETE, "segment_size": COMPLETE}}
    for name, spec in AGGREGATIONS.items()
}

_ANALYZER = analyzer()
_totals_lock = threading.Lock()
# (commit, audience, documents, segments) → each facet's count of every term, or None where a
# facet had too many terms
_totals: dict[tuple, dict[str, dict[object, int]] | None] = {}


def count(
    searcher: tantivy.Searcher,
    selected: tantivy.Query,
    *,
    node: object | None,
    compiled: tantivy.Query,
    everything: tantivy.Query,
    scope: tuple[str, str] | None,
) -> dict:
    """Each facet's buckets, ``{"type": {"buckets": [{"key": …, "doc_count": …}]}, …}``, for the
    hits of ``selected`` (``compiled`` kept to ``everything``, what the searcher may see).

    ``scope`` names the commit the searcher reads and its audience (readers on a given day, or
    staff), whose totals these are; None when the commit is not known for certain, and then the
    hits are always counted directly."""
    if scope is not None and least_hits(node, searcher) > COMPLEMENT_ABOVE * searcher.num_docs:
        # the searcher's own figures too: two commits a few ms apart may stat alike
        counted = totals(searcher, everything, scope)
        if counted is not None and node is None:
            return _cut(counted)
        if counted is not None:
            left_out = tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, everything), (tantivy.Occur.MustNot, compiled)]
            )
            raw = _aggregate(searcher, left_out)
            if raw is not None:
                return _cut(_less(counted, _term_counts(raw)))
    return searcher.aggregate(selected, AGGREGATIONS)


def totals(
    searcher: tantivy.Searcher, everything: tantivy.Query, scope: tuple[str, str]
) -> dict[str, dict[object, int]] | None:
    """Each facet's count of every term over what the searcher may see (``everything``), kept
    per commit and audience (``scope``); None while another thread counts them, or where a
    facet has too many terms."""
    return _totals_of(searcher, everything, (*scope, searcher.num_docs, searcher.num_segments))


def _aggregate(searcher: tantivy.Searcher, query: tantivy.Query) -> dict | None:
    """Every term of every facet over the query's documents; None when Tantivy would not count
    them all (more terms than ``COMPLETE``, or more buckets than it allows): then the hits are
    counted instead."""
    try:
        raw = searcher.aggregate(query, COMPLETE_AGGREGATIONS)
    except ValueError:
        return None
    return raw if _complete(raw) else None


def least_hits(node: object | None, searcher: tantivy.Searcher) -> int:
    """A floor under how many documents a query finds, from its words' document frequencies
    (0 where they do not tell: filters, prefixes, negations, phrases of uncommon words)."""
    if node is None:
        return searcher.num_docs
    if isinstance(node, Text) and not node.prefix:
        return _least_for_words(node, searcher)
    if isinstance(node, And):  # at least what the parts have in common (Fréchet's bound)
        floors = [least_hits(part, searcher) for part in node.nodes]
        return max(0, sum(floors) - (len(floors) - 1) * searcher.num_docs)
    if isinstance(node, Or):
        return max((least_hits(part, searcher) for part in node.nodes), default=0)
    return 0


def _least_for_words(node: Text, searcher: tantivy.Searcher) -> int:
    """Words in every text field (a field named in the query may be searched another way: a
    known person by id, a place in all its names): the documents holding the one word in any
    field, or the pair of common words in any text."""
    if node.field not in (None, "literal"):
        return 0
    tokens = _ANALYZER.analyze(node.words)
    if len(tokens) == 1:
        return max(searcher.doc_freq(name, tokens[0]) for name in TEXT_FIELDS)
    pairs = phrase_pairs(tokens)
    if len(pairs) == 1:  # "of the": the documents with the pair in any text
        return searcher.doc_freq(PAIRS_FIELD, pairs[0])
    return 0


def _totals_of(
    searcher: tantivy.Searcher, everything: tantivy.Query, scope: tuple
) -> dict[str, dict[object, int]] | None:
    """Each facet's count of every term over what the searcher may see, counted once per scope;
    None when a facet has more terms than a complete count may hold. While one thread counts
    them, others count their own hits rather than wait."""
    try:  # one look: another thread may drop an older commit's totals between two
        return _totals[scope]
    except KeyError:
        pass
    if not _totals_lock.acquire(blocking=False):
        return None
    try:
        if scope not in _totals:
            raw = _aggregate(searcher, everything)
            for older in [key for key in _totals if key[0] != scope[0]]:
                del _totals[older]  # only the latest commit's totals are any use
            _totals[scope] = _term_counts(raw) if raw is not None else None
        return _totals[scope]
    finally:
        _totals_lock.release()


def _complete(raw: dict) -> bool:
    return all(not raw.get(name, {}).get("sum_other_doc_count") for name in AGGREGATIONS)


def _term_counts(raw: dict) -> dict[str, dict[object, int]]:
    return {
        name: {b["key"]: b["doc_count"] for b in raw.get(name, {}).get("buckets", [])}
        for name in AGGREGATIONS
    }


def _less(totals: dict, left_out: dict) -> dict[str, dict[object, int]]:
    return {
        name: {key: n - left_out[name].get(key, 0) for key, n in counts.items()}
        for name, counts in totals.items()
    }


def _cut(counts: dict[str, dict[object, int]]) -> dict:
    """Buckets as Tantivy gives them: the most frequent terms first, as many as the facet's size,
    none empty."""
    raw = {}
    for name, by_term in counts.items():
        ranked = sorted(
            ((key, n) for key, n in by_term.items() if n > 0), key=lambda kn: (-kn[1], str(kn[0]))
        )
        size = int(AGGREGATIONS[name]["terms"]["size"])
        raw[name] = {"buckets": [{"key": key, "doc_count": n} for key, n in ranked[:size]]}
    return raw
