"""Documents on Australian Foreign Policy (DFAT): Markdown with YAML front matter.

Front matter gives the title, date, volume and document number, and ``naa_refs``: structured
National Archives of Australia references (series, control symbol, barcode). The body opens with a
heading line such as "Cablegram UN949 NEW YORK, 8 December 1946, 8.08 p.m." that names the type.
"""

import re
from collections.abc import Iterator

import yaml

from opis.drafts import CollectionDraft, DocumentDraft, LocationDraft, TextDraft
from opis.errors import ReaderError
from opis.readers.source import SourceFile
from opis.understand.cable import cable_record
from opis.understand.classification import marking
from opis.understand.dates import format_display, parse_date
from opis.understand.doc_types import doc_type_of
from opis.understand.title_parties import parties_from_title

SERIES = "Documents on Australian Foreign Policy"
REQUIRED_KEYS = ("title", "doc_date", "vol_id")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DfatMarkdownReader:
    name = "dfat-markdown"
    extensions = (".md", ".markdown")

    def detect(self, source: SourceFile, head: str) -> bool:
        head = head.lstrip("\ufeff")
        return head.startswith("---") and "vol_id:" in head and "doc_date:" in head

    def read(self, source: SourceFile) -> Iterator[DocumentDraft]:
        text = source.text()
        meta, body, body_line = _front_matter(text)
        missing = [key for key in REQUIRED_KEYS if meta.get(key) in (None, "")]
        if missing:
            raise ReaderError(
                f"front matter lacks {', '.join(missing)} (needed: {', '.join(REQUIRED_KEYS)})",
                where="front matter",
            )
        doc_date = parse_date(str(meta["doc_date"]))
        notes = []
        if doc_date.precision == "unknown":
            raise ReaderError(
                f"doc_date {meta['doc_date']!r} is not a date "
                "(expected YYYY-MM-DD, YYYY-MM or YYYY)",
                where=f"front matter, doc_date (line {_key_line(text, 'doc_date')})",
            )
        doc_date.display = format_display(doc_date)
        heading = _first_line(body)
        volume = _int(meta["vol_id"], "vol_id", text)
        number = _document_number(meta, source)
        title = " ".join(str(meta["title"]).split())
        yield DocumentDraft(
            id=f"dfat-v{volume}-{_slug(source.path.stem)}",
            title=title,
            cable=cable_record(title, body, collection_hint="dfat"),
            agents=parties_from_title(title),  # "Critchley to Burton": the editors' title
            date=doc_date,
            doc_type=doc_type_of(heading, str(meta["title"])),
            doc_number=number,
            original_languages=["en"],
            classification=marking(body.strip().split("\n")[:3]),
            citation=_citation(meta, number),
            texts=[TextDraft(body=body.strip(), language="en", role="original")]
            if body.strip()
            else [],
            locations=[
                _location(ref) for ref in meta.get("naa_refs") or [] if isinstance(ref, dict)
            ],
            collections=[
                CollectionDraft(
                    slug=f"dfat-v{volume}",
                    title=" ".join(str(meta.get("vol_title") or f"Volume {volume}").split()),
                    series=SERIES,
                    position=volume,
                )
            ],
            notes=notes,
        )


def _front_matter(text: str) -> tuple[dict, str, int]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ReaderError("the file does not start with a '---' front matter line", where="line 1")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ReaderError(
            "the front matter is never closed: no second '---' line", where="front matter"
        ) from None
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"front matter line {mark.line + 2}" if mark else "front matter"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ReaderError(f"the front matter is not valid YAML: {problem}", where=where) from None
    if not isinstance(meta, dict):
        raise ReaderError(
            "the front matter is not a YAML mapping of keys to values", where="front matter"
        )
    return meta, "\n".join(lines[end + 1 :]), end + 2


def _key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 0


def _int(value: object, key: str, text: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise ReaderError(
            f"{key} {value!r} is not a whole number",
            where=f"front matter line {_key_line(text, key)}",
        ) from None


def _document_number(meta: dict, source: SourceFile) -> str:
    """The published document number; the harvest's doc_num is 0 for some, the file name is not."""
    stem_number = re.match(r"^(\d+)", source.path.stem)
    doc_num = str(meta.get("doc_num") or "").strip()
    if doc_num and doc_num != "0":
        return doc_num
    return stem_number.group(1) if stem_number else ""


def _location(ref: dict) -> LocationDraft:
    series = str(ref.get("naa_series") or "").strip()
    control = str(ref.get("naa_control_symbol") or "").strip()
    barcode = str(ref.get("naa_barcode") or "").strip()
    raw = str(ref.get("reference") or "").strip() or f"[NAA: {series}, {control}]"
    return LocationDraft(
        raw=raw,
        repository="NAA",
        series=series,
        control_symbol=control,
        barcode=barcode,
        reference=", ".join(p for p in (series, control) if p),
    )


def _citation(meta: dict, number: str) -> str:
    volume = " ".join(str(meta.get("vol_full_title") or meta.get("vol_title") or "").split())
    parts = [SERIES, volume, f"Document {number}" if number else ""]
    return ", ".join(p for p in parts if p)


def _first_line(body: str) -> str:
    for line in body.split("\n"):
        if line.strip():
            return line.strip().lstrip("#").strip()
    return ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:150]


READER = DfatMarkdownReader()
