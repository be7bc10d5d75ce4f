"""Downloads of a search result: ``/export/search.jsonl?q=…``, ``/export/search.csv?q=…`` (one
URL for each format ``opis.export.downloads`` offers, named ``export-<format>`` in ``opis.urls``).

The same exports as ``opis export --query``, streamed as they are written, so a download of a
large result starts at once and never sits whole in the server's memory. Without ``q`` the
whole archive is exported; readers get only published records, curators every record.
Bulk export is for researchers (an
account) and above: anonymous people are sent to the login page, a reader account is refused.
Document URLs in the CSV are absolute, on this server's address. Each download is in the
audit trail (DISSEMINATION), as the export command's files are.
"""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from opis.export import ExportContext, Selection, export_format
from opis.records.accounts import RESEARCHER
from opis.records.audit import DISSEMINATION, record_event
from opis.web.access import actor_name, role_required, staff_view
from opis.web.errors import reports_errors


@role_required(RESEARCHER)
@reports_errors
def search_export(request: HttpRequest, format_name: str) -> HttpResponse:
    chosen = export_format(format_name)
    context = ExportContext(
        selection=Selection(
            request.GET.get("q", ""),
            staff=staff_view(request),
            relative_paths=not staff_view(request),  # no server folders in a reader's download
        ),  # fmt: skip
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = StreamingHttpResponse(chosen.pieces(context), content_type=chosen.media_type)
    stamp = timezone.now().strftime("%Y-%m-%d")
    name = "opis-search" if context.selection.query else "opis-archive"
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}{chosen.extension}"'
    count = context.selection.count()
    response["X-Opis-Count"] = str(count)
    record_event(actor_name(request), DISSEMINATION, f"export:{chosen.name}", via="download",
                 query=(context.selection.query or "")[:300], count=count)  # fmt: skip
    return response
