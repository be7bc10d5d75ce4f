"""Foreign Relations of the United States (FRUS): TEI P5 volumes, one record per document.

A FRUS volume is one TEI file of 3–4 MB (later volumes are larger) holding hundreds of
``<div type="document">``. It is read as a stream: a first, cheap pass reads the header and the
front matter (the volume's title and its list of persons, which documents point to with
``persName/@corresp``); the second pass turns each document div into a draft as soon as it ends and
then frees it and everything before it, so memory stays flat whatever the volume's size.

What a document becomes, and why:

- The title is the ``<head>`` without its footnotes; the document's own ``<note type="source">``
  (the State Department file number, "[Telegram]", "[Translation]"), joined, is the citation.
- The date comes from the dateline's ``<date when>`` (its precision from the form of ``@when``),
  else from the document's ``frus:doc-dateTime-min/max``, else from the dateline's words; the date
  is shown as the dateline writes it.
- The body is the text in reading order, enclosures (``frus:attachment``) included. Footnotes leave
  a ``[n]`` mark and are kept apart (an unnumbered note standing between paragraphs is a heading
  the converter tagged as a note, and stays in the text); page breaks become ``pages`` offsets into
  the body so a passage can be cited by page. A document starts on the page where the previous
  ``<pb>`` left off.
- People are linked only through the volume's own persons list (``corresp="#p_…"``): the sender
  and recipient the editors marked in the head, the signatory, and everyone else mentioned. Names
  are never guessed from surnames; references into other volumes' lists are left alone.
- Vendor conversions nest a few enclosures as ``<div type="document">`` inside a document (with
  no id or number of their own); they stay in their document's text instead of becoming records.

Bare ``<div>`` fragments (such as the Kennan "Long Telegram" sample) use the TEI namespace and the
``frus:`` prefix without declaring them; they are read inside a root that declares both. Files
that are not volumes (the Office of the Historian's documents on the history of the series) carry
their "Source:" line as a paragraph before the documents; it becomes their citation. A TEI text
with no document div at all (an article, a chapter of Milestones) is not an edition of documents:
it is set aside in a folder walk (``NotADocument``), and fails when named.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

from lxml import etree

from opis.drafts import (
    AgentDraft,
    CollectionDraft,
    DateInterval,
    DocumentDraft,
    Doubt,
    TextDraft,
)
from opis.errors import NotADocument, ReaderError
from opis.readers import xml_safety
from opis.readers.source import SourceFile
from opis.readers.tei_text import (
    DATE,
    DATE_MAX,
    DATE_MIN,
    DIV,
    FRUS_NS,
    HEAD,
    NOTE,
    PB,
    PERSNAME,
    PLACE,
    TEI_NS,
    XML_ID,
    P,
    Rendering,
    T,
    plain_text,
)
from opis.understand.cable import cable_record
from opis.understand.date_checks import check_machine_date
from opis.understand.dates import find_datetime, format_display, month_interval, parse_date
from opis.understand.doc_types import doc_type_of
from opis.understand.title_parties import parties_from_title

SERIES = "Foreign Relations of the United States"
HISTORY_SERIES = "Foreign Relations of the United States: documents on the history of the series"
_FRAGMENT_OPEN = f'<TEI xmlns="{TEI_NS}" xmlns:frus="{FRUS_NS}"><text><body>'.encode()
_FRAGMENT_CLOSE = b"</body></text></TEI>"
_DETECT = ("http://www.tei-c.org/ns/1.0", "<TEI", '<div type="document"')
_WHEN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_VOLUME_ID = re.compile(r"^(frus\d{4}[A-Za-z0-9]*)")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LIMITS = {"dateline": 300, "signed": 300, "doc_number": 60, "date display": 200, "agent": 300}
# How elements shape the running text: paragraphs, lines, or (default) inline words.


@dataclass
class Volume:
    """What the first pass learns about the file: ids, title, and the persons list."""

    id: str
    title: str
    series: str
    position: int | None = None
    source_url: str = ""
    persons: dict[str, str] = field(default_factory=dict)  # xml:id -> canonical name

    @property
    def span(self) -> tuple[int, int] | None:
        """The years a volume's documents may plausibly bear: its year less ten (a volume prints
        its year's correspondence and the papers leading to it) to its year plus one."""
        return (self.position - 10, self.position + 1) if self.position else None

    def collection(self) -> CollectionDraft:
        return CollectionDraft(
            slug=self.id, title=self.title, series=self.series, position=self.position
        )


@dataclass
class _Progress:
    """State carried from one document to the next while streaming a volume."""

    page: str = ""
    source_line: str = ""
    ordinal: int = 0
    ids: set[str] = field(default_factory=set)


class FrusTeiReader:
    name = "frus-tei"
    extensions = (".xml", ".tei")
    streaming = True  # iterparse: a volume of any size is read in flat memory
    part = "document"  # past the text record limit a volume is written by documents (``stream``)

    def detect(self, source: SourceFile, head: str) -> bool:
        return any(mark in head for mark in _DETECT)

    def read(self, source: SourceFile) -> Iterator[DocumentDraft]:
        """Drafts one at a time; a parse error anywhere fails the file (ReaderError)."""
        if source.size == 0:
            raise ReaderError("the file is empty; there is nothing to ingest", where="whole file")
        head = source.head(xml_safety.PROLOG_BYTES)
        xml_safety.check_prolog(head)
        fragment = _is_fragment(head)
        volume = _first_pass(source.path, fragment)
        read_any = False
        for draft in _documents(source.path, fragment, volume):
            read_any = True
            yield draft
        if not read_any:  # an article or a chapter (the Office of the Historian's Milestones)
            raise NotADocument(
                'a TEI text with no <div type="document">: an article or chapter, not an edition '
                "of documents",
                where="whole file",
            )

    def stream(self, source: SourceFile) -> Iterator[tuple[str, DocumentDraft | ReaderError]]:
        """The volume document by document, with where each stands ("document 12,
        frus1897/d12"), for a volume larger than a text record may be (``OPIS_MAX_TEXT_FILE_MB``):
        ingest writes its drafts in bounded transactions as they come instead of holding all of
        a 100 MB volume's. A fault in the XML stops the reading there (a ReaderError naming the
        line), after the documents before it were written."""
        for number, draft in enumerate(self.read(source), 1):
            yield f"document {number}, {draft.id}", draft


# --- the file: fragments, the first pass ---------------------------------------------------------


def _is_fragment(head: bytes) -> bool:
    """True when the first element is not TEI/teiCorpus: a bare document div to wrap."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    text = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", text, flags=re.DOTALL)
    first = re.search(r"<([A-Za-z_][\w.:-]*)", text)
    return bool(first) and first.group(1).split(":")[-1] not in ("TEI", "teiCorpus")


class _Wrapped:
    """A fragment's bytes inside a root declaring the TEI and FRUS namespaces (one line, so
    line numbers in error messages stay those of the file)."""

    def __init__(self, path: Path):
        data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
        data = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data)
        self._chunks = [_FRAGMENT_OPEN, data, _FRAGMENT_CLOSE]

    def read(self, size: int = -1) -> bytes:
        return self._chunks.pop(0) if self._chunks else b""


@contextmanager
def _opened(path: Path, fragment: bool) -> Iterator[IO[bytes] | _Wrapped]:
    """The file, closed again however the reading ends (a stopped generator included)."""
    if fragment:
        yield _Wrapped(path)
        return
    with path.open("rb") as handle:
        yield handle


def _first_pass(path: Path, fragment: bool) -> Volume:
    """Header and front matter, stopping where the body (or the first document) starts."""
    with _opened(path, fragment) as stream:
        found = _front(stream, fragment)
    return _volume(path, *found)


def _front(stream: IO[bytes] | _Wrapped, fragment: bool) -> tuple[str, str, str, dict[str, str]]:
    """The volume id, title, source URL and persons list (xml:id -> name) from the front."""
    root_id, idno, title, url, persons = "", "", "", "", {}
    context = xml_safety.iterparse(stream, events=("start", "end"))
    try:
        for event, elem in context:
            if event == "start":
                if elem.getparent() is None:
                    xml_safety.check_docinfo(elem)
                    root_id = elem.get(XML_ID) or ""
                elif elem.tag == T + "body" or (elem.tag == DIV and elem.get("type") == "document"):
                    break
                continue
            if elem.tag == T + "title" and not title and elem.get("type") in ("complete", None):
                title = plain_text(elem)
            elif elem.tag == T + "idno" and elem.get("type") == "frus":
                idno = (elem.text or "").strip()
            elif elem.tag == T + "ref" and not url and elem.getparent().tag == P:
                url = elem.get("target", "") if elem.get("target", "").startswith("http") else ""
            elif elem.tag == PERSNAME and elem.get(XML_ID):
                persons[elem.get(XML_ID)] = plain_text(elem)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, fragment) from None
    return root_id or idno, title, url, persons


def _volume(path: Path, declared_id: str, title: str, url: str, persons: dict[str, str]) -> Volume:
    """A FRUS volume (``frus1918Russiav03``, from its xml:id or the file name), or else a file of
    the Office of the Historian's documents on the history of the series."""
    match = _VOLUME_ID.match(declared_id or path.stem)
    volume_id = _safe_id(declared_id or (match.group(1) if match else path.stem)) or "tei"
    if not match:
        return Volume(volume_id, title or volume_id, HISTORY_SERIES, None, url, persons)
    if not title:  # a bare fragment: no header to take the title from
        number = re.fullmatch(r"v(\d+)", volume_id[8:])
        title = f"{SERIES}, {volume_id[4:8]}, Volume {int(number.group(1))}" if number else ""
    return Volume(
        volume_id, title or f"{SERIES} ({volume_id})", SERIES, int(volume_id[4:8]), "", persons
    )


def _safe_id(text: str) -> str:
    """Letters, digits and ``- _ .`` only (what catalogue ids allow), no ``..``."""
    return re.sub(r"\.{2,}", ".", _ID_UNSAFE.sub("-", text)).strip("-.")


def _syntax_error(exc: etree.XMLSyntaxError, fragment: bool) -> ReaderError:
    return xml_safety.syntax_error(exc, column_shift=len(_FRAGMENT_OPEN) if fragment else 0)


# --- the second pass: one draft per document -----------------------------------------------------


def _documents(path: Path, fragment: bool, volume: Volume) -> Iterator[DocumentDraft]:
    progress = _Progress()
    with _opened(path, fragment) as stream:
        context = xml_safety.iterparse(stream, events=("end",), tag=DIV)
        try:
            for _, div in context:
                if div.get("type") != "document" or _inside_document(div):
                    continue
                _take_preceding(div, progress)
                progress.ordinal += 1
                draft, progress.page = _DocumentBuilder(div, volume, progress).build()
                div.clear(keep_tail=True)
                yield draft
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(exc, fragment) from None


def _inside_document(div: etree._Element) -> bool:
    return any(a.get("type") == "document" for a in div.iterancestors(DIV))


def _take_preceding(div: etree._Element, progress: _Progress) -> None:
    """Read what came before this document (page breaks, a "Source:" line), then free it.

    Everything before the document, at every level up to the root, is deleted once read: the
    parsed tree never holds more than the document being read and its ancestors.
    """
    for node in [*reversed(list(div.iterancestors())), div]:
        parent = node.getparent()
        if parent is None:
            continue
        for before in reversed(list(node.itersiblings(preceding=True))):
            if isinstance(before.tag, str):
                for pb in before.iter(PB):
                    progress.page = pb.get("n") or progress.page
                if before.tag == P and parent.tag == T + "body":
                    line = plain_text(before)
                    if line.startswith("Source:"):
                        progress.source_line = line
            parent.remove(before)


class _DocumentBuilder:
    """One document div into one draft."""

    def __init__(self, div: etree._Element, volume: Volume, progress: _Progress):
        self.div, self.volume, self.progress = div, volume, progress
        self.notes: list[str] = []
        self.text = Rendering(progress.page)

    def build(self) -> tuple[DocumentDraft, str]:
        div, notes = self.div, self.notes
        sources = [c for c in div if c.tag == NOTE and c.get("type") == "source"]
        head = next((c for c in div if c.tag == HEAD), None)
        title = self._title(head)
        self.text.render(div, skip={id(e) for e in [head, *sources] if e is not None})
        body, pages, last_page = self.text.finish()
        texts = [TextDraft(body=body, language="en", role="original", pages=pages or None)]
        citation = " ".join(plain_text(s) for s in sources) or self.progress.source_line
        dateline = self.text.dateline
        doubts: list[Doubt] = []
        dated = _date(div, dateline, notes, self.volume.span, doubts)
        draft = DocumentDraft(
            id=self._id(),
            title=title,
            date=dated,
            doc_type=doc_type_of(citation, title),
            doc_number=self._fit(div.get("n") or "", "doc_number"),
            source_url=self.volume.source_url,
            citation=citation,
            dateline=self._fit(plain_text(dateline) if dateline is not None else "", "dateline"),
            signed=self._fit("; ".join(plain_text(s) for s in self.text.signed), "signed"),
            texts=texts if body else [],
            agents=self._agents(head, title, dated.start if dated.precision == "day" else None),
            collections=[self.volume.collection()],
            footnotes=self.text.footnotes,
            notes=notes,
            doubts=doubts,
        )
        if not body:
            notes.append("the document has no text besides its heading")
        draft.cable = cable_record(
            title, body, collection_hint="frus", dateline=draft.dateline, note=citation,
            signed=draft.signed,
        )  # fmt: skip
        return draft, last_page

    def _title(self, head: etree._Element | None) -> str:
        if head is None:
            self.notes.append("the document has no <head>; its title is a placeholder")
            return f"Untitled document {self.div.get('n') or self.progress.ordinal}"
        for pb in head.iter(PB):
            self.text.out.page(pb.get("n") or "")
        for note in head.iter(NOTE):
            self.text.footnote(note, mark=False)
        title = plain_text(head)
        if not title:
            self.notes.append("the document's <head> is empty; its title is a placeholder")
        return title or f"Untitled document {self.div.get('n') or self.progress.ordinal}"

    def _id(self) -> str:
        given = self.div.get(XML_ID) or ""
        local = _safe_id(given) or f"document-{self.progress.ordinal}"
        if given and local != given:
            self.notes.append(f"the xml:id {given!r} was written {local!r} to make a safe id")
        doc_id = f"{self.volume.id}/{local}"
        if doc_id in self.progress.ids:
            self.notes.append(f"the xml:id {given!r} is used twice in the file; this is the second")
            doc_id = f"{doc_id}-{self.progress.ordinal}"
        self.progress.ids.add(doc_id)
        return doc_id

    def _fit(self, value: str, what: str) -> str:
        limit = _LIMITS[what]
        if len(value) <= limit:
            return value
        self.notes.append(f"the {what} is {len(value)} characters; it was cut to {limit}")
        return value[: limit - 1] + "…"

    def _agents(self, head: etree._Element | None, title: str, on: date | None) -> list[AgentDraft]:
        """Sender and recipient marked in the head (a side not marked as the title names it,
        an office as its holder on the day: "The Secretary of State to the Minister in
        Nicaragua"), signatories, then everyone mentioned."""
        agents: list[AgentDraft] = []
        for person in head.iter(PERSNAME) if head is not None else ():
            role = {"from": "author", "to": "addressee"}.get(person.get("type") or "")
            name = self._canonical(person)
            if role and name:
                agents.append(AgentDraft(name=name, role=role))
        marked = {agent.role for agent in agents}
        titled = parties_from_title(title, on)
        agents += [a for a in titled if a.kind == "person" and a.role not in marked]
        for signed in self.text.signed:
            written = self._fit(plain_text(signed), "agent")
            linked = {self._canonical(p) for p in signed.iter(PERSNAME)} - {""}
            name = linked.pop() if len(linked) == 1 else written
            if name:
                agents.append(AgentDraft(name=name, role="signatory", signed_as=written))
        named = {a.name for a in agents}
        in_head = [p for p in head.iter(PERSNAME) if p.get("corresp")] if head is not None else []
        for person in in_head + self.text.persons:
            name = self._canonical(person)
            if name and name not in named:
                named.add(name)
                agents.append(AgentDraft(name=name, role="mentioned"))
        return agents

    def _canonical(self, person: etree._Element) -> str:
        for ref in (person.get("corresp") or "").split():
            volume, _, local = ref.rpartition("#")
            if volume in ("", self.volume.id) and local in self.volume.persons:
                return self._fit(self.volume.persons[local], "agent")
        return ""


# --- dates ----------------------------------------------------------------------------------------


def _date(
    div: etree._Element,
    dateline,
    notes: list[str],
    span: tuple[int, int] | None = None,
    doubts: list[Doubt] | None = None,
) -> DateInterval:
    """The document's date: the encoded one (``@when``, else ``frus:doc-dateTime-min/max``)
    checked against the printed dateline and the volume's ``span`` (``check_machine_date``:
    the print wins a conflict, and the conflict goes to ``doubts``), else the dateline's words."""
    written = dateline.find(f".//{DATE}") if dateline is not None else None
    when = written.get("when") if written is not None else None
    display = plain_text(written) if written is not None else ""
    interval = _from_when(when, notes) if when else None
    if interval is None and div.get(DATE_MIN) and div.get(DATE_MAX):
        interval = _from_span(div.get(DATE_MIN), div.get(DATE_MAX), notes)
    if interval is not None:
        printed_text = plain_text(dateline) if dateline is not None else ""
        printed = find_datetime(printed_text)[0] if printed_text else DateInterval()
        checked = check_machine_date(interval, printed, span, written=printed_text)
        if checked.doubt is not None:
            notes.append(checked.doubt.message)
            if doubts is not None:
                doubts.append(checked.doubt)
        interval = checked.date
    if interval is None and dateline is not None:
        interval = _from_words(dateline, display)
        display = display or interval.display
    if interval is None or interval.precision == "unknown":
        seen = f" (the dateline reads {plain_text(dateline)!r})" if dateline is not None else ""
        notes.append(f"no date could be read from the document{seen}")
        return DateInterval(display=display[:200])
    interval.display = (display or format_display(interval))[:200]
    return interval


def _from_when(when: str, notes: list[str]) -> DateInterval | None:
    if when.startswith("--"):
        notes.append(f"the date @when {when!r} gives a month and day but no year")
        return None
    match = _WHEN.match(when.strip())
    if not match:
        notes.append(f"the date @when {when!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            point = date(year, month, day)
            return DateInterval(point, point, "day")
        if month:
            return DateInterval(*month_interval(year, month), "month")
        return DateInterval(date(year, 1, 1), date(year, 12, 31), "year")
    except ValueError:
        notes.append(f"the date @when {when!r} is not a real date")
        return None


def _from_span(low: str, high: str, notes: list[str]) -> DateInterval | None:
    try:
        start, end = date.fromisoformat(low[:10]), date.fromisoformat(high[:10])
    except ValueError:
        notes.append(f"frus:doc-dateTime-min/max {low!r}/{high!r} are not ISO dates")
        return None
    if start > end:
        notes.append(f"frus:doc-dateTime-min {low!r} is after -max {high!r}")
        return None
    return DateInterval(start, end, "day" if start == end else "range")


def _from_words(dateline: etree._Element, display: str) -> DateInterval:
    """A dateline without @when: its date words, or the dateline less its place."""
    candidates = [display] if display else []
    whole = plain_text(dateline)
    place = dateline.find(f".//{PLACE}")
    if place is not None:
        candidates.append(whole.replace(plain_text(place), "", 1))
    candidates.append(whole)
    for candidate in candidates:
        found = parse_date(candidate.strip(" ,.;:"))
        if found.precision != "unknown":
            return found
    return DateInterval(display=display)


READER = FrusTeiReader()
