"""What readers are told about where a record came from: links only to the web, paths only
relative to the folder that was ingested.

**Links.** A source's URL becomes a link (the record's "Published source", OAI-PMH's
``dc:relation``, CSL's ``URL``) only when it is ``http`` or ``https`` with a host. Anything else
(``javascript:``, ``data:``, ``file:``, ``vbscript:``, a scheme hidden behind spaces, control
characters or entities) would be a script or a local file the moment someone clicks it, so ingest
refuses it as a link (``refuse_unsafe_url``): the record keeps it as text in its notes, with a
note saying why, and ``source_url`` stays empty. ``web_link`` is the same rule applied again
wherever a URL is handed out, for records stored before the rule existed.

**Paths.** A source file's full path names the server's folders (a user name, a mount point):
readers see it relative to the folder its ingest run was given (``shown_source_path``); staff see
it whole.
"""

from pathlib import PurePath
from urllib.parse import urlsplit

from opis.drafts import DocumentDraft
from opis.records.models import Document, IngestRun

WEB_SCHEMES = ("http", "https")


def web_link(url: str | None) -> str:
    """``url`` if it is a safe link (http or https, with a host, nothing hidden), else ""."""
    if not url:
        return ""
    text = url.strip()
    if text != url or any(ord(c) < 0x21 or c in "<>`\\" for c in text):
        return ""  # whitespace, control characters, angle brackets: never in a plain address
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return text


def refuse_unsafe_url(draft: DocumentDraft) -> None:
    """Keep ``draft.source_url`` only if it is a web link; otherwise move it into the notes."""
    if draft.source_url and not web_link(draft.source_url):
        draft.notes.append(
            f"source URL kept as text, not as a link: {draft.source_url[:500]!r} is not an http "
            "or https address (only those are links; a javascript:, data: or file: address "
            "would run or open something on the reader's computer)"
        )
        draft.source_url = ""


def shown_source_path(document: Document, staff: bool) -> str:
    """The source file's path: whole for staff; for readers, relative to the folder (or beside
    the file) its ingest run was given, or only its name when no run names it."""
    if staff:
        return document.source_path
    return relative_path(document.source_path, run_roots(document))


def run_roots(document: Document) -> list[str]:
    """The paths the record's ingest run was given: that column alone, not the run's report (a
    whole run's problems, megabytes for a large corpus, read on every document page otherwise)."""
    if document.ingest_run_id is None:
        return []
    runs = IngestRun.objects.filter(pk=document.ingest_run_id)
    return [str(p) for p in runs.values_list("paths", flat=True).first() or []]


def relative_path(source_path: str, roots: list[str]) -> str:
    path = PurePath(source_path)
    for root in sorted(roots, key=len, reverse=True):
        base = PurePath(root)
        if path == base:
            return path.name
        if base in path.parents:
            return path.relative_to(base).as_posix()
    return path.name


def readers_source(record: dict, document: Document) -> dict:
    """A ``document_json`` record as readers see it: the source path relative, the source URL
    only if it is a web link."""
    record["source"] = {**record["source"], "path": shown_source_path(document, staff=False)}
    record["source_url"] = web_link(record.get("source_url")) or None
    return record
