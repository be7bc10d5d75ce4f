"""The original file of a record, as it arrived, for download: ``/originals/<sha256>``.

Always an attachment, with ``nosniff``: an original is whatever someone ingested (HTML, SVG, a
PDF), and must never be rendered as a page of this site. Unknown, malformed and lost originals
are the site's usual 404 page, which says what to do. Readers get an original only when a record
they may see came from it (``visibility.original_is_public``); otherwise the same 404 as for one
never kept. Responses may be cached an hour (``CACHE_PUBLIC``), never for good: a record can be
withdrawn tomorrow, and its original with it; what only staff may see is never stored.
"""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse

from opis.errors import NotFound
from opis.records.models import Original
from opis.records.originals import SHA256, original_path
from opis.records.visibility import original_is_public
from opis.web import caching
from opis.web.access import staff_view
from opis.web.errors import reports_errors

CACHE_PUBLIC = "public, max-age=3600"
CACHE_STAFF = "private, no-store"


def readers_may_have(request: HttpRequest, sha256: str) -> str | None:
    """The Cache-Control for an original (or its pages) this requester may have, else None."""
    if original_is_public(sha256):
        return CACHE_PUBLIC
    return CACHE_STAFF if staff_view(request) else None


@reports_errors
def original_file(request: HttpRequest, sha256: str) -> HttpResponse:
    """The stored bytes, named as the file first arrived."""
    if not SHA256.fullmatch(sha256):
        raise NotFound(
            f"{sha256[:80]!r} is not the sha256 of an original (64 lowercase hex digits); "
            "the link on a document's page gives the right one"
        )
    cache = readers_may_have(request, sha256)
    row = Original.objects.filter(sha256=sha256).first() if cache else None
    path = original_path(sha256) if row else None
    if row is None:
        raise NotFound(f"no original with sha256 {sha256} is kept in this archive")
    if path is None:
        raise NotFound(
            f"the original {row.name} (sha256 {sha256}) is recorded but its file is missing from "
            "the store; whoever runs this archive can find out more with `opis verify`"
        )
    tag = f'"{sha256}"'  # the bytes' own name: they never change under it
    unchanged = caching.not_modified(request, tag, row.stored_at)
    if unchanged is not None:
        unchanged["Cache-Control"] = cache
        return unchanged
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=row.name,
        content_type=row.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    return caching.with_validators(response, tag, row.stored_at)


def original_link(sha256: str) -> dict | None:
    """What a document page needs to offer its original: url, name, size, media type; None when
    no original is kept (documents ingested before originals were)."""
    row = Original.objects.filter(sha256=sha256).first()
    if row is None:
        return None
    return {
        "url": reverse("original", kwargs={"sha256": sha256}),
        "name": row.name,
        "size": row.size,
        "media_type": row.media_type,
    }
