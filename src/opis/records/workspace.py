"""The researcher's workspace: saved searches, private notes and personal collections (folders).

Everything here belongs to one account and is asked for through that account only: an id of
another account's search or folder is, to everyone else (curators too), exactly as absent as one
that never existed (NotFound). Only documents the account may see (``visibility``) can be noted
or filed, and lists show only the documents the account may still see, so a record unpublished
after it was filed disappears from the workspace rather than leaking its title.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from opis.errors import BadEdit, NotFound
from opis.records.models import Document, Folder, FolderItem, ResearchNote, SavedSearch
from opis.records.visibility import load_visible, visible_documents

NAME_MAX = 200
QUERY_MAX = 2000
NOTE_MAX = 20_000


def _text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise BadEdit(f"the {field} is empty; write one", field)
    if len(value) > limit:
        raise BadEdit(
            f"the {field} is {len(value):,} characters long; at most {limit:,} are kept", field
        )
    return value


# ---- saved searches ----------------------------------------------------------------------------


def save_search(user, query: str, name: str = "") -> SavedSearch:
    """Keep ``query`` under ``name`` (the query itself when no name is given)."""
    query = _text(query, "search", QUERY_MAX)
    name = _text(name, "name", NAME_MAX, required=False) or query[:NAME_MAX]
    return SavedSearch.objects.create(user=user, name=name, query=query, created_at=timezone.now())


def searches(user) -> list[SavedSearch]:
    return list(SavedSearch.objects.filter(user=user))


def delete_search(user, search_id: int) -> None:
    deleted, _ = SavedSearch.objects.filter(user=user, pk=search_id).delete()
    if not deleted:
        raise NotFound(f"no saved search {search_id}")


# ---- notes -------------------------------------------------------------------------------------


def note_for(user, document_id: str) -> ResearchNote | None:
    """The account's note on a document, or None."""
    return ResearchNote.objects.filter(user=user, document_id=document_id).first()


def save_note(user, document_id: str, body: str) -> ResearchNote | None:
    """Write (or, with an empty body, remove) the account's note on a document it may see."""
    document = load_visible(document_id, user)
    body = _text(body, "note", NOTE_MAX, required=False)
    if not body:
        ResearchNote.objects.filter(user=user, document_id=document.pk).delete()
        return None
    now = timezone.now()
    note, _ = ResearchNote.objects.update_or_create(
        user=user,
        document_id=document.pk,
        defaults={"body": body, "updated_at": now},
        create_defaults={"body": body, "created_at": now, "updated_at": now},
    )
    return note


@dataclass(frozen=True)
class NotedDocument:
    note: ResearchNote
    document: Document


def notes(user) -> list[NotedDocument]:
    """The account's notes, newest first, on the documents it may still see."""
    kept = list(ResearchNote.objects.filter(user=user))
    shown = _visible(user, [n.document_id for n in kept])
    return [NotedDocument(n, shown[n.document_id]) for n in kept if n.document_id in shown]


# ---- folders -----------------------------------------------------------------------------------


def make_folder(user, name: str) -> Folder:
    name = _text(name, "folder name", NAME_MAX)
    return Folder.objects.create(user=user, name=name, created_at=timezone.now())


def folder_of(user, folder_id: int) -> Folder:
    folder = Folder.objects.filter(user=user, pk=folder_id).first()
    if folder is None:
        raise NotFound(f"no folder {folder_id}")
    return folder


def add_to_folder(user, folder_id: int, document_id: str) -> FolderItem:
    """File a document the account may see in one of its folders (again: nothing changes)."""
    folder = folder_of(user, folder_id)
    document = load_visible(document_id, user)
    try:
        with transaction.atomic():
            item, _ = FolderItem.objects.get_or_create(
                folder=folder, document_id=document.pk, defaults={"added_at": timezone.now()}
            )
    except IntegrityError:  # filed at the same moment by another request
        item = FolderItem.objects.get(folder=folder, document_id=document.pk)
    return item


def remove_from_folder(user, folder_id: int, document_id: str) -> None:
    folder = folder_of(user, folder_id)
    deleted, _ = FolderItem.objects.filter(folder=folder, document_id=document_id).delete()
    if not deleted:
        raise NotFound(f"no document {document_id} in folder {folder_id}")


@dataclass(frozen=True)
class FolderContents:
    folder: Folder
    documents: list[Document]


def folders(user) -> list[FolderContents]:
    """The account's folders with the documents in them it may still see."""
    kept = list(Folder.objects.filter(user=user).prefetch_related("items"))
    shown = _visible(user, [i.document_id for f in kept for i in f.items.all()])
    return [
        FolderContents(f, [shown[i.document_id] for i in f.items.all() if i.document_id in shown])
        for f in kept
    ]


def _visible(user, ids: list[str]) -> dict[str, Document]:
    if not ids:
        return {}
    found = visible_documents(user, Document.objects.filter(pk__in=set(ids)))
    return {d.pk: d for d in found}
