"""PDFs and scans: one record per PDF, its text page by page, from the text layer or by OCR.

Each page's text comes from the PDF's own text layer when that layer is *usable*, else from OCR
(``opis.readers.ocr``: OCRmyPDF + Tesseract). ``--ocr always`` OCRs every page, ``--ocr never``
none. The body is the pages in order, two newlines apart; ``Text.pages`` says where each page
starts, how it was read, and for OCR pages the mean word confidence, so a passage can be cited by
page and a reader can judge how far to trust it.

**The text layer: pypdf.** Measured on the 363 pages of the FOIA release (``bench/ingest_pdf.py``),
pypdf and pdfminer.six give text of the same quality (same share of word-like text) and pypdf is
about seven times faster, so pypdf reads the layer.

**Usable.** Scanners of the 1990s-2010s put their own OCR under the image, often worse than no
text at all (``'4hist weuldoretally:gthenre:00.10wort ot arse econtfol``). A page's layer is
usable when at least ``MIN_WORD_CHARS`` characters and ``USABLE_SHARE`` of its non-numeric text
are in word-like tokens (letters only, Latin ones with a vowel). Clean prose scores 0.8-0.95
(DFAT volumes: nine in ten documents above 0.71); these FOIA layers score 0.38-0.92, median 0.61.

**A telegram's head is read by OCR too.** A State Department telegram's text layer can pass the
word test on its body while garbling its head ("FM sutagE WASHDC", "TO wmpAssr PRAGUE"): the
record would show no origin, destination or number. So in ``--ocr auto``, when the first
``HEAD_PAGES`` pages have a telegram's marks (``has_telegram_marks``: TAGS, E.O., SUBJECT, the
date-time group …) but the telegram reader cannot read origin, destination and number from them,
those pages are also read from their text layer (where OCR had replaced it: Tesseract too garbles
some heads) and by OCR (where the layer had been kept), and the reading the telegram reader reads
most of is kept (a tie keeps the pages as read). A few seconds, only for such scans; every other
PDF costs one regular-expression pass.

**No text at all.** With ``--ocr never`` an image-only PDF still becomes a record (title, date,
the kept original, its page images in the reading room) with no text and a note saying how to
read it; a record of the scan loses nothing that a refusal would keep.
"""

import logging
import re
import warnings
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdf.generic import ArrayObject, IndirectObject

from opis.drafts import DocumentDraft, TextDraft
from opis.errors import ReaderError
from opis.readers.ocr import (
    PageOCR,
    narrowed_languages,
    ocr_languages,
    ocr_mode,
    ocr_pages,
    script_language,
)
from opis.readers.sidecar import ScanMetadata, metadata_for
from opis.readers.source import ReadOptions, SourceFile
from opis.understand.cable import cable_record, parse_cable
from opis.understand.us_telegram import has_telegram_marks

USABLE_SHARE = 0.7
HEAD_PAGES = 2  # a telegram's head is on its first page; a cover sheet can push it to the second
MIN_WORD_CHARS = 20
PAGE_SEPARATOR = "\n\n"
_WORD = re.compile(r"^[^\W\d_]{2,}$")
_VOWEL = re.compile(r"[aeiouyAEIOUY]|[^\x00-\x7f]")
_NUMERIC = re.compile(r"^[\d.,/:;()\[\]-]+$")
_PUNCTUATION = ".,;:!?'\"()[]-–—"
# What pypdf raises on damaged files besides its own errors (bad numbers, missing keys, loops,
# a filter or an encryption scheme named wrongly: NotImplementedError).
_DAMAGED = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, NotImplementedError)
_DAMAGED += (IndexError, RecursionError, AssertionError, zlib.error, OverflowError)
# pypdf logs each repair it makes; a mangled file makes a hundred thousand such lines (seconds of
# work, and noise on stderr). Damage is reported once, by the ReaderError below.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class PageText:
    n: int
    text: str
    method: str  # "text-layer" | "ocr"
    confidences: list[float] | None = None


class PdfScanReader:
    name = "pdf-scan"
    extensions = (".pdf",)
    binary = True
    takes_options = True  # the OCR mode of the run

    def detect(self, source: SourceFile, head: bytes) -> bool:
        """A PDF starts with ``%PDF-``; readers accept it anywhere in the first kilobyte."""
        return b"%PDF-" in head[:1024]

    def read(
        self, source: SourceFile, options: ReadOptions | None = None
    ) -> Iterator[DocumentDraft]:
        """``options.ocr`` (``opis ingest --ocr``) chooses the OCR mode; None, ``OPIS_OCR``."""
        mode = (options.ocr if options else None) or ocr_mode()
        scan = read_scan(source.path, mode)
        metadata, title = scan.metadata, scan.title
        text, notes = scan_text(scan.pages, scan.languages, metadata.languages, mode)
        yield DocumentDraft(
            id=_slug(metadata.doc_id) or _slug(source.path.stem) or "pdf",
            title=metadata.title or title or source.path.stem,
            date=metadata.date,
            doc_type=metadata.doc_type,
            summary=metadata.summary,
            original_languages=metadata.languages or ([text.language] if text.language else []),
            source_url=metadata.source_url,
            classification=metadata.classification,
            texts=[text] if text.body.strip() else [],
            locations=metadata.locations,
            agents=metadata.agents,
            collections=metadata.collections,
            notes=metadata.notes + notes,
            cable=cable_record(metadata.title or title or "", text.body),  # US telegrams
        )


@dataclass
class ScanReading:
    """A scan as read: its side-car metadata, the PDF's title, each page's text, the languages."""

    metadata: ScanMetadata
    title: str
    pages: list[PageText]
    languages: str


OCR = Callable[[Path, list[int], str], dict[int, PageOCR]]


def read_scan(
    path: Path, mode: str, *, first_pages: int | None = None, ocr: OCR = ocr_pages
) -> ScanReading:
    """Each page read from its text layer or by OCR as ``mode`` says (``first_pages``: only
    those, as the evaluator reads a telegram's head); ``ocr`` reads pages by OCR
    (``ocr_pages``, or a cache of it)."""
    metadata = metadata_for(path)
    layers, title = text_layer(path)
    layers = layers[:first_pages] if first_pages else layers
    languages = ocr_languages(metadata.languages)
    wanted = [n for n, text in enumerate(layers, 1) if _wants_ocr(mode, text)]
    if wanted and not metadata.languages:
        languages = narrowed_languages(path, wanted[0], languages)
    recognised = ocr(path, wanted, languages) if wanted else {}
    pages = [
        PageText(n, recognised[n].text, "ocr", recognised[n].confidences)
        if n in recognised
        else PageText(n, layers[n - 1], "text-layer")
        for n in range(1, len(layers) + 1)
    ]
    if mode == "auto":
        narrow = not metadata.languages and not wanted
        head, languages = telegram_head(path, pages[:HEAD_PAGES], layers, languages, narrow, ocr)
        pages[:HEAD_PAGES] = head
    return ScanReading(metadata, title, pages, languages)


def text_layer(path: Path) -> tuple[list[str], str]:
    """Each page's own text ("" where it has none) and the PDF's title; ReaderError if damaged."""
    _refuse_deep_nesting(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns of repaired damage; we judge the text
            pdf = PdfReader(path, strict=False)
            if pdf.is_encrypted and not pdf.decrypt(""):
                raise ReaderError(
                    "the PDF is encrypted with a password; decrypt a copy (qpdf --decrypt "
                    "--password=… in.pdf out.pdf) and ingest that",
                    where="whole file",
                )
            pages = [_page_text(page) for page in _distinct_pages(pdf)]
            title = str((pdf.metadata or {}).get("/Title") or "").strip()
    except DependencyError as exc:
        raise ReaderError(f"the PDF cannot be opened: {exc}", where="whole file") from None
    except _DAMAGED as exc:
        raise ReaderError(
            f"this is not a readable PDF ({type(exc).__name__}: {str(exc)[:200]}); the file may "
            "be truncated or damaged: fetch it again, or check it with qpdf --check",
            where="whole file",
        ) from None
    if not pages:
        raise ReaderError("the PDF has no pages", where="whole file")
    return pages, " ".join(title.split())


# A thousand arrays or dictionaries opened in a row ("[[[[…", "<</A <</A …"): no document needs
# it, and pypdf spends seconds per 100,000 levels (twice, when it repairs the file).
MAX_NESTING = 1000
_DEEP = re.compile(rb"(?:(?:\[|<<)\s*(?:/[^\s/\[\]<>()]*\s*)?){%d}" % MAX_NESTING)


def _refuse_deep_nesting(path: Path) -> None:
    with path.open("rb") as handle:
        if _DEEP.search(handle.read()):
            raise ReaderError(
                f"the PDF nests arrays or dictionaries more than {MAX_NESTING} deep; it is "
                "damaged or built to exhaust readers: check it with qpdf --check",
                where="whole file",
            )


def _distinct_pages(pdf: PdfReader) -> list:
    """The pages, refused when the page tree lists one page object twice: no valid PDF does, and a
    hostile one that lists a page 100,000 times would have its text extracted 100,000 times. The
    tree's ``/Kids`` are checked before pypdf flattens it (flattening 100,000 entries alone takes
    seconds)."""
    seen, nodes = set(), [pdf.root_object.raw_get("/Pages")]
    while nodes:
        node = nodes.pop()
        key = (node.idnum, node.generation) if isinstance(node, IndirectObject) else None
        if key in seen:
            raise ReaderError(
                f"the page tree lists object {key[0]} more than once; the file is damaged: "
                "check it with qpdf --check",
                where="page tree",
            )
        if key is not None:
            seen.add(key)
        kids = node.get_object().get("/Kids") if hasattr(node.get_object(), "get") else None
        if isinstance(kids, ArrayObject):
            nodes += reversed(kids)
    return list(pdf.pages)


def _page_text(page) -> str:
    text = page.extract_text() or ""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


def usable(text: str) -> bool:
    """Is this text layer worth more than OCR? See the module docstring for the rule."""
    total = good = 0
    for token in text.split():
        core = token.strip(_PUNCTUATION)
        if not core or _NUMERIC.match(core):
            continue
        total += len(token)
        if (_WORD.match(core) and _VOWEL.search(core)) or core in ("a", "A", "I"):
            good += len(token)
    return good >= MIN_WORD_CHARS and good >= USABLE_SHARE * total


def _wants_ocr(mode: str, layer: str) -> bool:
    return mode == "always" or (mode == "auto" and not usable(layer))


def telegram_head(
    path: Path, head: list[PageText], layers: list[str], languages: str, narrow: bool, ocr: OCR
) -> tuple[list[PageText], str]:
    """The first pages of a telegram whose head is not read whole: of the pages as read, their
    text layers and their OCR, the reading the telegram reader reads most of (a tie keeps the
    earlier: as read, then the layer). See the module docstring; anything that is no such
    telegram is returned as it came, at no cost."""
    best, most = head, _head_fields(_joined(head))
    layer = [PageText(page.n, layers[page.n - 1], "text-layer") for page in head]
    if most[0] == len(_HEAD_FIELDS) or not has_telegram_marks(_joined(head) + _joined(layer)):
        return head, languages
    if _head_fields(_joined(layer)) > most:
        best, most = layer, _head_fields(_joined(layer))
    unread = [page.n for page in head if page.method != "ocr"]
    if most[0] == len(_HEAD_FIELDS) or not unread:
        return best, languages
    if narrow:
        languages = narrowed_languages(path, unread[0], languages)
    recognised = ocr(path, unread, languages)
    by_ocr = [
        PageText(page.n, recognised[page.n].text, "ocr", recognised[page.n].confidences)
        if page.n in recognised
        else page
        for page in head
    ]
    return (by_ocr if _head_fields(_joined(by_ocr)) > most else best), languages


def _joined(pages: list[PageText]) -> str:
    return PAGE_SEPARATOR.join(page.text for page in pages)


_HEAD_FIELDS = ("origin", "destination", "number")
_OTHER_FIELDS = ("sent", "classification", "handling")


def _head_fields(text: str) -> tuple[int, int]:
    """How much of a telegram's head a text gives: origin, destination and number first (what a
    telegram is found and cited by), then date-time group, grading and precedence."""
    cable = parse_cable("", text)
    if cable is None:
        return 0, 0
    return (
        sum(bool(getattr(cable, name)) for name in _HEAD_FIELDS),
        sum(bool(getattr(cable, name)) for name in _OTHER_FIELDS),
    )


def scan_text(
    pages: list[PageText], languages: str, metadata_languages: list[str], mode: str
) -> tuple[TextDraft, list[str]]:
    """The pages as one body with page offsets, method and confidence; notes on empty pages."""
    body, breaks, confidences = "", [], []
    for page in pages:
        if body:
            body += PAGE_SEPARATOR
        entry = {"n": str(page.n), "offset": len(body), "method": page.method}
        if page.confidences is not None:
            entry["confidence"] = (
                round(sum(page.confidences) / len(page.confidences), 1)
                if page.confidences
                else None
            )
            confidences += page.confidences
        breaks.append(entry)
        body += page.text
    ocr_used = any(page.method == "ocr" for page in pages)
    language = metadata_languages[0] if metadata_languages else script_language(body, languages)
    text = TextDraft(
        body=body if body.strip() else "",
        language=language,
        label="Text of the scan (OCR)" if ocr_used else "Text layer of the PDF",
        pages=breaks,
        method="ocr" if ocr_used else "text-layer",
        confidence=round(sum(confidences) / len(confidences), 1) if confidences else None,
    )
    return text, _empty_page_notes(pages, mode)


def _empty_page_notes(pages: list[PageText], mode: str) -> list[str]:
    empty = [str(page.n) for page in pages if not page.text.strip()]
    if not empty:
        return []
    how = (
        "they have no text layer and OCR was turned off (--ocr never); ingest again with "
        "--ocr auto to read them"
        if mode == "never"
        else "OCR found no words on them (blank, or an image without text)"
    )
    if len(empty) == len(pages):
        return [f"no page of this PDF has text: {how}"]
    return [f"page(s) {', '.join(empty)} have no text: {how}"]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip()).strip("-.")[:150]


READER = PdfScanReader()
