"""COinS: an OpenURL ContextObject (Z39.88-2004, KEV) per search hit, so Zotero and other
reference managers can capture a whole page of results at once ("multiple items").

Built from the canonical CSL-JSON item like every other form. Two shapes, following what Zotero's
OpenURL reader (``Zotero.OpenURL.parseContextObject``) understands:

- a document printed in a series volume (CSL ``chapter``: FRUS, DAFP) is a *book item*:
  ``rft_val_fmt=info:ofi/fmt:kev:mtx:book``, ``rft.genre=bookitem``, the document title in
  ``rft.atitle``, the volume in ``rft.btitle``, the series in ``rft.series``;
- an archival document (CSL ``manuscript``) uses the Dublin Core format
  ``info:ofi/fmt:kev:mtx:dc`` with ``rft.type=manuscript`` (Zotero takes a known item type from
  ``rft.type``); the archival locations go in ``rft.source``, the repository in ``rft.publisher``
  only when the item names a publisher.

Authors go in ``rft.au`` (book) or ``rft.creator`` (dc), one key per name, as written. The date is
ISO 8601 to the record's precision (a range gives its start: KEV has one date). ``rft_id`` is the
document's URL in this archive. Spaces are encoded ``%20``, never ``+``: Zotero turns both ``+``
and ``%2B`` into spaces, so a ``+`` would not survive either way, but ``%20`` at least reads the
same to every parser. The caller puts the string in a ``title`` attribute and lets the template
escape it (``&`` becomes ``&amp;``).
"""

from urllib.parse import quote, urlencode

CONTEXT = (("ctx_ver", "Z39.88-2004"),)
BOOK = "info:ofi/fmt:kev:mtx:book"
DUBLIN_CORE = "info:ofi/fmt:kev:mtx:dc"


def kev_date(issued: dict | None) -> str:
    """ "1950-07-13", "1950-07" or "1950" from CSL date-parts; "" for a literal or no date."""
    if not issued or "date-parts" not in issued:
        return ""
    start = issued["date-parts"][0]
    return "-".join([f"{start[0]:04d}", *(f"{part:02d}" for part in start[1:])])


def _names(item: dict) -> list[str]:
    return [name["literal"] for name in item.get("author", []) if name.get("literal")]


def _book_item(item: dict) -> list[tuple[str, str]]:
    pairs = [("rft_val_fmt", BOOK), ("rft.genre", "bookitem"), ("rft.atitle", item["title"])]
    pairs += [("rft.btitle", item.get("container-title", ""))]
    pairs += [("rft.series", item.get("collection-title", ""))]
    pairs += [("rft.au", name) for name in _names(item)]
    pairs += [("rft.pub", item.get("publisher", ""))]
    return pairs


def _manuscript(item: dict) -> list[tuple[str, str]]:
    pairs = [("rft_val_fmt", DUBLIN_CORE), ("rft.type", "manuscript"), ("rft.title", item["title"])]
    pairs += [("rft.creator", name) for name in _names(item)]
    pairs += [
        ("rft.publisher", item.get("publisher", "")),
        ("rft.source", item.get("archive_location", "")),
        ("rft.description", item.get("abstract", "")),
        ("rft.language", item.get("language", "")),
    ]
    return pairs


SHAPES = {"chapter": _book_item, "manuscript": _manuscript}


def context_object(item: dict, document_url: str) -> str:
    """The KEV ContextObject for one CSL-JSON item, identified by its page ``document_url``."""
    shape = SHAPES.get(item.get("type", ""), _manuscript)
    pairs = [
        *CONTEXT,
        ("rft_id", document_url),
        *shape(item),
        ("rft.date", kev_date(item.get("issued"))),
    ]
    return urlencode([(key, value) for key, value in pairs if value], quote_via=quote)
