"""RIS records (Zotero, EndNote, Mendeley): ``TY  - MANSCPT`` or ``CHAP`` … ``ER  - ``.

Every archival location goes in ``AV`` (archive location); the repository in ``DP``.
"""

from opis.cite.styles import register

TYPES = {"manuscript": "MANSCPT", "chapter": "CHAP"}


def _ris_date(parts: list[int]) -> str:
    """RIS dates are ``YYYY/MM/DD/``, with empty places for what is not known."""
    padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]
    return "/".join(padded + [""] * (3 - len(padded))) + "/"


def _lines(item: dict) -> list[tuple[str, str]]:
    lines = [("TY", TYPES.get(item["type"], "GEN")), ("ID", item["id"]), ("TI", item["title"])]
    lines += [("AU", name["literal"]) for name in item.get("author", [])]
    issued = item.get("issued") or {}
    if "date-parts" in issued:
        start = issued["date-parts"][0]
        lines += [("PY", str(start[0])), ("DA", _ris_date(start))]
    if item["type"] == "chapter":
        lines += [("T2", item.get("container-title", "")), ("T3", item.get("collection-title", ""))]
        lines += [("SE", item.get("number", ""))]
    else:
        lines.append(("T2", item.get("publisher", "")))
    lines += [
        ("M3", item.get("genre", "")),
        ("DP", item.get("archive", "")),
        ("AV", item.get("archive_location", "")),
        ("PB", item.get("publisher", "")),
        ("LA", item.get("language", "")),
        ("AB", item.get("abstract", "")),
        ("UR", item.get("URL", "")),
    ]
    if item.get("accessed"):
        lines.append(("Y2", _ris_date(item["accessed"]["date-parts"][0])))
    return [(tag, " ".join(str(value).split())) for tag, value in lines if value]


@register("ris", "RIS", "application/x-research-info-systems", "ris")
def ris(item: dict) -> str:
    body = "".join(f"{tag}  - {value}\n" for tag, value in _lines(item))
    return body + "ER  - \n"
