"""The document ids a run has produced, and the file that produced each: kept on disk.

Two files of one run must not give the same document id: the second would silently replace the
first, so it fails, naming the first (docs/ingest.md). Checking that needs every id the run has
produced so far. Held in a dict, that was about 100 bytes a document (the id as a Python string
and its entry), the largest part of what a run still grew by: 100 MB at a million documents,
against issue 12's goal of memory flat from 100,000 to 1,000,000. The claims live instead in a
private temporary SQLite database (the standard library's ``sqlite3``; ``""`` names a file of its
own that SQLite deletes when it is closed), whose page cache is bounded; the pages it writes out
are the system's file cache, not the run's memory.
"""

import sqlite3
from collections.abc import Sequence

from opis.records.chunks import chunked


class Claims:
    """Which file of this run produced each document id."""

    def __init__(self):
        # Nothing here needs to survive a crash: the run that made it is gone with it.
        self._db = sqlite3.connect("", isolation_level=None)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE claim (id TEXT PRIMARY KEY, path TEXT) WITHOUT ROWID")

    def claim(self, ids: Sequence[str], path: str) -> tuple[str, str] | None:
        """Claim ``ids`` for the file ``path``. If another file claimed one of them already,
        claim none and return the first such id with that file: the file at ``path`` fails
        whole, so none of its ids are its to keep. A file may give an id again (a table's row
        repeated, a file read part by part): that is no conflict."""
        for part in chunked(ids):
            marks = ",".join("?" * len(part))
            taken = dict(
                self._db.execute(
                    f"SELECT id, path FROM claim WHERE path != ? AND id IN ({marks})",
                    [path, *part],
                )
            )
            for document_id in part:
                if document_id in taken:
                    return document_id, taken[document_id]
        self._db.executemany("INSERT OR REPLACE INTO claim VALUES (?, ?)", ((i, path) for i in ids))
        return None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Claims":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
