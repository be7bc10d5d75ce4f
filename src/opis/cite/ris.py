"""RIS records (Zotero, EndNote, Mendeley), tagged the way Zotero's RIS importer reads them.

- ``TY  - PCOMM`` for a letter (telegram, cablegram, …), ``MANSCPT`` otherwise (``item_types``);
- ``AU`` the authors and, on a letter, ``A2`` the recipients, each "Family, Given" as the
  authority inverts the name (a name with no comma is one name: an office, a person unknown);
- ``M3`` the type as printed (Zotero's letter or manuscript type);
- ``DB`` the archive and ``AN`` the archival location(s): Zotero reads ``DB`` as Archive and
  ``AN`` as Loc. in Archive. ``DP`` (which Zotero files under "Library Catalog") names the
  digital archive the record came from, when there is one;
- ``N1`` what a letter has no field for: the printed volume, the intermediary.
"""

from opis.cite.creators import inverted
from opis.cite.item_types import LETTER, of_item
from opis.cite.styles import register


def _ris_date(parts: list[int]) -> str:
    """RIS dates are ``YYYY/MM/DD/``, with empty places for what is not known."""
    padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
    return "/".join(padded + [""] * (3 - len(padded))) + "/"


def _lines(item: dict) -> list[tuple[str, str]]:
    kind = of_item(item)
    lines = [("TY", kind.ris), ("ID", item["id"]), ("TI", item["title"])]
    lines += [("AU", inverted(name)) for name in item.get("author", [])]
    if kind is LETTER:
        lines += [("A2", inverted(name)) for name in item.get("recipient", [])]
    issued = item.get("issued") or {}
    if "date-parts" in issued:
        start = issued["date-parts"][0]
        lines += [("PY", str(start[0])), ("DA", _ris_date(start))]
    lines += [
        ("M3", item.get("genre", "")),
        ("DB", item.get("archive", "")),
        ("AN", item.get("archive_location", "")),
        ("DP", item.get("publisher", "")),
        ("LA", item.get("language", "")),
        ("AB", item.get("abstract", "")),
        ("UR", item.get("URL", "")),
    ]
    lines += [("N1", line) for line in (item.get("note") or "").splitlines()]
    if item.get("accessed"):
        lines.append(("Y2", _ris_date(item["accessed"]["date-parts"][0])))
    return [(tag, " ".join(str(value).split())) for tag, value in lines if value]


@register("ris", "RIS", "application/x-research-info-systems", "ris")
def ris(item: dict) -> str:
    body = "".join(f"{tag}  - {value}\n" for tag, value in _lines(item))
    return body + "ER  - \n"
