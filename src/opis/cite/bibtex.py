"""biblatex entries: ``@letter`` for correspondence, ``@unpublished`` for other papers.

Why these and not ``@misc``: Zotero's BibTeX importer makes ``@letter`` a letter and
``@unpublished`` a manuscript, but ``@misc`` a generic "document"; biblatex has both types, and
classic BibTeX styles print an unknown ``@letter`` as ``@misc``. BibTeX has no archive or recipient
field that any reader maps, so:

- ``author``: "Family, Given" as the authority inverts the name; an office or unknown name in
  braces (one name, never split);
- ``type``: the type as printed (Zotero's letter/manuscript type);
- ``library``: the archival location(s), biblatex's field for "a library name and a call number";
- ``note``: the recipients, the archival location, the printed volume and the intermediary, in
  words every style prints and Zotero keeps as a note;
- ``series``/``number``: the FRUS or DFAT volume and document number.

Text is UTF-8 (biber and modern BibTeX read it); the characters TeX treats specially are escaped
so every entry's braces balance.
"""

import re

from opis.cite.creators import inverted, name_text
from opis.cite.item_types import of_item
from opis.cite.styles import register

TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "#": r"\#",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
TEX_PATTERN = re.compile("|".join(re.escape(c) for c in TEX_SPECIALS))
URL_SPECIALS = {"{": r"\{", "}": r"\}", "%": r"\%", "\\": "/"}


def tex_escape(text: str) -> str:
    return TEX_PATTERN.sub(lambda m: TEX_SPECIALS[m.group()], " ".join(str(text).split()))


def url_escape(url: str) -> str:
    return "".join(URL_SPECIALS.get(c, c) for c in url)


def entry_key(item_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:-]", "_", item_id)


def _iso(parts: list[int]) -> str:
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


def _date_fields(issued: dict | None) -> dict:
    if not issued or "date-parts" not in issued:
        return {}
    start = issued["date-parts"][0]
    fields = {"year": str(start[0]), "date": "/".join(_iso(p) for p in issued["date-parts"])}
    if len(start) > 1:
        fields["month"] = str(start[1])
    return fields


def _name(name: dict) -> str:
    """ "Stalin, Iosif Vissarionovich"; a literal name braced so no reader splits it."""
    return tex_escape(inverted(name)) if "literal" not in name else "{" + tex_escape(
        name["literal"]) + "}"  # fmt: skip


def _note(item: dict) -> str:
    parts = []
    if item.get("recipient"):
        parts.append("To " + " or ".join(name_text(n) for n in item["recipient"]))
    if item.get("archive_location"):
        parts.append(item["archive_location"])
    parts += (item.get("note") or "").splitlines()
    return ". ".join(parts)


@register("bibtex", "BibTeX", "application/x-bibtex", "bib")
def bibtex(item: dict) -> str:
    fields: dict[str, str] = {
        # double braces keep the title's capitals as written
        "title": "{" + tex_escape(item["title"]) + "}",
        "author": " and ".join(_name(n) for n in item.get("author", [])),
        **_date_fields(item.get("issued")),
        "type": tex_escape(item.get("genre", "")),
        "series": tex_escape(item.get("container-title", "")),
        "number": tex_escape(item.get("number", "")),
        "library": tex_escape(item.get("archive_location", "")),
        "note": tex_escape(_note(item)),
        "organization": tex_escape(item.get("publisher", "")),
        "language": tex_escape(item.get("language", "")),
        "url": url_escape(item.get("URL", "")),
        "urldate": _iso(item["accessed"]["date-parts"][0]) if item.get("accessed") else "",
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@{of_item(item).biblatex}{{{entry_key(item['id'])},\n{body}\n}}\n"
