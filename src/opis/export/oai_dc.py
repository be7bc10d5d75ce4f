"""oai_dc XML: one ``<oai_dc:dc>`` element per document inside ``<records>``, for aggregators.

Each element is the one the OAI-PMH provider serves (``opis.oai.metadata.oai_dc``), so a bulk
file and a harvest say the same thing. Elements are serialised one at a time between a written
opening and closing tag, so the file is streamed; each carries its own namespace declarations.
"""

from collections.abc import Iterator
from xml.sax.saxutils import quoteattr

from lxml import etree

from opis.export import ExportContext
from opis.oai.metadata import oai_dc

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"


class OaiDcRecords:
    name = "oai_dc"
    description = "oai_dc XML: Dublin Core records, as served by the OAI-PMH provider"
    media_type = "application/xml; charset=utf-8"
    extension = ".xml"
    folder = False
    label = "oai_dc XML"
    download = False

    def pieces(self, context: ExportContext) -> Iterator[str]:
        query = context.selection.query
        yield (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<records xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}" '
            f"exported_at={quoteattr(context.exported_at.isoformat())}"
            + (f" query={quoteattr(query)}" if query else "")
            + ">\n"
        )
        for document in context.selection.documents(context.progress):
            page_url = context.document_url(document.pk) if context.base_url else ""
            element = oai_dc(document, page_url)
            yield etree.tostring(element, encoding="unicode") + "\n"
        yield "</records>\n"


FORMAT = OaiDcRecords()
