"""The audit trail: what is recorded (ingest runs, fixity checks, exports from the command line
and from /export/), who may read it (/staff/audit, the admin), and that nothing in the
application can change or delete an event."""

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User

from conftest import SEED
from opis.cli import main
from opis.ingest import ingest_paths
from opis.records.accounts import ADMIN, CURATOR, READER, RESEARCHER, set_role
from opis.records.audit import (
    ACTIONS,
    DISSEMINATION,
    FIXITY_CHECK,
    INGESTION,
    SUCCESS,
    record_event,
)  # fmt: skip
from opis.records.fixity import verify
from opis.records.models import AuditEvent


def account(name: str, role: str) -> User:
    user = User.objects.create_user(name, password="a long pass phrase for tests")
    set_role(user, role)
    return user


def latest(action: str) -> AuditEvent:
    found = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert found is not None, f"no {action} event"
    return found


def test_the_trail_cannot_be_changed_or_deleted(db):
    event = record_event("ana", DISSEMINATION, "export:jsonl", count=3)
    event.actor = "someone else"
    with pytest.raises(PermissionError, match="append-only"):
        event.save()
    with pytest.raises(PermissionError, match="append-only"):
        event.delete()
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(actor="someone else")
    with pytest.raises(PermissionError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).actor == "ana"


def test_an_unknown_action_is_refused(db):
    with pytest.raises(ValueError, match="not an audit action"):
        record_event("ana", "editing")


def test_every_ingest_run_is_recorded_with_its_counts(archive, isolated_index):
    session_run = AuditEvent.objects.filter(action=INGESTION).order_by("id").first()
    assert session_run.detail["ingested"] > 1 and session_run.outcome == SUCCESS
    report = ingest_paths([SEED], actor="ana")
    event = latest(INGESTION)
    assert event.actor == "ana" and event.object == f"ingest-run:{report.run_id}"
    assert event.detail["unchanged"] == 1 and event.detail["failed"] == 0
    assert event.detail["paths"] == [str(SEED)]


def test_a_fixity_check_is_recorded_with_its_outcome(archive):
    report = verify(actor="ana")
    event = latest(FIXITY_CHECK)
    assert (event.actor, event.outcome) == ("ana", "success" if report.ok else "failure")
    assert event.detail["checked"] == report.checked


def test_exports_are_recorded_from_the_command_line_and_the_web(
    archive, researcher_client, tmp_path
):
    result = CliRunner().invoke(
        main, ["export", "--format", "jsonl", "--query", "Stalin", "-o", str(tmp_path / "s.jsonl")]
    )
    assert result.exit_code == 0, result.output
    event = latest(DISSEMINATION)
    assert event.object == "export:jsonl" and event.detail["query"] == "Stalin"
    assert event.detail["count"] >= 1

    download = researcher_client.get("/export/search.csv", {"q": "Stalin"})
    b"".join(download.streaming_content)
    event = latest(DISSEMINATION)
    assert (event.actor, event.object, event.detail["via"]) == (
        "researcher-client",
        "export:csv",
        "download",
    )
    assert event.detail["count"] == int(download["X-Opis-Count"])


@pytest.mark.parametrize(("role", "status"), [(None, 302), (READER, 403), (RESEARCHER, 403),
                                              (CURATOR, 200), (ADMIN, 200)])  # fmt: skip
def test_the_staff_audit_page_is_for_curators(db, client, role, status):
    if role:
        client.force_login(account(f"someone-{role}", role))
    answer = client.get("/staff/audit")
    assert answer.status_code == status
    if status == 302:
        assert answer["Location"].startswith("/accounts/login/?next=/staff/audit")


def test_the_staff_audit_page_filters_and_pages(db, client):
    client.force_login(account("cura", CURATOR))
    for number in range(60):
        record_event("robot", DISSEMINATION, f"export:{number}")
    record_event("ana", FIXITY_CHECK, "originals", outcome="failure", missing=2)
    page = client.get("/staff/audit").content.decode()
    assert page.index("fixity check") < page.index("export:59"), "newest first"
    assert "export:9<" not in page and 'rel="next"' in page
    second = client.get("/staff/audit", {"page": 2}).content.decode()
    assert "export:9<" in second
    only = client.get("/staff/audit", {"action": FIXITY_CHECK}).context
    assert [e["actor"] for e in only["events"]] == ["ana"] and only["total"] == 1
    assert client.get("/staff/audit", {"actor": "robot"}).context["total"] == 60
    assert client.get("/staff/audit", {"since": "2999-01-01"}).context["total"] == 0
    assert client.get("/staff/audit", {"since": "last week"}).status_code == 400
    assert client.get("/staff/audit", {"action": "<script>"}).status_code == 400
    assert set(ACTIONS) <= set(client.get("/staff/audit").context["actions"])


def test_the_admin_shows_the_trail_read_only(db, client):
    event = record_event("ana", DISSEMINATION, "export:jsonl")
    client.force_login(account("root", ADMIN))
    base = "/admin/records/auditevent/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{event.pk}/delete/").status_code == 403
    shown = client.get(f"{base}{event.pk}/change/")
    assert shown.status_code == 200 and b'name="_save"' not in shown.content
    refused = client.post(f"{base}{event.pk}/change/", {"actor": "someone else"})
    assert refused.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).actor == "ana"

    client.force_login(account("cura", CURATOR))
    assert client.get(base).status_code == 200, "curators read it too"
    client.force_login(account("res", RESEARCHER))
    assert client.get(base).status_code == 302, "researchers are not staff"
