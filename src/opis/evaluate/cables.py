"""How well cable headers are read, measured on the DFAT cablegrams against what the page states.

Run ``python -m opis.evaluate.cables [--volumes DIR] [--frus [DIR]] [--json] [--failures N]``; it
exits with status 1 when a field falls below 95 %.

Each field is checked against evidence read independently of ``opis.understand.cable``: the date
against the front matter's ``doc_date`` (the harvester's, so some misses are the harvest's); number,
origin and time against plain tests on the heading line ("is there a digit before the place?", "is
there an upper-case place before the first comma?", "a.m./p.m. written?"); classification against
the grading words in the lines under the heading; addressees against the title's "X to Y"; the
signature against a last line in capitals. A field is scored only on documents where the evidence
exists, so the figure per field says: where the page states it, how often we read it right.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opis.errors import ReaderError
from opis.evaluate.corpora import (
    dfat_volumes,
    frus_files,
    frus_volumes,
    read_command,
    volumes_command,
    write_figures,
)
from opis.evaluate.split import in_part
from opis.readers.dfat_markdown import READER
from opis.readers.frus_tei import READER as FRUS_READER
from opis.readers.source import SourceFile
from opis.understand.cable import Cable, cable_numbers, main_text, normalise_number, parse_cable
from opis.understand.classification import STATED, gradings_in

TARGET = 0.95  # each field, where at least 20 documents state it
_HEADING = re.compile(r"^\s*(?:circular\s+)?cablegrams?\b", re.IGNORECASE)
_CABLE_TITLE = re.compile(r"^\s*(?:cablegram|telegram)\b", re.IGNORECASE)
_FIELDS = ("detected", "sent_date", "sent_time", "number", "origin", "classification")
_HEADING_FIELDS = (*_FIELDS, "addressees", "signed_as")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@dataclass
class DfatDocument:
    """One DFAT document as opis stores it: the reader's draft values, plus where it came from."""

    path: Path
    id: str
    volume: str
    number: str
    title: str
    date: str  # ISO day, or "" where doc_date is coarser
    body: str


def dfat_documents(volumes: Path, only: tuple[str, ...] = ()) -> Iterator[DfatDocument]:
    """Every readable DFAT document under ``volumes`` (in the volume folders whose names start with
    one of ``only``, where given), read by opis's own DFAT reader."""
    for path in in_part(sorted(volumes.glob("*/*.md"))):
        if only and not path.parent.name.startswith(only):
            continue
        try:
            draft = next(READER.read(SourceFile(path)))
        except (ReaderError, StopIteration):
            continue
        day = draft.date.start.isoformat() if draft.date.precision == "day" else ""
        yield DfatDocument(
            path=path,
            id=draft.id,
            volume=draft.collections[0].slug if draft.collections else path.parent.name,
            number=draft.doc_number,
            title=draft.title,
            date=day,
            body=draft.texts[0].body if draft.texts else "",
        )


@dataclass
class FieldScore:
    checked: int = 0
    right: int = 0
    failures: list[dict] = field(default_factory=list)

    def add(self, ok: bool, document: DfatDocument, expected: object, got: object) -> None:
        self.checked += 1
        self.right += ok
        if not ok:
            self.failures.append({"file": _short(document.path), "expected": expected, "got": got})

    @property
    def accuracy(self) -> float:
        return self.right / self.checked if self.checked else 1.0


def evaluate(volumes: Path | None = None) -> dict[str, FieldScore]:
    """Per-field scores over every DFAT document whose first line is a cablegram heading
    (``volumes``: the DFAT volumes folder; None, the shared corpora's, ``dfat_volumes()``)."""
    volumes = volumes or dfat_volumes()
    scores = {name: FieldScore() for name in _HEADING_FIELDS}
    scores |= {f"dateline {name}": FieldScore() for name in _FIELDS}
    for document in dfat_documents(volumes):
        lines = [line.strip() for line in document.body.splitlines() if line.strip()]
        if lines and _HEADING.match(lines[0]):
            prefix = ""
        elif lines and _CABLE_TITLE.match(document.title) and re.search(r"\d{4}", lines[0]):
            prefix = "dateline "
        else:
            continue
        cable = parse_cable(document.title, document.body, collection_hint="dfat")
        scores[f"{prefix}detected"].add(cable is not None, document, "a cable", None)
        if cable is None:
            continue
        if prefix:
            _score_dateline(document, lines, cable, scores)
        else:
            _score(document, lines, cable, scores)
    return scores


def _score_dateline(
    document: DfatDocument, lines: list[str], cable: Cable, scores: dict[str, FieldScore]
) -> None:
    """Later volumes: "Canberra, 2 May 1963" then "1534\\. Confidential"."""
    if document.date:
        scores["dateline sent_date"].add(
            cable.sent[:10] == document.date, document, document.date, cable.sent
        )
    if re.search(r"\d\s*(?:[ap]\.\s?m|noon|midnight)", lines[0], re.IGNORECASE):
        scores["dateline sent_time"].add("T" in cable.sent, document, "a time", cable.sent)
    if place := re.match(r"^([^\d]+?),\s*\d", lines[0]):
        expected = place.group(1).split(",")[-1].strip().upper()
        scores["dateline origin"].add(cable.origin == expected, document, expected, cable.origin)
    second = lines[1].replace("\\.", ".") if len(lines) > 1 else ""
    if number := re.match(r"^'?((?:[A-Z]{1,3}\.)?[A-Z]{0,4}\s?\d+)\.?\s+[A-Z][A-Za-z]+", second):
        expected = normalise_number(number.group(1))
        got = cable_numbers(cable.number)
        scores["dateline number"].add(expected in got, document, expected, cable.number)
    if grades := gradings_in(second, STATED):
        scores["dateline classification"].add(
            cable.classification in grades, document, grades, cable
        )


def _score(
    document: DfatDocument, lines: list[str], cable: Cable, scores: dict[str, FieldScore]
) -> None:
    heading = re.sub(r"^(\S+\s+)\[([^\]]+)\]", r"\1\2", lines[0])  # "Cablegram [72] [1] 24 June"
    heading = re.sub(r"\[\d{1,2}\](?!\s*(?:" + _MONTHS + "))", "", heading)
    if document.date and re.search(r"\d{4}", heading):
        scores["sent_date"].add(
            cable.sent[:10] == document.date, document, document.date, cable.sent
        )
    if re.search(r"\d\s*(?:\[?[ap]\.\s?m|noon|midnight)", heading, re.IGNORECASE):
        scores["sent_time"].add("T" in cable.sent, document, "a time", cable.sent)
    before_place = re.split(
        r",|\b[A-Z]{3,}\b|\b\d{1,2}\s+(?:" + _MONTHS + ")",
        re.sub(r"^\S+\s+", "", heading),
        maxsplit=1,
    )[0]
    if "unnumbered" in heading.lower() and not re.search(r"\d", before_place):
        scores["number"].add(cable.number == "", document, "", cable.number)
    elif digits := re.findall(r"\d+", before_place):
        scores["number"].add(
            digits[0] in normalise_number(cable.number), document, digits[0], cable.number
        )
    if place := re.search(r"\b([A-Z][A-Z'.]+(?: [A-Z][A-Z'.]+)*)\]?,", heading):
        expected = place.group(1)
        scores["origin"].add(cable.origin == expected, document, expected, cable.origin)
    grades = [grade for line in lines[1:4] if line.isupper() for grade in gradings_in(line, STATED)]
    if grades:
        scores["classification"].add(cable.classification in grades, document, grades, cable)
    if " to " in document.title:
        scores["addressees"].add(bool(cable.addressees), document, document.title, [])
    last = _last_line(document.body)
    if re.fullmatch(r"[A-Z][A-Z.' ]{2,30}", last) and len(last.split()) <= 3 and "ENDS" not in last:
        scores["signed_as"].add(cable.signed_as == last, document, last, cable.signed_as)


def evaluate_frus(volumes: Path) -> dict[str, FieldScore]:
    """FRUS telegrams (source note "[Telegram]" or "…: Telegram"), read by opis's FRUS reader:
    the sent date against the reader's date (the dateline's ``<date when>``), the number where
    the text opens "327. …", the receipt where the dateline says "Received"."""
    scores = {f"frus {name}": FieldScore() for name in ("sent_date", "number", "received")}
    for path in frus_files(volumes):
        try:
            drafts = list(FRUS_READER.read(SourceFile(path)))
        except ReaderError:
            continue
        for draft in drafts:
            if not re.search(r"\btelegram\b", draft.citation, re.IGNORECASE) or not draft.texts:
                continue
            _score_frus(path, draft, scores)
    return scores


def _score_frus(path: Path, draft, scores: dict[str, FieldScore]) -> None:
    body = draft.texts[0].body
    cable = parse_cable(
        draft.title,
        body,
        dateline=draft.dateline,
        note=draft.citation,
        signed=draft.signed,
        collection_hint="frus",
    )
    document = DfatDocument(path, draft.id, "", "", draft.title, "", body)
    got = cable or Cable()
    if draft.date.precision == "day":
        expected = draft.date.start.isoformat()
        scores["frus sent_date"].add(got.sent[:10] == expected, document, expected, got.sent)
    opening = [line for line in body.splitlines() if line.strip()][:3]
    if number := next((re.match(r"^(\d{1,5})\.\s", line) for line in opening[1:] if line), None):
        expected = number.group(1)
        scores["frus number"].add(got.number == expected, document, expected, got.number)
    if re.search(r"received", draft.dateline, re.IGNORECASE) and re.search(r"\d", draft.dateline):
        scores["frus received"].add(bool(got.received), document, "a time", got.received)


def _last_line(body: str) -> str:
    lines = [re.sub(r"\[\d+\]", "", line).strip() for line in main_text(body).splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else ""


def _short(path: Path) -> str:
    return f"{path.parent.name[:12]}…/{path.name}"


def report(scores: dict[str, FieldScore], failures: int = 5) -> str:
    rows = [f"{'field':<16}{'checked':>9}{'right':>9}{'accuracy':>10}"]
    for name, score in scores.items():
        rows.append(f"{name:<16}{score.checked:>9}{score.right:>9}{score.accuracy:>10.1%}")
    for name, score in scores.items():
        for failure in score.failures[:failures]:
            got = failure["got"]
            if isinstance(got, Cable):
                got = got.classification
            rows.append(
                f"  {name}: {failure['file']}: expected {failure['expected']!r}, got {got!r}"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = volumes_command(
        "python -m opis.evaluate.cables",
        "Cable header field accuracy on the DFAT cablegrams. "
        "Example: python -m opis.evaluate.cables --failures 10",
        failures=5,
        failures_help="failures to list per field",
    )
    parser.add_argument(
        "--frus",
        type=Path,
        nargs="?",
        const=frus_volumes(),
        help="also measure FRUS telegrams in this folder of TEI volumes (slow: about a minute)",
    )
    args = read_command(parser, argv)
    scores = evaluate(args.volumes)
    if args.frus:
        scores |= evaluate_frus(args.frus)
    figures = {
        name: {"checked": s.checked, "right": s.right, "accuracy": round(s.accuracy, 4)}
        for name, s in scores.items()
    }
    write_figures(args.json, figures, report(scores, args.failures))
    return 0 if all(s.accuracy >= TARGET for s in scores.values() if s.checked >= 20) else 1


if __name__ == "__main__":
    raise SystemExit(main())
