"""The ingest report: what happened to every file, collected rather than printed."""

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

STATUSES = ("ingested", "updated", "unchanged")


# What a failure cost: the whole file (the rule), one part of a file read part by part (a table's
# row, a large TEI volume's document), or the rest of such a file (its parts before the failure
# were written, batch by batch, as they were read).
WHOLE_FILE, ONE_ROW, REST_OF_FILE = "file", "row", "rest"
_CONSEQUENCE = {
    WHOLE_FILE: "the file was skipped, nothing else changed",
    ONE_ROW: "the {part} was not ingested; the file's other {part}s were",
    REST_OF_FILE: "the {part}s before it were ingested, the rest of the file was not",
}


@dataclass
class Failure:
    path: str
    where: str
    reason: str
    scope: str = WHOLE_FILE
    part: str = "row"  # what a file read part by part is read by: "row", "document"

    def __str__(self) -> str:
        where = f", {self.where}" if self.where else ""
        return (
            f"{self.path}{where}: {self.reason}; {_CONSEQUENCE[self.scope].format(part=self.part)}"
        )

    def as_json(self) -> dict:
        """path, where, reason; scope and part too when the failure cost less than the file."""
        shown = {"path": self.path, "where": self.where, "reason": self.reason}
        if self.scope == WHOLE_FILE:
            return shown
        return {**shown, "scope": self.scope, "part": self.part}


class Documents(Sequence):
    """Each document of a run as ``{"id", "path", "status"}``, kept compactly.

    A run holds one entry per document until it ends. As dicts they cost about 300 bytes each
    (300 MB for a million documents, most of what the run held); as a string for the id and
    numbers for the rest, about 90. Here the ids are their UTF-8 bytes end to end in one buffer,
    with where each ends: about 30 bytes a document, so that a run's memory stays nearly flat
    from 100,000 documents to 1,000,000 (issue 12). The dicts are made when they are read."""

    def __init__(self, entries: Iterable[dict] = ()):
        self._id_bytes = bytearray()
        self._id_ends = array("Q")
        self._paths: list[str] = []
        self._path_numbers: dict[str, int] = {}
        self._path_of = array("I")
        self._status_of = bytearray()
        self += entries

    def __iadd__(self, entries: Iterable[dict]) -> "Documents":
        for entry in entries:
            path = entry["path"]
            if path not in self._path_numbers:
                self._path_numbers[path] = len(self._paths)
                self._paths.append(path)
            self._id_bytes += entry["id"].encode("utf-8")
            self._id_ends.append(len(self._id_bytes))
            self._path_of.append(self._path_numbers[path])
            self._status_of.append(STATUSES.index(entry["status"]))
        return self

    def __len__(self) -> int:
        return len(self._id_ends)

    @overload
    def __getitem__(self, index: int) -> dict: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # a negative index counts from the end; past it, IndexError
        path, status = self._paths[self._path_of[index]], STATUSES[self._status_of[index]]
        return {"id": self._id(index), "path": path, "status": status}

    def _id(self, index: int) -> str:
        start = self._id_ends[index - 1] if index else 0
        return self._id_bytes[start : self._id_ends[index]].decode("utf-8")

    def __iter__(self) -> Iterator[dict]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def ids(self, *, exclude: str | None = None) -> Iterator[str]:
        """The documents' ids in order, one at a time; ``exclude``: leave out those whose
        status it is."""
        left_out = STATUSES.index(exclude) if exclude else -1
        return (self._id(i) for i in range(len(self)) if self._status_of[i] != left_out)

    def count_of(self, status: str) -> int:
        return self._status_of.count(STATUSES.index(status))


@dataclass
class IngestReport:
    run_id: int | None = None
    documents: Documents = field(default_factory=Documents)  # {id, path, status} each
    failed: list[Failure] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {path, reason}: not documents
    files: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return self.documents.count_of(status)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_json(self, *, each_document: bool = True) -> dict:
        """The report; ``each_document=False`` leaves out the list of every document, which
        the run's record in the catalogue does not keep (each document it wrote names it): an
        empty list there would read as a run that wrote nothing."""
        shown = {
            "run": self.run_id,
            **{status: self.count(status) for status in STATUSES},
            "failed": [f.as_json() for f in self.failed],
            "skipped": list(self.skipped),
        }
        if each_document:
            shown["documents"] = list(self.documents)
        return {**shown, "files": self.files, "seconds": round(self.seconds, 3)}

    def summary(self) -> str:
        rate = len(self.documents) / self.seconds if self.seconds else 0.0
        line = ", ".join(f"{self.count(s)} {s}" for s in STATUSES)
        text = f"{line}, {len(self.failed)} failed ({self.files} files, {self.seconds:.1f} s"
        text += f", {rate:,.0f} documents/s)" if rate else ")"
        if self.skipped:
            text += f"; {len(self.skipped)} files skipped, not documents (each listed with why)"
        return text
