"""``opis users`` and ``opis audit`` as an administrator types them: accounts with a role (and a
curator's collections), passwords piped or made, tokens printed once and revoked, the trail."""

import json

import pytest
from click.testing import CliRunner
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from opis.cli import main
from opis.records.accounts import role_of, scope_of, user_for_token
from opis.records.models import Collection

PASSWORD = "correct horse battery staple"


def opis(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


@pytest.mark.parametrize("role", ["reader", "researcher", "curator", "admin"])
def test_users_add_with_a_piped_password(db, role):
    result = opis("users", "add", "ana", "--role", role, stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"account ana: {role}"
    assert PASSWORD not in result.output
    user = User.objects.get(username="ana")
    assert user.check_password(PASSWORD) and user.password.startswith("argon2")
    assert role_of(user) == role


def test_users_add_makes_a_password_and_prints_it_once(db):
    result = opis("users", "add", "ben")
    assert result.exit_code == 0, result.output
    made = result.output.split("password (shown once): ")[1].strip()
    assert len(made) >= 20 and User.objects.get(username="ben").check_password(made)


def test_a_weak_password_is_refused_and_nothing_is_made(db):
    result = opis("users", "add", "ana", stdin="secret\n")
    assert result.exit_code != 0
    assert "password for 'ana' was refused" in result.output and "too short" in result.output
    assert not User.objects.filter(username="ana").exists()


def test_a_curator_limited_to_collections(archive):
    slugs = list(Collection.objects.order_by("slug").values_list("slug", flat=True)[:2])
    result = opis("users", "add", "cura", "--role", "curator", "--collections", ",".join(slugs),
                  stdin=PASSWORD)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert scope_of(User.objects.get(username="cura")) == sorted(slugs)

    unknown = opis("users", "add", "cura2", "--role", "curator", "--collections", "no-such",
                   stdin=PASSWORD)  # fmt: skip
    assert unknown.exit_code != 0 and "no collection no-such" in unknown.output
    assert not User.objects.filter(username="cura2").exists(), "all or nothing"
    wrong_role = opis("users", "add", "res", "--collections", slugs[0], stdin=PASSWORD)
    assert wrong_role.exit_code != 0 and "--role curator" in wrong_role.output


def test_tokens_are_printed_once_and_revoked_together(db):
    opis("users", "add", "robot", "--role", "curator", stdin=PASSWORD)
    first, second = (opis("users", "token", "robot").output.strip() for _ in range(2))
    assert first != second and first.startswith("opis_")
    assert user_for_token(first) == user_for_token(second) == User.objects.get(username="robot")
    listed = json.loads(opis("users", "list", "--json").output)["users"]
    assert [(u["name"], u["role"], u["tokens"]) for u in listed] == [("robot", "curator", 2)]
    assert opis("users", "revoke", "robot").output.strip() == "revoked 2 token(s) of robot"
    assert user_for_token(first) is None and user_for_token(second) is None


def test_users_role_changes_the_role(db):
    opis("users", "add", "ana", stdin=PASSWORD)
    result = opis("users", "role", "ana", "admin")
    assert result.exit_code == 0 and result.output.strip() == "account ana: admin"
    assert role_of(User.objects.get(username="ana")) == "admin"
    assert "ana" in opis("users", "list").output


@pytest.mark.parametrize("verb", [["token"], ["revoke"], ["role", "reader"]])
def test_an_unknown_account_is_named_with_the_next_step(db, verb):
    result = opis("users", verb[0], "nobody", *verb[1:])
    assert result.exit_code != 0
    assert "no account 'nobody'" in result.output and "opis users add nobody" in result.output


def test_the_account_signs_in_with_its_password(db, rf):
    opis("users", "add", "ana", stdin=PASSWORD)
    assert authenticate(rf.post("/accounts/login/"), username="ana", password=PASSWORD)


def test_opis_audit_prints_what_was_done(db):
    opis("users", "add", "ana", "--role", "curator", stdin=PASSWORD)
    opis("users", "token", "ana")
    lines = opis("audit", "--json", "--action", "authorization").output.splitlines()
    events = [json.loads(line) for line in lines]
    assert [e["object"] for e in events] == ["user:ana", "user:ana"]
    assert events[0]["detail"]["role"] == "curator" and events[1]["detail"]["token"] == "created"
    assert "authorization" in opis("audit").output
    assert opis("audit", "--since", "2999-01-01").output == ""
    bad = opis("audit", "--since", "yesterday")
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
    wrong = opis("audit", "--action", "editing")
    assert wrong.exit_code != 0 and "fixity check" in wrong.output
