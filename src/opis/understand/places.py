"""Places under every name they had: Peking, Peiping and Beijing are one city.

Diplomatic documents name places as they were called when written (Batavia, Djakarta, Jakarta;
Saigon; Leningrad) and as each language writes them (北京, Пекин), and a historian searches in
today's form or in the document's. ``data/places.json`` lists each place with its names and the
years each was official, romanisations and the Russian and Chinese forms. The years describe the
place; they do not limit a search, since documents keep old names long after a renaming.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "places.json"


@dataclass
class PlaceName:
    name: str
    from_year: int | None = None
    to_year: int | None = None


@dataclass
class Place:
    id: str
    canonical: str
    country: str
    names: list[PlaceName] = field(default_factory=list)
    other_forms: list[str] = field(default_factory=list)

    def forms(self) -> list[str]:
        """Every form, official names first, each once."""
        return list(dict.fromkeys([n.name for n in self.names] + self.other_forms))


def place_key(text: str) -> str:
    """Matching key: case, accents, spaces, hyphens, dots and apostrophes ignored
    ("Pei-p'ing" = "Peiping", "Königsberg" = "Konigsberg", "St. Petersburg" = "St Petersburg")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return "".join(ch for ch in folded if ch.isalnum())


@cache
def gazetteer() -> dict[str, Place]:
    """Every form's key → its place; a key two places share is left out (never guessed)."""
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    by_key: dict[str, Place] = {}
    shared: set[str] = set()
    for entry in raw["places"]:
        place = Place(
            id=entry["id"],
            canonical=entry["canonical"],
            country=entry.get("country", ""),
            names=[PlaceName(**name) for name in entry.get("names", [])],
            other_forms=list(entry.get("other_forms", [])),
        )
        for form in place.forms():
            key = place_key(form)
            if key in by_key and by_key[key].id != place.id:
                shared.add(key)
            by_key.setdefault(key, place)
    return {key: place for key, place in by_key.items() if key not in shared}


def resolve_place(name: str) -> Place | None:
    """The one place a name stands for, or None."""
    key = place_key(name or "")
    return gazetteer().get(key) if key else None


@cache
def places_by_id() -> dict[str, Place]:
    """The gazetteer by id ("beijing"), every place once."""
    return {place.id: place for place in gazetteer().values()}


MAX_PLACE_WORDS = 5  # "Thành phố Hồ Chí Minh"
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*\.?")
_POSSESSIVE = re.compile(r"['’]s\b")  # "Moscow's view"
_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")


@cache
def _key_beginnings() -> frozenset[str]:
    """Every beginning of every name's key ("p", "pe", … "peking"): where a run of words stops."""
    return frozenset(key[:end] for key in gazetteer() for end in range(1, len(key) + 1))


@lru_cache(maxsize=1 << 16)
def _word_key(word: str) -> str:
    """One word's matching key; titles repeat their words, so each is folded once."""
    return place_key(word)


def places_named(text: str) -> list[tuple[str, Place]]:
    """Each place a text (a title) names by one of its forms, with the form as written, in the
    order of first mention, each place once. Longest names first ("Ho Chi Minh City", not
    "Minh"); a form in Chinese or Korean script is found inside the characters around it, since
    those scripts do not put spaces between words."""
    words = _WORD.findall(_POSSESSIVE.sub("", text or ""))
    # A run of words keys as its words' keys joined (place_key drops the spaces between them), so
    # each word is keyed once, and a run grows only while its key begins some place's key: the
    # index reads every record's title, and most words begin no place's name.
    keys = [_word_key(word) for word in words]
    places, beginnings = gazetteer(), _key_beginnings()
    found: dict[str, tuple[str, Place]] = {}
    start = 0
    while start < len(words):
        key, longest = "", 0
        for length in range(1, min(MAX_PLACE_WORDS, len(words) - start) + 1):
            key += keys[start + length - 1]
            if key not in beginnings:
                break
            if key in places:
                longest = length
        if longest:
            place = places["".join(keys[start : start + longest])]
            found.setdefault(place.id, (" ".join(words[start : start + longest]), place))
        start += longest or 1
    if _CJK.search(text or ""):
        for place in places_by_id().values():
            for form in place.forms():
                if _CJK.search(form) and form in text:
                    found.setdefault(place.id, (form, place))
    return list(found.values())
