"""The index log: how every search index, derived from the catalogue, catches up with it."""

from django.db import models


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
