"""Secure by default: headers on every response, a clean ``check --deploy`` under OPIS_HTTPS=1,
source URLs that are links only when http(s), and source paths that name no server folder to
readers."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth.models import User

from conftest import ROOT, SEED_ID
from opis.ingest import ingest_paths
from opis.records.accounts import CURATOR, set_role
from opis.records.models import Document
from opis.records.provenance import relative_path, web_link
from opis.records.serialize import document_json, load_document

STRONG_KEY = "Zq8v-3kLr_P0s9mW2xT7bN4cY6hJ1fD5gS8aQ0eR3uI7oK2lM9nB4vC6xZ1" * 2
DANGEROUS_URLS = [
    "javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "file:///etc/passwd", "vbscript:msgbox(1)",
    "ftp://example.org/file", "//evil.example/x", "http://", "https://ex\nample.org/",
    "https://example.org/<script>", "javascript&colon;alert(1)",
]  # fmt: skip


def django_in_subprocess(code: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OPIS_")}
    env |= {"DJANGO_SETTINGS_MODULE": "opis.settings", "PYTHONWARNINGS": "ignore", **environment}
    program = f"import django; django.setup()\n{code}"
    return subprocess.run([sys.executable, "-c", program], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


DEPLOY_CHECK = (
    "from django.core.management import call_command\n"
    "call_command('check', deploy=True, fail_level='WARNING')\n"
)


def test_check_deploy_is_clean_under_opis_https(tmp_path):
    served = django_in_subprocess(
        DEPLOY_CHECK, OPIS_HTTPS="1", OPIS_SECRET_KEY=STRONG_KEY, OPIS_DATA=str(tmp_path),
        OPIS_ALLOWED_HOSTS="archive.example.org",
    )  # fmt: skip
    assert served.returncode == 0, served.stderr
    assert "System check identified no issues" in served.stdout + served.stderr
    plain = django_in_subprocess(DEPLOY_CHECK, OPIS_SECRET_KEY=STRONG_KEY, OPIS_DATA=str(tmp_path))
    assert plain.returncode != 0 and "SECURE_HSTS_SECONDS" in plain.stderr, "the check has teeth"


@pytest.mark.parametrize("trusted", ["0", "1"])
def test_the_proxy_header_is_believed_only_behind_a_trusted_proxy(tmp_path, trusted):
    shown = django_in_subprocess(
        "from django.conf import settings as s; import json\n"
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_PROXY_SSL_HEADER]))",
        OPIS_HTTPS="1", OPIS_TRUST_X_FORWARDED_FOR=trusted, OPIS_DATA=str(tmp_path),
        OPIS_SECRET_KEY=STRONG_KEY,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    proxy = ["HTTP_X_FORWARDED_PROTO", "https"] if trusted == "1" else None
    assert json.loads(shown.stdout) == [True, 31_536_000, True, True, True, proxy]


@pytest.mark.parametrize("url", [
    "/", "/search?q=stalin", "/api/collections", "/no-such-page", "/accounts/login/",
    "/oai?verb=Identify", f"/documents/{SEED_ID}",
])  # fmt: skip
def test_every_response_has_a_permissions_policy(archive, client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize("url", DANGEROUS_URLS)
def test_only_http_addresses_are_links(url):
    assert web_link(url) == ""


@pytest.mark.parametrize("url", ["https://digitalarchive.wilsoncenter.org/document/110692",
                                 "http://example.org/a?b=c&d=e#f"])  # fmt: skip
def test_http_addresses_are_links(url):
    assert web_link(url) == url


def write_export(path, records: list[dict]) -> None:
    lines = [{"opis_export": 1}, *records, {"opis_export_end": 1, "count": len(records)}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def test_ingest_keeps_a_non_http_source_url_as_text_not_as_a_link(archive, client, tmp_path,
                                                                   isolated_index):  # fmt: skip
    seed = document_json(load_document(SEED_ID))
    records = [{**seed, "id": f"unsafe-url-{n}", "source_url": url, "notes": []}
               for n, url in enumerate(DANGEROUS_URLS)]  # fmt: skip
    write_export(tmp_path / "unsafe.jsonl", records)
    report = ingest_paths([tmp_path / "unsafe.jsonl"])
    assert report.ok, [str(f) for f in report.failed]
    for number in range(len(DANGEROUS_URLS)):  # a link in none of: catalogue, page, API, OAI
        document = Document.objects.get(pk=f"unsafe-url-{number}")
        assert document.source_url == ""
        assert any("not as a link" in note and "http" in note for note in document.notes)
        page = client.get(f"/documents/{document.pk}").content.decode()
        assert 'href="javascript' not in page.lower() and 'href="data:' not in page.lower()
        assert client.get(f"/api/documents/{document.pk}").json()["source_url"] is None
        oai = client.get("/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                  "identifier": f"oai:testserver:{document.pk}"})  # fmt: skip
        assert oai.status_code == 200
        relations = re.findall(r"<dc:relation>(.*?)</dc:relation>", oai.content.decode(), re.S)
        assert relations and not [r for r in relations if ":" in r and not web_link(r)]


def test_a_record_stored_with_a_bad_url_is_never_handed_out_as_a_link(archive, client):
    Document.objects.filter(pk=SEED_ID).update(source_url="javascript:alert(1)")
    page = client.get(f"/documents/{SEED_ID}").content.decode()
    assert 'href="javascript' not in page and "not an http(s) address" in page
    assert document_json(load_document(SEED_ID))["source_url"] is None


@pytest.mark.parametrize(
    ("path", "roots", "shown"),
    [
        ("/srv/ana/corpora/dfat/v1/12.md", ["/srv/ana/corpora/dfat"], "v1/12.md"),
        ("/srv/ana/seed/a.md", ["/srv/ana/seed/a.md"], "a.md"),
        ("/srv/ana/seed/a.md", ["/srv", "/srv/ana/seed"], "a.md"),
        ("/elsewhere/b.md", ["/srv/ana"], "b.md"),
    ],
)  # fmt: skip
def test_a_source_path_is_shown_relative_to_what_was_ingested(path, roots, shown):
    assert relative_path(path, roots) == shown


def test_readers_see_a_relative_source_path_and_staff_the_whole_one(archive, client):
    document = Document.objects.exclude(pk=SEED_ID).exclude(collections=None).first()
    whole = document.source_path
    assert whole.startswith("/")
    shown = client.get(f"/api/documents/{document.pk}").json()["source"]["path"]
    assert not shown.startswith("/") and whole.endswith("/" + shown)
    page = client.get(f"/documents/{document.pk}").content.decode()
    assert whole not in page and f"<code>{shown}</code>" in page

    curator = User.objects.create_user("cura", password="a long pass phrase for tests")
    set_role(curator, CURATOR)
    client.force_login(curator)
    assert client.get(f"/api/documents/{document.pk}").json()["source"]["path"] == whole
    assert f"<code>{whole}</code>" in client.get(f"/documents/{document.pk}").content.decode()


def test_a_readers_download_names_no_server_folder(archive, researcher_client):
    body = b"".join(
        researcher_client.get("/export/search.jsonl", {"q": "Stalin"}).streaming_content
    )
    records = [json.loads(line) for line in body.decode().splitlines()][1:-1]
    assert records and all("source" in r for r in records)
    assert not [r["source"]["path"] for r in records if r["source"]["path"].startswith("/")]
