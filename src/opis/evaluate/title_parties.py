"""Senders and recipients read from titles, judged by what the editors marked (issue 13).

**FRUS.** Most FRUS volumes mark the correspondents in the head: ``<persName type="from">`` for a
person, ``<gloss type="to">`` for an office ("The <gloss type="from">Secretary of State</gloss>
to the Minister in Nicaragua (<persName type="to">Hanna</persName>)"). The head's plain text, the
marks dropped (as any other edition prints it), is given to ``parties_from_title``; a marked
party counts as read when an author (for ``from``) or an addressee (for ``to``) of the same
person or office comes back. Only heads with a mark are judged, so heads that name no
correspondence ("Circular to consuls.") are not counted against the rules, and heads that do are
not left out because they have no " to ". (A memorandum of conversation marks its other side
"to"; a participant reads it.)

**DFAT.** DFAT marks nothing. Two checks, each with its truth outside the rules: titles of the
plain shape "Name to Name" (a loose pattern: capitalised words either side of " to ", not a
document kind alone before it: "Cablegram to Canberra" names no sender) must give both sides;
and where a document is signed (its last line before the notes a name in capitals, "MENZIES")
and its title names a sender, the signer must be among the title's authors.

A mark around a whole head ("<persName type="from">Mr. Fish to Mr. Bancroft</persName>", a
conversion slip in frus1870) marks no party and is not judged; a ``persName`` around an office
("the Secretary of State") is judged as an office.

**Offices.** A FRUS head that names an office with its holder in brackets ("The Minister in
Switzerland (Stovall) to …") is a test of ``offices.holder``: the office, on the document's date,
must resolve to the person the editors named.

``python -m opis.evaluate.title_parties [--json] [--failures N]``; exit 1 when either corpus
reads both sides of fewer than 90 % of the judged titles.
"""

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from difflib import SequenceMatcher

from lxml import etree

from opis.drafts import AgentDraft
from opis.evaluate.corpora import dfat_files, frus_files, relative
from opis.readers.tei_text import DATE, DATE_MIN, DIV, HEAD, T, plain_text
from opis.understand import names, offices
from opis.understand.romanize import fold
from opis.understand.title_parties import parties_from_title

TARGET = 0.90
_GLOSS = T + "gloss"
_PERSNAME = T + "persName"
_ROLE = {"from": "author", "to": "addressee"}
# DFAT's plain correspondence titles: "Evatt to Chifley", "Department of External Affairs to
# Embassy in Washington"; capitalised words either side, nothing else.
_CORRESPONDENCE = re.compile(r"^[A-Z][\w.' -]{1,60} to [A-Z][\w.' -]{1,60}$")
# "Cablegram to Canberra", "Submission to Whitlam": the recipient only, no sender to read.
_RECIPIENT_ONLY = re.compile(
    r"^(?:Cablegram|Memorandum|Submission|Savingram|Telegraph Message|Dispatch|Despatch|Report|"
    r"Note|Letter|Minute|Telegram|Brief|Cable|Message) to ",
    re.I,
)
_SIGNATURE = re.compile(r"^[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){0,2}$")
_NOT_SIGNERS = {
    *("MINISTER", "SECRETARY", "SECDO", "SECRET", "PERSONAL", "CONFIDENTIAL", "IMMEDIATE"),
    *("UNCLASSIFIED", "RESTRICTED", "PRIORITY", "CABINET", "DEPARTMENT", "EXTERNAL", "AFFAIRS"),
    *("ENDS", "END", "MESSAGE", "EXTRACTS", "COPPER"),
}
_HONORIFIC = re.compile(r"^(?:the|mr|mrs|sir|dr|baron|count|duke|de|marquis|senor|señor)\.?$", re.I)


@dataclass
class Party:
    """One party the editors marked: its side, its words, and whether it is an office."""

    side: str
    text: str
    office: bool


@dataclass
class Heading:
    where: str
    text: str
    marked: list[Party]
    on: date | None = None


@dataclass
class TitleScore:
    corpus: str
    titles: int = 0
    senders: int = 0
    senders_read: int = 0
    recipients: int = 0
    recipients_read: int = 0
    both_read: int = 0
    persons: int = 0  # persons the titles give, resolved offices included
    persons_linked: int = 0  # of them, those the persons authority links to one person
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.both_read / self.titles if self.titles else 0.0


@dataclass
class SignedScore:
    signed: int = 0
    author_is_signer: int = 0
    misses: list[str] = field(default_factory=list)


@dataclass
class OfficeScore:
    offices: int = 0
    resolved: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)


# --- FRUS -----------------------------------------------------------------------------------------


def frus_headings() -> Iterator[Heading]:
    """Every document head of the part in force, with the parties the editors marked in it."""
    for volume in frus_files():
        for _, div in etree.iterparse(str(volume), tag=DIV):
            if div.get("type") != "document" or any(
                a.get("type") == "document" for a in div.iterancestors(DIV)
            ):
                continue
            head = div.find(HEAD)
            if head is not None:
                marked = [
                    Party(mark.get("type") or "", text, _is_office_mark(mark, text))
                    for mark in head.iter(_PERSNAME, _GLOSS)
                    if mark.get("type") in _ROLE
                    # a mark around both sides ("Mr. Fish to Mr. Bancroft") marks no party
                    and not re.search(r"\sto\s", text := plain_text(mark))
                ]
                where = f"{relative(volume)}#{div.get('{http://www.w3.org/XML/1998/namespace}id')}"
                yield Heading(where, plain_text(head), marked, _date_of(div))
            div.clear(keep_tail=True)


def _is_office_mark(mark: etree._Element, text: str) -> bool:
    """A ``gloss`` marks an office; so does a ``persName`` around one ("the Secretary of
    State"), which names no family."""
    return mark.tag == _GLOSS or text.lower().startswith("the ")


def _date_of(div: etree._Element) -> date | None:
    """The day the document is dated (the dateline's ``@when``, else ``frus:doc-dateTime-min``)."""
    written = div.find(f"{T}dateline//{DATE}")
    for value in (written.get("when") if written is not None else None, div.get(DATE_MIN)):
        try:
            return date.fromisoformat((value or "")[:10])
        except ValueError:
            continue
    return None


def evaluate_frus(failures: int = 0) -> TitleScore:
    """Read as the FRUS reader reads them: with the document's day, so offices become holders."""
    score = TitleScore("FRUS heads with marked correspondents")
    for heading in frus_headings():
        if heading.marked:
            found = parties_from_title(heading.text, heading.on)
            _judge(score, heading, found, failures)
            persons = [a for a in found if a.kind == "person" and a.role != "mentioned"]
            score.persons += len(persons)
            score.persons_linked += sum(names.resolve(a.name) is not None for a in persons)
    return score


def _judge(score: TitleScore, heading: Heading, found: list[AgentDraft], failures: int) -> None:
    score.titles += 1
    read = {}
    for side in ("from", "to"):
        marked = [p for p in heading.marked if p.side == side]
        if not marked:
            continue
        # a memorandum of conversation's other side is marked "to": a participant reads it
        agents = [a for a in found if a.role in (_ROLE[side], "participant")]
        read[side] = all(any(_same(p, a, heading.on) for a in agents) for p in marked)
        if side == "from":
            score.senders += 1
            score.senders_read += read[side]
        else:
            score.recipients += 1
            score.recipients_read += read[side]
    if all(read.values()):
        score.both_read += 1
    elif len(score.misses) < failures:
        got = "; ".join(f"{a.role} {a.name!r}" for a in found) or "nothing"
        score.misses.append(f"{heading.where}: {heading.text!r} → {got}")


def _same(party: Party, agent: AgentDraft, on: date | None = None) -> bool:
    """The agent stands for the marked party: the same office or its holder that day, or a
    person of the same family name (the mark is often the surname alone: "Mr. <persName>Seat
    </persName>")."""
    if party.office:
        office = _words(party.text)
        if on and (holder := offices.holder(party.text, on)) and holder.name == agent.name:
            return True
        return bool(office) and any(
            office <= _words(text) or _words(text) <= office and len(_words(text)) > 1
            for text in (agent.name, agent.signed_as)
            if text
        )
    family = _family(party.text)
    return bool(family) and family in _words(agent.name)


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[\s,.()]+", fold(text).lower()) if w and w != "the"}


def _same_family(written: str, name: str) -> bool:
    """The family name as the head prints it is the holder's, allowing one misread letter
    ("Des Fortes" for Des Portes, "Schmedeman" for Schmedemann): the print is OCR'd."""
    family = _family(written)
    held = _family(name)
    if not family or not held:
        return False
    return family == held or (
        min(len(family), len(held)) > 4
        and SequenceMatcher(None, family, held).ratio() >= 1 - 1.5 / max(len(family), len(held))
    )


def _family(name: str) -> str:
    """The family name in a marked name: "Mr. E. B. Washburne" → washburne; "Hay, John" → hay."""
    if "," in name:
        name = name.split(",")[0]
    words = [w for w in re.split(r"[\s.]+", fold(name).lower().strip(" .,")) if w]
    words = [w for w in words if not _HONORIFIC.match(w)]
    return words[-1].strip(".,") if words else ""


# --- DFAT -----------------------------------------------------------------------------------------


def evaluate_dfat(failures: int = 0) -> tuple[TitleScore, SignedScore]:
    plain = TitleScore('DFAT titles "Name to Name"')
    signed = SignedScore()
    for file in dfat_files():
        title = " ".join(str(file.meta.get("title") or "").split())
        found = parties_from_title(title)
        roles = {agent.role for agent in found}
        if _CORRESPONDENCE.match(title) and not _RECIPIENT_ONLY.match(title):
            plain.titles += 1
            plain.senders += 1
            plain.recipients += 1
            plain.senders_read += "author" in roles
            plain.recipients_read += "addressee" in roles
            if {"author", "addressee"} <= roles:
                plain.both_read += 1
            elif len(plain.misses) < failures:
                plain.misses.append(f"{relative(file.path)}: {title!r} → {_listed(found)}")
        signer = _signature(file.body)
        if signer and re.search(r"\bto\b", title, re.I) and not _RECIPIENT_ONLY.match(title):
            signed.signed += 1
            authors = [a for a in found if a.role == "author"]
            signed_by = {w for w in _words(signer) if len(w) > 2}
            if any(signed_by & _words(a.name) for a in authors):
                signed.author_is_signer += 1
            elif len(signed.misses) < failures:
                signed.misses.append(f"{relative(file.path)}: {title!r} signed {signer}")
    return plain, signed


def _signature(body: str) -> str:
    """The signer's name in capitals on the last line before the editors' notes, if any (not
    an office or a marking: "PRIME MINISTER", "SECDO", "PERSONAL")."""
    text = body.split("\n _", 1)[0].strip()
    last = text.rsplit("\n", 1)[-1].strip()
    words = set(re.split(r"[\s.]+", last)) - {""}
    if not _SIGNATURE.match(last) or words & _NOT_SIGNERS or max(map(len, words), default=0) < 3:
        return ""  # not a name ("PRIME MINISTER"), or initials only ("W.M.B.")
    return last


def _listed(found: list[AgentDraft]) -> str:
    return "; ".join(f"{a.role} {a.name!r}" for a in found) or "nothing"


# --- offices --------------------------------------------------------------------------------------

_OFFICE_WITH_HOLDER = re.compile(
    r"(?:^|\bto\s+)(?P<office>(?:the\s+)?[A-Z][\w.' -]+?)\s*\((?P<holder>[^()]+)\)", re.I
)


def evaluate_offices(failures: int = 0) -> OfficeScore:
    """Offices with their holder in brackets: does the office, on that day, give that holder?"""
    score = OfficeScore()
    for heading in frus_headings():
        if heading.on is None:
            continue
        for match in _OFFICE_WITH_HOLDER.finditer(heading.text):
            office = match.group("office")
            if not offices.is_known_office(office):
                continue
            score.offices += 1
            holder = offices.holder(office, heading.on)
            if holder is None:
                if len(score.misses) < failures:
                    score.misses.append(f"{heading.where}: {office!r} {heading.on} → nobody")
                continue
            score.resolved += 1
            if _same_family(match.group("holder"), holder.name):
                score.right += 1
            elif len(score.misses) < failures:
                score.misses.append(
                    f"{heading.where}: {office!r} {heading.on} → {holder.name}, "
                    f"the editors say {match.group('holder')}"
                )
    return score


# --- report ---------------------------------------------------------------------------------------


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.1%}" if whole else f"{part}/0"


def report(titles: list[TitleScore], signed: SignedScore, holders: OfficeScore) -> str:
    lines = []
    for score in titles:
        lines += [
            score.corpus,
            f"  both sides read: {_share(score.both_read, score.titles)} (target {TARGET:.0%})",
            f"  sender read: {_share(score.senders_read, score.senders)}; "
            f"recipient read: {_share(score.recipients_read, score.recipients)}",
            *(
                [
                    f"  persons given, linked to the authority: "
                    f"{_share(score.persons_linked, score.persons)}"
                ]
                if score.persons
                else []
            ),
            *(f"    missed: {miss}" for miss in score.misses),
        ]
    lines += [
        "DFAT signed documents whose title has a ' to '",
        f"  the signer is the title's sender: {_share(signed.author_is_signer, signed.signed)}",
        *(f"    missed: {miss}" for miss in signed.misses),
        "FRUS offices named with their holder in brackets (offices.holder on the document's date)",
        f"  resolved: {_share(holders.resolved, holders.offices)}; "
        f"the editors' holder: {_share(holders.right, holders.resolved)}",
        *(f"    missed: {miss}" for miss in holders.misses),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m opis.evaluate.title_parties")
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    parser.add_argument("--failures", type=int, default=0, help="list up to N misses of each")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    frus = evaluate_frus(args.failures)
    dfat, signed = evaluate_dfat(args.failures)
    holders = evaluate_offices(args.failures)
    if args.json:
        figures = {
            "frus": _figures(frus),
            "dfat": _figures(dfat),
            "dfat_signed": {"signed": signed.signed, "author_is_signer": signed.author_is_signer},
            "offices": {k: v for k, v in vars(holders).items() if k != "misses"},
        }
        sys.stdout.write(json.dumps(figures, indent=2) + "\n")
    else:
        sys.stdout.write(report([frus, dfat], signed, holders) + "\n")
    return 0 if all(s.rate >= TARGET for s in (frus, dfat) if s.titles) else 1


def _figures(score: TitleScore) -> dict:
    return {k: v for k, v in vars(score).items() if k != "misses"} | {"rate": round(score.rate, 4)}


if __name__ == "__main__":
    raise SystemExit(main())
