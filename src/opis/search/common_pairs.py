"""Pairs of common words, indexed as single terms, so that a phrase of them is a term lookup.

A phrase such as "of the" or "to the and" must otherwise read the positions of two very common
words in nearly every document: at a million cables Tantivy took 314–525 ms for each (issue 12),
where every other query took under 60. Lucene's answer, CommonGrams, indexes each pair of adjacent
common words as one more term. Here the pairs of every text a plain query searches (title,
summary, body, citations, names: ``index.TEXT_FIELDS``) go into one field of their own
(``index.PAIRS_FIELD``), one token per pair (``of_the``) in reading order, with a gap token between
runs and between texts so that a phrase never joins two runs. A phrase whose words are all common
is then looked up there: one pair is one term, a longer phrase is a phrase of pairs
(``to_the the_and``). A phrase with one uncommon word is left to the text fields, whose rarest word
keeps it fast. (At a million cables, the pairs of the body alone left "of the" at 85 ms: the
phrase in the cables' summaries took 54.)

The common words are Lucene's English stop words (``EnglishAnalyzer.ENGLISH_STOP_WORDS_SET``):
a list kept by others, not one chosen for our benchmark. The pairs are made from the text fields'
own tokens (stemmed), so a phrase finds through its pairs exactly what it finds in those fields.
It is ranked by how often its pairs occur, not by the fields' boosts: for a phrase of words that
carry no meaning, that matters little.
"""

import tantivy

from opis.search.index import PAIRS_FIELD, fold_analyzer, stem_analyzer

COMMON_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
})  # fmt: skip
GAP = "|"  # stands between two runs of common words in the pairs field: no phrase crosses it
KNOWN_WORDS = 200_000  # words whose stem this process remembers; past it, rare words are stemmed
_FIRST_LETTERS = {word[0] for word in COMMON_WORDS}
_LONGEST_SUFFIX = 8  # no word longer than a common word by more than this stems to one
_LONGEST_STEMMED = max(map(len, COMMON_WORDS)) + _LONGEST_SUFFIX


def pairs_text(text: str) -> str:
    """The pairs of one text: ``of_the the_a``… for each run of common words, runs apart by
    ``GAP``; "" when no two common words stand side by side.

    A word counts as the common word it stems to in the text fields ("its" is "it" there), so
    the pairs find what the fields' phrase finds. Stemming every word of every body took half
    the time of this work; the words are split and folded by Tantivy (``index.fold_analyzer``:
    the fields' words before stemming, long ones kept so that they break a run, as their gap
    does in the field), and each distinct word is stemmed once per process."""
    stands_for = _STANDS_FOR
    runs: list[str] = []
    run: list[str] = []
    previous = ""
    for word in _FOLD.analyze(text):
        common = stands_for.get(word)
        if common is None:
            common = _learn(word)
        if common:
            if previous:
                run.append(f"{previous}_{common}")
            previous = common
            continue
        previous = ""
        if run:
            runs.append(" ".join(run))
            run = []
    if run:
        runs.append(" ".join(run))
    return f" {GAP} ".join(runs)


def _learn(word: str) -> str:
    """The common word ``word`` stems to, or "": remembered, while there is room."""
    common = ""
    if word[0] in _FIRST_LETTERS and len(word) <= _LONGEST_STEMMED:
        stems = _STEM.analyze(word)
        common = stems[0] if len(stems) == 1 and stems[0] in COMMON_WORDS else ""
    if len(_STANDS_FOR) < KNOWN_WORDS:
        _STANDS_FOR[word] = common
    return common


def pairs_of_texts(texts: list[str]) -> str:
    """The pairs field's text for a document's texts: each text's pairs, texts apart by ``GAP``."""
    return f" {GAP} ".join(pairs for text in texts if text and (pairs := pairs_text(text)))


def phrase_pairs(tokens: list[str]) -> list[str]:
    """The pairs a phrase's analysed words stand for in the pairs field, or [] when it is not a
    phrase of common words alone (then it is searched in the text fields as usual)."""
    if len(tokens) < 2 or not COMMON_WORDS.issuperset(tokens):
        return []
    return [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def pairs_query(schema: tantivy.Schema, pairs: list[str]) -> tantivy.Query:
    """The query for a phrase's pairs: one pair is a term, more are a phrase of pairs."""
    if len(pairs) == 1:
        return tantivy.Query.term_query(schema, PAIRS_FIELD, pairs[0])
    words: list[str | tuple[int, str]] = [*pairs]
    return tantivy.Query.phrase_query(schema, PAIRS_FIELD, words)


_FOLD = fold_analyzer()
_STEM = stem_analyzer()
_STANDS_FOR: dict[str, str] = {word: word for word in COMMON_WORDS}
