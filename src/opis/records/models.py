"""The record model: documents, their texts, archival locations, agents and collections.

Designed so the reference record (Stalin's telegram No. 3305) is stored without loss: a date is an
interval with a precision and the form it was written in; a document may sit in several archives at
once; an agent's role keeps the name the document was signed with and counts of copies.
"""

from django.db import models

from opis.understand.romanize import name_key


class DatePrecision(models.TextChoices):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"
    UNKNOWN = "unknown"


class TextRole(models.TextChoices):
    ORIGINAL = "original"
    TRANSLATION = "translation"
    TRANSCRIPT = "transcript"


class Status(models.TextChoices):
    """Who may see a record: readers see only what is published (or whose embargo has passed)."""

    PUBLISHED = "published"
    DRAFT = "draft"
    WITHDRAWN = "withdrawn"
    EMBARGOED = "embargoed"


class AgentRoleKind(models.TextChoices):
    AUTHOR = "author"
    SIGNATORY = "signatory"
    ADDRESSEE = "addressee"
    INTERMEDIARY = "intermediary"
    ALTERNATIVE_RECIPIENT = "alternative_recipient"
    COPY_RECIPIENT = "copy_recipient"
    MENTIONED = "mentioned"
    PARTICIPANT = "participant"  # a side of a recorded conversation or meeting


class Collection(models.Model):
    """A published series volume or other grouping (a DFAT volume, later a FRUS volume)."""

    slug = models.SlugField(max_length=200, unique=True)
    title = models.TextField()
    series = models.CharField(max_length=200, blank=True)
    position = models.IntegerField(null=True, help_text="Order within the series (volume number).")

    class Meta:
        ordering = ["series", "position", "title"]

    def __str__(self) -> str:
        return self.title


class IngestRun(models.Model):
    """One run of ``opis ingest``: when, what it was given, and its structured report."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    paths = models.JSONField(default=list)
    report = models.JSONField(default=dict)


class Document(models.Model):
    id = models.CharField(max_length=255, primary_key=True)
    title = models.TextField()
    date_start = models.DateField(null=True, db_index=True)
    date_end = models.DateField(null=True)
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    date_display = models.CharField(max_length=200, blank=True)
    doc_type = models.CharField(max_length=60, blank=True, db_index=True)
    doc_number = models.CharField(max_length=60, blank=True)
    summary = models.TextField(blank=True)
    original_languages = models.JSONField(default=list)
    source_url = models.URLField(max_length=500, blank=True)
    citation = models.TextField(blank=True)
    classification = models.CharField(max_length=200, blank=True)
    dateline = models.CharField(
        max_length=300,
        blank=True,
        db_default="",
        help_text='Place and date as written: "Moscow, 22 February 1946"',
    )
    signed = models.CharField(
        max_length=300,
        blank=True,
        db_default="",
        help_text='The signature as written: "FILIPPOV [Stalin]"',
    )
    cable = models.JSONField(
        null=True, blank=True, help_text="The telegram apparatus, when a cable."
    )
    cited = models.JSONField(
        null=True,
        blank=True,
        help_text="A cable's references to other cables as written (found when read, in "
        "parallel); the thread stage resolves them against the collection.",
    )
    notes = models.JSONField(default=list, help_text="What the readers could not understand.")
    collections = models.ManyToManyField(Collection, related_name="documents", blank=True)
    # Publication and curation: who may see it, how often it changed, what a curator decided.
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.PUBLISHED,
        db_default=Status.PUBLISHED.value, db_index=True,
    )  # fmt: skip
    embargo_until = models.DateField(
        null=True, blank=True, help_text="An embargoed record is published on this day."
    )
    version = models.PositiveIntegerField(
        default=1, db_default=1, help_text="+1 for every change: the ETag and If-Match value."
    )
    curated = models.JSONField(
        default=dict, db_default={}, blank=True,
        help_text="Fields a curator set, each with the value the source had then: a re-ingest "
        "keeps the curator's value and lists the field for review when the source changed.",
    )  # fmt: skip
    # Provenance: where the record came from, exactly.
    source_path = models.TextField()
    source_sha256 = models.CharField(max_length=64, db_index=True)
    reader = models.CharField(max_length=60)
    ingested_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    ingest_run = models.ForeignKey(IngestRun, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["date_start", "id"]
        indexes = [models.Index(fields=["source_path"])]

    def __str__(self) -> str:
        return f"{self.id}: {self.title}"


class Text(models.Model):
    """One body of a document: the original, a translation or a transcript."""

    document = models.ForeignKey(Document, related_name="texts", on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=10, blank=True)
    role = models.CharField(max_length=20, choices=TextRole.choices, default=TextRole.ORIGINAL)
    label = models.CharField(
        max_length=200, blank=True, help_text='As written: "Translation - English"'
    )
    body = models.TextField()
    pages = models.JSONField(
        null=True,
        blank=True,
        help_text='Page breaks: [{"n": "101", "offset": 1234}] into body; OCR adds "confidence".',
    )
    method = models.CharField(
        max_length=20,
        blank=True,
        db_default="",
        help_text='How the text was obtained: "" (as given), "text-layer" or "ocr".',
    )
    confidence = models.FloatField(
        null=True, blank=True, help_text="Mean OCR word confidence, 0-100, for OCR text."
    )

    class Meta:
        ordering = ["position"]


class Footnote(models.Model):
    """An editor's footnote, kept apart from the text it annotates."""

    document = models.ForeignKey(Document, related_name="footnotes", on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=20, blank=True, help_text='The mark as printed: "1", "*"')
    body = models.TextField()

    class Meta:
        ordering = ["position"]


class ArchivalLocation(models.Model):
    """Where the original is kept: repository and its hierarchy, plus the string as written."""

    document = models.ForeignKey(Document, related_name="locations", on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)
    repository = models.CharField(max_length=200, blank=True)
    fond = models.CharField(max_length=60, blank=True)
    opis = models.CharField(max_length=60, blank=True)
    delo = models.CharField(max_length=60, blank=True)
    papka = models.CharField(max_length=60, blank=True)
    folios = models.CharField(max_length=100, blank=True)
    series = models.CharField(max_length=100, blank=True)
    control_symbol = models.CharField(max_length=200, blank=True)
    barcode = models.CharField(max_length=60, blank=True)
    reference = models.CharField(
        max_length=300,
        blank=True,
        help_text="Identifier below the repository (non-Russian systems).",
    )
    raw = models.TextField()

    class Meta:
        ordering = ["position"]


class Agent(models.Model):
    """A person or organisation, under one canonical name (variants arrive with issue 3)."""

    class Kind(models.TextChoices):
        PERSON = "person"
        ORGANISATION = "organisation"

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    person_id = models.CharField(
        max_length=120, blank=True, db_default="", db_index=True,
        help_text="The authority entry this name resolves to (opis.understand.names), if any.",
    )  # fmt: skip

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="agent_unique_name")]

    def __str__(self) -> str:
        return self.name


class AgentRole(models.Model):
    """An agent's part in one document, with the name as written there."""

    document = models.ForeignKey(Document, related_name="agent_roles", on_delete=models.CASCADE)
    agent = models.ForeignKey(Agent, related_name="roles", on_delete=models.PROTECT)
    position = models.PositiveIntegerField(default=0)
    role = models.CharField(max_length=30, choices=AgentRoleKind.choices)
    signed_as = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(
        null=True, help_text="Copies received, for copy recipients."
    )

    class Meta:
        ordering = ["position"]


class Mention(models.Model):
    """A person of the authority named in a document's text, found at ingest
    (``understand.mentions``): the form as written, where it first stands, how often, and how sure
    the link is.

    Kept apart from ``AgentRole``: an agent is a name resolved to one person wherever it stands,
    while a mention is decided in its document ("Chiang" is Chiang Kai-shek where he is named in
    full), with a confidence of its own; and mentions are derived from the text, found again at
    every ingest, so they are not part of the record a curator edits or a version keeps.
    """

    document = models.ForeignKey(Document, related_name="mentions", on_delete=models.CASCADE)
    person_id = models.CharField(max_length=120, db_index=True)
    form = models.CharField(max_length=300, help_text='As written: "Generalissimo Chiang".')
    confidence = models.FloatField(help_text="0-1: how sure the link is (understand.mentions).")
    text_position = models.PositiveIntegerField(default=0, help_text="Which of its texts.")
    start = models.PositiveIntegerField(help_text="Where the form first stands in that text.")
    end = models.PositiveIntegerField()
    count = models.PositiveIntegerField(default=1, help_text="How often the form stands there.")

    class Meta:
        ordering = ["text_position", "start"]


class ThreadLink(models.Model):
    """A cable's reference to another ("your 466"), linked when the archive holds the target.

    ``target_id`` is not a foreign key: the target may be absent (null) or arrive in a later ingest,
    and links are recomputed per collection after every ingest run.
    """

    class State(models.TextChoices):
        FOUND = ""  # found by the thread stage, not yet looked at
        CONFIRMED = "confirmed"
        REJECTED = "rejected"  # kept, so recomputing links does not bring it back; never shown

    source = models.ForeignKey(Document, related_name="thread_links", on_delete=models.CASCADE)
    position = models.PositiveIntegerField(default=0)
    target_id = models.CharField(max_length=255, null=True, db_index=True)
    text = models.CharField(max_length=300)
    state = models.CharField(
        max_length=10, choices=State.choices, blank=True, default="", db_default="",
        help_text="A curator's decision on the link (records.threads keeps it across runs).",
    )  # fmt: skip
    decided_by = models.CharField(max_length=150, blank=True, default="", db_default="")

    class Meta:
        ordering = ["position"]


class IndexChange(models.Model):
    """One entry of the index log: a record changed, written in the same transaction as the record.

    The index is derived from the catalogue, one per data folder; this ordered log (the id is the
    sequence number) is how every index catches up. Applying an entry is idempotent (delete by id,
    then add the current record), so applying one twice only repeats work. Entries are kept until
    every registered ``IndexFollower`` has applied them, or for ``OPIS_INDEX_RETENTION_HOURS``
    (``records/index_log.py``).
    """

    document_id = models.CharField(max_length=255, db_index=True)
    queued_at = models.DateTimeField(auto_now_add=True, db_index=True)


class IndexFollower(models.Model):
    """A search index that follows the index log: one per data folder pointed at this catalogue.

    ``id`` is kept in the index folder; ``applied`` is its horizon (every log entry up to it is in
    that index); ``place`` (host and folder) is for people, and spots a copied folder. A follower
    whose unapplied entries were pruned is deleted here, and rebuilds when it next looks.
    """

    id = models.CharField(max_length=64, primary_key=True)
    place = models.CharField(max_length=1000)
    applied = models.BigIntegerField(default=0)
    seen_at = models.DateTimeField()
    registered_at = models.DateTimeField(auto_now_add=True)


class Original(models.Model):
    """An original file kept byte for byte, content-addressed by its sha256 under the data folder.

    Documents point at their original through ``Document.source_sha256``; one file may hold many
    documents (a FRUS volume) and one content may arrive under several paths, so the store is keyed
    by checksum alone and ``opis verify`` can re-hash every file against this table.
    """

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100, blank=True)
    name = models.TextField(help_text="The file name it first arrived under.")
    stored_at = models.DateTimeField()


class Deletion(models.Model):
    """A tombstone: a document withdrawn from the archive, remembered for harvesters (OAI-PMH)."""

    document_id = models.CharField(max_length=255, unique=True)
    deleted_at = models.DateTimeField(db_index=True)
    collections = models.JSONField(default=list, help_text="Slugs it belonged to (OAI sets).")
    reason = models.TextField(blank=True)


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


class ApiToken(models.Model):
    """A bearer token for scripts, kept only as its SHA-256: a leaked table reveals no token."""

    user = models.ForeignKey("auth.User", related_name="api_tokens", on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it.")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


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
