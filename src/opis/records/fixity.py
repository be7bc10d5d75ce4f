"""Fixity: re-hash every stored original and compare the store with the catalogue.

Four findings, each a different repair:

- ``changed``: the stored bytes no longer hash to their name (disk fault, tampering): restore the
  file from a backup or ingest the source again.
- ``missing``: an ``Original`` row without its file: restore it from a backup.
- ``untracked``: a file in the store that no row names. An ingest that crashed between copying an
  original and committing its batch leaves one; ``--clean-untracked`` removes them.
- ``without_original``: documents whose ``source_sha256`` has no ``Original`` row (ingested before
  originals were kept): ``opis ingest --force`` on their files stores them.

Only ``changed`` and ``missing`` mean something was lost, so only they make the check fail.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from opis.checksum import file_sha256
from opis.records import originals
from opis.records.audit import FAILURE, FIXITY_CHECK, SUCCESS, os_user, record_event
from opis.records.models import Document, Original

LISTED_WITHOUT_ORIGINAL = 1000  # document ids named in the report; the count is always exact


@dataclass
class FixityReport:
    checked: int = 0
    changed: list[dict] = field(default_factory=list)  # {sha256, path, found}
    missing: list[dict] = field(default_factory=list)  # {sha256, path, name}
    untracked: list[str] = field(default_factory=list)  # paths in the store
    removed: list[str] = field(default_factory=list)  # untracked paths removed on request
    without_original: int = 0
    documents_without_original: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing)

    def as_json(self) -> dict:
        return {"ok": self.ok, **vars(self)}

    def summary(self) -> str:
        text = (
            f"{self.checked} originals checked: {len(self.changed)} changed, "
            f"{len(self.missing)} missing, {len(self.untracked)} untracked"
        )
        if self.removed:
            text += f" ({len(self.removed)} removed)"
        if self.without_original:
            text += f"; {self.without_original} documents have no original kept"
        return text


def verify(
    *,
    clean_untracked: bool = False,
    progress: Callable[[int], None] | None = None,
    actor: str | None = None,
) -> FixityReport:
    """Check every original; ``progress`` is called once per original re-hashed. The check and
    its outcome go into the audit trail (FIXITY_CHECK), naming ``actor`` (default: the OS user)."""
    report = FixityReport()
    rows = Original.objects.order_by("sha256").values_list("sha256", "name")
    known: set[str] = set()
    for sha256, name in rows.iterator(chunk_size=2000):
        known.add(sha256)
        _check(sha256, name, report)
        if progress:
            progress(1)
    report.untracked = [str(path) for path in originals.stored_files() if path.name not in known]
    without = Document.objects.exclude(
        source_sha256__in=Original.objects.values("sha256")
    ).order_by("id")
    report.without_original = without.count()
    ids = without.values_list("id", flat=True)[:LISTED_WITHOUT_ORIGINAL]
    report.documents_without_original = list(ids)
    if clean_untracked and report.untracked:
        report.removed = _remove_untracked(report.untracked)
    record_event(
        actor or os_user(), FIXITY_CHECK, "originals", outcome=SUCCESS if report.ok else FAILURE,
        checked=report.checked, changed=len(report.changed), missing=len(report.missing),
        untracked=len(report.untracked), removed=len(report.removed),
    )  # fmt: skip
    return report


def count_originals() -> int:
    """How many originals ``verify`` will re-hash (for a progress bar)."""
    return Original.objects.count()


def _check(sha256: str, name: str, report: FixityReport) -> None:
    path = originals.stored_path(sha256)
    report.checked += 1
    if not path.is_file():
        report.missing.append({"sha256": sha256, "path": str(path), "name": name})
        return
    found = file_sha256(path)
    if found != sha256:
        report.changed.append({"sha256": sha256, "path": str(path), "found": found})


def _remove_untracked(paths: list[str]) -> list[str]:
    """Remove untracked files under the store's exclusive lock, each re-checked against the
    catalogue first: an ingest that committed since the scan has made its file tracked."""
    removed = []
    with originals.store_lock(exclusive=True, wait=False):
        tracked = set(
            Original.objects.filter(sha256__in=[Path(p).name for p in paths]).values_list(
                "sha256", flat=True
            )
        )
        for path in paths:
            if Path(path).name in tracked:
                continue
            Path(path).unlink(missing_ok=True)
            removed.append(path)
    return removed
