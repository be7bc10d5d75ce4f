"""Downloads of a search result: ``/export/search.jsonl?q=…``, ``/export/search.csv?q=…`` (one
URL for each format ``opis.export.downloads`` offers, named ``export-<format>`` in ``opis.urls``).

The same exports as ``opis export --query``, streamed as they are written, so a download of a
large result starts at once and never sits whole in the server's memory. Without ``q`` the
whole archive is exported. Document URLs in the CSV are absolute, on this server's address.
"""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from opis.export import ExportContext, Selection, export_format
from opis.web.errors import reports_errors


@reports_errors
def search_export(request: HttpRequest, format_name: str) -> HttpResponse:
    chosen = export_format(format_name)
    context = ExportContext(
        selection=Selection(request.GET.get("q", "")),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = StreamingHttpResponse(chosen.pieces(context), content_type=chosen.media_type)
    stamp = timezone.now().strftime("%Y-%m-%d")
    name = "opis-search" if context.selection.query else "opis-archive"
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}{chosen.extension}"'
    response["X-Opis-Count"] = str(context.selection.count())
    return response
