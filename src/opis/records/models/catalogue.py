"""The record model: documents, their texts, archival locations, agents and collections.

Designed so the reference record (Stalin's telegram No. 3305) is stored without loss: a date is an
interval with a precision and the form it was written in; a document may sit in several archives at
once; an agent's role keeps the name the document was signed with and counts of copies.
"""

from django.db import models


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
