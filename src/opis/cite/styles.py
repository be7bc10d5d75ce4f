"""The registry of citation styles: a style is a name, a media type and a render function.

Adding a style is adding a module that calls ``register`` (imported in ``opis.cite``); nothing
dispatches on names elsewhere. Styles are offered in the order they are registered: the Cite panel
(whose first style is the one shown), ``opis cite --style`` and the API list them so.
"""

from collections.abc import Callable
from dataclasses import dataclass

from opis.cite.csl import csl_json
from opis.errors import OpisError


class UnknownStyle(OpisError):
    http_status = 400
    exit_code = 2
    code = "unknown_style"


@dataclass(frozen=True)
class Style:
    name: str
    label: str
    media_type: str
    extension: str
    render: Callable[[dict], str]


STYLES: dict[str, Style] = {}


def register(name: str, label: str, media_type: str = "text/plain", extension: str = "txt"):
    """Decorator: register ``render(item) -> str`` under ``name``."""

    def decorate(render: Callable[[dict], str]) -> Callable[[dict], str]:
        STYLES[name] = Style(name, label, media_type, extension, render)
        return render

    return decorate


def get_style(name: str) -> Style:
    try:
        return STYLES[name]
    except KeyError:
        known = ", ".join(STYLES)
        raise UnknownStyle(f"style={name!r} is not a citation style; use one of: {known}") from None


def cite(record: dict, style: str = "chicago-note", page_url: str | None = None) -> str:
    """The record (``document_json``) cited in ``style``, rendered from its CSL-JSON item;
    ``page_url`` is its URL for a record with no published source (``csl_json``)."""
    return get_style(style).render(csl_json(record, page_url=page_url))
