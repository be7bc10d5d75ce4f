"""How well threads between cables are found, measured against the DFAT editors' footnotes.

Run ``python -m opis.evaluate.threads [--volumes DIR] [--json] [--failures N]``; it exits with
status 1 when precision falls below 95 % or recall below 85 %.

The editors of *Documents on Australian Foreign Policy* footnote the cables a cable cites: "Your
294. [1]" with the note "1 Document 306." when the cited cable is printed in the same volume, and
with a note such as "Dispatched 29 November. On file …" or "Not published." when it is not. That is
ground truth for threads, read here independently of ``opis.understand.threads``:

- a footnote mark counts when the words just before it (same line, after any earlier mark) hold a
  cable-number reference by a deliberately loose test ("your/my/our/telegram/cablegram/ref …" then
  a number that is not a day of the month);
- its note is *positive* when it is only "Document N." / "See Document N." / "Documents N and M."
  (the cited cable is document N of the volume), *negative* when it names no document but speaks
  of the cited cable ("Dispatched 29 November. On file …", "Not published.": it is not printed, so
  a link is wrong), and unjudged otherwise ("See Document 248, note 5", "J.H. van Roijen.").

Recall is the share of positive marks where opis links the citing cable to document N. Precision is
the share of opis's links on judged marks that are right: a link on a negative mark, or to another
document than N, is wrong. Links on references that carry no mark are counted but cannot be judged.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from opis.evaluate.cables import DfatDocument, dfat_documents
from opis.evaluate.corpora import dfat_volumes, read_command, volumes_command, write_figures
from opis.understand.cable import main_text, parse_cable
from opis.understand.threads import (
    Reference,
    ThreadDocument,
    collection_links,
    reference_text,
)

_MARK = re.compile(r"\[(\d{1,3})\](?:\(#f\d+\))?")
_LOOSE = re.compile(
    r"(?i)\b(?:your|my|our|his|their|telegrams?|cablegrams?|cables?|tels?\.|ref(?:erence)?)\b"
    r"[^\[\]\n]{0,40}?(?<![\w.])(?-i:[A-Z]{1,6}\.?\s?)?\d{1,5}\b(?!\s*(?:st|nd|rd|th)\b)"
)
_AFTER_MONTH = re.compile(  # "of 27th January, 1938", "September 28": dates, not numbers
    r"(?i)(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?,?\s+\d{1,4}$"
)
_POSITIVE = re.compile(
    r"^(?:See\s+)?Documents?\s+(\d+)((?:(?:,\s*|\s+and\s+)\d+)*)\s*\.?\s*$", re.IGNORECASE
)
_NOTE_LINE = re.compile(r"^\s*(?:\*\s+)?_?\[?(\d{1,3})\]?\s+(.+?)_?\s*$")
PRECISION, RECALL = 0.95, 0.85  # targets
NEAR = 40  # characters between a reference's end and its footnote mark
# A note that names no document says where the cited cable is when it speaks of one ("Dispatched
# 29 November. On file …", "Not published."); notes on other things ("J.H. van Roijen.") judge
# nothing.
_ABOUT_A_CABLE = re.compile(
    r"(?i)\b(?:dispatched|despatched|sent|received|repeated|not\s+(?:printed|published|found|located"
    r"|been\s+found)|on\s+(?:the\s+)?file|cablegrams?|telegrams?|cables?|savingrams?)\b"
)


@dataclass
class Mark:
    """A footnote mark after a cable-number reference, and what its note says."""

    document: DfatDocument
    label: str
    start: int
    note: str
    targets: set[str] | None  # ids of the documents named; empty: none printed; None: unjudged
    context: str


@dataclass
class ThreadScore:
    positive: int = 0
    found: int = 0  # positive marks linked to the right document
    judged_links: int = 0
    right_links: int = 0
    unjudged_links: int = 0
    links: int = 0
    references: int = 0
    misses: list[dict] = field(default_factory=list)
    wrong: list[dict] = field(default_factory=list)
    by_volume: dict[str, "ThreadScore"] = field(default_factory=dict)

    def absorb(self, other: "ThreadScore") -> None:
        for name in (
            "positive",
            "found",
            "judged_links",
            "right_links",
            "unjudged_links",
            "links",
            "references",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.wrong += other.wrong

    @property
    def recall(self) -> float:
        return self.found / self.positive if self.positive else 1.0

    @property
    def precision(self) -> float:
        return self.right_links / self.judged_links if self.judged_links else 1.0


def footnotes(body: str) -> dict[str, str]:
    """The editors' notes printed after the text, by label ("1" → "Document 286.")."""
    apparatus = body[len(main_text(body)) :]
    notes: dict[str, str] = {}
    for line in apparatus.splitlines():
        if match := _NOTE_LINE.match(line):
            notes.setdefault(match.group(1), match.group(2).strip())
    return notes


def note_targets(note: str, ids: dict[str, str]) -> set[str] | None:
    """Ids named by a note: positive → the ids; no document named → empty; otherwise None."""
    if match := _POSITIVE.match(note.strip()):
        numbers = [match.group(1), *re.findall(r"\d+", match.group(2))]
        return {ids[n] for n in numbers if n in ids} or None
    if re.search(r"\bDoc(?:ument)?s?\.?\s+\d", note, re.IGNORECASE):
        return None
    return set() if _ABOUT_A_CABLE.search(note) else None


def marks_after_references(document: DfatDocument, ids: dict[str, str]) -> list[Mark]:
    """Footnote marks that follow a cable-number reference, read without opis's reference finder."""
    text = reference_text(document.body)
    notes = footnotes(document.body)
    marks, previous = [], 0
    for match in _MARK.finditer(text):
        window = text[max(previous, match.start() - 80) : match.start()]
        previous = match.end()
        if "\n" in window:
            window = window.rsplit("\n", 1)[1]
        loose = [m for m in _LOOSE.finditer(window) if not _AFTER_MONTH.search(m.group(0))]
        if not loose or len(window) - loose[-1].end() > NEAR:
            continue
        note = notes.get(match.group(1), "")
        if not note:
            continue
        targets = note_targets(note, ids)
        marks.append(Mark(document, match.group(1), match.start(), note, targets, window.strip()))
    return marks


def attached_mark(reference: Reference, text: str) -> int | None:
    """Where the footnote mark of a reference starts: the first mark soon after it, same line."""
    tail = text[reference.end : reference.end + NEAR + 8]
    match = _MARK.search(tail.split("\n")[0])
    return reference.end + match.start() if match else None


def evaluate(volumes: Path | None = None, only: tuple[str, ...] = ()) -> ThreadScore:
    """Scores over every volume folder under ``volumes`` (None: ``dfat_volumes()``; or those whose
    names start with one of ``only``, e.g. ``("volume-10-", "volume-11-")``); per-volume scores in
    ``by_volume``."""
    volumes = volumes or dfat_volumes()
    score = ThreadScore()
    by_volume: dict[str, list[DfatDocument]] = defaultdict(list)
    for document in dfat_documents(volumes, only):
        by_volume[document.volume].append(document)
    for name, documents in sorted(by_volume.items(), key=lambda item: _volume_order(item[0])):
        part = ThreadScore()
        _evaluate_volume(documents, part)
        score.by_volume[name] = part
        score.absorb(part)
    return score


def _volume_order(slug: str) -> int:
    digits = re.sub(r"\D", "", slug)
    return int(digits) if digits else 0


def _evaluate_volume(documents: list[DfatDocument], score: ThreadScore) -> None:
    ids = {d.number: d.id for d in documents}
    names = {d.id: d for d in documents}
    threads = []
    for d in documents:
        cable = parse_cable(d.title, d.body, collection_hint="dfat")
        if cable is not None:
            written = date.fromisoformat(d.date) if d.date else None
            threads.append(ThreadDocument(d.id, d.title, d.body, cable, written))
    links = collection_links(threads)
    for thread in threads:
        document = names[thread.id]
        text = reference_text(document.body)
        by_mark: dict[int, set[str]] = defaultdict(set)
        for reference, target in links[thread.id]:
            score.references += 1
            if target is None:
                continue
            score.links += 1
            mark = attached_mark(reference, text)
            if mark is not None:
                by_mark[mark].add(target)
            else:
                score.unjudged_links += 1
        judged = set()
        for mark in marks_after_references(document, ids):
            judged.add(mark.start)
            _judge(mark, by_mark.get(mark.start, set()), names, score)
        score.unjudged_links += sum(len(t) for m, t in by_mark.items() if m not in judged)


def _judge(mark: Mark, linked: set[str], names: dict, score: ThreadScore) -> None:
    if mark.targets is None:
        score.unjudged_links += len(linked)
        return
    where = {"file": _short(mark.document.path), "context": mark.context, "note": mark.note}
    if mark.targets:
        score.positive += 1
        if linked & mark.targets:
            score.found += 1
        else:
            score.misses.append({**where, "linked": sorted(_number(names, t) for t in linked)})
    if linked:
        score.judged_links += 1
        if linked <= mark.targets:
            score.right_links += 1
        else:
            score.wrong.append({**where, "linked": sorted(_number(names, t) for t in linked)})


def _number(names: dict, doc_id: str) -> str:
    return f"Document {names[doc_id].number}" if doc_id in names else doc_id


def _short(path: Path) -> str:
    return f"{path.parent.name[:12]}…/{path.name[:60]}"


def report(score: ThreadScore, failures: int = 10) -> str:
    rows = [
        f"references found in cables   {score.references}",
        f"links made                    {score.links}"
        f" ({score.unjudged_links} on references the notes do not judge)",
        f"precision  {score.precision:.1%}  ({score.right_links} right of {score.judged_links}"
        " judged links)",
        f"recall     {score.recall:.1%}  ({score.found} of {score.positive} editors' links found)",
    ]
    for name, part in score.by_volume.items():
        if part.positive or part.judged_links:
            rows.append(
                f"  {name:<8} precision {part.precision:6.1%} ({part.judged_links:>4} judged)"
                f"  recall {part.recall:6.1%} ({part.positive:>4} editors' links)"
            )
    for title, items in (("missed", score.misses), ("wrong", score.wrong)):
        for item in items[:failures]:
            rows.append(
                f"  {title}: {item['file']}: …{item['context'][-60:]!r} note {item['note'][:60]!r}"
                f" linked {item['linked']}"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = volumes_command(
        "python -m opis.evaluate.threads",
        "Precision and recall of cable threads against the DFAT editors' footnotes. "
        "Example: python -m opis.evaluate.threads --failures 20",
        failures=10,
        failures_help="misses and wrong links to list",
    )
    args = read_command(parser, argv)
    score = evaluate(args.volumes)
    figures = {
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "positive": score.positive,
        "found": score.found,
        "judged_links": score.judged_links,
        "right_links": score.right_links,
        "links": score.links,
        "unjudged_links": score.unjudged_links,
        "references": score.references,
    }
    write_figures(args.json, figures, report(score, args.failures))
    return 0 if score.precision >= PRECISION and score.recall >= RECALL else 1


if __name__ == "__main__":
    raise SystemExit(main())
