"""The researcher's workspace (``/me/``): saved searches, private notes and personal collections
(folders), each private to the account (``records.workspace``).

Every page and form here needs the researcher role (an account): anonymous people are sent to the
login page, an account in the "reader" group is refused (403). Every write is a CSRF-protected
POST that answers with a redirect; another account's search or folder id answers 404, as does a
record the account may not see.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opis.errors import BadEdit
from opis.records import workspace
from opis.records.accounts import RESEARCHER
from opis.web.access import role_required
from opis.web.errors import error_page, reports_errors


@role_required(RESEARCHER)
@reports_errors
def workspace_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "searches": workspace.searches(user),
        "folders": workspace.folders(user),
        "notes": workspace.notes(user),
    }
    return render(request, "opis/workspace.html", context)


@role_required(RESEARCHER)
@require_POST
@reports_errors
def search_save(request: HttpRequest) -> HttpResponse:
    workspace.save_search(request.user, request.POST.get("q", ""), request.POST.get("name", ""))
    return HttpResponseRedirect(reverse("workspace") + "#searches")


@role_required(RESEARCHER)
@require_POST
@reports_errors
def search_delete(request: HttpRequest, search_id: int) -> HttpResponse:
    workspace.delete_search(request.user, search_id)
    return HttpResponseRedirect(reverse("workspace") + "#searches")


@role_required(RESEARCHER)
@require_POST
@reports_errors
def note_save(request: HttpRequest, document_id: str) -> HttpResponse:
    try:
        workspace.save_note(request.user, document_id, request.POST.get("body", ""))
    except BadEdit as refused:  # not "no document": the page names what was wrong with the note
        return error_page(request, 422, refused.code, refused.message)
    return HttpResponseRedirect(reverse("document", args=[document_id]) + "#workspace")


@role_required(RESEARCHER)
@require_POST
@reports_errors
def folder_new(request: HttpRequest) -> HttpResponse:
    workspace.make_folder(request.user, request.POST.get("name", ""))
    return HttpResponseRedirect(reverse("workspace") + "#folders")


@role_required(RESEARCHER)
@require_POST
@reports_errors
def folder_add(request: HttpRequest, folder_id: int) -> HttpResponse:
    document_id = request.POST.get("document_id", "")
    workspace.add_to_folder(request.user, folder_id, document_id)
    return HttpResponseRedirect(reverse("document", args=[document_id]) + "#workspace")


@role_required(RESEARCHER)
@require_POST
@reports_errors
def folder_remove(request: HttpRequest, folder_id: int) -> HttpResponse:
    workspace.remove_from_folder(request.user, folder_id, request.POST.get("document_id", ""))
    return HttpResponseRedirect(reverse("workspace") + "#folders")
