"""What belongs to one user account: API tokens, saved searches, research notes and folders."""

from django.db import models


class ApiToken(models.Model):
    """A bearer token for scripts, kept only as its SHA-256: a leaked table reveals no token."""

    user = models.ForeignKey("auth.User", related_name="api_tokens", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it.")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class SavedSearch(models.Model):
    """A researcher's saved search: a name and the query it runs (``/search?q=…``), private to
    the account (``records.workspace``)."""

    user = models.ForeignKey("auth.User", related_name="saved_searches", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    query = models.CharField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]


class ResearchNote(models.Model):
    """A researcher's private note on a document, one per account and document (by id, so the
    note outlives a re-ingest; shown only while the document is visible to the account)."""

    user = models.ForeignKey("auth.User", related_name="research_notes", on_delete=models.CASCADE)
    document_id = models.CharField(max_length=255, db_index=True)
    body = models.TextField(max_length=20_000)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "document_id"], name="one_note_per_document")
        ]


class Folder(models.Model):
    """A researcher's personal collection of documents (``FolderItem``), private to the
    account."""

    user = models.ForeignKey("auth.User", related_name="folders", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "pk"]


class FolderItem(models.Model):
    """A document filed in a researcher's folder (by id, as notes are)."""

    folder = models.ForeignKey(Folder, related_name="items", on_delete=models.CASCADE)
    document_id = models.CharField(max_length=255)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["folder", "document_id"], name="one_item_per_document")
        ]
