"""The access matrix: every URL pattern × every role × every publication status.

Five records of one collection are given one status each (published, draft, withdrawn, embargoed
until a day to come, embargoed until a day gone) and a title word no other record has. Every
route the URLconf declares (the reading room, the ninja API's operations, OAI-PMH's verbs, the
sitemap, the admin) is asked by an anonymous reader, a researcher, a curator and an admin, and:

- readers (anonymous, researcher) never meet an unpublished record's title, id or original in any
  answer, and a URL that names one answers exactly as for an id that never existed (OAI-PMH may
  name a withdrawn record's id, only in a header marked deleted: that is how harvesters learn it
  is gone);
- they do meet the published ones (and the one whose embargo has passed) where a route lists them;
- curators and admins meet every record, on every route that shows records to staff.

A route added to the URLconf without a line in ``ROUTES`` fails ``test_every_route_is_covered``.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from opis.records.accounts import ADMIN, CURATOR, RESEARCHER, set_role
from opis.records.models import AgentRole, Document, ThreadLink
from opis.records.publication import set_status
from opis.search.indexer import reindex

STATUSES = ("published", "draft", "withdrawn", "embargoed-future", "embargoed-past")
UNSEEN = ("draft", "withdrawn", "embargoed-future")  # what readers must never meet
WORDS = {  # each record's title word, found in no other record
    "published": "Quillfeather",
    "draft": "Zephyrine",
    "withdrawn": "Xanthicore",
    "embargoed-future": "Vellichory",
    "embargoed-past": "Umbratile",
}
ROLES = ("anonymous", "researcher", CURATOR, ADMIN)
STAFF = (CURATOR, ADMIN)
NO_ID = "dfat-no-such-record-anywhere"
NO_SHA = "0" * 64


@dataclass(frozen=True)
class Ask:
    """One request a route is asked. ``names``: the URL names a record ({id}, {sha}), asked once
    per status; ``lists``: who must find the records a listing shows ("readers": the ones they
    may see, staff everything; "staff": only staff meet them; "" for routes that show no record);
    ``found``: staff get 200 for a record the URL names (not for writes refused politely)."""

    method: str
    path: str
    names: bool = False
    lists: str = ""  # readers | public (staff too see only what is public) | oai | staff
    found: bool = True
    body: str | None = None
    staff_only: bool = False  # readers are refused it whatever the record (edits, versions)
    accounts_only: bool = False  # anonymous people are sent to sign in: they list nothing


def ask(path: str, **kwargs) -> Ask:
    return Ask("GET", path, names="{id}" in path or "{sha}" in path, **kwargs)


TODAY = "{today}"
# Every URL pattern, as the URLconf spells it (with the view's name), and what it is asked.
ROUTES: dict[tuple[str, str | None], list[Ask]] = {
    ("", "home"): [ask("/")],
    ("search", "search"): [ask("/search?q=accessprobe", lists="readers"), ask("/search")],
    ("documents/<path:document_id>", "document"): [ask("/documents/{id}")],
    # the correspondence network of a search (issue 15): parties and, as JSON, document ids
    ("search/network", "network"): [ask("/search/network?q=accessprobe"), ask("/search/network")],
    ("search/network.json", "network-json"): [ask("/search/network.json?q=accessprobe")],
    # IIIF and word boxes: no record here is a scan, so nobody gets 200 for them
    ("scans/<str:sha256>/<int:n>/words.json", "scan-words"): [
        ask("/scans/{sha}/1/words.json", found=False)
    ],
    ("iiif/<str:sha256>/<int:n>/info.json", "iiif-info"): [
        ask("/iiif/{sha}/1/info.json", found=False)
    ],
    ("iiif/<str:sha256>/<int:n>/full/<str:size>/0/default.png", "iiif-image"): [
        ask("/iiif/{sha}/1/full/max/0/default.png", found=False)
    ],
    ("iiif/manifest/<path:document_id>", "iiif-manifest"): [
        ask("/iiif/manifest/{id}", found=False)
    ],
    # unAPI: the formats (200), one record in RIS (200, 404 for an unseen one)
    ("unapi", "unapi"): [ask("/unapi"), ask("/unapi?id={id}&format=ris")],
    # A researcher's private note: an empty one for a record they may see is a redirect, 404
    # otherwise; anonymous people are sent to sign in whatever the record.
    ("documents/<path:document_id>/note", "note"): [
        Ask("POST", "/documents/{id}/note", names=True, found=False, accounts_only=True)
    ],
    ("documents/<path:document_id>/edit", "edit"): [ask("/documents/{id}/edit", staff_only=True)],
    ("documents/<path:document_id>/history", "history"): [
        ask("/documents/{id}/history", staff_only=True)
    ],
    ("documents/<path:document_id>/history/<int:number>/restore", "restore"): [
        Ask(
            "POST", "/documents/{id}/history/999/restore", names=True, found=False, staff_only=True
        ),
    ],  # fmt: skip
    ("documents/<path:document_id>/threads/<int:link_id>", "thread-decision"): [
        Ask("POST", "/documents/{id}/threads/999999", names=True, found=False, staff_only=True)
    ],
    # A reader's proposal: an empty one is refused (422) for a record they may see, 404 otherwise.
    ("documents/<path:document_id>/corrections", "propose"): [
        Ask("POST", "/documents/{id}/corrections", names=True, found=False)
    ],
    ("collections/", "collections"): [ask("/collections/")],
    ("collections/<slug:slug>", "collection"): [ask("/collections/{slug}", lists="readers")],
    # the archive tree and its JSON (issue 15): the probes are undated NAA records, so they
    # come first on the repository's first page
    ("archives/", "archives"): [ask("/archives/")],
    ("archives/<str:repository>", "archive-node"): [ask("/archives/NAA", lists="readers")],
    ("api/archives/", "archives-json"): [ask("/api/archives/")],
    ("api/archives/<str:repository>", "archive-node-json"): [
        ask("/api/archives/NAA", lists="readers")
    ],
    ("people/<str:person_id>", "person"): [ask("/people/{person}")],
    ("originals/<str:sha256>", "original"): [ask("/originals/{sha}")],
    # No record here is a scan: a page the gate lets through answers "not a PDF".
    ("scans/<str:sha256>/<int:n>.png", "scan-page"): [ask("/scans/{sha}/1.png", found=False)],
    ("export/search.jsonl", "export-jsonl"): [
        ask("/export/search.jsonl?q=accessprobe", lists="readers", accounts_only=True),
        ask("/export/search.jsonl", lists="readers", accounts_only=True),
    ],
    ("export/search.csv", "export-csv"): [
        ask("/export/search.csv?q=accessprobe", lists="readers", accounts_only=True),
        ask("/export/search.csv", lists="readers", accounts_only=True),
    ],
    ("api/openapi.json", "openapi-json"): [ask("/api/openapi.json")],
    ("api/docs", "openapi-view"): [ask("/api/docs")],
    ("api/search", "search_documents"): [
        ask("/api/search?q=accessprobe", lists="readers"),
        ask("/api/search?q=accessprobe&sort=date&limit=100", lists="readers"),
    ],
    ("api/documents", "list_documents"): [ask("/api/documents?limit=100", lists="readers")],
    ("api/documents/<path:document_id>/cite", "cite_document"): [
        ask("/api/documents/{id}/cite"),
        ask("/api/documents/{id}/cite?style=bibtex"),
    ],
    ("api/documents/<path:document_id>/versions/<n>/restore", "restore_document"): [
        Ask(
            "POST",
            "/api/documents/{id}/versions/999/restore",
            names=True,
            found=False,
            staff_only=True,
            body='{"comment": "access matrix"}',
        ),
    ],  # fmt: skip
    ("api/documents/<path:document_id>/versions/<n>", "get_version"): [
        ask("/api/documents/{id}/versions/1", staff_only=True)
    ],
    ("api/documents/<path:document_id>/versions", "list_versions"): [
        ask("/api/documents/{id}/versions", staff_only=True)
    ],
    ("api/documents/<path:document_id>", "patch_document"): [
        Ask(
            "PATCH",
            "/api/documents/{id}",
            names=True,
            found=False,
            staff_only=True,
            body='{"comment": "access matrix", "summary": "x"}',
        ),
    ],  # fmt: skip
    ("api/documents/<path:document_id>", "get_document"): [ask("/api/documents/{id}")],
    ("api/collections", "list_collections"): [ask("/api/collections")],
    ("api/collections/<slug>", "get_collection"): [
        ask("/api/collections/{slug}?limit=100", lists="readers")
    ],
    ("api/people", "list_people"): [ask("/api/people"), ask("/api/people?q=Casey")],
    ("api/people/<person_id>", "get_person"): [ask("/api/people/{person}?limit=100")],
    ("api/", "api-root"): [ask("/api/")],
    ("oai", "oai"): [
        ask("/oai?verb=Identify"),
        ask("/oai?verb=ListSets"),
        ask("/oai?verb=ListMetadataFormats"),
        ask(f"/oai?verb=ListIdentifiers&metadataPrefix=oai_dc&from={TODAY}", lists="oai"),
        ask(f"/oai?verb=ListRecords&metadataPrefix=opis&from={TODAY}", lists="oai"),
        ask("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:testserver:{id}"),
        ask("/oai?verb=ListMetadataFormats&identifier=oai:testserver:{id}"),
    ],
    ("accounts/login/", "login"): [ask("/accounts/login/")],
    ("accounts/logout/", "logout"): [Ask("POST", "/accounts/logout/")],
    ("me/", "workspace"): [ask("/me/")],
    ("me/searches", "search-save"): [Ask("POST", "/me/searches")],
    ("me/searches/<int:search_id>/delete", "search-delete"): [
        Ask("POST", "/me/searches/999/delete")
    ],
    ("me/folders", "folder-new"): [Ask("POST", "/me/folders")],
    ("me/folders/<int:folder_id>/add", "folder-add"): [Ask("POST", "/me/folders/999/add")],
    ("me/folders/<int:folder_id>/remove", "folder-remove"): [Ask("POST", "/me/folders/999/remove")],
    ("staff/audit", "audit"): [ask("/staff/audit")],
    ("staff/review", "review"): [ask("/staff/review")],
    ("staff/review/<int:item_id>", "review-settle"): [Ask("POST", "/staff/review/999")],
    ("staff/people", "people-merges"): [ask("/staff/people")],
    ("staff/people/merge", "people-merge"): [Ask("POST", "/staff/people/merge")],
    ("staff/people/split", "people-split"): [Ask("POST", "/staff/people/split")],
    ("staff/people/names", "people-names"): [Ask("POST", "/staff/people/names")],
    ("staff/people/names/<int:name_id>/remove", "people-name-remove"): [
        Ask("POST", "/staff/people/names/999/remove")
    ],
    ("staff/corrections", "corrections"): [ask("/staff/corrections")],
    ("staff/corrections/<int:correction_id>", "decide"): [Ask("POST", "/staff/corrections/999")],
    ("^static/(?P<path>.+)$", "static"): [ask("/static/opis/opis.css")],
    ("favicon.ico", None): [ask("/favicon.ico")],
    ("robots.txt", "robots"): [ask("/robots.txt")],
    ("sitemap.xml", "sitemap"): [ask("/sitemap.xml")],
    ("sitemap-<slug:section>.xml", "sitemap-section"): [
        ask("/sitemap-documents.xml", lists="public"),
        ask("/sitemap-collections.xml"),
        ask("/sitemap-pages.xml"),
    ],
}
# The Django admin's own patterns (one per model it manages): asked with their parameters filled
# by name (``ADMIN_PARAMETERS``); it manages no records, so it must show none of them.
ADMIN_PARAMETERS = {
    "object_id": "1", "content_type_id": "1", "id": "1", "app_label": "records", "url": "x",
}  # fmt: skip


def url_patterns(patterns=None, prefix: str = ""):
    """Every pattern of the URLconf, included ones too, as (route, view name)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.name


def admin_path(route: str) -> str:
    """An admin route with its parameters filled: ``<path:object_id>`` → 1, regex groups too."""
    if route.startswith("admin/^"):  # the app index: admin/^(?P<app_label>auth|…)/$
        return "/admin/records/"
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ADMIN_PARAMETERS[m.group(1)], route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: ADMIN_PARAMETERS[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "")


def test_every_route_is_covered():
    """A new route needs a line in ROUTES (or is the admin's): nothing is left unasked."""
    enumerated = {(route, name) for route, name in url_patterns() if not route.startswith("admin/")}
    assert enumerated == set(ROUTES), (
        f"not covered: {sorted(enumerated - set(ROUTES), key=str)}; "
        f"gone: {sorted(set(ROUTES) - enumerated, key=str)}"
    )


@dataclass
class Probe:
    status: str
    id: str
    title: str
    sha256: str


@pytest.fixture
def probes(archive, isolated_index) -> dict[str, Probe]:
    """Five records of one collection, alone in their originals, one per status, undated (so
    they come first in date order) and titled with their word, the published one and the draft
    linked by a thread; the index rebuilt."""
    single = (
        archive.values("source_sha256").annotate(n=Count("pk")).filter(n=1).values("source_sha256")
    )
    chosen = list(
        archive.filter(source_sha256__in=single, collections__slug__startswith="dfat")
        .order_by("pk")
        .distinct()[:5]
    )
    assert len(chosen) == 5, "the session archive should hold a DFAT volume"
    today = timezone.localdate()
    # The rest of the archive changed yesterday, so a harvest "from today" lists only these five.
    yesterday = timezone.now() - timedelta(days=1)
    archive.exclude(pk__in=[d.pk for d in chosen]).update(updated_at=yesterday)
    found = {}
    for status, document in zip(STATUSES, chosen, strict=True):
        title = f"Accessprobe {WORDS[status]}"
        Document.objects.filter(pk=document.pk).update(title=title, date_start=None, date_end=None)
        name, _, when = status.partition("-")
        until = {"future": today + timedelta(days=30), "past": today - timedelta(days=1)}
        set_status(document.pk, name, until=until.get(when), reason="access matrix")
        found[status] = Probe(status, document.pk, title, document.source_sha256)
    # Thread links both ways between the published record and the draft: readers must not
    # follow them (the reference stays as written, unresolved).
    published, draft = found["published"].id, found["draft"].id
    ThreadLink.objects.create(source_id=published, position=90, target_id=draft, text="your 466")
    ThreadLink.objects.create(source_id=draft, position=90, target_id=published, text="my 12")
    reindex()
    return found


def users() -> dict[str, User | None]:
    made: dict[str, User | None] = {"anonymous": None}
    for role in (RESEARCHER, CURATOR, ADMIN):
        user = User.objects.create_user(f"matrix-{role}", password="not used")
        set_role(user, role, actor="test")
        made[role] = user
    return made


def fill(template: str, probe: Probe | None, context: dict) -> str:
    return template.format(
        id=probe.id if probe else NO_ID,
        sha=probe.sha256 if probe else NO_SHA,
        **context,
    )


def fetch(client, request: Ask, path: str):
    cache.clear()  # a full rate-limit budget for each request: limits are not what is tried here
    kwargs = {"content_type": "application/json", "HTTP_IF_MATCH": '"999"'}
    if request.method == "GET":
        response = client.get(path)
    else:
        response = getattr(client, request.method.lower())(path, request.body or "", **kwargs)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return response.status_code, body.decode("utf-8", "replace")


def readers_leaks(body: str, probes: dict[str, Probe], named: Probe | None) -> list[str]:
    """What of an unpublished record a reader's answer shows (the id the URL itself names, and
    OAI-PMH's deleted headers of withdrawn records, excepted)."""
    leaks = []
    for status in UNSEEN:
        probe = probes[status]
        if WORDS[status] in body:
            leaks.append(f"the title of the {status} record")
        shown = body.replace(named.id, "") if named is probe else body
        shown = shown.replace(named.sha256, "") if named is probe else shown
        if status == "withdrawn":  # harvesters learn it is gone: a deleted header names it
            shown = _without_deleted_headers(shown)
        if probe.id in shown:
            leaks.append(f"the id of the {status} record")
        if probe.sha256 in shown:
            leaks.append(f"the original of the {status} record")
    return leaks


def _without_deleted_headers(body: str) -> str:
    return re.sub(r'<header status="deleted">.*?</header>', "", body, flags=re.S)


def test_the_access_matrix(client, probes):
    """Every route × role × status; the figure tried is printed (-s) for the note."""
    accounts = users()
    context = {
        "slug": Document.objects.get(pk=probes["draft"].id).collections.first().slug,
        "today": timezone.now().strftime("%Y-%m-%d"),
        "person": _person([p.id for p in probes.values()]),
    }
    asks = [(route, request) for route, requests in ROUTES.items() for request in requests]
    asks += [
        (route, ask(admin_path(route[0])))
        for route in url_patterns()
        if route[0].startswith("admin/")
    ]
    failures, tried = [], 0
    for role in ROLES:
        client.logout()
        if accounts[role] is not None:
            client.force_login(accounts[role])
        staff = role in STAFF
        for route, request in asks:
            failures += _check(client, route, request, role, staff, probes, context)
            tried += len(STATUSES)
    routes = len(set(url_patterns()))
    print(f"access matrix: {routes} routes ({len(asks)} requests) × {len(ROLES)} roles × "
          f"{len(STATUSES)} statuses = {tried} checks")  # fmt: skip
    assert not failures, "\n".join(failures[:40])


def _check(client, route, request: Ask, role, staff, probes, context) -> list[str]:
    where = f"{role} {request.method} {request.path}"
    if not request.names:
        status, body = fetch(client, request, fill(request.path, None, context))
        if status >= 500:
            return [f"{where}: {status}"]
        problems = (
            [] if staff else [f"{where}: {leak}" for leak in readers_leaks(body, probes, None)]
        )
        if request.accounts_only and role == "anonymous":
            return problems + ([] if status == 302 else [f"{where}: {status}, not sent to sign in"])
        return problems + _listed(where, request, body, probes, staff)
    absent = fetch(client, request, fill(request.path, None, context))
    problems = []
    for name, probe in probes.items():
        status, body = fetch(client, request, fill(request.path, probe, context))
        seen = staff or name not in UNSEEN
        if status >= 500:
            problems.append(f"{where} [{name}]: {status}")
        elif not seen:
            problems += [f"{where} [{name}]: {leak}" for leak in readers_leaks(body, probes, probe)]
            if status != absent[0]:
                problems.append(f"{where} [{name}]: {status}, not {absent[0]} as for no record")
        elif request.staff_only and not staff:
            continue  # refused whatever the record: the unseen ones above answer alike
        elif request.found and request.method == "GET":
            if status != 200 and "GetRecord" not in request.path:
                problems.append(f"{where} [{name}]: {status} for a record it may see")
        elif request.accounts_only and role == "anonymous":
            if status != 302:  # sent to sign in, whatever the record
                problems.append(f"{where} [{name}]: {status}, not sent to sign in")
        elif not request.found and (status, body.replace(probe.id, NO_ID)) == absent:
            problems.append(f"{where} [{name}]: answered as for no record")
    return problems


def _listed(where, request: Ask, body: str, probes, staff) -> list[str]:
    """A listing shows readers the records they may see, and staff every record."""
    if not request.lists or (request.lists == "staff" and not staff):
        return []
    expected = STATUSES if staff and request.lists in ("readers", "staff") else ()
    if not expected:
        expected = tuple(s for s in STATUSES if s not in UNSEEN)
    if request.lists == "oai":  # a harvest: the public ones, and the withdrawn one as deleted
        expected = ("published", "embargoed-past", "withdrawn")
    problems = []
    for status in expected:
        probe = probes[status]
        if probe.id not in body and WORDS[status] not in body:
            problems.append(f"{where}: the {status} record is missing")
    if request.lists == "oai" and probes["withdrawn"].id in _without_deleted_headers(body):
        problems.append(f"{where}: the withdrawn record is not marked deleted")
    return problems


def _person(ids: list[str]) -> str:
    linked = AgentRole.objects.exclude(agent__person_id="").values_list(
        "agent__person_id", flat=True
    )
    return linked.filter(document_id__in=ids).first() or linked.first() or "nobody"
