"""``/unapi``: the unAPI 1.0 resolver (https://web.archive.org/web/2012/http://unapi.info/specs/)
through which Zotero saves the documents a page names.

Zotero's page translators try unAPI before COinS and embedded metadata: a page that links
``<link rel="unapi-server" href="/unapi">`` and marks each document with
``<abbr class="unapi-id" title="ID">`` has its items read from ``/unapi?id=ID&format=ris``, with
the archive, archival location, letter type and recipients that COinS cannot carry — on a search
page too, as "multiple items". As the spec says:

- ``/unapi``: the formats on offer (200, ``application/xml``);
- ``/unapi?id=ID``: the formats for that document (300 Multiple Choices), 404 if there is none;
- ``/unapi?id=ID&format=F``: the document in that format (200), 406 for a format not offered,
  404 for an id unknown — or unpublished, to a reader, exactly as everywhere else.

The formats are the citation styles a reference manager reads (the registry's styles that are
not plain text: BibTeX, RIS, CSL-JSON). MODS and Zotero RDF are not offered: Zotero's unAPI
translator picks them over RIS whenever they are listed, and its MODS importer files the archive
and the location in one field.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from lxml import etree

from opis.cite import STYLES, Style, csl_json
from opis.records.serialize import document_json
from opis.records.visibility import load_visible
from opis.web.errors import reports_errors

XML = "application/xml; charset=utf-8"
RIS_DOCS = "http://www.refman.com/support/risformat_intro.asp"
DOCS = {
    "ris": RIS_DOCS,
    "bibtex": "https://ctan.org/pkg/biblatex",
    "csl-json": "https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html",
}


def formats() -> list[Style]:
    """The styles a citation manager imports: those with a media type of their own."""
    return [style for style in STYLES.values() if style.media_type != "text/plain"]


def formats_xml(document_id: str | None = None) -> bytes:
    root = etree.Element("formats")
    if document_id is not None:
        root.set("id", document_id)
    for style in formats():
        element = etree.SubElement(root, "format", name=style.name, type=style.media_type)
        if style.name in DOCS:
            element.set("docs", DOCS[style.name])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@require_safe
@reports_errors
def unapi(request: HttpRequest) -> HttpResponse:
    document_id, name = request.GET.get("id"), request.GET.get("format")
    if not document_id:
        status = 400 if name else 200  # a format without an id names nothing
        return HttpResponse(formats_xml(), content_type=XML, status=status)
    document = load_visible(document_id, request.user)  # NotFound: 404, as the spec says
    if not name:
        return HttpResponse(formats_xml(document.id), content_type=XML, status=300)
    style = next((style for style in formats() if style.name == name), None)
    if style is None:
        return HttpResponse(formats_xml(document.id), content_type=XML, status=406)
    page = request.build_absolute_uri(reverse("document", args=[document.id]))
    text = style.render(csl_json(document_json(document), page_url=page))
    return HttpResponse(text, content_type=f"{style.media_type}; charset=utf-8")
