"""A document's thread as one chain: what it answers (and what that answered), the document
itself, then the replies to it (and the replies to those), each with its date and sender.

``records.threads`` keeps links one step at a time ("your 466" → cable 466). Read one step at a
time, a reader sees two unordered lists and must click through to learn whether cable 466 itself
answered something. Here the links are followed ``MAX_STEPS`` steps back and forward and the
documents found are put in date order, so the exchange reads top to bottom as it happened. What a
reader may not see is left out at every step (``visibility.hidden_ids``), as for the direct
links; a rejected link is never followed; a reference to a cable the archive lacks stays, as
written, at the head of the chain.
"""

from django.urls import reverse

from opis.records.models import AgentRole, Document, ThreadLink
from opis.records.visibility import hidden_ids
from opis.web import display

MAX_STEPS = 4  # links followed each way from the document
MAX_LINKS = 40  # documents shown each way, however large the exchange
SENDERS = ("signatory", "author")


def thread_chain(document: Document, threads: dict, staff: bool) -> dict:
    """``{earlier, here, later, unresolved}``; empty lists when the document has no thread."""
    said = {link["id"]: link["text"] for link in threads.get("refers_to", []) if link["id"]}
    said_to = {link["id"]: link["text"] for link in threads.get("referred_by", [])}
    earlier = _walk(set(said), "earlier", staff, {document.id})
    later = _walk(set(said_to), "later", staff, {document.id, *earlier})
    rows = _described([document.id, *earlier, *later])
    for doc_id, text in said.items():
        if doc_id in rows:
            rows[doc_id]["said"] = f"cited here as “{text}”"
    for doc_id, text in said_to.items():
        if doc_id in rows:
            rows[doc_id]["said"] = f"cites this document as “{text}”"
    return {
        "earlier": _in_order(rows, earlier),
        "here": rows.get(document.id),
        "later": _in_order(rows, later),
        "unresolved": [link["text"] for link in threads.get("refers_to", []) if not link["id"]],
    }


def _walk(start: set[str], direction: str, staff: bool, seen: set[str]) -> list[str]:
    """Documents reached from ``start`` following links back ("earlier") or forward ("later")."""
    shown = ThreadLink.objects.exclude(state=ThreadLink.State.REJECTED)
    found: list[str] = []
    frontier = start - seen
    for _ in range(MAX_STEPS):
        if not staff:
            frontier -= hidden_ids(frontier)
        frontier -= seen
        if not frontier or len(found) >= MAX_LINKS:
            break
        found += sorted(frontier)
        seen |= frontier
        if direction == "earlier":
            step = shown.filter(source_id__in=frontier, target_id__isnull=False)
            frontier = set(step.values_list("target_id", flat=True))
        else:
            step = shown.filter(target_id__in=frontier)
            frontier = set(step.values_list("source_id", flat=True))
    return found[:MAX_LINKS]


def _described(ids: list[str]) -> dict[str, dict]:
    """What a link in the chain shows: title, date (and its sort key), sender, URL."""
    senders: dict[str, str] = {}
    roles = AgentRole.objects.filter(document_id__in=ids, role__in=SENDERS).select_related("agent")
    for role in roles.order_by("position"):
        senders.setdefault(role.document_id, role.agent.name)
    documents = Document.objects.filter(id__in=ids).only(
        "id", "title", "date_start", "date_display", "cable"
    )
    rows = {}
    for d in documents:
        cable = d.cable or {}  # no stored sender: the header's signatory, else where it came from
        sender = senders.get(d.id) or cable.get("signatory") or cable.get("origin") or ""
        rows[d.id] = {
            "id": d.id,
            "title": d.title,
            "date": display.date_text(d),
            "sort": d.date_start.isoformat() if d.date_start else "9999",
            "sender": sender,
            "url": reverse("document", args=[d.id]),
            "said": "",
        }
    return rows


def _in_order(rows: dict[str, dict], ids: list[str]) -> list[dict]:
    return sorted((rows[i] for i in ids if i in rows), key=lambda r: (r["sort"], r["id"]))
