"""Threads between cables: "Your UN[Y]466", "our Assembly 354", "reference my telegram 212".

A telegram cites earlier telegrams by number, and the number alone is ambiguous: every post numbers
its own outgoing series, so "466" is a different cable in London and in New York. Who sent the
cited cable is told by the possessive: "your 466" was sent *by the addressee* of the citing cable,
"my/our 212" by its sender; "Washington 1222" or "his 45" by someone named. So a reference is
resolved against an index of the correspondence (one volume, one collection) keyed by the
normalised number, keeping only candidates sent from the right side, dated on or before the citing
cable (and on the day written, where a date is: "your 4744 of 20th August"), preferring a reply
between the same two correspondents, then the closest earlier date within a window that narrows as
the evidence of side weakens (``WINDOW``). Where the archive lacks the cited cable the link is
null — most cited cables were never printed — and a document never links to itself.

Sides are told by places where headers give them (origin CANBERRA against origin NEW YORK) and, for
headers without a place, by the names in the editors' titles ("Hood to Burton"): the index learns
from the whole correspondence which names write from which place.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

from opis.drafts import DocumentDraft
from opis.understand.cable import Cable, cable_numbers
from opis.understand.cable_parties import title_parties
from opis.understand.cable_references import SLACK, Reference, find_references, reference_text

__all__ = [  # finding references lives in cable_references; callers may import them from here
    "CableEntry", "CableIndex", "Reference", "ThreadDocument", "collection_links",
    "collection_threads", "find_references", "reference_text", "resolve_references",
    "threads_json",
]  # fmt: skip

# How far back an undated reference may reach, by the evidence that the candidate came from the
# right side (see CableIndex._side): measured on the DFAT volumes, older matches are mostly another
# cable that reused the number (docs/quality.md, "Threads").
WINDOW = {1: timedelta(days=30), 2: timedelta(days=90), 3: timedelta(days=150)}
DATED_WINDOW = timedelta(days=400)  # "your 4744 of 20th August": the date decides

# --- the index of a correspondence -----------------------------------------------------------


@dataclass(frozen=True)
class CableEntry:
    """What resolution needs to know of one document in the correspondence."""

    id: str
    numbers: tuple[str, ...]
    origin: str = ""
    sent: date | None = None
    sender: str = ""  # the editors' title: "Hood"
    addressees: tuple[str, ...] = ()
    kind: str = "telegram"

    @classmethod
    def from_cable(cls, id: str, cable: Cable | dict, *, title: str = "", sent: date | None = None):
        """From a parsed header (or its JSON) and the document's title and date."""
        data = cable if isinstance(cable, dict) else cable.__dict__
        sender, recipients, _ = title_parties(title)
        when = _iso_day(data.get("sent") or "") or sent
        return cls(
            id=id,
            numbers=tuple(cable_numbers(data.get("number") or "")),
            origin=(data.get("origin") or "").upper(),
            sent=when,
            sender=sender,
            addressees=tuple(data.get("addressees") or recipients),
        )


def _same_day(written: str, sent: date) -> bool:
    """Whether a cable sent on ``sent`` can be the one cited as of ``written`` (a day either way:
    the cited date may be the day of sending or of receipt, in another time zone)."""
    if written.startswith("--"):
        month, day = int(written[2:4]), int(written[5:7])
        return any((d.month, d.day) == (month, day) for d in (sent - SLACK, sent, sent + SLACK))
    return abs((sent - date.fromisoformat(written)).days) <= 1


def _compatible(cited: str, printed: str) -> bool:
    """Series letters that may name the same series: one missing, or one ending the other."""
    return not cited or not printed or cited.endswith(printed) or printed.endswith(cited)


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _name_key(name: str) -> str:
    """ "Mr S. M. Bruce, High Commissioner in London" → "bruce"; institutions stay whole."""
    head = re.sub(r"\(.*?\)", "", name.split(",")[0]).strip().lower()
    head = re.sub(r"^(?:the|mr|mrs|dr|sir|lord|general|prime minister)\.?\s+", "", head)
    words = head.split()
    if 0 < len(words) <= 4 and not re.search(
        r"\b(?:department|embassy|legation|mission|commission|delegation|government|office|of|in"
        r"|for|to)\b",
        head,
    ):
        return words[-1]
    return head


@dataclass
class CableIndex:
    """The correspondence of one collection, by normalised number."""

    entries: list[CableEntry]
    by_number: dict[str, list[CableEntry]] = field(default_factory=dict)
    by_digits: dict[str, list[CableEntry]] = field(default_factory=dict)
    places: dict[str, set[str]] = field(default_factory=dict)  # name key → origins seen
    origins: set[str] = field(default_factory=set)
    _squeezed_origins: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_number, by_digits, places = defaultdict(list), defaultdict(list), defaultdict(set)
        for entry in self.entries:
            for number in entry.numbers:
                by_number[number].append(entry)
                by_digits[re.sub(r"\D", "", number)].append(entry)
            if entry.origin and entry.sender:
                places[_name_key(entry.sender)].add(entry.origin)
        self.by_number, self.by_digits, self.places = dict(by_number), dict(by_digits), dict(places)
        self.origins = {entry.origin for entry in self.entries if entry.origin}
        self._squeezed_origins = {re.sub(r"\W", "", origin): origin for origin in self.origins}

    def resolve(self, reference: Reference, own: CableEntry) -> str | None:
        """The id of the cited document, or None where the archive does not hold it."""
        if reference.kind not in ("", "telegram"):
            return None
        place = re.match(r"^([A-Z]{4,})(\d+)$", reference.number)
        if place and place.group(1) in self._squeezed_origins and not reference.party:
            # "Reference Washington 1222": a place, not a series
            origin = self._squeezed_origins[place.group(1)]
            reference = replace(reference, number=place.group(2), party=origin)
        best, best_fit = None, None
        for candidate in self._numbered(reference):
            if candidate.id == own.id or candidate.kind != "telegram":
                continue
            fit = self._fit(reference, own, candidate)
            if fit is not None and (best_fit is None or fit > best_fit):
                best, best_fit = candidate, fit
        return best.id if best else None

    def _numbered(self, reference: Reference) -> list[CableEntry]:
        """Cables bearing the number, or the same digits under a compatible series letter:
        "your 763" may be "UNY763", "our JA3669" is "O.JA3669", "Your UNY644" may be "644"."""
        found = list(self.by_number.get(reference.number, []))
        digits = re.sub(r"\D", "", reference.number)
        letters = reference.number[: len(reference.number) - len(digits)]
        for candidate in self.by_digits.get(digits, []):
            if candidate not in found and any(
                _compatible(letters, number[: len(number) - len(digits)])
                for number in candidate.numbers
                if number.endswith(digits)
            ):
                found.append(candidate)
        return found

    def _fit(self, reference: Reference, own: CableEntry, candidate: CableEntry) -> tuple | None:
        """How well a candidate fits (higher is better), or None where it cannot be the one."""
        side = self._side(reference, own, candidate)
        if side is None:
            return None
        if reference.date and candidate.sent and not _same_day(reference.date, candidate.sent):
            return None
        gap = (own.sent - candidate.sent).days if own.sent and candidate.sent else 0
        window = WINDOW[side].days if not reference.date else DATED_WINDOW.days
        if gap < -SLACK.days or gap > window:
            return None
        exact = reference.number in candidate.numbers
        return (side, exact, gap >= 0, -abs(gap))

    def _side(self, reference: Reference, own: CableEntry, candidate: CableEntry) -> int | None:
        """3: a reply pair (the candidate went between the same two correspondents, the right way);
        2: sent from the side the reference names; 1: nothing says either way; None: it came from
        the other side, or from outside the correspondence a bare reference belongs to."""
        own_from, own_to = _name_key(own.sender), {_name_key(a) for a in own.addressees}
        cand_from = _name_key(candidate.sender)
        cand_to = {_name_key(a) for a in candidate.addressees}
        if reference.direction == "yours":
            return self._from_addressee(own, candidate, own_from, own_to, cand_from, cand_to)
        if reference.direction in ("mine", "ours"):
            return _from_sender(own, candidate, own_from, own_to, cand_from, cand_to)
        if reference.party:
            return self._from_party(reference.party, candidate)
        parties = {own_from} | own_to
        if reference.date or (cand_from in parties and cand_to & parties):
            return 2  # a bare reference with its date, or within this correspondence
        if cand_from in parties or cand_to & parties:
            return 1
        return 1 if own.origin and candidate.origin == own.origin else None

    def _from_party(self, party: str, candidate: CableEntry) -> int | None:
        """ "Washington telegram 1222", "Dominions Office telegram D.364", "Mr. Casey's telegram":
        the named sender, by place or by the words of the editors' title; unknown names link
        nothing."""
        stems = _stems(party)
        if party.upper() == candidate.origin or (stems and stems <= _stems(candidate.sender)):
            return 2
        return None

    def _from_addressee(
        self,
        own: CableEntry,
        candidate: CableEntry,
        own_from: str,
        own_to: set[str],
        cand_from: str,
        cand_to: set[str],
    ) -> int | None:
        if cand_from and cand_from == own_from:
            return None
        if own.origin and candidate.origin == own.origin:
            return None
        if cand_from in own_to and own_from in cand_to:
            return 3
        places = set().union(*(self.places.get(key, set()) for key in own_to))
        places |= self._named_places(own.addressees)
        if candidate.origin and places and candidate.origin not in places:
            return None if cand_from not in own_to else 2
        if cand_from in own_to or (candidate.origin and candidate.origin in places):
            return 2
        if own_from in cand_to or (own.origin and not candidate.origin and not places):
            return 1  # addressed to us, or from a header without a place (early volumes' home side)
        return None

    def _named_places(self, names: Iterable[str]) -> set[str]:
        """Places written in names: "Cablegram to Kuala Lumpur", "Barwick in Manila"."""
        places = set()
        for name in names:
            for written in (name, *re.findall(r"\b(?:in|at)\s+([A-Z][\w .'-]+)$", name)):
                if written.strip().upper() in self.origins:
                    places.add(written.strip().upper())
        return places


def _from_sender(
    own: CableEntry,
    candidate: CableEntry,
    own_from: str,
    own_to: set[str],
    cand_from: str,
    cand_to: set[str],
) -> int | None:
    """ "my/our 212": sent by the citing cable's own sender, or from its own place."""
    if cand_from and cand_from in own_to and cand_from != own_from:
        return None
    if own.origin and candidate.origin and own.origin != candidate.origin:
        return None if cand_from != own_from else 2
    if cand_from and cand_from == own_from:
        return 3 if cand_to & own_to else 2
    if own.origin and candidate.origin == own.origin:
        return 2
    return 1 if cand_to & own_to or not (own.origin or candidate.origin) else None


_GENERIC = {"office", "government", "governments", "telegram", "cable", "cablegram", "the", "mr"}


def _stems(name: str) -> set[str]:
    """Significant words of a name, cut to six letters: "Dominions Office" → {"domini"}."""
    words = re.findall(r"[a-z]{4,}", re.sub(r"['’]s\b", "", name.lower()))
    return {w[:6] for w in words if w not in _GENERIC}


def resolve_references(
    references: Iterable[Reference],
    candidates: CableIndex | Iterable[CableEntry],
    *,
    own: CableEntry,
) -> list[tuple[Reference, str | None]]:
    """Each reference with the id of the document it cites, None where the archive lacks it."""
    index = candidates if isinstance(candidates, CableIndex) else CableIndex(list(candidates))
    return [(reference, index.resolve(reference, own)) for reference in references]


# --- the record's threads object -------------------------------------------------------------


def threads_json(
    links: dict[str, list[tuple[Reference, str | None]]],
) -> dict[str, dict[str, list[dict]]]:
    """``{id: {"refers_to": [{id, text}], "referred_by": [{id, text}]}}`` for every document.

    ``links`` maps each citing document's id to its resolved references. A reference with no target
    stays in ``refers_to`` with id null, so the page can show what was cited; ``referred_by`` holds
    only resolved ones. The same target (or the same unresolved number) cited twice in one document
    is listed once, with the first wording.
    """
    threads: dict[str, dict[str, list[dict]]] = {}

    def thread(doc_id: str) -> dict[str, list[dict]]:
        return threads.setdefault(doc_id, {"refers_to": [], "referred_by": []})

    for doc_id, resolved in links.items():
        seen: set[tuple[str | None, str]] = set()
        for reference, target in resolved:
            key = (target, reference.number if target is None else "")
            if key in seen:
                continue
            seen.add(key)
            thread(doc_id)["refers_to"].append({"id": target, "text": reference.text})
            if target is not None:
                thread(target)["referred_by"].append({"id": doc_id, "text": reference.text})
    return threads


@dataclass(frozen=True)
class ThreadDocument:
    """A document as the thread builder needs it: its id, title, date, text and cable header."""

    id: str
    title: str
    body: str
    cable: Cable | dict | None
    written: date | None = None
    references: list[Reference] | None = None  # found already (at ingest), else found here


def references_of(document: ThreadDocument, own: CableEntry | None = None) -> list[Reference]:
    """The references a cable makes, as written: found once, when the document is read."""
    if document.references is not None:
        return document.references
    if document.cable is None:
        return []  # no cable header: no cable of its own to be referred from
    own = own or CableEntry.from_cable(
        document.id, document.cable, title=document.title, sent=document.written
    )
    data = document.cable if isinstance(document.cable, dict) else document.cable.__dict__
    return find_references(
        document.body,
        own_number=data.get("number") or "",
        own_origin=own.origin,
        written=own.sent,
    )


def collection_links(
    documents: Iterable[ThreadDocument],
) -> dict[str, list[tuple[Reference, str | None]]]:
    """Find and resolve the references of every cable in one collection against the others."""
    documents = [d for d in documents if d.cable is not None]
    entries = {
        d.id: CableEntry.from_cable(d.id, d.cable, title=d.title, sent=d.written)
        for d in documents
        if d.cable is not None  # always: filtered above (and so for the type checker)
    }
    index = CableIndex(list(entries.values()))
    links = {}
    for document in documents:
        own = entries[document.id]
        links[document.id] = resolve_references(references_of(document, own), index, own=own)
    return links


def collection_threads(documents: Iterable[ThreadDocument]) -> dict[str, dict[str, list[dict]]]:
    """The ``threads`` object of every document in one collection (the ingest pipeline's call)."""
    return threads_json(collection_links(documents))


def cited_references(draft: DocumentDraft) -> list[dict] | None:
    """A cable's references as written, found while it is read (in the read workers, in
    parallel) and stored with it, so the thread stage after the run only resolves them."""
    if draft.cable is None:
        return None
    body = draft.texts[0].body if draft.texts else ""
    document = ThreadDocument(draft.id, draft.title, body, draft.cable, draft.date.start)
    return [asdict(reference) for reference in references_of(document)]
