"""Curators' work lists, persons merged and split, and readers' corrections.

``/staff/review``: fields where a re-read source and a curator disagree, each settled by a POST
(keep the curator's value, or take the source's). ``/staff/people``: persons merged, each to be
split again, and a person's names and pseudonyms with their years of use, recorded by curators
(``/staff/people/names``) or removed; below them the candidates for the authority, persons the
documents name whom it does not know (``records.candidates``), each with a form to record the
name for a person of the authority. ``/staff/corrections``: readers' proposals, accepted (a new
version credited to the proposer) or declined. A reader proposes from the record's page: a
CSRF-protected form, throttled per client (``CORRECTIONS_PER_HOUR``) so a script cannot bury the
list.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from opis.curate.corrections import decide, open_corrections
from opis.curate.corrections import propose as keep_proposal
from opis.curate.people import add_name, merge_persons, merges, names_of, remove_name, split_person
from opis.curate.review import CHOICES, open_items, settle
from opis.errors import BadEdit
from opis.records.accounts import CURATOR
from opis.records.candidates import candidates, unknown_persons
from opis.records.models import PersonName
from opis.records.visibility import load_visible
from opis.understand.names import authority
from opis.understand.names import candidates as holders
from opis.web.access import actor_name, role_required
from opis.web.errors import error_page, reports_errors
from opis.web.ratelimit import Rate, client_address, take_token

CORRECTIONS_PER_HOUR = Rate(5, 3600)
CANDIDATES_PER_PAGE = 50


@require_POST
@reports_errors
def propose(request: HttpRequest, document_id: str) -> HttpResponse:
    """A reader's correction to a record they can see (CSRF by Django's middleware)."""
    load_visible(document_id, request.user)
    wait = take_token(f"correction:{client_address(request)}", CORRECTIONS_PER_HOUR)
    if wait:
        response = error_page(
            request, 429, "too_many_corrections",
            f"thank you, but this address has proposed {CORRECTIONS_PER_HOUR.requests} "
            f"corrections within the hour; please try again in {int(wait // 60) + 1} minutes",
        )  # fmt: skip
        response["Retry-After"] = str(int(wait) + 1)
        return response
    name = request.POST.get("name", "")
    if request.user.is_authenticated:
        name = f"{request.user.get_username()} ({name})" if name else request.user.get_username()
    try:
        keep_proposal(
            document_id, request.POST.get("field", ""), request.POST.get("proposed", ""),
            request.POST.get("note", ""), name,
        )  # fmt: skip
    except BadEdit as refused:
        return error_page(request, 422, refused.code, refused.message)
    return HttpResponseRedirect(reverse("document", args=[document_id]) + "?proposed=1#correct")


@role_required(CURATOR)
@reports_errors
def review_list(request: HttpRequest) -> HttpResponse:
    return render(request, "opis/review.html", {"items": open_items(), "choices": CHOICES})


@role_required(CURATOR)
@require_POST
@reports_errors
def review_settle(request: HttpRequest, item_id: int) -> HttpResponse:
    settle(item_id, request.POST.get("choice", ""), actor=actor_name(request))
    return HttpResponseRedirect(reverse("review"))


@role_required(CURATOR)
@reports_errors
def correction_list(request: HttpRequest) -> HttpResponse:
    return render(request, "opis/corrections.html", {"corrections": open_corrections()})


@role_required(CURATOR)
@require_POST
@reports_errors
def correction_decide(request: HttpRequest, correction_id: int) -> HttpResponse:
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "decline"):
        raise BadEdit("choose accept or decline", "decision")
    decide(correction_id, decision == "accept", actor=actor_name(request))
    return HttpResponseRedirect(reverse("corrections"))


@role_required(CURATOR)
@reports_errors
def people_page(request: HttpRequest) -> HttpResponse:
    """Persons merged by curators, each with a Split button, and a form to merge two; a person
    looked up by id (``?person=``) with the authority's names and pseudonyms, the ones curators
    recorded (each with a Remove button) and a form to record another (``?name=``: filled in with
    a candidate's name); the candidates for the authority (``?candidates=``: their page)."""
    form = {"name": request.GET.get("name", "")}  # a candidate's name, to record for the person
    return _people(request, request.GET.get("person", "").strip(), form=form)


def _people(
    request: HttpRequest, person_id: str, error: BadEdit | None = None, form=None
) -> HttpResponse:
    context = {
        "merges": merges(),
        "person_id": person_id,
        "person": authority().get(person_id) if person_id else None,
        "names": names_of(person_id) if person_id else [],
        "kinds": PersonName.Kind.values,
        "errors": {error.field or "name": error.reason} if error else {},
        "form": form or {},
        **_candidates(request),
    }
    return render(request, "opis/people_merges.html", context, status=422 if error else 200)


def _candidates(request: HttpRequest) -> dict:
    """A page (``?candidates=N``) of the persons the authority does not know, each with the
    persons of the authority who hold the name, where it is only ambiguous."""
    page = Paginator(unknown_persons(), CANDIDATES_PER_PAGE).get_page(request.GET.get("candidates"))
    shown = candidates(page.object_list)
    return {
        "candidates": [(c, holders(c.name)[:5]) for c in shown],
        "candidates_page": page,
    }


@role_required(CURATOR)
@require_POST
@reports_errors
def people_names(request: HttpRequest) -> HttpResponse:
    """Record a name or pseudonym of a person; a refusal is shown on its field."""
    form = {key: request.POST.get(key, "") for key in ("person_id", "name", "kind", "from_year",
                                                       "to_year", "source")}  # fmt: skip
    try:
        add_name(
            form["person_id"], form["name"], form["kind"] or "name", form["from_year"],
            form["to_year"], form["source"], actor=actor_name(request),
        )  # fmt: skip
    except BadEdit as error:
        return _people(request, form["person_id"].strip(), error, form)
    return _person_page(form["person_id"].strip())


@role_required(CURATOR)
@require_POST
@reports_errors
def people_name_remove(request: HttpRequest, name_id: int) -> HttpResponse:
    person_id = request.POST.get("person_id", "").strip()
    remove_name(name_id, actor=actor_name(request))
    return _person_page(person_id)


def _person_page(person_id: str) -> HttpResponse:
    query = f"?{urlencode({'person': person_id})}" if person_id else ""
    return HttpResponseRedirect(reverse("people-merges") + query)


@role_required(CURATOR)
@require_POST
@reports_errors
def people_merge(request: HttpRequest) -> HttpResponse:
    merge_persons(
        request.POST.get("person_id", "").strip(), request.POST.get("into", "").strip(),
        actor=actor_name(request), comment=request.POST.get("comment", ""),
    )  # fmt: skip
    return HttpResponseRedirect(reverse("people-merges"))


@role_required(CURATOR)
@require_POST
@reports_errors
def people_split(request: HttpRequest) -> HttpResponse:
    split_person(
        request.POST.get("person_id", "").strip(), actor=actor_name(request),
        comment=request.POST.get("comment", ""),
    )  # fmt: skip
    return HttpResponseRedirect(reverse("people-merges"))
