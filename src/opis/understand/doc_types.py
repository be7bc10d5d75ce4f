"""Document types from the words editors use for them.

A small controlled vocabulary so that facets group "Ciphered telegram", "Cablegram" and "Cable"
together. The first matching keyword wins, so more specific phrases come first.
"""

import re

DOC_TYPES: list[tuple[str, str]] = [
    (
        r"record of (?:a )?conversation|memorandum of conversation|conversation with",
        "record of conversation",
    ),
    (r"ciphered telegram|telegram|cablegram|cable|telex|teleprinter message", "telegram"),
    (r"aide-m[ée]moire", "aide-mémoire"),
    (r"memorandum|memo\b", "memorandum"),
    (r"minutes of|minutes\b", "minutes"),
    (r"\bminute\b", "minute"),
    (r"letter", "letter"),
    (r"despatch|dispatch", "despatch"),
    (r"\bnote\b|note verbale", "note"),
    (r"report", "report"),
    (r"speech|address|statement", "speech"),
    (r"cabinet submission|submission", "submission"),
    (r"cabinet decision|decision", "decision"),
    (r"agreement|treaty|protocol", "agreement"),
    (r"agendum|agenda", "agendum"),
    (r"draft", "draft"),
]
_COMPILED = [
    (re.compile(rf"\b(?:{pattern})", re.IGNORECASE), label) for pattern, label in DOC_TYPES
]


def doc_type_of(*phrases: str) -> str:
    """The first type named in the phrases (title, heading line…), or "document" when none is."""
    for phrase in phrases:
        for pattern, label in _COMPILED:
            if phrase and pattern.search(phrase):
                return label
    return "document"


def type_as_written(label: str, *phrases: str) -> str | None:
    """The words the editor printed for a document of type ``label``: "Ciphered telegram" in
    "Ciphered telegram, Filippov [Stalin] to …", "Cablegram" in "Cablegram unnumbered BRUSSELS";
    None when no phrase names that type. Citation managers want the type as printed (Zotero's
    letter type), the facets want the ``label``."""
    for phrase in phrases:
        for pattern, found in _COMPILED:
            match = phrase and found == label and pattern.search(phrase)
            if match:
                return match.group(0)[:1].upper() + match.group(0)[1:]
    return None
