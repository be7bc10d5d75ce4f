"""The reading room's curation pages: edit a record, its history with diffs, restore a version.

Every page here is a curator's (``access.role_required``, plus ``accounts.can_curate`` for the
record); every write is a POST with Django's CSRF token, and goes through ``opis.curate``, the
code the API uses, so the form and ``PATCH /api/documents/{id}`` validate and record alike. The
form carries the version it was read at: a change made meanwhile is a conflict shown beside the
curator's own input, never overwritten.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from opis.curate.edit import edit_record, restore_version
from opis.curate.history import diff_lines, version_record, versions
from opis.curate.threads import decide_link, links_of
from opis.errors import BadEdit, Forbidden, VersionConflict
from opis.records.accounts import CURATOR, can_curate
from opis.records.serialize import document_json, load_document
from opis.web.access import role_required
from opis.web.edit_form import CHOICES, changes_from, form_values, posted_values
from opis.web.errors import reports_errors


def curated_record(request: HttpRequest, document_id: str) -> dict:
    """The record, if this curator may curate it (else Forbidden)."""
    document = load_document(document_id)
    if not can_curate(request.user, document):
        raise Forbidden(
            f"your account may not curate {document_id!r}: it is in none of your collections"
        )
    return document_json(document)


@role_required(CURATOR)
@reports_errors
def edit_page(request: HttpRequest, document_id: str) -> HttpResponse:
    record = curated_record(request, document_id)
    context: dict = {"record": record, "values": form_values(record), "version": record["version"],
                     "errors": {}, "comment": "", "links": links_of(document_id),
                     **CHOICES}  # fmt: skip
    if request.method == "POST":
        context |= {
            "values": posted_values(request.POST),
            "comment": request.POST.get("comment", ""),
        }
        try:
            edit_record(
                document_id, changes_from(request.POST, record),
                actor=request.user.get_username(), comment=request.POST.get("comment", ""),
                version=_number(request.POST.get("version")),
            )  # fmt: skip
        except BadEdit as refused:
            context["errors"] = {_form_field(refused.field): refused.reason}
            return render(request, "opis/edit.html", context, status=422)
        except VersionConflict as conflict:
            current = conflict.current or record
            context |= {"conflict": current, "version": current["version"], "record": current,
                        "conflict_diff": diff_lines(record, current)}  # fmt: skip
            return render(request, "opis/edit.html", context, status=409)
        return HttpResponseRedirect(reverse("document", args=[document_id]) + "?saved=1")
    return render(request, "opis/edit.html", context)


@role_required(CURATOR)
@reports_errors
def history_page(request: HttpRequest, document_id: str) -> HttpResponse:
    record = curated_record(request, document_id)
    listed, previous = [], None
    for version in versions(document_id):
        shown = version_record(document_id, version["number"])
        listed.append({**version, "diff": diff_lines(previous, shown) if previous else [],
                       "current": version["number"] == record["version"]})  # fmt: skip
        previous = shown
    return render(request, "opis/history.html", {"record": record, "versions": listed[::-1]})


@role_required(CURATOR)
@reports_errors
def restore_page(request: HttpRequest, document_id: str, number: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(reverse("history", args=[document_id]))
    curated_record(request, document_id)
    comment = request.POST.get("comment") or f"restored version {number}"
    restore_version(document_id, number, actor=request.user.get_username(), comment=comment)
    return HttpResponseRedirect(reverse("history", args=[document_id]))


@role_required(CURATOR)
@reports_errors
def thread_decision(request: HttpRequest, document_id: str, link_id: int) -> HttpResponse:
    """Confirm or reject one thread link of the record (a POST from the edit page)."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("edit", args=[document_id]))
    curated_record(request, document_id)
    decide_link(
        document_id, link_id, request.POST.get("decision", ""), actor=request.user.get_username(),
        comment=request.POST.get("comment", ""), version=_number(request.POST.get("version")),
    )  # fmt: skip
    return HttpResponseRedirect(reverse("edit", args=[document_id]) + "#threads")


def _number(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise BadEdit("the form lost its version; reload the page", "version") from None


def _form_field(field: str) -> str:
    """The form's name for a field an error names: ``date.start`` → ``date``,
    ``agents[1].role`` → ``agents``."""
    return field.split(".")[0].split("[")[0]
