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

from .protocol import OAIError

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
    """The state a token carries, or badResumptionToken saying why it cannot be used."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=LIFETIME)
    except signing.SignatureExpired:
        raise _bad(f"has expired (tokens last {LIFETIME}); start the list again") from None
    except signing.BadSignature:
        raise _bad("was not issued by this repository or was altered") from None
    try:
        resumption = Resumption(
            verb=payload["v"],
            arguments={k: str(v) for k, v in payload["a"].items() if k in LIST_ARGUMENTS},
            after=(datetime.fromisoformat(payload["k"][0]), str(payload["k"][1])),
            cursor=int(payload["c"]),
        )
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        raise _bad("does not hold a list position") from None
    if resumption.verb != verb:
        raise _bad(f"continues {resumption.verb}, not {verb}; send it with verb={resumption.verb}")
    return resumption


def _bad(why: str) -> OAIError:
    return OAIError("badResumptionToken", f"this resumptionToken {why}")
