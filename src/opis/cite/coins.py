"""COinS: an OpenURL ContextObject (Z39.88-2004, KEV) per search hit, so Zotero and other
reference managers can capture a whole page of results at once ("multiple items").

Built from the canonical CSL-JSON item like every other form, in the Dublin Core format
``info:ofi/fmt:kev:mtx:dc`` with ``rft.type`` the Zotero item type (``letter`` or ``manuscript``,
``item_types``: Zotero's OpenURL reader takes a known item type from ``rft.type``). A printed
FRUS or DFAT document is not made a book item: it keeps its type, the volume going in
``rft.relation``. KEV has no archive or recipient keys; the archival locations go in
``rft.source``. Zotero reads a search page's unAPI ids before its COinS (``web/unapi.py``), so
COinS serve the other tools that read them.

Authors go in ``rft.creator``, one key per name, "Family, Given". The date is
ISO 8601 to the record's precision (a range gives its start: KEV has one date). ``rft_id`` is the
document's URL in this archive. Spaces are encoded ``%20``, never ``+``: Zotero turns both ``+``
and ``%2B`` into spaces, so a ``+`` would not survive either way, but ``%20`` at least reads the
same to every parser. The caller puts the string in a ``title`` attribute and lets the template
escape it (``&`` becomes ``&amp;``).
"""

from urllib.parse import quote, urlencode

from opis.cite.creators import inverted
from opis.cite.csl import printed_in
from opis.cite.item_types import of_item

CONTEXT = (("ctx_ver", "Z39.88-2004"),)
DUBLIN_CORE = "info:ofi/fmt:kev:mtx:dc"


def kev_date(issued: dict | None) -> str:
    """ "1950-07-13", "1950-07" or "1950" from CSL date-parts; "" for a literal or no date."""
    if not issued or "date-parts" not in issued:
        return ""
    start = issued["date-parts"][0]
    return "-".join([f"{start[0]:04d}", *(f"{part:02d}" for part in start[1:])])


def _dublin_core(item: dict) -> list[tuple[str, str]]:
    pairs = [("rft_val_fmt", DUBLIN_CORE), ("rft.type", of_item(item).zotero)]
    pairs += [("rft.title", item["title"])]
    pairs += [("rft.creator", inverted(name)) for name in item.get("author", [])]
    pairs += [
        ("rft.publisher", item.get("publisher", "")),
        ("rft.source", item.get("archive_location", "")),
        ("rft.relation", printed_in(item)),
        ("rft.description", item.get("abstract", "")),
        ("rft.language", item.get("language", "")),
    ]
    return pairs


def context_object(item: dict, document_url: str) -> str:
    """The KEV ContextObject for one CSL-JSON item, identified by its page ``document_url``."""
    pairs = [
        *CONTEXT,
        ("rft_id", document_url),
        *_dublin_core(item),
        ("rft.date", kev_date(item.get("issued"))),
    ]
    return urlencode([(key, value) for key, value in pairs if value], quote_via=quote)
