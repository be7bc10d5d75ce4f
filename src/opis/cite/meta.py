"""Embedded metadata for the document page, as (name, content) pairs built from the CSL-JSON
item; the template escapes every content, nothing here is marked safe.

Written for what Zotero's Embedded Metadata and RDF translators read, and what they do with it:

- ``DC.type`` is the Zotero item type (``letter``, ``manuscript``; ``item_types``): "Text", or
  ``citation_title`` without it, would make a journal article;
- no ``citation_author``: any such tag replaces every creator found elsewhere, and the recipients
  would vanish. Authors are ``DC.creator``, recipients ``z.recipients`` (one tag each), both
  "Family, Given" so "Zhou Enlai" is not saved as first name Zhou;
- no ``citation_inbook_title`` or ``citation_book_title`` (they force a book section) and no
  ``DC.source`` (it becomes a publication title): the printed volume goes in ``z.extra``;
- Zotero's own namespace fills the archive fields: ``z.archive``, ``z.archiveLocation``, and
  ``z.letterType`` or ``z.manuscriptType`` for the type as printed.

Google Scholar still finds ``citation_title``, ``citation_date`` and the page URLs. The page's
``description`` meta tag is the record's summary (``description``), not the site's blurb.
"""

from opis.cite.creators import inverted
from opis.cite.item_types import of_item


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
    kind = of_item(item)
    tags = [
        ("citation_title", item["title"]),
        ("citation_date", highwire_date),
        ("citation_archive_location", item.get("archive_location", "")),
        ("citation_public_url", page_url),
        ("citation_abstract_html_url", page_url),
        ("citation_language", item.get("language", "")),
        ("DC.type", kind.zotero),
        ("DC.title", item["title"]),
    ]
    tags += [("DC.creator", inverted(name)) for name in item.get("author", [])]
    tags += [
        ("DC.date", iso_date),
        ("DC.identifier", page_url),
        ("DC.language", item.get("language", "")),
        ("z.archive", item.get("archive", "")),
        ("z.archiveLocation", item.get("archive_location", "")),
        (f"z.{kind.genre_field}", item.get("genre", "")),
    ]
    tags += [("z.recipients", inverted(name)) for name in item.get("recipient", [])]
    tags += [("z.extra", item.get("note", ""))]
    return [(name, content) for name, content in tags if content]


def description(item: dict) -> str:
    """The page's ``<meta name="description">``: the record's summary, else its title."""
    return item.get("abstract") or item["title"]
