"""The registry of citation styles: a style is a name, a media type and a render function.

Adding a style is adding a module that calls ``register``; nothing dispatches on names elsewhere.
"""

import json
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


def cite(record: dict, style: str = "chicago-note") -> str:
    """The record (``document_json``) cited in ``style``, rendered from its CSL-JSON item."""
    return get_style(style).render(csl_json(record))


@register("csl-json", "CSL-JSON", "application/vnd.citationstyles.csl+json", "json")
def render_csl_json(item: dict) -> str:
    """A CSL-JSON file is an array of items; Zotero, Pandoc and citeproc read it as is."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
