"""Pairs of common words, indexed as single terms, so that a phrase of them is a term lookup.

A phrase such as "of the" or "to the and" must otherwise read the positions of two very common
words in nearly every document: at a million cables Tantivy took 314–525 ms for each (issue 12),
where every other query took under 60. Lucene's answer, CommonGrams, indexes each pair of adjacent
common words as one more term. Here the pairs of a body go into a field of their own
(``index.PAIRS_FIELD``), one token per pair (``of_the``) in reading order, with a gap token between
runs so that a phrase never joins two runs. A phrase whose words are all common is then looked up
there: one pair is one term, a longer phrase is a phrase of pairs (``to_the the_and``). A phrase
with one uncommon word is left to the body field, whose rarest word keeps it fast.

The common words are Lucene's English stop words (``EnglishAnalyzer.ENGLISH_STOP_WORDS_SET``):
a list kept by others, not one chosen for our benchmark. The pairs are made from the body field's
own tokens (stemmed), so a phrase finds through its pairs exactly what it finds in the body.
"""

COMMON_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
})  # fmt: skip
GAP = "|"  # stands between two runs of common words in the pairs field: no phrase crosses it


def pairs_text(tokens: list[str]) -> str:
    """The pairs field's text for a body's tokens (``index.pair_source_analyzer``: the body
    field's own words, stems and all, long ones kept so that they break a run as their gap in
    the body does): ``of_the the_a``… for each run of common words, runs apart by ``GAP``;
    "" when no two common words stand side by side."""
    runs: list[str] = []
    run: list[str] = []
    previous = ""
    for token in tokens:
        if token in COMMON_WORDS:
            if previous:
                run.append(f"{previous}_{token}")
            previous = token
            continue
        previous = ""
        if run:
            runs.append(" ".join(run))
            run = []
    if run:
        runs.append(" ".join(run))
    return f" {GAP} ".join(runs)


def phrase_pairs(tokens: list[str]) -> list[str]:
    """The pairs a phrase's analysed words stand for in the pairs field, or [] when it is not a
    phrase of common words alone (then it is searched in the body as usual)."""
    if len(tokens) < 2 or not COMMON_WORDS.issuperset(tokens):
        return []
    return [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
