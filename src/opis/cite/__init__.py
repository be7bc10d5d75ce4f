"""Citations: one canonical CSL-JSON item per document; every style is rendered from it.

``csl_json(record)`` builds the item from the record JSON (``document_json``); ``cite(record,
style)`` renders it in a registered style. Importing this package registers the styles.
"""

# Each module registers its styles, in the order they are offered: Chicago first.
# isort: off
from opis.cite import chicago, bibtex, ris, csl_file  # noqa: F401

# isort: on
from opis.cite.csl import csl_json
from opis.cite.styles import STYLES, Style, UnknownStyle, cite, get_style

__all__ = ["STYLES", "Style", "UnknownStyle", "cite", "csl_json", "get_style"]
