"""Who may see a record: readers see only what is published, or embargoed until a day that has
come; curators and admins see everything (with a badge saying what readers do not see).

Every place that lists, counts, serves or cites records for readers goes through here, so that
"not published" means invisible everywhere: pages, search, facets, counts, the API, OAI-PMH, the
sitemap, exports, citations, originals and page images.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from opis.records.accounts import CURATOR, has_role
from opis.records.models import Document, Status


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
    if document.status == Status.PUBLISHED:
        return True
    return (
        document.status == Status.EMBARGOED
        and document.embargo_until is not None
        and document.embargo_until <= today()
    )
