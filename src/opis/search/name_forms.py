"""A name in a query stands for its person or place: every form the authorities know is searched.

A historian who types "Jiang Jieshi" wants the documents that print "Chiang Kai-shek", "蒋介石" or
"Чан Кайши" too; one who types "Molotov" wants "Молотов". The index already finds a person's
every name where the person is an *agent* of a record (sender, addressee: the ``person`` field);
this widens plain words that name one person to the documents that merely *mention* them, in any
spelling, at query time — so the catalogue's text stays as printed and a new variant in the
authority works at once, without a reindex.

Only forms that themselves name that same one person are added: "Chiang" alone could be his son,
so it is never added for "Chiang Kai-shek"; a query is never widened to someone else. Places work
the same way through the gazetteer (``understand/places.py``): "Peking" finds "Peiping", "Beijing"
and "北京", in the text and in ``from:``/``to:``. The search page says what was added, and
``literal:`` searches one spelling only (docs/search.md).
"""

from dataclasses import dataclass

from opis.understand import names
from opis.understand.names import Person
from opis.understand.places import Place, place_key, resolve_place
from opis.understand.romanize import name_key

MAX_NAME_WORDS = 5  # "Joseph Benedict Ben Chifley": no name in the authority is longer
SHOWN_FORMS = 4  # forms named in the message; the rest are counted


@dataclass
class NameExpansion:
    typed: str
    canonical: str
    authority: str  # "persons" or "places"
    forms: list[str]  # the other forms searched, besides what was typed
    person: Person | None = None

    def message(self) -> str:
        shown = ", ".join(self.forms[:SHOWN_FORMS])
        more = len(self.forms) - SHOWN_FORMS
        if more > 0:
            shown += f" and {more} more"
        literal = f'literal:"{self.typed}"' if " " in self.typed else f"literal:{self.typed}"
        return (
            f'"{self.typed}" ({self.canonical} in the authority of {self.authority}) was also '
            f"searched as {shown}. Search {literal} for this spelling only."
        )


def person_named(words: str) -> Person | None:
    """The one person these words name (a name form or a pseudonym), or None."""
    words = " ".join(words.split())
    if not words or len(words.split()) > MAX_NAME_WORDS:
        return None
    return names.resolve(words) or names.pseudonym_of(words)


def expansion(words: str) -> NameExpansion | None:
    """The other forms to search for words that name one person or one place; None when they
    name nobody, several, or someone with no other form that is theirs alone."""
    words = " ".join(words.split())
    person = person_named(words)
    if person is not None:
        return _person_expansion(words, person)
    place = resolve_place(words) if len(words.split()) <= MAX_NAME_WORDS else None
    return _place_expansion(words, place) if place else None


def _person_expansion(words: str, person: Person) -> NameExpansion | None:
    forms, keys = [], {name_key(words)}
    for form in names.search_terms(person):
        key = name_key(form)
        if key in keys or person_named(form) is not person:
            continue
        keys.add(key)
        forms.append(form)
    if not forms:
        return None
    return NameExpansion(words, person.canonical, "persons", forms, person=person)


def _place_expansion(words: str, place: Place) -> NameExpansion | None:
    typed = place_key(words)
    forms = [form for form in place.forms() if place_key(form) != typed]
    forms = list({place_key(form): form for form in reversed(forms)}.values())[::-1]
    return NameExpansion(words, place.canonical, "places", forms) if forms else None
