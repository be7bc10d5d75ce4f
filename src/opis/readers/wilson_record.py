"""The Wilson Center Digital Archive record layout, as in ``shared/seed/``.

A date line, a title, then labelled sections (Citation, Summary, Original Language, Contents…),
with or without Markdown ``**`` marks. Contents open with a label such as "Translation - English".
"""

import re
from collections.abc import Iterator
from pathlib import Path

from opis.drafts import CollectionDraft, DocumentDraft, TextDraft
from opis.errors import ReaderError
from opis.readers.source import SourceFile
from opis.understand.agents import agents_from_title, copies_from_text
from opis.understand.cable import cable_record
from opis.understand.citation import parse_archival_locations
from opis.understand.dates import parse_date
from opis.understand.doc_types import doc_type_of
from opis.understand.languages import language_code, language_codes
from opis.understand.title_parties import parties_from_title

SECTIONS = (
    "Citation",
    "Summary",
    "Original Language",
    "Contents",
    "Credits",
    "Associated People & Organizations",
    "Associated Places",
    "Subjects Discussed",
    "Record Type",
    "Classification",
)
_HEADING = re.compile(
    r"^\s*(?:\*\*)?\s*(?P<name>"
    + "|".join(re.escape(s) for s in SECTIONS)
    + r")\s*:\s*(?:\*\*)?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
MAX_LABEL = 200  # a label line is short; a longer line is text (and never costs a regex scan)
_TEXT_LABEL = re.compile(
    r"^(?P<role>Translation|Original|Transcript|Transcription)"
    r"\s*[-–—:]\s*(?P<language>[A-Za-z ]+)$",
    re.IGNORECASE,
)
_URL = re.compile(r"<?(https?://[^\s<>]+)>?")
REQUIRED = ("Citation", "Contents")


class WilsonRecordReader:
    name = "wilson-record"
    extensions = (".md", ".markdown")

    def detect(self, source: SourceFile, head: str) -> bool:
        # Two of the three sections that make the layout: a record missing one of them is still
        # recognised, so that ``read`` can say which section is missing.
        found = {m.group("name").lower() for m in _HEADING.finditer(head)}
        return len(found & {"citation", "summary", "contents"}) >= 2

    def read(self, source: SourceFile) -> Iterator[DocumentDraft]:
        text = source.text()
        sections, preamble = _split_sections(text)
        for name in REQUIRED:
            if name.lower() not in sections:
                raise ReaderError(
                    f'the "{name}:" section is missing; a Wilson Center record needs '
                    + " and ".join(f'"{n}:"' for n in REQUIRED),
                    where=f"section {name}",
                )
        paragraphs = [_unmark(p) for p in re.split(r"\n\s*\n", preamble) if p.strip()]
        if len(paragraphs) < 2:
            raise ReaderError(
                "expected a date line and a title before the first section", where="line 1"
            )
        date = parse_date(paragraphs[0])
        title = paragraphs[1]
        citation = _unmark(sections["citation"])
        url_match = _URL.search(citation)
        source_url = url_match.group(1).rstrip(".,;") if url_match else ""
        contents = sections["contents"]
        texts = _texts(contents)
        draft = DocumentDraft(
            id=_document_id(source_url, source.path),
            title=title,
            date=date,
            doc_type=doc_type_of(title),
            summary=_unmark(sections.get("summary", "")),
            original_languages=language_codes(_unmark(sections.get("original language", ""))),
            source_url=source_url,
            citation=citation,
            classification=_unmark(sections.get("classification", "")),
            texts=texts,
            locations=parse_archival_locations(citation),
            agents=(agents_from_title(title) or parties_from_title(title))
            + copies_from_text(contents),
            cable=cable_record(title, texts[0].body if texts else ""),
            collections=[
                CollectionDraft(
                    slug="wilson-center-digital-archive",
                    title="Wilson Center Digital Archive",
                    series="Wilson Center Digital Archive",
                )
            ],
        )
        if date.precision == "unknown":
            draft.notes.append(f"date line {paragraphs[0]!r} was not understood")
        if not draft.locations:
            draft.notes.append("no archival location could be read from the citation")
        yield draft


def _split_sections(text: str) -> tuple[dict[str, str], str]:
    matches = list(_HEADING.finditer(text))
    preamble = text[: matches[0].start()] if matches else text
    sections: dict[str, str] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        sections.setdefault(match.group("name").lower(), text[match.end() : end].strip())
    return sections, preamble


def _unmark(text: str) -> str:
    """Drop Markdown emphasis marks and hard line breaks; keep the words."""
    lines = [line.strip().strip("*").strip() for line in text.strip().splitlines()]
    return " ".join(line for line in lines if line)


def _texts(contents: str) -> list[TextDraft]:
    """Split Contents into bodies at each label line ("Translation - English", "Original - …")."""
    texts: list[TextDraft] = []
    label, lines = "", []

    def flush() -> None:
        body = _body("\n".join(lines))
        if body:
            match = _TEXT_LABEL.match(label)
            role = "original"
            if match and match.group("role").lower() == "translation":
                role = "translation"
            elif match and match.group("role").lower().startswith("transcri"):
                role = "transcript"
            language = language_code(match.group("language")) if match else ""
            texts.append(TextDraft(body=body, language=language, role=role, label=label))

    for line in contents.splitlines():
        if len(line) <= MAX_LABEL and _TEXT_LABEL.match(line.strip().strip("*").strip()):
            flush()
            label, lines = line.strip().strip("*").strip(), []
        else:
            lines.append(line)
    flush()
    return texts


def _body(text: str) -> str:
    """Markdown hard breaks ("two spaces, newline") become plain newlines; paragraphs stay."""
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines).strip()


def _document_id(source_url: str, path: Path) -> str:
    match = re.search(r"digitalarchive\.[a-z.]+/document/(\d+)", source_url)
    if match:
        return f"wcda-{match.group(1)}"
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return f"wcda-{stem or 'record'}"


READER = WilsonRecordReader()
