"""What a curator may send for each field, checked before anything is written.

Fields are named as in the JSON contract (``records.serialize``); each value is brought to the
contract's own form (blank text is null, dates are YYYY-MM-DD) so that "unchanged" is exact.
Every refusal is a ``BadEdit`` naming the field, the rule and what to send instead.
"""

from datetime import date

from opis.errors import BadEdit
from opis.ingest.curation import CURATED_FIELDS, LIST_FIELDS, TEXT_FIELDS
from opis.records.models import Agent, AgentRoleKind, DatePrecision, TextRole
from opis.records.serialize import LOCATION_PARTS

STATUS_FIELDS = ("status", "embargo_until")
EDITABLE = (*CURATED_FIELDS, *STATUS_FIELDS)
PRECISIONS = tuple(p.value for p in DatePrecision)
AGENT_ROLES = tuple(r.value for r in AgentRoleKind)
AGENT_KINDS = tuple(k.value for k in Agent.Kind)
TEXT_ROLES = tuple(r.value for r in TextRole)


def checked(changes: dict) -> dict:
    """``changes`` in the contract's form, or BadEdit naming the first field that is wrong."""
    unknown = [name for name in changes if name not in EDITABLE]
    if unknown:
        raise BadEdit(
            f"is not a field a curator can set; send any of {', '.join(EDITABLE)}", unknown[0]
        )
    return {name: _CHECKS[name](name, value) for name, value in changes.items()}


def _text(name: str, value, required: bool = False, limit: int | None = None) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise BadEdit(f"must be text, not {type(value).__name__}", name)
    value = value.strip()
    if required and not value:
        raise BadEdit("must not be empty", name)
    if limit and len(value) > limit:
        raise BadEdit(f"is {len(value)} characters; at most {limit}", name)
    return value or None


def _title(name: str, value) -> str:
    return _text(name, value, required=True) or ""


def _plain(name: str, value) -> str | None:
    return _text(name, value)


def _day(name: str, value) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise BadEdit(f"{value!r} is not a date (expected YYYY-MM-DD)", name) from None


def _date(name: str, value) -> dict:
    value = _object(name, value, ("start", "end", "precision", "display"))
    start, end = _day(f"{name}.start", value.get("start")), _day(f"{name}.end", value.get("end"))
    if start and end and end < start:
        raise BadEdit(f"ends ({end}) before it starts ({start})", name)
    precision = value.get("precision") or ("day" if start else "unknown")
    if precision not in PRECISIONS:
        raise BadEdit(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}", name)
    if precision != "unknown" and start is None:
        raise BadEdit(f"precision {precision!r} needs a start day (or precision unknown)", name)
    return {
        "start": start,
        "end": end or start,
        "precision": precision,
        "display": _text(f"{name}.display", value.get("display"), limit=200),
    }


def _object(name: str, value, keys: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise BadEdit(f"must be an object with {', '.join(keys)}", name)
    extra = [key for key in value if key not in keys]
    if extra:
        raise BadEdit(f"has no part {extra[0]!r}; its parts are {', '.join(keys)}", name)
    return value


def _list(name: str, value) -> list:
    if not isinstance(value, list):
        raise BadEdit("must be a list", name)
    return value


def _words(name: str, value) -> list[str]:
    return [
        _text(f"{name}[{i}]", item, required=True) or ""
        for i, item in enumerate(_list(name, value))
    ]


def _locations(name: str, value) -> list[dict]:
    rows = []
    for i, row in enumerate(_list(name, value)):
        where = f"{name}[{i}]"
        row = _object(where, row, (*LOCATION_PARTS, "raw"))
        parts = {part: _text(f"{where}.{part}", row.get(part)) for part in LOCATION_PARTS}
        raw = _text(f"{where}.raw", row.get("raw")) or ", ".join(p for p in parts.values() if p)
        if not raw:
            raise BadEdit("needs a repository or the location as written (raw)", where)
        rows.append({**parts, "raw": raw})
    return rows


def _agents(name: str, value) -> list[dict]:
    rows = []
    keys = ("name", "kind", "person_id", "role", "signed_as", "count")
    for i, row in enumerate(_list(name, value)):
        where = f"{name}[{i}]"
        row = _object(where, row, keys)
        role, kind = row.get("role"), row.get("kind") or "person"
        if role not in AGENT_ROLES:
            raise BadEdit(f"role {role!r} is not one of {', '.join(AGENT_ROLES)}", where)
        if kind not in AGENT_KINDS:
            raise BadEdit(f"kind {kind!r} is not one of {', '.join(AGENT_KINDS)}", where)
        count = row.get("count")
        if count is not None and (not isinstance(count, int) or count < 0):
            raise BadEdit("count must be a whole number of copies, or null", where)
        rows.append(
            {
                "name": _text(f"{where}.name", row.get("name"), required=True, limit=300),
                "kind": kind,
                "person_id": None,  # derived from the authority when written
                "role": role,
                "signed_as": _text(f"{where}.signed_as", row.get("signed_as"), limit=300),
                "count": count,
            }
        )
    return rows


def _texts(name: str, value) -> list[dict]:
    rows = []
    keys = ("body", "language", "role", "label", "pages", "method", "confidence")
    for i, row in enumerate(_list(name, value)):
        where = f"{name}[{i}]"
        row = _object(where, row, keys)
        role = row.get("role") or "original"
        if role not in TEXT_ROLES:
            raise BadEdit(f"role {role!r} is not one of {', '.join(TEXT_ROLES)}", where)
        body = row.get("body")
        if not isinstance(body, str) or not body.strip():
            raise BadEdit("body must be the text, not empty", where)
        pages = row.get("pages") or []
        if not isinstance(pages, list) or not all(isinstance(p, dict) for p in pages):
            raise BadEdit("pages must be a list of page breaks", where)
        confidence = row.get("confidence")
        if confidence is not None and not isinstance(confidence, int | float):
            raise BadEdit("confidence must be a number, or null", where)
        rows.append(
            {
                "language": _text(f"{where}.language", row.get("language"), limit=10),
                "role": role,
                "label": _text(f"{where}.label", row.get("label"), limit=200),
                "body": body,
                "pages": pages,
                "method": _text(f"{where}.method", row.get("method"), limit=20),
                "confidence": confidence,
            }
        )
    return rows


def _status(name: str, value) -> str:
    return _text(name, value, required=True) or ""


_CHECKS = {
    "title": _title,
    **dict.fromkeys(TEXT_FIELDS[1:], _plain),
    "date": _date,
    "original_languages": _words,
    "notes": _words,
    "locations": _locations,
    "agents": _agents,
    "texts": _texts,
    "status": _status,
    "embargo_until": _day,
}
assert set(_CHECKS) == set(EDITABLE) and set(LIST_FIELDS) <= set(_CHECKS)
