"""Resumption tokens: the state of a list request, handed to the harvester and signed.

A token carries everything needed to serve the next page, so the server keeps no harvest state:
the verb, the original arguments (metadataPrefix, from, until, set), the keyset cursor (the
datestamp and id of the last record served) and how many records were served before. It is signed
with ``django.core.signing`` (the site's SECRET_KEY, a salt of its own) and expires after
``LIFETIME``: a changed, truncated or stale token is refused with badResumptionToken, never
trusted.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing

from .protocol import OAIError, parse_bound

SALT = "opis.oai.resumption"
LIFETIME = timedelta(hours=24)
LIST_ARGUMENTS = ("metadataPrefix", "from", "until", "set")


@dataclass(frozen=True)
class Resumption:
    verb: str
    arguments: dict[str, str]  # the list request's own arguments, as first given
    after: tuple[datetime, str]  # (datestamp, id) of the last record served
    cursor: int  # records served before the page this token asks for


def issue(resumption: Resumption) -> tuple[str, datetime]:
    """The token for the next page and the moment it expires."""
    stamp, last_id = resumption.after
    payload = {
        "v": resumption.verb,
        "a": {k: v for k, v in resumption.arguments.items() if k in LIST_ARGUMENTS},
        "k": [stamp.astimezone(UTC).isoformat(), last_id],
        "c": resumption.cursor,
    }
    token = signing.dumps(payload, salt=SALT, compress=True)
    return token, datetime.now(UTC) + LIFETIME


def redeem(token: str, verb: str) -> Resumption:
    """The state a token carries, or badResumptionToken saying why it cannot be used.

    Every field is checked as if the token were forged: a server left on the published default
    SECRET_KEY signs for anyone, and a harvester must get badResumptionToken, never a 500."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LIFETIME)
    except signing.SignatureExpired:
        raise _bad(f"has expired (tokens last {LIFETIME}); start the list again") from None
    except (signing.BadSignature, ValueError):  # ValueError: signed, but not JSON we can read
        raise _bad("was not issued by this repository or was altered") from None
    resumption = _resumption(payload)
    if resumption is None:
        raise _bad("does not hold a list position; start the list again without it")
    if resumption.verb != verb:
        raise _bad(f"continues {resumption.verb}, not {verb}; send it with verb={resumption.verb}")
    return resumption


MAX_CURSOR = 10**9
MAX_TEXT = 1000  # characters in an argument or an id


def _resumption(payload) -> Resumption | None:
    """The payload as a Resumption if each field has the type and range ``issue`` gives it."""
    if not isinstance(payload, dict):
        return None
    verb, arguments, key, cursor = (payload.get(name) for name in ("v", "a", "k", "c"))
    if not (
        verb in ("ListIdentifiers", "ListRecords")
        and isinstance(arguments, dict)
        and "metadataPrefix" in arguments
        and all(k in LIST_ARGUMENTS and _is_text(v) for k, v in arguments.items())
        and isinstance(key, list)
        and len(key) == 2
        and all(_is_text(part) for part in key)
        and type(cursor) is int
        and 0 <= cursor <= MAX_CURSOR
    ):
        return None
    try:
        stamp = datetime.fromisoformat(key[0])
        for name in ("from", "until"):
            if name in arguments:
                parse_bound(name, arguments[name])
    except (ValueError, OAIError):
        return None
    if stamp.tzinfo is None:
        return None
    return Resumption(verb=verb, arguments=dict(arguments), after=(stamp, key[1]), cursor=cursor)


def _is_text(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _bad(why: str) -> OAIError:
    return OAIError("badResumptionToken", f"this resumptionToken {why}")
