"""East Asian foreign ministries: the PRC Foreign Ministry Archives and Japan's Diplomatic Archives.

PRC FMA file numbers (档号) have three parts, category-file-volume: "105-00001-01",
"PRC FMA 109-00022-01". The shape is the FMA's own and no other archive in the field uses it,
so a bare number in that shape is read as the FMA's (documented rule). The number is both
``control_symbol`` and ``reference``; pages after it ("109-00022-01, pp. 1-5", "…, 12-15",
"…，第3页") are ``folios``, as leaves are elsewhere; a bare number must be a range, so a
year ("…, 1955") is not taken for a page.

Japan's Ministry of Foreign Affairs classifies files with a letter, an optional prime and dotted
numbers: "A'.1.0.0.1", "B.1.1.0.1-12". The repository must be named ("Diplomatic Archives of
the Ministry of Foreign Affairs of Japan", "外務省外交史料館", …).
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, register, segment_end
from opis.understand.archives.repositories import repository_pattern

_FMA = re.compile(
    r"(?:" + repository_pattern("PRC FMA", quiet=True)
    + r"(?:,?\s*Beijing)?\s*[,:：]?\s*(?:(?:file|document|dossier|record)\s+(?:no\.\s*)?|"
    r"档号[:：]?\s*|No\.\s*)?)?(?<![\w-])(?P<number>[12]\d{2}-\d{5}-\d{2})(?![\w-])"
    r"(?:\s*[,，]\s*(?:(?:pp?\.\s*|第)(?P<pages>\d{1,4}(?:\s*[-–]\s*\d{1,4})?)(?:\s*页)?"
    r"|(?P<range>\d{1,4}\s*[-–]\s*\d{1,4}))(?![\w-]|\.\d))?"
)  # fmt: skip
_MOFA = re.compile(
    repository_pattern("MOFA Japan", quiet=True)
    + r"(?:\s*\((?:Tokyo|Japan)\))?(?:,?\s*Tokyo)?\s*[,:、]?\s*"
    r"(?P<file>[A-Z]['’′´]?\.\d+(?:\.\d+)+(?:-\d+)*)"
)


@register("prc-fma", "PRC FMA 109-00022-01", "105-00001-01")
def find_fma(text: str, written: str) -> Iterator[Found]:
    for match in _FMA.finditer(text):
        number = match.group("number")
        location = found(
            written,
            match.start(),
            match.end(),
            repository="PRC FMA",
            control_symbol=number,
            reference=number,
            folios=match.group("pages") or match.group("range") or "",
        )
        if location:
            yield location


@register("mofa-japan", "Diplomatic Archives of the Ministry of Foreign Affairs of Japan, A'.1")
def find_mofa(text: str, written: str) -> Iterator[Found]:
    for match in _MOFA.finditer(text):
        end = segment_end(text, match.end())
        location = found(
            written,
            match.start(),
            end,
            repository="MOFA Japan",
            control_symbol=match.group("file"),
            reference=text[match.start("file") : end],
        )
        if location:
            yield location
