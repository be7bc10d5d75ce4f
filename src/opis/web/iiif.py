"""IIIF for scanned documents: a level-0 Image API 3 service per page, a Presentation 3 manifest
per document, and the word boxes of a page for highlighting searched words on the image.

**Why level 0 with one size.** A page is already rendered once to a PNG (``scan_pages``); the
Image API's level 0 lets a service offer exactly that file (``full/max/0/default.png``) and say so
in ``info.json`` (one entry in ``sizes``, no tiles), so Mirador, Universal Viewer or our own
OpenSeadragon can open it without an image server. Who may see a page is the same rule as for the
PNG (``originals_view.readers_may_have``); the manifest is served only for a record the requester
may see (``visibility.load_visible``). The manifest is built with iiif-prezi3, so it is valid
Presentation 3 by construction rather than by our reading of the spec.

**Why word boxes from the PDF's text layer.** opis keeps each page's text but not where its
words stand. ``pdftotext -bbox`` (poppler-utils, already needed for page images) gives every word
of the PDF's text layer with its box, cheaply and on demand; the boxes are kept beside the page
image. For pages whose text was read from that layer they are the very words shown beside the
scan. For pages opis read with OCR the layer is the scanner's own, so a word found there may be
missing (the reason opis ran OCR): highlighting is then a help, not a promise.
"""

import json
import subprocess
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from iiif_prezi3 import Manifest
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from opis.errors import BadQuery, NotFound
from opis.records.models import Document
from opis.records.originals import SHA256
from opis.records.visibility import load_visible
from opis.web.errors import error_page, reports_errors
from opis.web.originals_view import readers_may_have
from opis.web.scan_pages import (
    RESOLUTION_DPI,
    RenderFailed,
    cache_dir,
    page_image,
    rendered_page,
    scan_file,
    scan_pages,
)

IMAGE_CONTEXT = "http://iiif.io/api/image/3/context.json"
PDFTOTEXT_TIMEOUT_S = 60
_XHTML = "{http://www.w3.org/1999/xhtml}"


def _visible_scan(request: HttpRequest, sha256: str) -> str:
    """The Cache-Control for a scan this requester may see; NotFound otherwise."""
    if not SHA256.fullmatch(sha256):
        raise NotFound(f"{sha256[:80]!r} is not the sha256 of a scan (64 lowercase hex digits)")
    cache = readers_may_have(request, sha256)
    if cache is None:
        raise NotFound(f"no scan with sha256 {sha256} is kept in this archive")
    return cache


@reports_errors
def image_info(request: HttpRequest, sha256: str, n: int) -> HttpResponse:
    """``info.json`` of one page: a level-0 Image API 3 service offering its one rendered size."""
    cache = _visible_scan(request, sha256)
    width, height = _rendered_size(request, sha256, n)
    base = request.build_absolute_uri(reverse("iiif-info", args=[sha256, n])).removesuffix(
        "/info.json"
    )
    info = {
        "@context": IMAGE_CONTEXT,
        "id": base,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level0",
        "width": width,
        "height": height,
        "sizes": [{"width": width, "height": height}],
    }
    response = JsonResponse(info, content_type=f'application/ld+json;profile="{IMAGE_CONTEXT}"')
    response["Cache-Control"] = cache
    response["Access-Control-Allow-Origin"] = "*"  # other sites' viewers read it (IIIF)
    return response


@reports_errors
def image_full(request: HttpRequest, sha256: str, n: int, size: str) -> HttpResponse:
    """``full/max/0/default.png`` (or the one size ``info.json`` lists): the rendered page."""
    _visible_scan(request, sha256)
    if size != "max":
        width, height = _rendered_size(request, sha256, n)
        if size not in (f"{width},{height}", f"{width},", f"^{width},{height}"):
            raise BadQuery(
                f"size {size[:40]!r} is not offered: this level-0 service has only 'max' "
                f"({width},{height}); see its info.json"
            )
    response = page_image(request, sha256, n)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _rendered_size(request: HttpRequest, sha256: str, n: int) -> tuple[int, int]:
    with Image.open(rendered_page(sha256, n)) as image:
        return image.size


@reports_errors
def manifest(request: HttpRequest, document_id: str) -> HttpResponse:
    """A Presentation 3 manifest: one canvas per page of a scanned document, each painted by its
    level-0 image service, so any IIIF viewer can open the scan."""
    document = load_visible(document_id, request.user)
    pages = scan_pages(document)
    if not pages:  # a record the requester may see, but no scan: not "no such document"
        message = f"{document.id} is not a scanned document, so it has no IIIF manifest"
        return error_page(request, 404, "not_a_scan", message)
    sizes = page_sizes(scan_file(document.source_sha256))
    absolute = request.build_absolute_uri
    built = Manifest(
        id=absolute(reverse("iiif-manifest", args=[document.id])),
        label={"en": [document.title]},
        homepage=[
            {
                "id": absolute(reverse("document", args=[document.id])),
                "type": "Text",
                "label": {"en": [document.title]},
                "format": "text/html",
            }
        ],  # fmt: skip
    )
    for page in pages:
        number = int(page["n"]) if page["n"].isdigit() else 1
        width, height = sizes[number - 1] if number <= len(sizes) else sizes[-1]
        canvas_id = absolute(reverse("iiif-manifest", args=[document.id])) + f"/canvas/{number}"
        canvas = built.make_canvas(
            id=canvas_id, label={"none": [f"p. {page['n']}"]}, width=width, height=height
        )
        service = absolute(reverse("iiif-info", args=[document.source_sha256, number]))
        painting = canvas.add_image(
            image_url=service.removesuffix("/info.json") + "/full/max/0/default.png",
            anno_page_id=f"{canvas_id}/page",
            anno_id=f"{canvas_id}/image",
            format="image/png",
            width=width,
            height=height,
        )
        painting.items[0].body.make_service(
            id=service.removesuffix("/info.json"), type="ImageService3", profile="level0"
        )
    response = HttpResponse(
        built.json(indent=2),
        content_type='application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"',
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def page_sizes(pdf: Path) -> list[tuple[int, int]]:
    """Each page's size in pixels at the resolution pages are rendered at (turned pages turned)."""
    try:
        reader = PdfReader(pdf, strict=False)
        sizes = []
        for page in reader.pages:
            box = page.mediabox
            width, height = float(box.width), float(box.height)
            if page.rotation % 180:
                width, height = height, width
            scale = RESOLUTION_DPI / 72
            sizes.append((round(width * scale), round(height * scale)))
    except Exception as exc:  # noqa: BLE001 - any damage: the scan cannot be described
        raise RenderFailed(f"the scan cannot be opened ({type(exc).__name__})") from None
    return sizes or [(850, 1100)]


@reports_errors
def page_words(request: HttpRequest, sha256: str, n: int) -> HttpResponse:
    """``/scans/<sha256>/<n>/words.json``: ``{"words": [[text, x, y, w, h], …]}``, each box in
    fractions of the page's width (OpenSeadragon's viewport units: the image is 1 wide)."""
    cache = _visible_scan(request, sha256)
    kept = cache_dir() / sha256 / f"{n}.words.json"
    if not kept.is_file():
        words = read_word_boxes(scan_file(sha256), n)
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial = kept.with_suffix(".part")
        partial.write_text(json.dumps({"words": words}, ensure_ascii=False), encoding="utf-8")
        partial.replace(kept)
    response = HttpResponse(kept.read_bytes(), content_type="application/json")
    response["Cache-Control"] = cache
    return response


def read_word_boxes(pdf: Path, n: int) -> list[list]:
    """Words of page ``n`` of the PDF's text layer with their boxes (``pdftotext -bbox``)."""
    command = ["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(pdf), "-"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PDFTOTEXT_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderFailed(f"the words of page {n} could not be read ({exc})") from None
    if done.returncode != 0:
        raise RenderFailed(f"the words of page {n} could not be read (pdftotext {done.returncode})")
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=True)
    root = etree.fromstring(done.stdout or b"<html/>", parser)
    if root is None:
        return []
    page = next(root.iter(f"{_XHTML}page", "page"), None)
    if page is None:
        return []
    width = float(page.get("width") or 0) or 1.0
    words = []
    for word in page.iter(f"{_XHTML}word", "word"):
        text = (word.text or "").strip()
        x0, y0 = float(word.get("xMin", 0)), float(word.get("yMin", 0))
        x1, y1 = float(word.get("xMax", 0)), float(word.get("yMax", 0))
        if text and x1 > x0 and y1 > y0:
            box = [round(v / width, 5) for v in (x0, y0, x1 - x0, y1 - y0)]
            words.append([text, *box])
    return words


def manifest_link(document: Document) -> str:
    """The manifest's URL for a scanned document's page; "" for any other document."""
    return reverse("iiif-manifest", args=[document.id]) if scan_pages(document) else ""
