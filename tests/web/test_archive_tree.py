"""The archive tree: /archives/ from repository to delo (or series to file), with counts and
spans that agree with the catalogue, its JSON beside it, and nothing of a draft for readers."""

import pytest
from django.contrib.auth.models import User
from django.db.models import Count

from conftest import SEED_ID
from opis.records.accounts import CURATOR, set_role
from opis.records.models import ArchivalLocation, Document
from opis.records.publication import set_status

APRF_DELO = "/archives/APRF?fond=45&opis=1&delo=331"


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_archives_list_every_repository_with_its_count(client, archive):
    body = page(client, "/archives/")
    for repository in ("APRF", "AVP RF", "RGASPI"):
        assert f"/archives/{repository.replace(' ', '%20')}" in body
    naa = ArchivalLocation.objects.filter(repository="NAA").aggregate(
        n=Count("document", distinct=True)
    )["n"]
    assert naa > 100
    data = client.get("/api/archives/").json()
    counts = {r["value"]: r["documents"] for r in data["repositories"]}
    assert counts["National Archives of Australia"] == naa
    assert counts["Archive of the President of the Russian Federation"] == 1


@pytest.mark.parametrize(
    ("url", "child", "heading"),
    [
        ("/archives/APRF", "Fond 45", "Archive of the President of the Russian Federation"),
        ("/archives/APRF?fond=45", "Opis 1", "Fond 45"),
        ("/archives/APRF?fond=45&opis=1", "Delo 331", "Opis 1"),
        ("/archives/AVP%20RF?fond=059a&opis=5a", "Delo 3", "Opis 5a"),
    ],
)
def test_each_level_of_a_soviet_archive_leads_down_to_the_seed(
    client, archive, url, child, heading
):
    body = page(client, url)
    assert f"<h1>{heading}</h1>" in body
    assert child in body
    assert f"/documents/{SEED_ID}" in body  # every level lists the documents below it
    if "fond=45" in url and "opis" not in url:  # and where each lies below it, to the folio
        assert "op. 1, d. 331, l. 85" in body


def test_the_delo_lists_the_seed_and_links_back_up(client, archive):
    body = page(client, APRF_DELO)
    assert "<h1>Delo 331</h1>" in body
    assert f"/documents/{SEED_ID}" in body
    assert 'href="/archives/APRF?fond=45&amp;opis=1"' in body  # the breadcrumb up to the opis
    assert "1 document" in body and "1950" in body


def test_the_document_page_links_each_location_to_its_place(client, archive):
    body = page(client, f"/documents/{SEED_ID}")
    assert 'href="/archives/APRF?fond=45&amp;opis=1&amp;delo=331"' in body
    assert 'href="/archives/AVP%20RF?fond=059a&amp;opis=5a&amp;delo=3"' in body
    assert 'href="/archives/RGASPI?fond=558&amp;opis=11&amp;delo=334"' in body


def test_an_naa_series_counts_what_the_catalogue_holds(client, archive):
    """The busiest series: its count, its files' counts and its first page agree with the ORM."""
    top = (
        ArchivalLocation.objects.filter(repository="NAA")
        .values("series")
        .annotate(n=Count("document", distinct=True))
        .order_by("-n")
        .first()
    )
    data = client.get("/api/archives/NAA", {"series": top["series"]}).json()
    assert data["documents_total"] == top["n"]
    assert [step["label"] for step in data["path"]] == ["Series"]
    files = ArchivalLocation.objects.filter(repository="NAA", series=top["series"])
    for child in data["children"][:5]:
        expected = files.filter(control_symbol=child["value"]).values("document").distinct()
        assert child["documents"] == expected.count()
        assert child["label"] == "Control symbol"
    assert len(data["documents"]) == min(50, top["n"])
    body = page(client, f"/archives/NAA?series={top['series']}")
    assert f"{top['n']} documents" in body


def test_documents_are_paginated(client, archive):
    total = Document.objects.filter(locations__repository="NAA").distinct().count()
    last = (total + 49) // 50
    assert last > 1
    body = page(client, f"/archives/NAA?page={last}")
    assert 'aria-current="page">' + str(last) in body
    page(client, f"/archives/NAA?page={last + 1}", 400)


@pytest.mark.parametrize(
    "url",
    [
        "/archives/APRF?fond=45&delo=331&series=x",
        "/archives/APRF?folio=85",
        "/archives/APRF?page=0",
    ],
)
def test_a_path_that_is_no_path_is_refused_with_a_reason(client, archive, url):
    body = page(client, url, 400)
    assert "archive" in body.lower() or "page" in body.lower()


def test_no_such_place_is_a_404_naming_it(client, archive):
    assert "Fond 999" not in page(client, "/archives/APRF?fond=999", 404)
    assert client.get("/api/archives/Nowhere").json()["error"]["code"] == "not_found"


def test_a_draft_records_location_never_shows_to_readers(client, archive):
    set_status(SEED_ID, "draft", reason="tree test")
    assert "APRF" not in page(client, "/archives/")
    page(client, "/archives/APRF", 404)
    page(client, APRF_DELO, 404)
    assert client.get("/api/archives/APRF?fond=45").status_code == 404
    curator = User.objects.create_user("tree-curator", password="not used")
    set_role(curator, CURATOR, actor="test")
    client.force_login(curator)
    assert f"/documents/{SEED_ID}" in page(client, APRF_DELO)
