"""A phrase of common words ("of the", "it is not") is found through pairs of common words indexed
as single terms (``search.common_pairs``, Lucene's CommonGrams), and finds exactly what the same
phrase finds in the text fields: the pairs only make it a term lookup instead of a walk through the
positions of the two commonest words in nearly every document (issue 12: 314–525 ms at a million).

The oracle is Tantivy's own phrase query on every text field, run on the session's catalogue (the
seed and one real DFAT volume), and, for two phrases, the catalogue's text itself.
"""

import re

import pytest
import tantivy

from all_pages import found_ids as ids
from opis.records.models import Document
from opis.search.common_pairs import GAP, pairs_of_texts, pairs_query, pairs_text, phrase_pairs
from opis.search.index import TEXT_FIELDS, analyzer, open_index

PHRASES = ["of the", "in the", "to the", "and the", "it is", "it is not", "that the", "to be",
           "there is no", "of the and", "at the", "it was", "by the", "with the"]  # fmt: skip


def addresses(searcher, query) -> set[tuple[int, int]]:
    found = searcher.search(query, limit=max(searcher.num_docs, 1))
    return {(address.segment_ord, address.doc) for _, address in found.hits}


@pytest.mark.parametrize("phrase", PHRASES)
def test_a_phrase_of_common_words_finds_through_its_pairs_what_it_finds_in_the_texts(
    archive, phrase
):
    index = open_index()
    searcher = index.searcher()
    tokens = analyzer().analyze(phrase)
    in_texts = tantivy.Query.boolean_query(
        [
            (tantivy.Occur.Should, tantivy.Query.phrase_query(index.schema, name, [*tokens]))
            for name in TEXT_FIELDS
        ]
    )
    by_pairs = pairs_query(index.schema, phrase_pairs(tokens))
    assert addresses(searcher, by_pairs) == addresses(searcher, in_texts)


def test_pairs_never_join_two_texts():
    """A title ending "… of" and a summary starting "the …" hold no phrase "of the"."""
    assert pairs_of_texts(["Report of", "the minister and the"]) == "and_the"
    assert pairs_of_texts(["", "It is", "of the"]) == f"it_is {GAP} of_the"


def test_the_phrases_are_found_somewhere_so_the_comparison_means_something(archive):
    index = open_index()
    searcher = index.searcher()
    found = [phrase for phrase in PHRASES if ids(f'"{phrase}"')]
    assert len(found) >= len(PHRASES) - 2, found
    assert searcher.num_docs > 100


@pytest.mark.parametrize("phrase", ["of the", "it is not"])
def test_a_phrase_of_common_words_finds_the_documents_whose_text_holds_it(archive, phrase):
    words = r"[\W_]+".join(phrase.split())
    holding = re.compile(rf"(?<![^\W_]){words}(?![^\W_])", re.IGNORECASE)
    expected = {
        document.pk
        for document in Document.objects.prefetch_related("texts")
        if any(holding.search(text.body) for text in document.texts.all())
    }
    assert expected and expected <= ids(f'"{phrase}"')


def test_a_run_of_common_words_becomes_its_pairs_and_runs_stay_apart():
    body = "It is of the essence; to the and policy a"
    assert pairs_text(body) == f"it_is is_of of_the {GAP} to_the the_and"


def test_a_word_counts_as_the_common_word_it_stems_to_in_the_body():
    assert pairs_text("Because of its size, and ITS cost") == f"of_it {GAP} and_it"


def test_a_word_too_long_to_index_breaks_a_run_as_it_does_in_the_body():
    assert pairs_text(f"of {'x' * 70} the") == ""


def test_a_body_without_two_common_words_side_by_side_has_no_pairs():
    assert pairs_text("The embassy reports a delay") == ""


@pytest.mark.parametrize(
    "tokens", [["the", "soviet", "union"], ["the"], ["of", "soviet", "the"], []]
)
def test_a_phrase_with_an_uncommon_word_or_a_single_word_is_left_to_the_body(tokens):
    assert phrase_pairs(tokens) == []


def test_a_phrase_of_common_words_is_still_highlighted_in_the_snippets(archive):
    from opis.search import search

    results = search('"of the"', per_page=5)
    assert results.total > 0
    assert all(re.search(r"<b>(of|the)</b>", hit.snippet, re.I) for hit in results.results)
