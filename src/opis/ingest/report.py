"""The ingest report: what happened to every file, collected rather than printed."""

from dataclasses import dataclass, field

STATUSES = ("ingested", "updated", "unchanged")


@dataclass
class Failure:
    path: str
    where: str
    reason: str

    def __str__(self) -> str:
        where = f", {self.where}" if self.where else ""
        return f"{self.path}{where}: {self.reason}; the file was skipped, nothing else changed"


@dataclass
class IngestReport:
    run_id: int | None = None
    documents: list[dict] = field(default_factory=list)  # {id, path, status}
    failed: list[Failure] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {path, reason}: files no reader claims
    files: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d["status"] == status)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_json(self) -> dict:
        return {
            "run": self.run_id,
            **{status: self.count(status) for status in STATUSES},
            "failed": [vars(f) for f in self.failed],
            "skipped": list(self.skipped),
            "documents": list(self.documents),
            "files": self.files,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        rate = len(self.documents) / self.seconds if self.seconds else 0.0
        line = ", ".join(f"{self.count(s)} {s}" for s in STATUSES)
        text = f"{line}, {len(self.failed)} failed ({self.files} files, {self.seconds:.1f} s"
        text += f", {rate:,.0f} documents/s)" if rate else ")"
        if self.skipped:
            text += f"; {len(self.skipped)} files skipped (no reader for them)"
        return text
