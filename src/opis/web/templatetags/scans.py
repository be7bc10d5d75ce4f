"""``{% scan_pages_of document as pages %}``: the scan pages a document page shows.

A tag, so the document page needs one ``{% include %}`` and no change to its view.
"""

from django import template

from opis.web.scan_pages import scan_pages

register = template.Library()


@register.simple_tag
def scan_pages_of(document) -> list[dict]:
    return scan_pages(document)
