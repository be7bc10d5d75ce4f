"""Find: a query language, one search interface, and a Tantivy index derived from the catalogue.

``search()`` is the single entry point used by the CLI, the reading room and the JSON API.
"""

from opis.search.engine import search
from opis.search.results import FacetValue, Hit, SearchResults

__all__ = ["FacetValue", "Hit", "SearchResults", "search"]
