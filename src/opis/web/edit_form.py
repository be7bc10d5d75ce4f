"""The reading room's edit form: a record's JSON as form fields, and the form back as changes.

Structured parts are rows of numbered fields (``loc-0-fond``, ``agent-1-role``,
``text-2-body``); a blank row is no row, so a row is removed by emptying it and added by filling
the blank one at the end. What the form does not show (a text's page breaks, how it was read)
is carried over from the record by position.
"""

from django.http import QueryDict

from opis.curate.fields import AGENT_KINDS, AGENT_ROLES, PRECISIONS, TEXT_ROLES
from opis.records.serialize import LOCATION_PARTS

PLAIN = ("title", "doc_type", "doc_number", "classification", "dateline", "signed")
AGENT_PARTS = ("name", "kind", "role", "signed_as", "count")
TEXT_PARTS = ("language", "role", "label", "body")
CHOICES = {"precisions": PRECISIONS, "agent_roles": AGENT_ROLES, "agent_kinds": AGENT_KINDS,
           "text_roles": TEXT_ROLES}  # fmt: skip


def form_values(record: dict) -> dict:
    """What the form shows for a record (each list with one blank row to add)."""
    date = record["date"]
    return {
        **{name: record[name] or "" for name in (*PLAIN, "summary")},
        "date_start": date["start"] or "",
        "date_end": date["end"] or "",
        "date_precision": date["precision"],
        "date_display": date["display"] or "",
        "original_languages": ", ".join(record["original_languages"]),
        "notes": "\n".join(record["notes"]),
        "locations": [_row(loc, ("raw", *LOCATION_PARTS)) for loc in record["locations"]]
        + [_row({}, ("raw", *LOCATION_PARTS))],
        "agents": [_row(a, AGENT_PARTS) for a in record["agents"]] + [_row({}, AGENT_PARTS)],
        "texts": [_row(t, TEXT_PARTS) for t in record["texts"]] + [_row({}, TEXT_PARTS)],
    }


def posted_values(post: QueryDict) -> dict:
    """The form as posted, in ``form_values``' shape (to show it again after an error)."""
    return {
        **{name: post.get(name, "") for name in (*PLAIN, "summary", "original_languages", "notes")},
        **{
            f"date_{part}": post.get(f"date_{part}", "")
            for part in ("start", "end", "precision", "display")
        },
        "locations": _rows(post, "loc", ("raw", *LOCATION_PARTS), keep_blank=True),
        "agents": _rows(post, "agent", AGENT_PARTS, keep_blank=True),
        "texts": _rows(post, "text", TEXT_PARTS, keep_blank=True),
    }


def changes_from(post: QueryDict, record: dict) -> dict:
    """The posted form as changes in the JSON contract's form (``curate.fields`` checks them)."""
    changes: dict = {name: post.get(name, "") for name in (*PLAIN, "summary")}
    changes["date"] = {
        "start": post.get("date_start") or None,
        "end": post.get("date_end") or None,
        "precision": post.get("date_precision") or None,
        "display": post.get("date_display") or None,
    }
    changes["original_languages"] = _split(post.get("original_languages", ""), ",")
    changes["notes"] = _split(post.get("notes", ""), "\n")
    changes["locations"] = _rows(post, "loc", ("raw", *LOCATION_PARTS))
    changes["agents"] = [
        {**row, "count": _count(row.get("count"))} for row in _rows(post, "agent", AGENT_PARTS)
    ]
    texts = []
    for row in _rows(post, "text", (*TEXT_PARTS, "n")):
        kept = _kept_text(record["texts"], row.pop("n"), row["body"])
        texts.append({**row, **kept, "body": row["body"]})
    changes["texts"] = texts
    return changes


def _row(values: dict, parts: tuple[str, ...]) -> dict:
    return {part: "" if values.get(part) is None else values[part] for part in parts}


def _rows(post: QueryDict, prefix: str, parts: tuple[str, ...], keep_blank: bool = False) -> list:
    numbers = sorted({int(key.split("-")[1]) for key in post if key.startswith(f"{prefix}-")
                      and key.count("-") >= 2 and key.split("-")[1].isdigit()})  # fmt: skip
    rows = []
    for n in numbers:
        row = {part: post.get(f"{prefix}-{n}-{part}", "") for part in parts}
        filled = any(v.strip() for k, v in row.items() if k not in ("kind", "role", "n"))
        if filled or keep_blank:
            rows.append(row)
    return rows


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def _count(raw) -> int | str | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else (raw or None)


def _kept_text(texts: list[dict], number: str, body: str) -> dict:
    """What the form does not show of text ``number``: its page breaks (while they still fall
    inside its body), how it was read and with what confidence."""
    if not number.isdigit() or int(number) >= len(texts):
        return {}
    text = texts[int(number)]
    pages = [p for p in text.get("pages") or [] if p.get("offset", 0) <= len(body)]
    return {"pages": pages, "method": text.get("method"), "confidence": text.get("confidence")}
