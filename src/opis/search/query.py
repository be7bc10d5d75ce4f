"""The search language: words, "phrases", OR, -exclusion, prefix*, (groups) and field:value.

The parser is total: every string parses. What it cannot take literally it repairs (an unclosed
quote is closed, a stray parenthesis dropped, an unknown field searched as words) and says so in
``messages``, which the reading room shows above the results. See docs/search.md.
"""

import re
from dataclasses import dataclass, field

FIELDS = {
    "title": "title",
    "type": "type",
    "doctype": "type",
    "lang": "lang",
    "language": "lang",
    "archive": "archive",
    "repository": "archive",
    "collection": "collection",
    "year": "year",
    "decade": "decade",
    "date": "date",
    "within": "within",
    "id": "id",
    "person": "person",
    "place": "place",
    "signed_as": "signed_as",
    "signed": "signed_as",
    "from": "from",
    "to": "to",
    "via": "via",
    "number": "number",
    "fond": "fond",
    "classification": "classification",
    "literal": "literal",
}
# Fields whose values are words to find (analysed like text) rather than exact values.
# literal: the words in every text field, as spelt, without the authority's other forms of a name.
TEXT_FIELDS = {"title", "person", "signed_as", "from", "to", "via", "literal"}
EXAMPLES = {  # a value that works, for each field, to show when a value is missing
    "title": "telegram",
    "type": "telegram",
    "lang": "ru",
    "archive": "APRF",
    "collection": "dfat-v22",
    "year": "1950",
    "decade": "1950",
    "date": "1950-07..1950-08",
    "within": "1950-07..1950-08",
    "id": "wcda-110692",
    "person": '"Zhou Enlai"',
    "place": "beijing",
    "signed_as": "Filippov",
    "from": "Moscow",
    "to": "Beijing",
    "via": "Roshchin",
    "number": "3305",
    "fond": "45",
    "classification": "SECRET",
    "literal": '"Jiang Jieshi"',
}
# Bounds on what one query may ask, so that no query costs more than a few milliseconds to read
# and no page that echoes it (facet links, chips, the search box, a cursor) grows with its length.
MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 64
MAX_DEPTH = 32  # nested parentheses; deeper ones would exhaust the parser's recursion


@dataclass
class Text:
    """Words to find; several words in one Text must stand together (a phrase)."""

    words: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False


@dataclass
class Filter:
    field: str
    value: str


@dataclass
class Not:
    node: object


@dataclass
class And:
    nodes: list = field(default_factory=list)


@dataclass
class Or:
    nodes: list = field(default_factory=list)


@dataclass
class ParsedQuery:
    node: object | None  # None: match everything
    messages: list[str] = field(default_factory=list)
    text: str = ""  # the query as read: control characters removed, cut to MAX_QUERY_CHARS


_TOKEN = re.compile(r'\s+|\(|\)|"[^"]*"?|[^\s()"]+')


@dataclass
class _Token:
    kind: str  # word | phrase | lparen | rparen
    text: str
    negated: bool = False
    field: str | None = None


def parse(query: str) -> ParsedQuery:
    messages: list[str] = []
    text = "".join(ch for ch in str(query) if ch.isprintable() or ch.isspace())
    if len(text) < len(str(query)):
        messages.append("Characters that cannot be searched (control characters) were removed.")
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        messages.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
    tokens = _flatten_deep_groups(_lex(text, messages), messages)
    parser = _Parser(tokens, messages)
    node = parser.parse()
    if parser.clauses > MAX_CLAUSES:
        messages.append(f"The query has more than {MAX_CLAUSES} terms; only the first were used.")
    return ParsedQuery(node=node, messages=messages, text=text)


def _lex(text: str, messages: list[str]) -> list[_Token]:
    tokens: list[_Token] = []
    negate = False
    for match in _TOKEN.finditer(text):
        piece = match.group()
        if negate and (piece.isspace() or piece == ")"):
            _note(messages, _LONE_MINUS)
        if piece.isspace():
            negate = False
            continue
        if piece == "-":
            negate = True  # "-(" and '-"' negate what follows; a lone "-" is dropped
            continue
        if piece == "(":
            tokens.append(_Token("lparen", piece, negated=negate))
        elif piece == ")":
            tokens.append(_Token("rparen", piece))
        elif piece.startswith('"'):
            if len(piece) == 1 or not piece.endswith('"'):
                messages.append("A closing quotation mark was missing; the phrase runs to the end.")
            body = piece[1:-1] if len(piece) > 1 and piece.endswith('"') else piece[1:]
            field_name = _pending_field(tokens)
            tokens.append(
                _Token("phrase", body, negated=negate or _pop_negation(tokens, field_name))
            )
            tokens[-1].field = field_name
        else:
            tokens.extend(_word_tokens(piece, negate, messages))
        negate = False
    if negate:
        _note(messages, _LONE_MINUS)
    return tokens


def _flatten_deep_groups(tokens: list[_Token], messages: list[str]) -> list[_Token]:
    """Parentheses nested deeper than MAX_DEPTH dropped, with those that close them: their words
    join the group around them (a "-" before such a group is dropped with it)."""
    kept, depth = [], 0
    for token in tokens:
        if token.kind == "lparen":
            depth += 1
        deep = token.kind in ("lparen", "rparen") and depth > MAX_DEPTH
        if token.kind == "rparen":
            depth = max(0, depth - 1)
        if deep:
            _note(messages, f"Parentheses nested more than {MAX_DEPTH} deep were ignored.")
        else:
            kept.append(token)
    return kept


_LONE_MINUS = 'A "-" with nothing after it was ignored (write -word to leave a word out).'


def _note(messages: list[str], message: str) -> None:
    if message not in messages:
        messages.append(message)


def _pending_field(tokens: list[_Token]) -> str | None:
    """A word token "type:" directly before a phrase makes the phrase a field value."""
    if (
        tokens
        and tokens[-1].kind == "word"
        and tokens[-1].text.endswith(":")
        and tokens[-1].field == ""
    ):
        return tokens[-1].text[:-1]
    return None


def _pop_negation(tokens: list[_Token], field_name: str | None) -> bool:
    if field_name is None:
        return False
    return tokens.pop().negated


def _word_tokens(piece: str, negate: bool, messages: list[str]) -> list[_Token]:
    if piece.startswith("-") and len(piece) > 1:
        negate, piece = True, piece[1:]
    name, sep, value = piece.partition(":")
    if sep and name.lower() in FIELDS:
        if not value:
            return [_Token("word", f"{FIELDS[name.lower()]}:", negated=negate, field="")]
        return [_Token("word", value, negated=negate, field=FIELDS[name.lower()])]
    if sep and name and value and re.fullmatch(r"[A-Za-z_]+", name):
        messages.append(
            f'"{name}:" is not a field opis knows, so "{piece}" was searched as words. '
            f"Fields: {', '.join(sorted(set(FIELDS.values())))}."
        )
    return [_Token("word", piece, negated=negate)]


class _Parser:
    def __init__(self, tokens: list[_Token], messages: list[str]):
        self.tokens, self.pos, self.messages = tokens, 0, messages
        self.depth = 0
        self.clauses = 0

    def parse(self):
        node = self._or()
        while self.pos < len(self.tokens):  # only stray ")" can stop _or early
            self.pos += 1
            self._note("A closing parenthesis without an opening one was ignored.")
            more = self._or()
            node = _join(And, [node, more])
        return node

    def _note(self, message: str) -> None:
        _note(self.messages, message)

    def _peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _or(self):
        nodes = [self._and()]
        while (tok := self._peek()) and tok.kind == "word" and tok.text == "OR" and not tok.field:
            self.pos += 1
            right = self._and()
            if right is None:
                self._note('"OR" needs words on both sides; it was ignored.')
            nodes.append(right)
        return _join(Or, nodes)

    def _and(self):
        nodes: list[object] = []
        while (tok := self._peek()) and tok.kind != "rparen":
            if tok.kind == "word" and tok.text == "OR" and not tok.field:
                if not nodes:
                    self.pos += 1
                    self._note('"OR" needs words on both sides; it was ignored.')
                    continue
                break
            self.pos += 1
            if tok.kind == "word" and tok.text in ("AND", "NOT") and not tok.field:
                if tok.text == "NOT" and (nxt := self._peek()) and nxt.kind != "rparen":
                    nxt.negated = not nxt.negated
                elif tok.text == "NOT":
                    self._note('"NOT" needs words after it; it was ignored.')
                continue
            node = self._unit(tok)
            if node is not None:
                nodes.append(node)
        return _join(And, nodes)

    def _unit(self, tok: _Token):
        if tok.kind == "lparen":
            self.depth += 1
            inner = self._or()
            if self._peek() is None:
                self._note("An opening parenthesis was never closed; it was closed at the end.")
            else:
                self.pos += 1
            self.depth -= 1
            return Not(inner) if tok.negated and inner is not None else inner
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            return None
        node = self._leaf(tok)
        return Not(node) if tok.negated and node is not None else node

    def _leaf(self, tok: _Token):
        if tok.field == "":
            example = EXAMPLES.get(tok.text[:-1], "telegram")
            self._note(f'"{tok.text}" needs a value after the colon, e.g. {tok.text}{example}.')
            return None
        if tok.field and tok.field not in TEXT_FIELDS:
            return Filter(tok.field, tok.text)
        if tok.kind == "phrase":
            if not tok.text.strip():
                self._note("An empty pair of quotation marks was ignored.")
                return None
            return Text(tok.text, field=tok.field, phrase=True)
        words, prefix = tok.text, False
        if words.endswith("*"):
            words, prefix = words.rstrip("*"), True
            if len(words) < 2:
                self._note(
                    "A * needs at least two letters before it (e.g. diplom*); it was ignored."
                )
                prefix = False
        return Text(words, field=tok.field, prefix=prefix) if words else None


def _join(kind, nodes):
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else kind(nodes)
