"""German archives: the Bundesarchiv (BArch) and the Foreign Office's Political Archive (PA AA).

"BArch, B 136/59748, 403-410": series "B 136", control symbol "59748", folios "403-410" (a
number after the signature, or after "Bl."/"fol.", is a folio; "S." pages are left in raw).
SAPMO-BArch signatures keep their roman numerals and every slash: "DY 30/IV 2/2.035/43",
"DY 30/J IV 2/2/123" (a J before the numeral marks the Politbüro's working protocols).
"PA AA, B 12, Bd. 1": series "B 12", the rest ("B 12, Bd. 1") in ``reference``.

Both need the repository named: "B 136/59748" alone has the shape of other archives' references.
"""

import re
from collections.abc import Iterator

from opis.understand.archives.base import Found, found, register, segment_end
from opis.understand.archives.repositories import repository_pattern

_PLACE = r"(?:[\s,]+(?:Koblenz|Berlin(?:-Lichterfelde)?|Freiburg|Bayreuth))?"
_BARCH = re.compile(
    repository_pattern("BArch", quiet=True) + _PLACE + r"\s*[,:]?\s*"
    r"(?P<series>[A-Z]{1,3}\s?\d+(?:\s?[IVX]+)?(?:-[IVX]+)?)\s?/\s?"
    r"(?P<control>(?:(?:J\s?)?[IVX]+(?:\s?[A-Z])?\s)?[\w.]+(?:\s?/\s?[\w.]+)*?)"
    r"(?:\s*,\s*(?:(?:Bl|fol|ff?)\.\s*)?(?P<folios>\d+[rv]?(?:\s*[-–]\s*\d+[rv]?)?)(?!\w|\.\w))?"
    r"(?![\w/])"
)
_PA_AA = re.compile(repository_pattern("PA AA") + r"\s*[,:]\s*(?=[A-Z0-9])")
_PA_SERIES = re.compile(r"(?:B|R|MfAA\s*,?\s*[A-Z])\s?\d+")


@register("barch", "BArch, B 136/59748, 403-410")
def find_barch(text: str, written: str) -> Iterator[Found]:
    for match in _BARCH.finditer(text):
        series = match.group("series")
        control = match.group("control").rstrip(".")
        location = found(
            written,
            match.start(),
            match.end(),
            repository="BArch",
            series=series,
            control_symbol=control,
            folios=match.group("folios") or "",
            reference=f"{series}/{control}",
        )
        if location:
            yield location


@register("pa-aa", "PA AA, B 12, Bd. 1")
def find_pa_aa(text: str, written: str) -> Iterator[Found]:
    for match in _PA_AA.finditer(text):
        end = segment_end(text, match.end())
        reference = text[match.end() : end].strip(" ,.")
        series = _PA_SERIES.match(reference)
        location = found(
            written,
            match.start(),
            end,
            repository="PA AA",
            series=series.group() if series else "",
            reference=reference,
        )
        if location and reference:
            yield location
