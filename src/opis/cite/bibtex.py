"""BibTeX (and biblatex) entries: ``@misc`` for archival documents, ``@incollection`` for a
document printed in a series volume. Text is UTF-8 (biber and modern BibTeX read it); the
characters TeX treats specially are escaped so every entry's braces balance.
"""

import re

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


@register("bibtex", "BibTeX", "application/x-bibtex", "bib")
def bibtex(item: dict) -> str:
    chapter = item["type"] == "chapter"
    fields: dict[str, str] = {
        # double braces keep the title's capitals as written
        "title": "{" + tex_escape(item["title"]) + "}",
        "author": " and ".join(
            "{" + tex_escape(n["literal"]) + "}" for n in item.get("author", [])
        ),
        **{k: v for k, v in _date_fields(item.get("issued")).items()},
        "booktitle": tex_escape(item.get("container-title", "")) if chapter else "",
        "series": tex_escape(item.get("collection-title", "")),
        "number": tex_escape(item.get("number", "")),
        "type": tex_escape(item.get("genre", "")),
        "howpublished": tex_escape(item.get("archive_location", "")),
        "publisher": tex_escape(item.get("publisher", "")),
        "language": tex_escape(item.get("language", "")),
        "url": url_escape(item.get("URL", "")),
        "urldate": _iso(item["accessed"]["date-parts"][0]) if item.get("accessed") else "",
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    kind = "incollection" if chapter else "misc"
    return f"@{kind}{{{entry_key(item['id'])},\n{body}\n}}\n"
