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
