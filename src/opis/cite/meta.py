"""Embedded metadata for the document page: Highwire ``citation_*`` tags (Google Scholar, Zotero)
and Dublin Core ``DC.*`` tags, as (name, content) pairs built from the CSL-JSON item. The
template escapes every content; nothing here is marked safe.
"""


def _dates(item: dict) -> tuple[str, str]:
    """Highwire wants ``1950/07/13``; Dublin Core ISO ``1950-07-13``; both to the precision."""
    issued = item.get("issued") or {}
    if "date-parts" not in issued:
        return "", ""
    start = issued["date-parts"][0]
    padded = [f"{start[0]:04d}", *(f"{p:02d}" for p in start[1:])]
    return "/".join(padded), "-".join(padded)


def meta_tags(item: dict, page_url: str) -> list[tuple[str, str]]:
    highwire_date, iso_date = _dates(item)
    authors = [name["literal"] for name in item.get("author", [])]
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", name) for name in authors]
    tags += [
        ("citation_date", highwire_date),
        ("citation_inbook_title", item.get("container-title", "")),
        ("citation_series_title", item.get("collection-title", "")),
        ("citation_publisher", item.get("publisher", "")),
        ("citation_archive_location", item.get("archive_location", "")),
        ("citation_public_url", page_url),
        ("citation_abstract_html_url", page_url),
        ("citation_language", item.get("language", "")),
        ("DC.title", item["title"]),
    ]
    tags += [("DC.creator", name) for name in authors]
    tags += [
        ("DC.date", iso_date),
        ("DC.identifier", page_url),
        ("DC.source", item.get("URL") or item.get("archive_location", "")),
        ("DC.language", item.get("language", "")),
        ("DC.type", "Text"),
    ]
    return [(name, content) for name, content in tags if content]
