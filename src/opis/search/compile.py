"""Turning a parsed query into a Tantivy query.

Words are analysed with the index's own analyzer, then matched in every text field with the
field's boost (title counts three times body). Field filters become exact term or range queries on
fast fields. Values that cannot be understood become a message and match nothing, so a typo in a
filter never silently widens the results. A phrase of common words ("of the") is looked up in the
body by its pairs (``search.common_pairs``), which find what the phrase finds, at a term's cost.
"""

import tantivy

from opis.search import query as q
from opis.search.common_pairs import pairs_query, phrase_pairs
from opis.search.index import (
    FIELD_TEXT,
    LONG_SPAN,
    MAX_TOKEN,
    PREFIX_FIELD,
    TEXT_FIELDS,
    YEARS_FIELD,
    analyzer,
    canonical_archive_key,
    day_number,
    prefix_analyzer,
)
from opis.search.name_forms import MAX_NAME_WORDS, expansion
from opis.understand import names
from opis.understand.cable import normalise_number
from opis.understand.dates import parse_date
from opis.understand.languages import language_code
from opis.understand.places import places_by_id, resolve_place

Occur = tantivy.Occur
MAX_WIDENED = 4  # names per query searched in all their forms: bounded work and messages
PLACE_FIELDS = ("from", "to", "via")  # sender, recipients, intermediary: places or persons
_ANALYZER = analyzer()
_PREFIX_ANALYZER = prefix_analyzer()


class Compiler:
    def __init__(self, schema: tantivy.Schema, messages: list[str]):
        self.schema = schema
        self.messages = messages
        self.widened = 0  # names searched in all their forms so far (at most MAX_WIDENED)
        self.stood_in_for: list[tantivy.Query] = []  # phrases searched by their pairs

    def compile(self, node) -> tantivy.Query:
        if node is None:
            return tantivy.Query.all_query()
        if isinstance(node, q.And):
            return self._boolean(node.nodes)
        if isinstance(node, q.Or):
            return tantivy.Query.boolean_query(
                [(Occur.Should, self.compile(n)) for n in node.nodes]
            )
        if isinstance(node, q.Not):
            return self._boolean([node])
        if isinstance(node, q.Filter):
            return self._filter(node)
        return self._text(node)

    def _boolean(self, nodes) -> tantivy.Query:
        clauses = []
        position = 0
        while position < len(nodes):
            node = nodes[position]
            named = self._name_run(nodes, position)
            if named:
                clauses.append((Occur.Must, named[0]))
                position += named[1]
                continue
            position += 1
            if isinstance(node, q.Not):
                clauses.append((Occur.MustNot, self.compile(node.node)))
            else:
                clauses.append((Occur.Must, self.compile(node)))
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.append((Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    def _name_run(self, nodes, start: int) -> tuple[tantivy.Query, int] | None:
        """Plain words in a row that together name one person (Chiang Kai-shek, typed without
        quotes): the words as typed, or any other form of the name. Longest run first."""
        run = []
        for node in nodes[start : start + MAX_NAME_WORDS]:
            if not _plain_word(node):
                break
            run.append(node)
        for length in range(len(run), 1, -1):
            words = " ".join(node.words for node in run[:length])
            found = expansion(words)
            if found:
                as_typed = tantivy.Query.boolean_query(
                    [(Occur.Must, self._text(node, expand=False)) for node in run[:length]]
                )
                return self._or_forms(as_typed, found), length
        return None

    def _or_forms(self, as_typed: tantivy.Query, found, field: str | None = None) -> tantivy.Query:
        if self.widened >= MAX_WIDENED:  # a query of sixty names: the first few widen, and say so
            note = f"Only the first {MAX_WIDENED} names were searched in all their forms."
            if note not in self.messages:
                self.messages.append(note)
            return as_typed
        self.widened += 1
        return self._widen(as_typed, found, field)

    def _widen(self, as_typed: tantivy.Query, found, field: str | None = None) -> tantivy.Query:
        """What was typed, or the person as an agent, or any other form of the name, in the text
        (or in one field: ``from:Peking`` finds "Peiping" as the place a telegram came from)."""
        if found.message() not in self.messages:
            self.messages.append(found.message())
        clauses = [(Occur.Should, as_typed)]
        if found.person is not None and field is None:
            clauses.append((Occur.Should, self._term("person_id", found.person.id)))
        for form in found.forms:
            text = q.Text(form, field=field, phrase=True)
            clauses.append((Occur.Should, self._text(text, expand=False)))
        return tantivy.Query.boolean_query(clauses)

    def _text(self, node: q.Text, expand: bool = True) -> tantivy.Query:
        if node.field == "literal":  # one spelling only: no forms from the authority
            return self._text(q.Text(node.words, phrase=node.phrase, prefix=node.prefix), False)
        if expand and node.field in (None, *PLACE_FIELDS) and not node.prefix:
            found = expansion(node.words)
            if found:
                return self._or_forms(self._text(node, expand=False), found, node.field)
        if node.field == "person" and not node.prefix:
            person = _person(node.words)
            if person is not None:  # one known person: every form of the name, exactly
                return self._term("person_id", person.id)
        if node.prefix:
            fields = {FIELD_TEXT[node.field]: 1.0} if node.field else {PREFIX_FIELD: 1.0}
            tokens = list(_PREFIX_ANALYZER.analyze(node.words))
        else:
            fields = {FIELD_TEXT[node.field]: 1.0} if node.field else TEXT_FIELDS
            tokens = list(_ANALYZER.analyze(node.words))
        if not tokens:
            return self._no_tokens(node.words)
        per_field = []
        for name, boost in fields.items():
            query = self._tokens_query(name, tokens, node.prefix)
            per_field.append((Occur.Should, tantivy.Query.boost_query(query, boost)))
        in_fields = tantivy.Query.boolean_query(per_field)
        pairs = phrase_pairs(tokens) if node.field is None and not node.prefix else []
        if pairs:  # a phrase of common words: its pairs in all the texts, not the words' positions
            self.stood_in_for.append(in_fields)
            return pairs_query(self.schema, pairs)
        return in_fields

    def for_snippets(self, compiled: tantivy.Query) -> tantivy.Query:
        """The query whose words a snippet highlights: the compiled one, with the phrases that
        pairs of common words stood in for (the pairs field is none of the texts shown). Only
        its words are read from it; it is never run."""
        if not self.stood_in_for:
            return compiled
        clauses = [(Occur.Should, q) for q in (compiled, *self.stood_in_for)]
        return tantivy.Query.boolean_query(clauses)

    def _no_tokens(self, words: str) -> tantivy.Query:
        shown = words if len(words) <= 40 else words[:40] + "…"
        if any(ch.isalnum() for ch in words):
            self.messages.append(
                f'"{shown}" is one word longer than {MAX_TOKEN} characters, which no document '
                "holds; it was ignored."
            )
        else:
            self.messages.append(f'"{shown}" has no letters or digits to search for; ignored.')
        return tantivy.Query.all_query()

    def _tokens_query(self, name: str, tokens: list[str], prefix: bool) -> tantivy.Query:
        if prefix and len(tokens) == 1:
            return tantivy.Query.regex_query(self.schema, name, _regex_escape(tokens[0]) + ".*")
        words: list[str | tuple[int, str]] = [*tokens]  # tantivy also takes (position, word)
        if prefix:
            return tantivy.Query.phrase_prefix_query(self.schema, name, words)
        if len(tokens) == 1:
            return tantivy.Query.term_query(self.schema, name, tokens[0])
        return tantivy.Query.phrase_query(self.schema, name, words)

    def _filter(self, node: q.Filter) -> tantivy.Query:
        value = node.value.strip()
        handler = getattr(self, f"_filter_{node.field}")
        return handler(value)

    def _term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def _nothing(self, message: str) -> tantivy.Query:
        self.messages.append(message)
        return tantivy.Query.empty_query()

    def _filter_type(self, value: str) -> tantivy.Query:
        return self._term("doc_type", value.lower())

    def _filter_lang(self, value: str) -> tantivy.Query:
        code = value.lower() if len(value) == 2 and value.isalpha() else language_code(value)
        if not code:
            return self._nothing(
                f'"lang:{value}" is not a language opis knows (try lang:ru or lang:Russian).'
            )
        return self._term("lang", code)

    def _filter_archive(self, value: str) -> tantivy.Query:
        return self._term("archive_key", canonical_archive_key(value))

    def _filter_collection(self, value: str) -> tantivy.Query:
        return self._term("collection", value)

    def _filter_number(self, value: str) -> tantivy.Query:
        return self._term("number", normalise_number(value))

    def _filter_fond(self, value: str) -> tantivy.Query:
        return self._term("fond", value.lower())

    def _filter_classification(self, value: str) -> tantivy.Query:
        return self._term("classification", " ".join(value.upper().split()))

    def _filter_place(self, value: str) -> tantivy.Query:
        """A place by its gazetteer id (the facet's links) or by any of its names."""
        place = places_by_id().get(value.lower()) or resolve_place(value)
        if place is None:
            return self._nothing(
                f'"place:{value}" is not a place in the gazetteer (try place:beijing or '
                "place:Peking; opis knows the places in understand/data/places.json)."
            )
        return self._term("place_id", place.id)

    def _filter_id(self, value: str) -> tantivy.Query:
        return self._term("id", value)

    def _filter_year(self, value: str) -> tantivy.Query:
        return self._date_span(f"year:{value}", value, "year")

    def _filter_date(self, value: str) -> tantivy.Query:
        return self._date_span(f"date:{value}", value, "date")

    def _filter_within(self, value: str) -> tantivy.Query:
        return self._date_span(f"within:{value}", value, "date", contained=True)

    def _filter_decade(self, value: str) -> tantivy.Query:
        if not (value.isdigit() and len(value) == 4):
            return self._nothing(
                f'"decade:{value}" is not a decade (write decade:1950 for the 1950s).'
            )
        start = int(value) // 10 * 10
        return self._overlap(start * 10000 + 101, (start + 9) * 10000 + 1231)

    def _date_span(
        self, written: str, value: str, kind: str, *, contained: bool = False
    ) -> tantivy.Query:
        low, _, high = value.partition("..")
        first, last = parse_date(low or high), parse_date(high or low)
        if first.start is None or last.end is None or (kind == "year" and not _years(low, high)):
            example = "year:1950 or year:1950..1953" if kind == "year" else "date:1950-07..1950-08"
            return self._nothing(
                f'"{written}" is not a {kind} range opis understands (try {example}).'
            )
        if first.start > last.end:
            return self._nothing(f'"{written}" ends before it starts.')
        if contained:
            return self._contained(day_number(first.start), day_number(last.end))
        return self._overlap(day_number(first.start), day_number(last.end))

    def _contained(self, start: int, end: int) -> tantivy.Query:
        """Documents whose whole date interval lies within [start, end]: "June 1950" is within
        1950, but not within 1950-06-10..1950-06-20 (it merely overlaps it)."""
        return self._dated(start, end, ("date_start", start, None), ("date_end", None, end))

    def _overlap(self, start: int, end: int) -> tantivy.Query:
        """Documents whose date interval overlaps [start, end] (days as YYYYMMDD integers)."""
        return self._dated(start, end, ("date_start", None, end), ("date_end", start, None))

    def _dated(
        self, start: int, end: int, *days: tuple[str, int | None, int | None]
    ) -> tantivy.Query:
        """The documents of the years from ``start`` to ``end`` (``index.YEARS_FIELD``, read from
        the index's terms) whose days pass the tests ``days`` (field, lowest, highest). Every
        record within or overlapping the range touches one of its years, so the years lose
        none, and Tantivy tests the days of their records only: at a million cables a year's
        filter took 8.8 ms as the days' test of every record, 1.0 ms so."""
        integer = tantivy.FieldType.Integer
        years = tantivy.Query.range_query(
            self.schema, YEARS_FIELD, integer, start // 10000, end // 10000,
            use_inverted_index=True,
        )  # fmt: skip
        long_span = tantivy.Query.term_query(self.schema, YEARS_FIELD, LONG_SPAN)
        candidates = tantivy.Query.boolean_query([(Occur.Should, years), (Occur.Should, long_span)])
        clauses = [(Occur.Must, candidates)]
        for field, low, high in days:
            clauses.append(
                (Occur.Must, tantivy.Query.range_query(self.schema, field, integer, low, high))
            )
        return tantivy.Query.boolean_query(clauses)


def _person(name: str):
    """The one person a name or authority id stands for (any variant or pseudonym), or None."""
    return names.authority().get(name) or names.resolve(name) or names.pseudonym_of(name)


def _plain_word(node) -> bool:
    """One word typed on its own: no field, quotes, prefix or minus (those say what they want)."""
    return (
        isinstance(node, q.Text) and node.field is None and not node.phrase and not node.prefix
        and len(node.words.split()) == 1
    )  # fmt: skip


def _years(low: str, high: str) -> bool:
    return all(part.isdigit() and len(part) == 4 for part in (low, high) if part)


def _regex_escape(text: str) -> str:
    """Escape for Tantivy's regex syntax (the Rust regex crate)."""
    return "".join("\\" + ch if ch in r".+*?()|[]{}^$\#&-~" else ch for ch in text)
