"""What kind of item a document is to a citation manager, written once for every format.

Diplomatic documents are correspondence or papers, not articles or book sections. A telegram,
cablegram, letter, note or despatch is a *letter* (Zotero ``letter``, CSL
``personal_communication``, RIS ``PCOMM``, biblatex ``@letter``): it has an author, recipients and
a letter type, the type as printed ("Ciphered telegram", "Cablegram"). Everything else — a
memorandum, record of conversation, minutes, report, speech, a scan of unknown type — is a
*manuscript* (``manuscript``, ``MANSCPT``, biblatex ``@unpublished``) with a manuscript type.

A document printed in a FRUS or DFAT volume keeps this archival identity: it is still the
telegram Kennan sent, not a creator-less section of a book; the volume goes in the series fields
and in Zotero's "extra". CSL-JSON needs ``personal_communication`` for its ``recipient`` list to
survive an import (Zotero keeps recipients only on that type), which is why the CSL type is named
here rather than left to each renderer.
"""

from dataclasses import dataclass

from opis.understand.doc_types import type_as_written


@dataclass(frozen=True)
class ItemType:
    zotero: str  # Zotero's item type, also the ``DC.type`` a page gives Zotero
    csl: str  # CSL-JSON ``type``
    ris: str  # RIS ``TY``
    biblatex: str  # biblatex entry type
    genre_field: str  # Zotero's field for the type as printed: letterType, manuscriptType


LETTER = ItemType("letter", "personal_communication", "PCOMM", "letter", "letterType")
MANUSCRIPT = ItemType("manuscript", "manuscript", "MANSCPT", "unpublished", "manuscriptType")

LETTER_TYPES = ("telegram", "cablegram", "letter", "note", "despatch")
BY_CSL = {kind.csl: kind for kind in (LETTER, MANUSCRIPT)}


def item_type(record: dict) -> ItemType:
    """The item type of a record (``document_json``), from its document type."""
    return LETTER if (record.get("doc_type") or "") in LETTER_TYPES else MANUSCRIPT


def of_item(item: dict) -> ItemType:
    """The item type of a CSL-JSON item built by ``csl_json``: how every renderer asks."""
    return BY_CSL.get(item.get("type", ""), MANUSCRIPT)


def printed_type(record: dict) -> str | None:
    """The document's type as the editor printed it in the title or source note, else its type
    from opis's vocabulary, capitalised; None for a plain "document". Text bodies are not read:
    a search page cites its hits without loading them (``citable_records``), and every form
    must say the same."""
    label = record.get("doc_type") or ""
    if label in ("", "document"):
        return None
    phrases = (record.get("title") or "", record.get("citation") or "")
    return type_as_written(label, *phrases) or label[:1].upper() + label[1:]
