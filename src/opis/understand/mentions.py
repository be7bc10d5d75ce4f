"""People of the authority named in a document's text, each with how sure the link is.

A historian looking for Chiang Kai-shek wants the cable that says "the Generalissimo's talk with
Chiang Kai-shek" as much as the one he signed; the person facet and ``person:`` read who a
document names from ``person_id`` in the index, so ingest links the names in the body to the
authority (``understand.names``) and keeps each link with its confidence.

One matcher, built once per process from every name form of every person (the curated list and
the Office of the Historian's database: Latin, Cyrillic, Chinese, old romanisations), reads a text
word by word: at each word it looks up the longest run of words whose letters, folded and joined
(``"Chiang Kai-shek"`` and ``"CHIANG Kaishek"`` are both ``chiangkaishek``), are a name form, and
moves past it. Chinese and Japanese names, written without spaces, are found by one regular
expression of those forms. Pseudonyms are not matched here: "Filippov" in a text is a name, and
only a signature says it is Stalin's (``understand.agents``).

How sure a link is (``Mention.confidence``), and which are linked (``LINKED_FROM``):

- a form of two or more words, or one in Chinese or Cyrillic script, that the authority gives to
  one person: 0.95 where a source states it, 0.9 where opis derived it by rule ("Dean Acheson" from
  "Acheson, Dean Gooderham");
- one word that a source states as the person's name on its own ("Molotov", "Sukarno"): 0.85;
- a surname alone, which opis derived by rule and so proves little, is linked only where it is
  unambiguous in the authority *and* in the document: the document names that person in full
  elsewhere (0.8), or a title stands before it ("Mr Chifley", "President Truman") and nobody else
  in the authority bears it (0.75). A surname alone with neither is 0.5 and not linked: "Long",
  "Rice" or "Bush" at the start of a sentence would otherwise name a diplomat;
- a single word that also stands in the text in lower case is a word, not a name ("long"), and
  a name of fewer than three letters ("Li", "Wu") is never matched alone;
- a person born less than fifteen years before a dated document is not the one it names (where
  the authority knows the year of birth: a quarter of its persons): a son is left out where his
  father, of the same name, is meant;
- a name after "Madame", "Mrs" or "Lady" names his wife ("Madame Chiang Kai-shek"), one after an
  initial is the end of a longer name ("A. R. Taylor" is not R. Taylor), and one before "Ltd" a
  firm ("David Jones Ltd"): none is linked.

A form several persons hold equally is ambiguous. If the document names exactly one of them in
full, it is theirs (0.8); otherwise a form of two or more words, or a stated name, with at most
``MAX_CANDIDATES`` holders goes to the curators' review list with its candidates. A bare surname
shared by many ("Smith", "Kim") is no claim about anyone and goes nowhere.
"""

import bisect
import itertools
import re
import threading
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, lru_cache

import pycountry

from opis.understand.claims import DERIVED, EXPLICIT
from opis.understand.names import Authority, authority
from opis.understand.romanize import fold, name_key

FULL_STATED = 0.95
FULL_DERIVED = 0.9
NAME_ALONE = 0.85
IN_CONTEXT = 0.8
TITLED = 0.75
SURNAME_ALONE = 0.5
LINKED_FROM = 0.7  # a mention this sure or surer is linked; weaker ones are not kept
MAX_CANDIDATES = 8  # an ambiguous form with more holders than this is too common to review
SHORTEST_ALONE = 3  # letters a one-word name needs to be matched alone
GIVEN_NAME_OF = 5  # persons whose first given name a word is, to be a given name ("Paul")
OF_AGE = 15  # years a person must have lived to be the one a document names
SPELLING = 0.75  # how like one of a person's names a one-word form must be (difflib's ratio)

# A word: letters, joined by hyphens or apostrophes ("Kai-shek", "Ch'iao", "O'Sullivan").
_LETTER = re.compile(r"[^\W\d_]")
_JOINING = "-‐‑'’‘ʼ`"  # hyphens and apostrophes, typed and typographic
_JOINER = f"[{_JOINING}]"
_WORD = re.compile(rf"{_LETTER.pattern}+(?:{_JOINER}{_LETTER.pattern}+)*")
_GAP = re.compile(r"[\s.]*")  # what may stand between the words of one name: initials' stops
_POSSESSIVE = re.compile(r"[’'](?:s|S)$")
_JOINERS = str.maketrans("", "", _JOINING)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Titles before a surname that say a person is meant; not those naming a wife ("Mrs", "Madame").
# fmt: off
_TITLES = frozenset({
    "mr", "messrs", "dr", "president", "premier", "generalissimo", "marshal",
    "general", "gen", "ambassador", "minister", "secretary", "senator", "chairman", "chancellor",
    "king", "prince", "emperor", "admiral", "colonel", "col", "captain", "commissioner",
    "governor", "judge", "justice", "monsieur", "herr", "signor", "señor", "senor", "comrade",
    "tovarishch", "господин", "товарищ", "маршал",
})
# "Madame Chiang Kai-shek" is his wife, "Mrs Menzies" the Prime Minister's: not the person named.
_ANOTHER = frozenset({
    "madame", "mme", "madam", "mrs", "lady", "miss", "mlle", "mademoiselle", "frau", "госпожа",
})
_FIRMS = frozenset({"ltd", "limited", "pty", "inc", "co", "company", "corporation", "plc"})
# fmt: on


@dataclass(frozen=True)
class Phrase:
    """A name form as the matcher knows it: who holds it, and how strong its claim is."""

    holders: tuple[str, ...]  # persons holding the form at its strongest claim
    rank: int  # that claim (``claims``)
    one_word: bool  # a single word of a Latin or Cyrillic script
    alone: bool  # a name on its own: more than one word, or a one-word name a source states
    sizes: frozenset[int]  # in how many words its forms are written, hyphens joining or not


@dataclass
class Mention:
    """A person named in a text: the form as written, where first, how often, how sure."""

    person_id: str
    form: str
    confidence: float
    text: int  # which of the texts given
    start: int
    end: int
    count: int = 1


@dataclass
class Ambiguous:
    """A form several persons of the authority hold, left for a curator to decide."""

    form: str
    candidates: tuple[str, ...]
    count: int = 1


@dataclass
class Found:
    linked: list[Mention] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)


@dataclass
class _Match:
    phrase: Phrase
    form: str
    text: int
    start: int
    end: int
    titled: bool
    holders: tuple[str, ...] = ()  # the phrase's holders who could be meant (``find``)


class MentionMatcher:
    """Every name form of an authority, looked up word by word (see the module docstring)."""

    def __init__(self, persons: Authority):
        self.phrases: dict[str, Phrase] = {}
        self.born = {p.id: p.born for p in persons.persons.values() if p.born}
        self.longest: dict[str, int] = {}  # first word → most words a form starting so has
        given = _given_names(persons)
        cjk: set[str] = set()
        claims_by_phrase: dict[str, dict[str, int]] = {}
        alone: dict[str, bool] = {}
        sizes: dict[str, set[int]] = {}
        for person in persons.persons.values():
            own = _words(person.canonical.replace(",", " "))
            for form in person.variants:
                words = _words(form)
                if "," in form or not words:  # inverted ("Molotov, V. M."): a list's order
                    continue
                key = "".join(words)
                claims = persons._claims.get(name_key(form), {})
                if _CJK.search(form):
                    if len(form) < 2 or len(words) != 1:
                        continue
                    cjk.add(form)
                elif len(words) == 1:
                    if claims.get(person.id) != EXPLICIT and not _a_name_of(words[0], own, given):
                        continue
                    alone[key] = alone.get(key, False) or claims.get(person.id) == EXPLICIT
                    alone[key] = alone[key] or len(own) == 1  # one name, as Sukarno had
                elif max(map(len, words)) < SHORTEST_ALONE:  # "N. I.": initials alone
                    continue
                sizes.setdefault(key, set()).update((len(words), _split_size(form)))
                held = claims_by_phrase.setdefault(key, {})
                for pid, rank in claims.items():
                    held[pid] = max(rank, held.get(pid, 0))
                self.longest[words[0]] = max(self.longest.get(words[0], 0), len(words))
        for key, claims in claims_by_phrase.items():
            if claims:
                best = max(claims.values())
                holders = tuple(sorted(p for p, rank in claims.items() if rank == best))
                one_word = 1 in sizes[key] and not _CJK.search(key)
                self.phrases[key] = Phrase(
                    holders, best, one_word, alone.get(key, not one_word), frozenset(sizes[key])
                )
        ordered = sorted(cjk, key=len, reverse=True)
        self.cjk = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self.keys = sorted(self.phrases)  # to ask whether any form begins with some letters

    def _begins_a_key(self, letters: str) -> bool:
        """Whether some form, folded and joined, begins with ``letters``: a word and the next
        one ("the", "soviet") that begin none can only be a one-word name, so the words after
        them need not be cut out and folded (most capitals that begin a form are such)."""
        at = bisect.bisect_left(self.keys, letters)
        return at < len(self.keys) and self.keys[at].startswith(letters)

    def find(self, texts: list[str], year: int | None = None) -> Found:
        """The persons the texts name: linked mentions and ambiguous forms, each counted. A
        document's ``year`` leaves out whoever was not yet of an age to be named in it."""
        matches = [m for i, text in enumerate(texts) for m in self._matches(i, text)]
        for match in matches:
            match.holders = self._of_age(match.phrase.holders, year)
        named = {m.holders[0] for m in matches if _full(m) and len(m.holders) == 1}
        found = Found()
        linked: dict[tuple[str, str], Mention] = {}
        ambiguous: dict[str, Ambiguous] = {}
        for match in matches:
            person, confidence = self._decide(match, named)
            if person and confidence >= LINKED_FROM:
                if match.phrase.one_word and _is_word(match, texts):
                    continue
                key = (person, match.form)
                if key in linked:
                    linked[key].count += 1
                else:
                    linked[key] = Mention(
                        person, match.form, confidence, match.text, match.start, match.end
                    )
            elif person is None and _reviewable(match):
                if match.form in ambiguous:
                    ambiguous[match.form].count += 1
                else:
                    ambiguous[match.form] = Ambiguous(match.form, match.holders)
        found.linked = list(linked.values())
        found.ambiguous = list(ambiguous.values())
        return found

    def _of_age(self, holders: tuple[str, ...], year: int | None) -> tuple[str, ...]:
        if year is None:
            return holders
        return tuple(p for p in holders if self.born.get(p, year - OF_AGE) + OF_AGE <= year)

    def _decide(self, match: _Match, named: set[str]) -> tuple[str | None, float]:
        holders = match.holders
        if not holders:
            return None, 0.0
        if len(holders) > 1:
            inside = [pid for pid in holders if pid in named]
            return (inside[0], IN_CONTEXT) if len(inside) == 1 else (None, 0.0)
        person = holders[0]
        if not match.phrase.one_word:
            return person, FULL_DERIVED if match.phrase.rank <= DERIVED else FULL_STATED
        if match.phrase.alone:
            return person, NAME_ALONE
        if person in named:
            return person, IN_CONTEXT
        return person, TITLED if match.titled else SURNAME_ALONE

    def _matches(self, number: int, text: str):
        free = 0  # where the last name found ends: a name does not begin inside another
        for capital in _name_starts().finditer(text):
            start = capital.start()
            if start < free or not text[start].isupper():
                continue
            first = _WORD.match(text, start)
            most = self.longest.get(_folded(first.group()), 0) if first else 0
            if not first or not most:
                continue  # the common case: a capital beginning no name's form
            following = _WORD.finditer(text, first.end())
            second = next(following, None)
            spans = [first.span(), *([second.span()] if second else [])]
            folded = [_folded(text[a:b]) for a, b in spans]
            if second and self._begins_a_key(folded[0] + folded[1]):
                spans += [m.span() for m in itertools.islice(following, most + 1)]
                folded += [_folded(text[a:b]) for a, b in spans[2:]]
                longest = min(most + 2, len(spans))  # "Kim Il Sung" for "Kim Il-sung"
            else:  # the common case: no name goes on with the next word ("The" before "Soviet")
                longest = 1
            for n in range(longest, 0, -1):
                phrase = self.phrases.get("".join(folded[:n]))
                end = spans[n - 1][1]
                if (
                    phrase
                    and (n in phrase.sizes or _split_size(text[start:end]) in phrase.sizes)
                    and _joined(text, spans, 0, n)
                ):
                    end -= 2 if _POSSESSIVE.search(text, spans[n - 1][0], end) else 0
                    before = _word_before(text, start)
                    after = folded[n] if n < len(folded) else ""
                    if not _part_of_another(before, after):
                        titled = before in _TITLES
                        yield _Match(phrase, text[start:end], number, start, end, titled)
                    free = spans[n - 1][1]
                    break
        if self.cjk is not None and _CJK.search(text):
            for found in self.cjk.finditer(text):
                phrase = self.phrases.get(fold(found.group()))
                if phrase:
                    yield _Match(phrase, found.group(), number, found.start(), found.end(), False)


def _words(form: str) -> list[str]:
    return [_folded(w) for w in _WORD.findall(form)]


def _part_of_another(before: str, after: str) -> bool:
    """The words around a name say it is someone else's or not a person's: his wife's ("Madame
    Chiang Kai-shek"), a longer name ending so ("A. R. Taylor": an initial before "R. Taylor"),
    or a firm's ("David Jones Ltd")."""
    return before in _ANOTHER or len(before) == 1 or after in _FIRMS


def _split_size(text: str) -> int:
    """Words in ``text`` when hyphens part them too ("Kim Il-sung": 3)."""
    return len(re.findall(r"[^\W\d_]+(?:['’‘ʼ`][^\W\d_]+)*", text))


@lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str:
    """A word as the matcher compares it: folded, its hyphens and apostrophes gone, and a
    possessive's ending ("Kai-shek's") too."""
    return fold(_POSSESSIVE.sub("", word)).translate(_JOINERS)


def _given_names(persons: Authority) -> frozenset[str]:
    """Words that are the first given name of ``GIVEN_NAME_OF`` or more persons ("Paul",
    "Robert"): written alone they name nobody in particular, whoever else bears them."""
    counts: dict[str, int] = {}
    for person in persons.persons.values():
        if "," in person.canonical:
            given = _words(person.canonical.split(",", 1)[1])
            if given:
                counts[given[0]] = counts.get(given[0], 0) + 1
    return frozenset(word for word, count in counts.items() if count >= GIVEN_NAME_OF)


@cache
def _countries() -> frozenset[str]:
    """One-word names of countries, today's and former ones ("Yugoslavia"): what a king's
    office ("King of Yugoslavia") leaves of a name."""
    found: set[str] = set()
    for country in [*pycountry.countries, *pycountry.historic_countries]:
        for attribute in ("name", "common_name", "official_name"):
            words = _words((getattr(country, attribute, "") or "").split(",")[0])
            if len(words) == 1:
                found.add(words[0])
    return frozenset(found)


def _a_name_of(word: str, own: list[str], given: frozenset[str]) -> bool:
    """A one-word form that is one of the person's own names (or a spelling of it: Suharto for
    Soeharto), not a given name many share, nor a word an office left behind ("Japan" from
    "Emperor of Japan", "Pacific" from "Commander in Chief, Pacific")."""
    if len(word) < SHORTEST_ALONE or word in given or word in _countries():
        return False
    return word in own or any(SequenceMatcher(None, word, name).ratio() >= SPELLING for name in own)


def _joined(text: str, words: list, i: int, n: int) -> bool:
    """The words i..i+n stand together as one name: only spaces, hyphens, full stops of
    initials or apostrophes between them, never a comma or a line left blank."""
    for (_, end), (start, _) in zip(words[i : i + n - 1], words[i + 1 : i + n], strict=True):
        gap = text[end:start]
        if not _GAP.fullmatch(gap) or gap.count("\n") > 1:
            return False
    return True


@cache
def _name_starts() -> re.Pattern:
    """Where a name may begin: a capital letter that begins a word (``_WORD``: not after a letter,
    nor after a letter and a hyphen or apostrophe). Found by one expression over the text, so the
    matcher's loop visits only them, a tenth of a text's words or so; the other words are never
    cut out or folded. Chinese names, written without spaces, are ``MentionMatcher.cjk``'s.
    """
    capitals = "".join(ch for ch in map(chr, range(0x10000)) if ch.isupper() and _LETTER.match(ch))
    # The capital first, then the look back (from after it): most positions fail at once. Beyond
    # the Basic Multilingual Plane a class is searched item by item, so any such letter is taken
    # here and its case checked by ``_matches``.
    letter = _LETTER.pattern
    return re.compile(
        rf"(?:[{re.escape(capitals)}]|[\U00010000-\U0010ffff])"
        rf"(?<!{letter}.)(?<!{letter}{_JOINER}.)"
    )


def _word_before(text: str, start: int) -> str:
    """The word just before ``start``, folded, when only a name's gap parts them (spaces, the full
    stops of initials, one line end at most; ``_joined``); otherwise "" (a comma, a blank line,
    a digit, the text's beginning)."""
    end = start
    while end and (text[end - 1] == "." or text[end - 1].isspace()):  # ``_GAP``, backwards
        end -= 1
    if not end or not _LETTER.match(text[end - 1]) or text.count("\n", end, start) > 1:
        return ""
    # No word crosses a space or a line end, so the scan may begin after the last one before it.
    boundary = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end)) + 1
    words = _WORD.findall(text, boundary, end)
    return _folded(words[-1]) if words else ""


def _full(match: _Match) -> bool:
    return match.phrase.alone


def _reviewable(match: _Match) -> bool:
    return _full(match) and 1 < len(match.holders) <= MAX_CANDIDATES


def _is_word(match: _Match, texts: list[str]) -> bool:
    """A one-word name that the same text also writes in lower case is a common word there."""
    lowered = match.form.lower()
    return lowered.islower() and _whole_word(lowered).search(texts[match.text]) is not None


@lru_cache(maxsize=1 << 12)
def _whole_word(word: str) -> re.Pattern:
    """``word`` where it stands as a whole ``_WORD``: not after a letter (or a letter and a hyphen
    or apostrophe), not before one. One search, rather than cutting the whole text into words."""
    # The word first (searched for as a literal), then the look back from its end.
    letter, width = _LETTER.pattern, f".{{{len(word)}}}"
    return re.compile(
        rf"{re.escape(word)}(?<!{letter}{width})(?<!{letter}{_JOINER}{width})"
        rf"(?!{letter})(?!{_JOINER}{letter})"
    )


# The matcher of the process --------------------------------------------------------------------

_default: MentionMatcher | None = None
_lock = threading.Lock()


def matcher() -> MentionMatcher:
    """The matcher over the process's authority, built once (about as long as the authority)."""
    global _default
    with _lock:
        if _default is None:
            _default = MentionMatcher(authority())
        return _default


def find_mentions(texts: list[str], year: int | None = None) -> Found:
    """Persons of the authority named in ``texts`` (a document's bodies): linked and ambiguous."""
    return matcher().find(texts, year)
