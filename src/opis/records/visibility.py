"""Who may see a record: readers see only what is published, or embargoed until a day that has
come; curators and admins see everything (with a badge saying what readers do not see).

Every place that lists, counts, serves or cites records for readers goes through here, so that
"not published" means invisible everywhere: pages, search, facets, counts, the API, OAI-PMH, the
sitemap, exports, citations, originals and page images.
"""

from datetime import UTC, date, datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from opis.records.accounts import CURATOR, has_role
from opis.records.models import Document, Status
from opis.records.provenance import readers_source
from opis.records.serialize import document_json, load_document, no_such_document


def today() -> date:
    return timezone.localdate()


def public_q(prefix: str = "") -> Q:
    """The condition for a record readers may see (``prefix`` for a related lookup)."""
    return Q(**{f"{prefix}status": Status.PUBLISHED}) | Q(
        **{f"{prefix}status": Status.EMBARGOED, f"{prefix}embargo_until__lte": today()}
    )


def sees_everything(user) -> bool:
    """Curators and admins see drafts, embargoed and withdrawn records."""
    return has_role(user, CURATOR)


def visible_documents(user=None, queryset: QuerySet[Document] | None = None) -> QuerySet[Document]:
    """The documents ``user`` may see (readers: the published ones)."""
    documents = Document.objects.all() if queryset is None else queryset
    return documents if sees_everything(user) else documents.filter(public_q())


def is_public(document: Document) -> bool:
    return status_is_public(document.status, document.embargo_until)


def status_is_public(status: str, embargo_until: date | None) -> bool:
    if status == Status.PUBLISHED:
        return True
    return status == Status.EMBARGOED and embargo_until is not None and embargo_until <= today()


def load_visible(document_id: str, user=None) -> Document:
    """``serialize.load_document`` for ``user``: an unpublished record is, to a reader, exactly
    as absent as an id that never existed (the same NotFound, hence the same 404)."""
    document = load_document(document_id)
    if sees_everything(user) or is_public(document):
        return document
    raise no_such_document(document_id)


def linked_ids(threads: list[dict]) -> set[str]:
    """Every document id the thread links of these records name."""
    return {
        link["id"]
        for record_threads in threads
        for side in ("refers_to", "referred_by")
        for link in record_threads.get(side, [])
        if link["id"]
    }


def hidden_ids(ids) -> set[str]:
    """Of these document ids, those readers may not see."""
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    return set(
        Document.objects.filter(pk__in=wanted).exclude(public_q()).values_list("pk", flat=True)
    )


def readers_threads(threads: dict, hidden: set[str] | None = None) -> dict:
    """A record's thread links as readers see them: a reference to an unpublished cable stays as
    written but unresolved (as for a cable the archive lacks), one from it is left out.
    ``hidden``: the unpublished ids, when already known (``hidden_ids`` over many records)."""
    if hidden is None:
        hidden = hidden_ids(linked_ids([threads]))
    if not hidden:
        return threads
    return {
        **threads,
        "refers_to": [
            {**link, "id": None} if link["id"] in hidden else link
            for link in threads.get("refers_to", [])
        ],
        "referred_by": [
            link for link in threads.get("referred_by", []) if link["id"] not in hidden
        ],
    }


def visible_record(document: Document, user=None) -> dict:
    """``document_json`` as ``user`` may see it (readers: no links to unpublished records)."""
    record = document_json(document)
    if not sees_everything(user):
        readers_source(record, document)  # the source path relative to what was ingested
    if not sees_everything(user) and record.get("threads"):
        record["threads"] = readers_threads(record["threads"])
    return record


def original_is_public(sha256: str) -> bool:
    """Whether readers may download an original (or its page images): some record they may see
    came from it. An original that only unpublished records came from is, to them, not kept."""
    return Document.objects.filter(public_q(), source_sha256=sha256).exists()


_READERS_VERSION_SQL = "SELECT version, updated_at, status, embargo_until FROM {} WHERE id = %s"


def readers_version(document_id: str) -> tuple[int, datetime] | None:
    """The version and last change of a record readers may see (None when they may not): one
    read by primary key in plain SQL, because the reading room asks it on every page view of a
    record (``web.caching``), where building the ORM query cost ten times the query itself."""
    with connection.cursor() as cursor:
        cursor.execute(_READERS_VERSION_SQL.format(Document._meta.db_table), [document_id])
        row = cursor.fetchone()
    if row is None:
        return None
    version, updated, status, until = row
    if isinstance(until, str):  # SQLite gives text
        until = date.fromisoformat(until)
    if not status_is_public(status, until):
        return None
    if isinstance(updated, str):
        updated = datetime.fromisoformat(updated)
    if timezone.is_naive(updated):
        updated = updated.replace(tzinfo=UTC)  # stored in UTC (USE_TZ)
    return version, updated
