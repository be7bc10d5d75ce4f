"""Sender and recipients from a title that names them, as editors of document series write them.

DFAT's volumes title nearly every document by its correspondents — "Critchley to Burton", "Evatt
to Chifley and Dunk", "Mr S. M. Bruce, High Commissioner in London, to Mr R. G. Menzies, Prime
Minister", "Department of External Affairs to Embassy in Washington", "Cablegram from Barwick to
Critchley", "MINUTE, WILFORD TO BRIMELOW", "Submission 32 To Cabinet By O'sullivan" — and FRUS
titles its unmarked heads the same way ("The Secretary of State to the Minister in Nicaragua
(Hanna)", "Mr. Seward to Mr. Adams"). Without these parties a record has no people, and citation
managers save no author.

The reading is strict on purpose: a title is read only when every party in it looks like a
person (a name, with or without an honorific and an office after a comma), an office or body
("Department of External Affairs", "the Minister in Nicaragua"), or a capital standing for its
government ("Cablegram to Canberra"); otherwise nothing is taken ("Visit to Moscow", "Annex to
the report", a date). An office with its holder in brackets gives the holder. A person is kept as
written even when the authority does not know the name (most non-US figures): ingest links what
the authority knows and curators see the rest.
"""

import re

from opis.drafts import AgentDraft

MAX_PARTY_WORDS = 12
_KINDS = (
    r"cablegram|telegram|cable|telex|letter|note|memorandum|minute|despatch|dispatch|message|"
    r"submission|savingram|aide-m[ée]moire|record|report|brief|briefing note|telegraph message|"
    r"personal message|ministerial submission|instruction|instructions|reply|statement|paper|"
    r"draft letter|draft cablegram|joint report"
)
_NUMBERED = r"(?:No\.?\s*)?\d+"  # "Submission No. 416", "Cablegram 86"
_EXTRACT = re.compile(r"^(?:extracts?|excerpts?|copy)\s+(?:from|of)\s+", re.I)
_KIND_COMMA = re.compile(rf"^(?:{_KINDS})\s*(?:{_NUMBERED}\s*)?,\s*(?P<rest>.+)$", re.I)
_KIND_FROM = re.compile(rf"^(?:{_KINDS})\s*(?:{_NUMBERED}\s*)?(?:from|by|of)\s+(?P<rest>.+)$", re.I)
_KIND_TO = re.compile(rf"^(?:{_KINDS})\s*(?:{_NUMBERED}\s*)?(?:to|for)\s+(?P<rest>.+)$", re.I)
_TO_FROM = re.compile(r"^(?P<to>.+?)\s+from\s+(?P<sender>.+)$", re.I)  # "to Fife from Evans"
_KIND_SPACE = re.compile(rf"^(?:{_KINDS})\s+(?P<rest>[A-Z][^ ]*\s+to\s+.+)$", re.I)
_BY_AT_END = re.compile(r"^(?P<rest>.+?)\s+by\s+(?P<sender>[^,]+)$", re.I)
_CONVERSATION = re.compile(
    r"^(?:Record|Records|Note|Notes|Minutes|Memorandum)\s+(?:by\s+(?P<by>.+?)\s+)?of\s+"
    r"(?:(?:a|the|Secraphone|Telephone)\s+)?(?:Conversation|Discussion|Discussions|Talks?|"
    r"Meeting)s?\s+(?:between|with)\s+(?P<with>.+)$",
    re.I,
)
_POSSESSIVE_CONVERSATION = re.compile(  # brackets already dropped: "The Premier's Zhou Enlai's"
    r"^(?:The\s+)?(?:[\w ]+?'s\s+)?(?P<one>[^']+?)'s\s+(?:Conversations?|Talks?|Meeting)\s+"
    r"with\s+(?P<other>.+?)$",
    re.I,
)
_STATEMENT_OF = re.compile(r"^Statement\s+of\s+(?P<name>[^,]+),\s*[^,]+,", re.I)
# "Soviet Ambassador Yudin", "President Eisenhower": the office before a name, which is the party.
_OFFICE_BEFORE_NAME = re.compile(
    r"^(?:the\s+)?(?:(?:Soviet|Chinese|American|US|U\.S\.|British|Indian|French|Polish|"
    r"Hungarian|Korean|Vietnamese|Japanese|German|East German|West German)\s+)?"
    r"(?:Ambassador|President|Premier|Chairman|Minister|Foreign Minister|Prime Minister|"
    r"Secretary|General Secretary|First Secretary|Chancellor|Marshal|Comrade)\s+(?=[A-Z])"
)
_TRAILING_DATE = re.compile(
    r"(?:,|\s+on)\s+(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2}(?:st|nd|rd|th)?,?)"
    r"\s+\d{4}$"
)
_VIA = re.compile(r"^(?P<to>.+?)\s+via\s+(?P<via>.+)$", re.I)
_FOR = re.compile(r"^(?P<via>.+?)\s+for\s+(?P<to>.+)$", re.I)
_DATELINE = re.compile(r"\s+[A-Z][A-Z'.-]{2,}(?:\s+[A-Z][A-Z'.-]{2,})*,\s*\d.*$")
_BY_ONLY = re.compile(
    r"^(?:[\w' -]+\s)?(?:statement|minute|minutes|note|notes|paper|memorandum|report|"
    r"submission|letter|telegram|cablegram|despatch|message|brief|speech|address|comments|"
    r"record|aide-m[ée]moire|aide memoire)$",
    re.I,
)
_HOLDER = re.compile(r"^(?P<office>.+?)\s*\((?P<holder>[^()]+)\)$")
_HONORIFIC = re.compile(
    r"^(?:the\s+)?(?:Mr|Mrs|Miss|Ms|Dr|Sir|Lord|Lady|Dame|Colonel|Col|General|Gen|Admiral|"
    r"Captain|Capt|Major|Senator|Count|Baron|Prince|Marshal|Monsieur|Mme|Herr|Signor|Judge|"
    r"Professor|Prof|Dato|Tunku|Tun|Rt\s+Hon|Hon)\.?\s+",
    re.I,
)
OFFICE_WORDS = frozenset(
    [
        "secretary",
        "minister",
        "ministry",
        "ambassador",
        "embassy",
        "legation",
        "consul",
        "consulate",
        "consul-general",
        "department",
        "commission",
        "commissioner",
        "delegation",
        "government",
        "office",
        "president",
        "premier",
        "cabinet",
        "council",
        "committee",
        "mission",
        "representative",
        "governor",
        "chancellor",
        "king",
        "queen",
        "emperor",
        "delegate",
        "chargé",
        "charge",
        "affaires",
        "administrator",
        "board",
        "bureau",
        "staff",
        "chiefs",
        "section",
        "division",
        "branch",
        "headquarters",
        "command",
        "post",
        "legislature",
        "parliament",
        "congress",
        "senate",
        "army",
        "navy",
        "secretariat",
        "agency",
        "service",
        "posts",
    ]
)
# Words that begin titles of the form "X to Y" without being anyone: "Visit to Moscow".
NOT_NAMES = frozenset(
    [
        "visit",
        "visits",
        "mission",
        "annex",
        "appendix",
        "attachment",
        "enclosure",
        "addendum",
        "amendment",
        "amendments",
        "supplement",
        "response",
        "approach",
        "approaches",
        "introduction",
        "guide",
        "return",
        "access",
        "aid",
        "assistance",
        "exports",
        "imports",
        "trade",
        "loan",
        "road",
        "transition",
        "threat",
        "accession",
        "admission",
        "addition",
        "contribution",
        "contributions",
        "changes",
        "commitment",
        "support",
        "reference",
        "references",
        "travel",
        "trip",
        "journey",
        "exchange",
        "invitation",
        "delegation",
        "statement",
        "answer",
        "answers",
        "comments",
    ]
)
# A capital standing for its government: "Cablegram to Canberra", "Washington to London".
CAPITALS = frozenset(
    [
        "canberra",
        "london",
        "washington",
        "wellington",
        "ottawa",
        "pretoria",
        "tokyo",
        "paris",
        "moscow",
        "peking",
        "peiping",
        "beijing",
        "nanking",
        "batavia",
        "djakarta",
        "jakarta",
        "delhi",
        "new-delhi",
        "karachi",
        "colombo",
        "rangoon",
        "bangkok",
        "saigon",
        "manila",
        "singapore",
        "kuala-lumpur",
        "hong-kong",
        "the-hague",
        "rome",
        "bonn",
        "berlin",
        "geneva",
        "new-york",
        "cairo",
        "dublin",
        "port-moresby",
        "dili",
        "lisbon",
    ]
)


def parties_from_title(title: str) -> list[AgentDraft]:
    """Sender (author), recipients (addressees), intermediary and, for a record of a
    conversation, both sides (participants) that a title names; [] when it names none."""
    text = _clean(title)
    if not text or any(ch.isdigit() for ch in _without_kind(text)):
        return []
    if match := _CONVERSATION.match(text):
        return _conversation(match)
    if match := _POSSESSIVE_CONVERSATION.match(text):  # "The Premier's [Zhou Enlai's] Conversation"
        return _sides_of(match.group("one"), match.group("other"))
    if match := _STATEMENT_OF.match(text):  # "Statement of NAME, OFFICE, Opposing …"
        name = _person_name(match.group("name"))
        return [AgentDraft(name=name, role="author", kind="person")] if name else []
    sender_side, recipient_side = _sides(text)
    via = ""
    if match := _VIA.match(recipient_side):  # "Marshall to Evatt via Deschamps"
        recipient_side, via = match.group("to"), match.group("via")
    elif match := _FOR.match(recipient_side):  # "Evatt to Deschamps for Marshall"
        via, recipient_side = match.group("via"), match.group("to")
    drafts = []
    for side, role in (
        (sender_side, "author"),
        (recipient_side, "addressee"),
        (via, "intermediary"),
    ):
        if not side:
            continue
        parties = _parties(side)
        if parties is None:
            return []
        drafts += [AgentDraft(name=name, role=role, kind=kind) for name, kind in parties]
    return drafts


def _clean(title: str) -> str:
    """The title without quotes, editors' footnote marks ("[1]"), brackets around a name an
    editor supplied ("[Quinn]") and a dateline run into it ("… BATAVIA, 11 October 1947")."""
    text = " ".join(title.strip().strip("'\"‘’“”").split())
    text = re.sub(r"\s*\[\d+\]", "", text)
    text = re.sub(r"\[([^\[\]]+)\]", r"\1", text)
    text = _DATELINE.sub("", text)
    text = _TRAILING_DATE.sub("", text)  # "… Conversation with Yudin on 5 March 1956"
    return text.rstrip(",.;: ")


def _sides_of(*sides: str) -> list[AgentDraft]:
    """Both sides of a conversation as participants: a person, or an office kept as one
    ("the Chancellor"), never a person made of an office's words."""
    drafts = []
    for side in sides:
        party = _party(_OFFICE_BEFORE_NAME.sub("", side.strip()))
        if party is None:
            return []
        drafts.append(AgentDraft(name=party[0], role="participant", kind=party[1]))
    return drafts


def _conversation(match: re.Match) -> list[AgentDraft]:
    drafts = []
    if match.group("by"):
        by = _parties(match.group("by"))
        if by is None:
            return []
        drafts += [AgentDraft(name=name, role="author", kind=kind) for name, kind in by]
    sides = _sides_of(*re.split(r"\s+and\s+|\s*&\s*", match.group("with"), flags=re.I))
    return drafts + sides if sides else []


def _without_kind(text: str) -> str:
    """The title without a leading "Submission 32" or "Cablegram 4", whose number is no party."""
    return re.sub(rf"^(?:{_KINDS})\s*{_NUMBERED}", "", _EXTRACT.sub("", text), flags=re.I)


def _sides(text: str) -> tuple[str, str]:
    """(sender side, recipient side) as written; ("", "") when the title is not "X to Y"."""
    text = _EXTRACT.sub("", text)  # "Extract from Minute from Laurie to Hughes"
    if match := _KIND_COMMA.match(text):
        text = match.group("rest")
    sender_at_end = ""
    if match := _BY_AT_END.match(text):
        text, sender_at_end = match.group("rest"), match.group("sender")
    if match := _KIND_TO.match(text):
        if not sender_at_end and (swapped := _TO_FROM.match(match.group("rest"))):
            return swapped.group("sender"), swapped.group("to")
        return sender_at_end, match.group("rest")
    if (match := _KIND_FROM.match(text)) or (match := _KIND_SPACE.match(text)):
        text = match.group("rest")
    elif sender_at_end and not re.search(r"\s+to\s+", text, re.I):
        # "Statement by Kirby", "DRAFT CABINET MINUTE BY BOWEN": an author, no recipient
        return (sender_at_end, "") if _BY_ONLY.match(text) else ("", "")
    parts = re.split(r",\s+to\s+", text, maxsplit=1, flags=re.I)
    if len(parts) == 1:
        parts = re.split(r"\s+to\s+", text, maxsplit=1, flags=re.I)
    if len(parts) != 2:
        return "", ""
    sender, recipients = parts
    return (sender_at_end or sender).strip(" ,"), recipients.strip(" ,")


def _parties(side: str) -> list[tuple[str, str]] | None:
    """Each party on one side as (name, kind); None when a part is not a party at all."""
    if len(side.split()) > MAX_PARTY_WORDS:
        return None
    places = [part.strip() for part in re.split(r",\s*|\s+and\s+", side)]
    if len(places) > 1 and all(p.lower().replace(" ", "-") in CAPITALS for p in places):
        return [(place, "organisation") for place in places]  # "Cablegram to Canberra, Lisbon"
    names = [side] if _is_office(side) else re.split(r"\s+and\s+|\s*&\s*", side, flags=re.I)
    parties = []
    for name in names:
        party = _party(name.strip(" ,"))
        if party is None:
            return None
        parties.append(party)
    return parties


def _party(text: str) -> tuple[str, str] | None:
    if not text or not (text[0].isupper() or text.lower().startswith("the ")):
        return None
    if match := _HOLDER.match(text):  # "the Minister in Nicaragua (Hanna)": the holder
        holder = _person_name(match.group("holder"))
        return (holder, "person") if holder else None
    head, _, office = text.partition(",")
    if office and not _is_office(head) and _person_name(head):
        return _person_name(head), "person"  # "Mr S. M. Bruce, High Commissioner in London"
    if _is_office(text) or text.lower().replace(" ", "-") in CAPITALS:
        return _tidy(text), "organisation"
    name = _person_name(text)
    return (name, "person") if name else None


def _person_name(text: str) -> str:
    """The name without honorifics, in its own capitals; "" when it does not look like a name."""
    name = _HONORIFIC.sub("", text.strip()).strip(" ,")
    words = name.split()
    if not words or len(words) > 7 or _is_office(name):
        return ""
    if len(words) == 1 and words[0].lower() in NOT_NAMES:  # "Visit to Moscow"
        return ""
    if not all(
        w[0].isupper() or w.lower() in ("van", "von", "de", "del", "da", "le") for w in words
    ):
        return ""
    return _tidy(name)


def _is_office(text: str) -> bool:
    words = {w.strip(".,()").lower() for w in text.split()}
    return bool(words & OFFICE_WORDS)


def _tidy(text: str) -> str:
    """Names typed in capitals ("WILFORD") as names are written ("Wilford")."""
    if text.isupper() and len(text) > 3:
        return " ".join(w if "." in w else w.capitalize() for w in text.split())
    return text
