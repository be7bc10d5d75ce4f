"""CSL-JSON as a file: the canonical item itself, in an array (the ``csl-json`` style)."""

import json

from opis.cite.styles import register


@register("csl-json", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json")
def render_csl_json(item: dict) -> str:
    """A CSL-JSON file is an array of items; Zotero, Pandoc and citeproc read it as is."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
