"""``{% thread_chain_of document threads as thread %}`` and ``{% parallel_of texts as parallel %}``:
what the document page draws from what its view already gathered (``web.thread_chain``,
``web.parallel_texts``). Tags, so the page needs no change to its view, which caching wraps."""

from django import template

from opis.web.access import staff_view
from opis.web.iiif import manifest_link
from opis.web.parallel_texts import parallel_rows
from opis.web.thread_chain import thread_chain

register = template.Library()


@register.simple_tag(takes_context=True)
def thread_chain_of(context, document, threads) -> dict:
    """The chain, followed as far as the requester may see (staff: every record)."""
    return thread_chain(document, threads or {}, staff_view(context["request"]))


@register.simple_tag
def parallel_of(texts) -> dict | None:
    return parallel_rows(texts or [])


@register.simple_tag
def iiif_manifest_of(document) -> str:
    return manifest_link(document)
