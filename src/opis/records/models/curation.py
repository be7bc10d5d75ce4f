"""What the staff's work leaves: versions of records, the review queue, the audit trail,
readers' corrections, curators' scopes and the names they record for persons."""

from django.db import models

from opis.records.models.catalogue import Collection
from opis.understand.romanize import name_key


class RecordVersion(models.Model):
    """One version of a record: the whole record (the JSON contract) after a change, with who
    made the change, when and why.

    Kept as the record's JSON rather than rows of each model (django-reversion's way) because
    ingest writes through bulk SQL that model signals never see, because the JSON contract is
    what the API serves and what a version must restore byte for byte, and because a version
    must stay readable after later migrations change the tables.
    """

    document_id = models.CharField(max_length=255, db_index=True)
    number = models.PositiveIntegerField()
    record = models.JSONField()
    actor = models.CharField(max_length=150, help_text='A user name, or "ingest".')
    action = models.CharField(max_length=30, help_text="ingest, edit, status, restore, correction")
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document_id", "number"], name="one_version_number")
        ]


class ReviewItem(models.Model):
    """Something a curator should look at: a field where source and curation now disagree, a
    date an extractor doubts. Any stage may add one; a curator settles it."""

    document_id = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=40)
    field = models.CharField(max_length=60, blank=True)
    message = models.TextField()
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk ``update()`` and ``delete()`` bypass a model's ``save``/``delete``: refuse them too."""

    def update(self, **kwargs):
        raise PermissionError("the audit trail is append-only: events cannot be changed")

    def delete(self):
        raise PermissionError("the audit trail is append-only: events cannot be deleted")


class AuditEvent(models.Model):
    """What happened, by whom, to what, with what outcome (PREMIS event types).

    Append-only: the application never updates or deletes a row (``save`` refuses to change an
    existing event and ``delete`` refuses), and the admin shows the trail read-only.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.CharField(max_length=150, help_text='A user name, "anonymous" or "system".')
    action = models.CharField(max_length=40, db_index=True, help_text="A PREMIS event type.")
    object = models.CharField(max_length=300, blank=True, help_text="What it was done to.")
    outcome = models.CharField(max_length=20, default="success")
    detail = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("the audit trail is append-only: an event cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("the audit trail is append-only: an event cannot be deleted")


class Correction(models.Model):
    """A reader's proposed correction to a record, for a curator to accept or decline."""

    class State(models.TextChoices):
        PROPOSED = "proposed"
        ACCEPTED = "accepted"
        DECLINED = "declined"

    document_id = models.CharField(max_length=255, db_index=True)
    field = models.CharField(max_length=60, blank=True)
    proposed = models.TextField(blank=True, help_text="The value the reader proposes, if any.")
    note = models.TextField()
    proposer = models.CharField(max_length=150, help_text="A user name or the name given.")
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)


class CuratorScope(models.Model):
    """A curator limited to named collections: one row per collection they may edit.

    A curator with no rows curates everything (the default); with rows, only documents in one of
    those collections (``records.accounts.can_curate``). A small table rather than per-object
    permissions (django-guardian): the scope is one question asked of one relation, and a plain
    join answers it without another app, backend and permission rows per collection.
    """

    user = models.ForeignKey("auth.User", related_name="curator_scopes", on_delete=models.CASCADE)
    collection = models.ForeignKey(Collection, related_name="curators", on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "collection"], name="one_scope_per_collection")
        ]


class PersonMerge(models.Model):
    """A curator's decision that two authority entries are one person: every agent resolving to
    ``person_id`` is linked to ``into`` instead, now and at every later ingest, until the merge is
    split again (the row deleted: each agent is linked to what its name resolves to)."""

    person_id = models.CharField(max_length=120, unique=True)
    into = models.CharField(max_length=120, db_index=True)
    actor = models.CharField(max_length=150)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField()


class PersonName(models.Model):
    """A name or pseudonym a curator records for a person of the authority, with the years the
    person used it: every agent whose name as written is this name (compared by ``name_key``) is
    linked to the person, now and at every later ingest, until the row is removed."""

    class Kind(models.TextChoices):
        NAME = "name"
        PSEUDONYM = "pseudonym"

    person_id = models.CharField(max_length=120, db_index=True)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NAME)
    from_year = models.PositiveSmallIntegerField(null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.TextField(blank=True)
    actor = models.CharField(max_length=150)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["person_id", "from_year", "name"]

    @classmethod
    def by_key(cls) -> dict[str, str]:
        """Every recorded name's ``name_key`` → its person: what agents are linked by."""
        return {name_key(n): p for n, p in cls.objects.values_list("name", "person_id")}
