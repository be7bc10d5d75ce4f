"""The original file of a record, as it arrived, for download: ``/originals/<sha256>``.

Always an attachment, with ``nosniff``: an original is whatever someone ingested (HTML, SVG, a
PDF), and must never be rendered as a page of this site. Unknown, malformed and lost originals
are the site's usual 404 page, which says what to do.
"""

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse

from opis.errors import NotFound
from opis.records.models import Original
from opis.records.originals import SHA256, original_path
from opis.web.errors import reports_errors


@reports_errors
def original_file(request: HttpRequest, sha256: str) -> HttpResponse:
    """The stored bytes, named as the file first arrived."""
    if not SHA256.fullmatch(sha256):
        raise NotFound(
            f"{sha256[:80]!r} is not the sha256 of an original (64 lowercase hex digits); "
            "the link on a document's page gives the right one"
        )
    row = Original.objects.filter(sha256=sha256).first()
    path = original_path(sha256) if row else None
    if row is None:
        raise NotFound(f"no original with sha256 {sha256} is kept in this archive")
    if path is None:
        raise NotFound(
            f"the original {row.name} (sha256 {sha256}) is recorded but its file is missing from "
            "the store; whoever runs this archive can find out more with `opis verify`"
        )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=row.name,
        content_type=row.media_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
