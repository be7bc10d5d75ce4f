"""The National Archives of the United Kingdom (formerly the Public Record Office).

"FO 371/84057", "PRO, CAB 128/17", "TNA, PREM 8/1405", "FO 371/84057/F1023/1": department code,
series number, piece, and an item below the piece. ``series`` is "FO 371", ``control_symbol`` the
piece (and item), ``reference`` the whole reference.

TNA's department codes are its own, so "FO 371/84057" is TNA's whether or not the citation names
it. Codes other archives also use in the same shape ("B", "T", "J", "DO" after "BArch") are taken
only when the citation names TNA or the PRO.
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, register

OWN_CODES = (
    "FO", "FCO", "CAB", "PREM", "DO", "CO", "WO", "ADM", "AIR", "DEFE", "KV", "HS", "INF",
    "DSIR", "AVIA", "CAOG", "OD", "MAF", "BT", "HO", "LAB", "SUPP", "ES", "EG", "AB", "MT",
)  # fmt: skip
SHARED_CODES = ("T", "B", "J", "C", "E", "PC", "PRO")
_REPOSITORY = (
    r"(?P<repo>TNA\s*(?:\(PRO\)|:\s*PRO|,\s*PRO)?|PRO|Public\s+Record\s+Office|"
    r"The\s+National\s+Archives(?:\s+of\s+the\s+(?:UK|United\s+Kingdom))?(?:\s*\(UK\))?|"
    r"UK\s+National\s+Archives)(?:,?\s*(?:Kew|London))?\s*[,:]?\s*"
)
_REFERENCE = re.compile(
    rf"(?:{_REPOSITORY})?(?<![\w/])(?P<code>{'|'.join(OWN_CODES + SHARED_CODES)})\s?"
    r"(?P<series>\d{1,4})\s?/\s?(?P<piece>\d{1,6}[A-Z]?)(?P<item>(?:/[A-Z]{0,3}\s?\d+)*)(?![\w])"
)


@register("tna", "FO 371/84057", "PRO, CAB 128/17")
def find(text: str, written: str) -> Iterator[Found]:
    for match in _REFERENCE.finditer(text):
        if match.group("code") in SHARED_CODES and not match.group("repo"):
            continue
        series = f"{match.group('code')} {match.group('series')}"
        control = match.group("piece") + match.group("item")
        location = found(
            written,
            match.start(),
            match.end(),
            repository="TNA",
            series=series,
            control_symbol=control,
            reference=f"{series}/{control}",
        )
        if location:
            yield location
