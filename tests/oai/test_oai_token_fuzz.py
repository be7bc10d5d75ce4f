"""Resumption tokens as an attacker would send them (issue 10): damaged, random, or signed with the
server's key but holding what no list issues. Each is answered badResumptionToken in an ordinary
OAI-PMH response, never a 500."""

import random
import string

import pytest
from django.core import signing
from oai_rules import check_response, error_code

from opis.oai import tokens

BASE = "http://testserver/oai"
GENUINE = {
    "v": "ListIdentifiers",
    "a": {"metadataPrefix": "oai_dc"},
    "k": ["2000-01-01T00:00:00+00:00", "a"],
    "c": 7,
}
HUGE = 10**30
FORGED = {  # field: values a forger might sign in its place
    "v": [None, 5, "Identify", "GetRecord", ["ListRecords"]],
    "a": [None, [], "oai_dc", {}, {"metadataPrefix": 5}, {"metadataPrefix": None},
          {"metadataPrefix": "oai_dc", "set": ["x"]}, {"metadataPrefix": "oai_dc", "from": "soon"},
          {"metadataPrefix": "oai_dc", "until": "2000-13-45"}, {"metadataPrefix": "x" * 100_000},
          {"metadataPrefix": "oai_dc", "resumptionToken": "x"}],
    "k": [None, "2000", [], ["2000-01-01T00:00:00+00:00"], ["not a date", "a"],
          ["2000-01-01T00:00:00", "a"], [5, "a"], ["2000-01-01T00:00:00+00:00", 5],
          ["2000-01-01T00:00:00+00:00", None], ["2000-01-01T00:00:00+00:00", "a", "b"],
          ["99999-01-01T00:00:00+00:00", "a"], ["2000-01-01T00:00:00+00:00", "x" * 100_000]],
    "c": [None, -1, HUGE, -HUGE, 1.5, "7", True, [7]],
}  # fmt: skip


def forged_payloads():
    yield "not a dict", [GENUINE]
    yield "empty", {}
    for key in GENUINE:
        yield f"no {key}", {k: v for k, v in GENUINE.items() if k != key}
    for key, values in FORGED.items():
        for value in values:
            yield f"{key}={value!r:.40}", {**GENUINE, key: value}


def damaged(token: str, rng: random.Random):
    for cut in sorted({1, 5, len(token) // 2, len(token) - 1, *rng.sample(range(len(token)), 5)}):
        yield token[:cut]
    for _ in range(20):
        at = rng.randrange(len(token))
        yield token[:at] + chr(ord(token[at]) ^ (1 << rng.randrange(7))) + token[at + 1 :]
    yield token + "A"
    for size in (1, 10, 60, 500):
        yield "".join(rng.choice(string.printable) for _ in range(size))
        yield rng.randbytes(size).decode("latin-1")


def answer(client, token: str, verb: str = "ListIdentifiers") -> str | None:
    arguments = {"verb": verb, "resumptionToken": token}
    response = client.get("/oai", arguments)
    assert response.status_code == 200
    return error_code(check_response(response.content, BASE, arguments))


def test_a_genuine_token_is_taken(client, archive):
    token = signing.dumps(GENUINE, salt=tokens.SALT, compress=True)
    assert answer(client, token) is None


@pytest.mark.parametrize(("why", "payload"), list(forged_payloads()), ids=lambda v: str(v)[:40])
def test_a_signed_token_holding_what_no_list_issues_is_refused(client, archive, why, payload):
    token = signing.dumps(payload, salt=tokens.SALT, compress=True)
    assert answer(client, token) == "badResumptionToken", why


def test_a_damaged_or_random_token_is_refused(client, archive):
    token = signing.dumps(GENUINE, salt=tokens.SALT, compress=True)
    rng = random.Random("oai token")
    for bad in damaged(token, rng):
        code = answer(client, bad)
        if any(not ch.isprintable() for ch in bad):  # no argument may hold control characters
            assert code in ("badArgument", "badResumptionToken"), repr(bad)
        else:
            assert code == "badResumptionToken", bad
