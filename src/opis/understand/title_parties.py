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

What is not a party is never made one: a document's number before the title ("No. 59. Mr. Fish
to General Schenck"), an office's words ("the consular agent", "President" in "President
Roosevelt", whose person is the party), a country (a government: "Great Britain to Nicaragua"),
a clause. An office may hold a "to" of its own ("The Commission to Negotiate Peace to …"), so
the title is cut at the "to" between the sides. A record of a conversation has both sides as
participants. With the record's day, American offices become their holders (``offices``).
"""

import re
from datetime import date

from opis.drafts import AgentDraft
from opis.understand import offices

MAX_PARTY_WORDS = 12


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_KINDS = (
    r"cablegram|telegram|cable|telex|letter|note|memorandum|minute|despatch|dispatch|message|"
    r"submission|savingram|aide-m[ée]moire|record|report|brief|briefing note|telegraph message|"
    r"personal message|ministerial submission|instruction|instructions|reply|statement|paper|"
    r"draft letter|draft cablegram|joint report|speech|address|minutes"
)
_NUMBERED = r"(?:No\.?\s*)?\d+"  # "Submission No. 416", "Cablegram 86"
# "a private letter", "Internal Note": an article or a word of kind before the kind
_KIND = (
    rf"(?:an?\s+)?(?:(?:internal|private|personal|confidential|official|unofficial|secret)\s+)?"
    rf"(?:{_KINDS})"
)
_SENT_BY = r"(?:from|by|of|(?:addressed|handed|submitted|left|sent)\s+by)"
_EXTRACT = re.compile(r"^(?:extracts?|excerpts?|copy)\s+(?:from|of)\s+", re.I)
_KIND_COMMA = re.compile(rf"^{_KIND}\s*(?:{_NUMBERED}\s*)?,\s*(?P<rest>.+)$", re.I)
_KIND_FROM = re.compile(rf"^{_KIND}\s*(?:{_NUMBERED}\s*)?{_SENT_BY}\s+(?P<rest>.+)$", re.I)
_KIND_TO = re.compile(rf"^{_KIND}\s*(?:{_NUMBERED}\s*)?(?:to|for)\s+(?P<rest>.+)$", re.I)
_TO_FROM = re.compile(r"^(?P<to>.+?)\s+from\s+(?P<sender>.+)$", re.I)  # "to Fife from Evans"
_KIND_SPACE = re.compile(rf"^{_KIND}\s+(?P<rest>[A-Z][^ ]*\s+to\s+.+)$", re.I)
_BY_AT_END = re.compile(r"^(?P<rest>.+?)\s+by\s+(?P<sender>[^,]+)$", re.I)
_CONVERSATION = re.compile(
    r"^(?:Record|Records|Note|Notes|Minutes|Memorandum)\s+(?:by\s+(?P<by>.+?)\s+)?of\s+"
    r"(?:(?:a|the)\s+)?(?:(?:Secraphone|Telephone)\s+)?(?:Conversation|Discussion|Discussions|Talks?|"
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
    r"(?:,|\s+on)\s+(?:(?:circa|about|ca\.)\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2}(?:st|nd|rd|th)?,?)"
    r"\s+\d{4}$"
)
# A document's number before its title ("No. 59.", "* No. 12a."), or a margin star.
_NUMBER_FIRST = re.compile(
    r"^\s*\*?\s*(?:(?:No\.?\s*\d+[A-Za-z]?\.?|\d+[A-Za-z]?\.)(?:\s+|(?=[—–-])))?\*?\s*"
)
_CAPTION = re.compile(r"^[—–-]+\s*[^.]*\.\s+(?=[A-Z])")
# "Mr. Hugh Knowlton of the International Acceptance Bank": a person and the body they serve.
_OF_BODY = re.compile(r"^(?P<person>.+?),?\s+of\s+(?:the\s+)?[A-Z].*$")
_VIA = re.compile(r"^(?P<to>.+?)\s+via\s+(?P<via>.+)$", re.I)
_FOR = re.compile(r"^(?P<via>.+?)\s+for\s+(?P<to>.+)$", re.I)
_DATELINE = re.compile(r"\s+[A-Z][A-Z'.-]{2,}(?:\s+[A-Z][A-Z'.-]{2,})*,\s*\d.*$")
_BY_ONLY = re.compile(
    r"^(?:[\w' -]+\s)?(?:statement|minute|minutes|note|notes|paper|memorandum|report|"
    r"submission|letter|telegram|cablegram|despatch|message|brief|speech|address|comments|"
    r"record|aide-m[ée]moire|aide memoire)$",
    re.I,
)
# "the Minister in Switzerland (Wilson), at Geneva": the holder, wherever the office then was
_HOLDER = re.compile(
    r"^(?P<office>[^()]+?)\s*\((?P<holder>[A-Z][^()]*)\)(?:,?\s+at\s+[A-Z][\w .'-]*)?$"
)
# "Minister for Commerce (in London)": where the party was, not who
_WHERE = re.compile(r"\s*\((?:in|at)\s+[^()]+\)$")
# A peer is named by the title: "Earl of Clarendon", "the Duke de Gramont", "Prince of Wales".
_PEER = re.compile(
    r"^(?:the\s+)?(?:Earl|Duke|Duchess|Marquis|Marquess|Viscount|Baron|Count|Countess|Prince|"
    r"Princess|Lord)\s+(?:of|de|di|von|d')\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?$"
)
_HONORIFIC = re.compile(
    r"^(?:the\s+)?(?:(?:Lt|Lieut|Maj|Brig|Vice|Rear|Air|Acting)[.-]?\s*)*(?:Mr|Mrs|Miss|Ms|Dr|Sir|Lord|Lady|Dame|Colonel|Col|General|Gen|Admiral|"
    r"Captain|Capt|Major|Senator|Count|Baron|Prince|Marshal|Monsieur|Mme|Herr|Signor|Judge|"
    r"Professor|Prof|Dato|Tunku|Tun|Rt\s+Hon|Hon|Rev|Reverend|Monseigneur|Mgr|Señor|Senor|Don|"
    r"Chevalier|M(?=\.))\.?\s+",
    re.I,
)
OFFICE_WORDS = _word_set(
    "secretary minister ministry ambassador embassy legation consul consulate consul-general "
    "department commission commissioner delegation government office president premier cabinet "
    "council committee mission representative governor chancellor king queen emperor delegate "
    "chargé charge affaires administrator board bureau staff chiefs section division branch "
    "headquarters command post legislature parliament congress senate army navy secretariat "
    "agency service posts consular agent agents adviser advisor counselor counsellor attaché "
    "attache envoy plenipotentiary plenipotentiaries chairman director chief officer officers "
    "secretaries ministers ambassadors consuls representatives delegates governments "
    "commissioners legations embassies missions authorities attorney solicitor collector "
    "republic kingdom empire commonwealth federation arbitrator arbitrators tribunal conference "
    "assembly court powers chamber pope sultan shah khedive mikado czar tsar kaiser regent viceroy "
    "vice-president vice-consul vice-consul-general under-secretary undersecretary co company "
    "corporation bank members party heads confederation association nations"
)
# Words that begin titles of the form "X to Y" without being anyone: "Visit to Moscow".
NOT_NAMES = _word_set(
    "visit visits mission annex appendix attachment enclosure addendum amendment amendments "
    "supplement response approach approaches introduction guide return access aid assistance "
    "exports imports trade loan road transition threat accession admission addition "
    "contribution contributions changes commitment support reference references travel trip "
    "journey exchange invitation delegation statement answer answers comments"
)
# Words of a document or a meeting, never of a party: "Memorandum prepared for Delegation to
# Imperial Conference" and "Eleventh Meeting of Principal Delegates to …" name nobody as sender.
NOT_PARTIES = _word_set(
    "memorandum memoranda minute minutes speech address meeting meetings session sessions record "
    "records notes report paper statement draft extract extracts agenda communique communiqué "
    "declaration resolution resolutions proceedings"
)
# A capital standing for its government: "Cablegram to Canberra", "Washington to London".
CAPITALS = _word_set(
    "canberra london washington wellington ottawa pretoria tokyo paris moscow peking peiping "
    "beijing nanking batavia djakarta jakarta delhi new-delhi karachi colombo rangoon bangkok "
    "saigon manila singapore kuala-lumpur hong-kong the-hague rome bonn berlin geneva new-york "
    "cairo dublin port-moresby dili lisbon"
)


def parties_from_title(title: str, on: date | None = None) -> list[AgentDraft]:
    """Sender (author), recipients (addressees), intermediary and, for a record of a
    conversation, both sides (participants) that a title names; [] when it names none.

    ``on``, the record's day, is given only for American correspondence (FRUS): then an office
    of the State Department or a chief of mission ("the Minister in Nicaragua") becomes the
    person who held it that day, and a bare surname ("Mr. Gresham") the one officer of that name
    then in office (``offices``); anything the table cannot settle stays as written."""
    drafts = _read(_clean(title))
    return [_holder(draft, on) for draft in drafts] if on else drafts


def _holder(draft: AgentDraft, on: date) -> AgentDraft:
    """The person who held the office on the day, or the officer of that name; else the draft."""
    if draft.kind == "organisation":
        found = offices.holder(draft.name, on)
        as_written = draft.name if draft.role == "author" else ""  # "signed as" the office
    else:
        found = offices.officer_named(draft.name, on)
        as_written = draft.signed_as
    if found is None:
        return draft
    return AgentDraft(name=found.name, role=draft.role, kind="person", signed_as=as_written)


def _read(text: str) -> list[AgentDraft]:
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
    elif (match := _FOR.match(recipient_side)) and not _is_office(match.group("via")):
        # "Evatt to Deschamps for Marshall"; not "the Minister for Foreign Affairs"
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
    # an editor's note with a date after the title: "… Baron Gerolt. [Of July 19, 1870.]"
    text = re.sub(r"\s*\[[^\[\]]*\d[^\[\]]*\]\.?$", "", text)
    text = re.sub(r"\[([^\[\]]+)\]", r"\1", text)
    text = re.sub(r"(?<=[A-Za-z.])\d{1,2}$", "", text)  # a footnote mark run on: "Evatt3"
    text = _NUMBER_FIRST.sub("", text)  # "No. 59. Mr. Fish to General Schenck"
    text = _CAPTION.sub("", text)  # "No. 3.—case of the Rappahannock. Mr. Dayton to …"
    text = _DATELINE.sub("", text)
    text = _TRAILING_DATE.sub("", text)  # "… Conversation with Yudin on 5 March 1956"
    if "," in text:  # "Mr S. M. Bruce, High Commissioner in London, 151 to …": a stray number
        text = re.sub(r"(?<=[,a-z.])\s+\d{1,4}(?=\s+(?:to\s|[A-Z]))", "", text)
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
    match = _BY_AT_END.match(text)
    if match and not re.search(r"\sto\s", match.group("sender"), re.I):  # not "… by X to Y"
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
    parts = _split_to(text)
    if len(parts) != 2:
        return "", ""
    sender, recipients = parts
    return (sender_at_end or sender).strip(" ,"), recipients.strip(" ,")


def _split_to(text: str) -> list[str]:
    """The title cut at the "to" between the sides. An office may hold a "to" of its own ("The
    Commission to Negotiate Peace to …", "The Minister to Nicaragua to …"): the cut is after an
    office's holder in brackets or after a comma where there is one, else at the first "to" that
    does not follow an office's word, else at the first."""
    for pattern in (r"(?<=\))\s*,?\s+to\s+", r",\s+to\s+"):
        parts = re.split(pattern, text, maxsplit=1, flags=re.I)
        if len(parts) == 2:
            return parts
    cuts = list(re.finditer(r"\s+to\s+", text, flags=re.I))
    if not cuts:
        return [text]
    cut = next(
        (c for c in cuts if text[: c.start()].split()[-1].strip(".,").lower() not in OFFICE_WORDS),
        cuts[0],
    )
    return [text[: cut.start()], text[cut.end() :]]


def _parties(side: str) -> list[tuple[str, str]] | None:
    """Each party on one side as (name, kind); None when a part is not a party at all."""
    words = _WHERE.sub("", side).split(",")[0].split()  # "Mr X, Secretary of …": the name
    if len(words) > MAX_PARTY_WORDS and not (
        _HOLDER.match(side) or _is_office(" ".join(words[:4]))
    ):
        return None  # a clause, not a party; an office of any length is one
    places = [part.strip() for part in re.split(r",\s*|\s+and\s+", side)]
    if len(places) > 1 and all(p.lower().replace(" ", "-") in CAPITALS for p in places):
        return [(place, "organisation") for place in places]  # "Cablegram to Canberra, Lisbon"
    parties = []
    # "The Special Representatives of the War Trade Board (McCormick) and of the Food
    # Administration (Taylor)": two offices, each with its holder
    for chunk in re.split(r"(?<=\))\s*,?\s+and\s+", side):
        chunk = _WHERE.sub("", chunk.strip(" ,"))
        if held := _HOLDER.match(chunk):  # "(Scott and Reeves)": every holder named
            holders = [_person_name(h) for h in re.split(r",\s*|\s+and\s+", held["holder"])]
            if not all(holders):
                return None
            parties += [(holder, "person") for holder in holders]
            continue
        names = [chunk] if _is_office(chunk) else re.split(r"\s+and\s+|\s*&\s*", chunk, flags=re.I)
        for name in names:
            party = _party(name.strip(" ,"))
            if party is None:
                return None
            parties.append(party)
    return parties


def _party(text: str) -> tuple[str, str] | None:
    if not text or not (text[0].isupper() or text.lower().startswith("the ")):
        return None
    if {w.strip(".,()").lower() for w in text.split()} & NOT_PARTIES:
        return None  # a document or a meeting, not who wrote or received it
    if match := _HOLDER.match(text):  # "the Minister in Nicaragua (Hanna)": the holder
        holder = _person_name(match.group("holder"))
        return (holder, "person") if holder else None
    if _PEER.match(text):
        return _tidy(text), "person"
    titled = _OFFICE_BEFORE_NAME.sub("", text)
    lone_honorific = len(titled.split()) == 1 and _HONORIFIC.match(titled + " ")
    if titled != text and not lone_honorific and _person_name(titled):
        # "President Roosevelt", "Secretary Lansing"; not "Secretary General"
        return _person_name(titled), "person"
    head, _, office = text.partition(",")
    if office and not _is_office(head) and _person_name(head):
        return _person_name(head), "person"  # "Mr S. M. Bruce, High Commissioner in London"
    person = match["person"] if (match := _OF_BODY.match(text)) else ""
    if len(person.split()) > 1 and not person.lower().startswith("the ") and _person_name(person):
        # "Mr. Hugh Knowlton of the … Bank", not "The Leader of the Opposition"
        return _person_name(person), "person"
    if _is_office(text) or text.lower().replace(" ", "-") in CAPITALS or offices.is_country(text):
        return _tidy(text), "organisation"  # a country is a government, never a person
    name = _person_name(text)
    return (name, "person") if name else None


# Particles of names: "Drouyn de Lhuys", "Lima e Silva", "Mayor des Planches", "d’Auvergne"
_PARTICLE = re.compile(
    r"^(?:van|von|de|del|della|da|das|dos|du|des|di|la|le|e|y|ter|ten|den|der|zu|d['’][A-Z]\S*)$"
)


def _person_name(text: str) -> str:
    """The name without honorifics, in its own capitals; "" when it does not look like a name."""
    name = text.strip()
    while (bare := _HONORIFIC.sub("", name, count=1)) != name:  # "Lt Gen Sir Thomas Blamey"
        name = bare
    country = name == text.strip() and offices.is_country(name)  # "Mr. Holland" is a person
    name = name.strip(" ,")
    words = name.split()
    if not words or len(words) > 7 or _is_office(name) or country:
        return ""
    if len(words) == 1 and words[0].lower() in NOT_NAMES:  # "Visit to Moscow"
        return ""
    if not all(w[0].isupper() or _PARTICLE.match(w) for w in words):
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
