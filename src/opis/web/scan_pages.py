"""Page images of scanned documents: ``/scans/<sha256>/<n>.png``, and the pages a document shows.

A page is rendered from the original PDF by ``pdftoppm`` (poppler-utils) once, then served from
``$OPIS_DATA/cache/pages/<sha256>/<n>.png``. The URL names the content, not the document; the
image never changes, but who may see it does (a record withdrawn or returned to draft takes its
pages with it), so it is cached an hour, not for good, and a page only staff may see is never
stored (``originals_view.readers_may_have``). The PDF is the kept original
(``opis.records.originals``) or, for documents ingested before originals were kept, the file at
``Document.source_path`` if its checksum still matches.

On the document page (``templates/opis/_scan_pages.html``) each page shows its image beside its
text, with how the text was read and, for OCR, the mean word confidence, so a reader can check
the transcription against the scan. Images are same-origin files: the strict CSP holds.
"""

import re
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from pypdf import PdfReader

from opis.checksum import file_sha256
from opis.errors import NotFound, OpisError
from opis.readers.pdf_scan import PdfScanReader
from opis.records.models import Document
from opis.records.originals import SHA256, original_path
from opis.web import caching
from opis.web.errors import reports_errors
from opis.web.originals_view import readers_may_have

RESOLUTION_DPI = 100  # a readable page on screen at a tenth of the 300 dpi scan's pixels
RENDER_TIMEOUT_S = 60
SCAN_READERS = {PdfScanReader.name}


class RenderFailed(OpisError):
    http_status = 502
    code = "render_failed"


@reports_errors
def page_image(request: HttpRequest, sha256: str, n: int) -> HttpResponse:
    """One page of a scanned original as PNG, rendered on first request."""
    if not SHA256.fullmatch(sha256):
        raise NotFound(f"{sha256[:80]!r} is not the sha256 of a scan (64 lowercase hex digits)")
    cache = readers_may_have(request, sha256)
    if cache is None:
        raise NotFound(_no_scan(sha256))
    tag = f'"{sha256}-{n}-{RESOLUTION_DPI}"'  # the content's name: the scan, the page, the size
    unchanged = caching.not_modified(request, tag)
    if unchanged is not None:
        unchanged["Cache-Control"] = cache
        return unchanged
    response = FileResponse(rendered_page(sha256, n).open("rb"), content_type="image/png")
    caching.with_validators(response, tag)
    response["Cache-Control"] = cache
    response["X-Content-Type-Options"] = "nosniff"
    return response


def rendered_page(sha256: str, n: int) -> Path:
    """The page's PNG, rendered now if it is not yet (the caller checked who may see it)."""
    cached = cache_dir() / sha256 / f"{n}.png"
    if not cached.is_file():
        _render(scan_file(sha256), n, cached)
    return cached


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "pages"


def is_rendered(sha256: str, n: int) -> bool:
    """Whether this page's image is rendered already: serving it is serving a file."""
    return bool(SHA256.fullmatch(sha256)) and (cache_dir() / sha256 / f"{n}.png").is_file()


def scan_file(sha256: str) -> Path:
    """The PDF with this checksum: the kept original, else a source file that still matches.
    Any other kind of original (a text, a zip) has no pages to show: NotFound, as for no file."""
    kept = original_path(sha256)
    if kept is not None:
        if not is_pdf(kept):
            raise NotFound(
                f"the original with sha256 {sha256} is not a PDF, so it has no page images; "
                f"it is served whole at /originals/{sha256}"
            )
        return kept
    paths = Document.objects.filter(source_sha256=sha256).values_list("source_path", flat=True)
    for source in paths.distinct()[:5]:
        path = Path(source)
        if path.is_file() and is_pdf(path) and file_sha256(path) == sha256:
            return path
    raise NotFound(_no_scan(sha256))


def _no_scan(sha256: str) -> str:
    return (
        f"no scan with sha256 {sha256} is kept in this archive (nor is its source file where it "
        "was ingested from); ingest the file again to show its pages"
    )


def is_pdf(path: Path) -> bool:
    """Whether a file is a PDF: "%PDF-" within its first 1024 bytes, where readers look for it."""
    with path.open("rb") as handle:
        return b"%PDF-" in handle.read(1024)


def _render(pdf: Path, n: int, target: Path) -> None:
    count = page_count(pdf)
    if not 1 <= n <= count:
        raise NotFound(f"page {n} is not in this scan; it has {count} page(s), from 1")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".render-") as work:
        stem = Path(work, "page")
        command = ["pdftoppm", "-png", "-r", str(RESOLUTION_DPI), "-f", str(n), "-l", str(n)]
        try:
            done = subprocess.run(
                [*command, "-singlefile", str(pdf), str(stem)],
                capture_output=True,
                text=True,
                timeout=RENDER_TIMEOUT_S,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RenderFailed(f"page {n} could not be rendered ({exc}); try again later") from None
        rendered = stem.with_suffix(".png")
        if done.returncode != 0 or not rendered.is_file():
            said = done.stderr.strip().splitlines()[-1:] or [f"exit status {done.returncode}"]
            raise RenderFailed(f"page {n} could not be rendered (pdftoppm: {said[0]})")
        rendered.replace(target)  # atomic: a reader never sees half an image


def page_count(pdf: Path) -> int:
    try:
        return len(PdfReader(pdf, strict=False).pages)
    except Exception as exc:  # noqa: BLE001 - any damage: the page cannot be shown, say so
        raise RenderFailed(f"the scan cannot be opened ({type(exc).__name__})") from None


def scan_pages(document: Document) -> list[dict]:
    """The pages a document page shows beside its scan: number, image URL, text, how it was read.

    Empty for documents that are not scans. Pages come from the text's page breaks; a scan
    ingested with no text (``--ocr never`` on an image-only PDF) shows its images alone."""
    if document.reader not in SCAN_READERS:
        return []
    text = document.texts.first()
    breaks = [b for b in (text.pages or []) if isinstance(b, dict)] if text else []
    pages = []
    for index, brk in enumerate(breaks):
        start = brk.get("offset", 0)
        end = breaks[index + 1].get("offset", len(text.body)) if index + 1 < len(breaks) else None
        pages.append(_page(document, str(brk.get("n", index + 1)), text.body[start:end], brk))
    if not pages:
        try:
            count = page_count(scan_file(document.source_sha256))
        except OpisError:
            return []
        pages = [_page(document, str(n), "", {}) for n in range(1, count + 1)]
    return pages


def _page(document: Document, n: str, body: str, brk: dict) -> dict:
    number = int(n) if re.fullmatch(r"\d{1,6}", n) else 1
    confidence = brk.get("confidence")
    return {
        "n": n,
        "image": reverse("scan-page", kwargs={"sha256": document.source_sha256, "n": number}),
        "words": reverse("scan-words", kwargs={"sha256": document.source_sha256, "n": number}),
        "alt": f"Scan of page {n} of “{document.title[:120]}”",
        "text": body.strip(),
        "method": brk.get("method", ""),  # "ocr" | "text-layer" | "" (no text)
        "confidence": round(confidence) if isinstance(confidence, (int, float)) else None,
    }
