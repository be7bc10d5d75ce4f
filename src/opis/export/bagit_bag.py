"""BagIt (RFC 8493): the records as JSON Lines plus the files they were read from, with checksums.

A bag is what a repository hands to another for keeping: ``data/records.jsonl`` (the JSON Lines
export) and ``data/originals/<sha256>``, each original once however many documents it holds,
named by its checksum as in opis's own store; ``data/originals.tsv`` gives each one's file name,
the path it was ingested from and whether it is in the bag. SHA-256 and SHA-512 manifests and
``bag-info.txt`` (who made it, when, of what: ``External-Description``) are written by the
``bagit`` library, with ``Payload-Oxum`` and ``Bagging-Date``.

Originals carry no file extension on purpose: ``opis ingest BAG`` then restores the records from
``records.jsonl`` and lists the originals as skipped, instead of reading each original again and
meeting every document twice. The records keep each original's checksum, so the originals remain
findable by it.

An original comes from the content-addressed store when there is one
(``opis.records.originals.original_path``), else from the path it was ingested from; a file found
there is copied only if it still has the checksum recorded at ingest: a file edited since is not
the original. Originals that cannot be found are counted in ``bag-info.txt`` (Originals-Missing)
and marked ``missing`` in ``originals.tsv``, never silently left out.
"""

from pathlib import Path

import bagit

from opis import config
from opis.checksum import copy_sha256
from opis.errors import OpisError
from opis.export import ExportContext, unwritable
from opis.export.jsonl import header_line, record_line, trailer_line
from opis.records.originals import original_path

RECORDS = "records.jsonl"
ORIGINALS = "originals"
LIST = "originals.tsv"


class BagItBag:
    name = "bagit"
    description = "BagIt bag (RFC 8493): records.jsonl and the original files, with manifests"
    media_type = ""
    extension = ""
    folder = True
    label = "BagIt"
    download = False

    def write(self, context: ExportContext, folder: Path) -> None:
        _prepare(folder)
        try:
            originals = _write_records(context, folder / RECORDS)
            copied, missing = _copy_originals(originals, folder / ORIGINALS, folder / LIST)
            bagit.make_bag(str(folder), _bag_info(context, missing), checksums=["sha256", "sha512"])
        except OSError as exc:
            raise unwritable(folder, exc) from None
        context.details.update(originals=copied, originals_missing=len(missing))


def _prepare(folder: Path) -> None:
    """The bag folder must be new or empty: bagging moves whatever is in it into the payload."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OpisError(
            f"{folder} already exists and is not an empty folder; a bag needs a new or empty "
            "folder (bagging would move what is there into the bag)"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise unwritable(folder, exc) from None


def _write_records(context: ExportContext, path: Path) -> dict[str, str]:
    """Write the JSON Lines export; return each original's checksum and the path it came from."""
    originals: dict[str, str] = {}
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(header_line(context, "bagit"))
        for record in context.selection.records(context.progress):
            handle.write(record_line(record))
            source = record["source"]
            originals.setdefault(source["sha256"], source["path"])
            count += 1
        handle.write(trailer_line(count))
    context.details["count"] = count
    return originals


def _copy_originals(originals: dict[str, str], folder: Path, listing: Path) -> tuple[int, list]:
    """Copy each original into ``folder`` under its checksum; list them all in ``listing``."""
    folder.mkdir()
    copied, missing = 0, []
    with listing.open("w", encoding="utf-8", newline="\n") as table:
        table.write("sha256\tname\tsource_path\tin_bag\n")
        for sha256, source_path in sorted(originals.items()):
            kept = _copy_checked(_candidates(sha256, source_path), sha256, folder / sha256)
            copied += kept
            if not kept:
                missing.append((sha256, source_path))
            name = Path(source_path).name
            table.write(f"{sha256}\t{name}\t{source_path}\t{'yes' if kept else 'missing'}\n")
    return copied, missing


def _candidates(sha256: str, source_path: str) -> list[Path]:
    """Where the original may be: the store first, then the path it was ingested from."""
    stored = original_path(sha256)
    return [p for p in (stored, Path(source_path) if source_path else None) if p is not None]


def _copy_checked(candidates: list[Path], sha256: str, target: Path) -> bool:
    """Copy the first candidate whose bytes still have the recorded checksum."""
    for candidate in candidates:
        if not candidate.is_file():
            continue
        with candidate.open("rb") as source, target.open("wb") as copy:
            found, _ = copy_sha256(source, copy)
        if found == sha256:
            return True
        target.unlink()
    return False


def _bag_info(context: ExportContext, missing: list) -> dict[str, str]:
    query = context.selection.query
    return {
        "Source-Organization": config.value("OPIS_ORGANIZATION"),
        "External-Description": (
            f"opis export of the search {query!r}" if query else "opis export of the whole archive"
        ),
        "External-Identifier": f"opis-export-{context.exported_at.strftime('%Y%m%dT%H%M%SZ')}",
        "Originals-Missing": str(len(missing)),
    }


FORMAT = BagItBag()
