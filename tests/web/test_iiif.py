"""IIIF for scans: a Presentation 3 manifest per scanned document whose every image resolves to
a level-0 Image API service, and each page's word boxes for highlighting searched words.

A real FOIA scan (one page with a text layer naming Reykjavik) ingested with ``ocr="never"``
into this test's catalogue; pages rendered by the real pdftoppm into a temporary data folder.
"""

import io
import json
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from PIL import Image

from conftest import FOIA, SEED_ID, require
from opis.ingest import ingest_paths
from opis.records.models import Document, Status
from opis.records.publication import set_status

SCAN = "F-1986-04261/C09000024.pdf"


@pytest.fixture
def scan(db, isolated_index, settings, tmp_path) -> Document:
    settings.DATA_DIR = tmp_path  # rendered pages and word boxes: cache/pages/ here
    report = ingest_paths([require(FOIA / SCAN)], ocr="never").as_json()
    assert report["ingested"] == 1, report
    return Document.objects.get(id=report["documents"][0]["id"])


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_the_manifest_is_presentation_3_with_one_canvas_per_page(client, scan):
    response = client.get(f"/iiif/manifest/{scan.id}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    manifest = json.loads(response.content)
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["type"] == "Manifest" and manifest["label"]["en"] == [scan.title]
    pages = scan.texts.first().pages
    assert len(manifest["items"]) == len(pages)
    for canvas in manifest["items"]:
        assert canvas["type"] == "Canvas" and canvas["width"] > 0 and canvas["height"] > 0
        annotation = canvas["items"][0]["items"][0]
        assert annotation["motivation"] == "painting" and annotation["target"] == canvas["id"]
        assert annotation["body"]["service"][0]["profile"] == "level0"


def test_every_image_resolves_to_its_level_0_service(client, scan):
    manifest = json.loads(client.get(f"/iiif/manifest/{scan.id}").content)
    for canvas in manifest["items"]:
        body = canvas["items"][0]["items"][0]["body"]
        info = json.loads(client.get(path_of(body["service"][0]["id"]) + "/info.json").content)
        assert info["profile"] == "level0" and info["type"] == "ImageService3"
        image = client.get(path_of(body["id"]))
        assert image.status_code == 200 and image["Content-Type"] == "image/png"
        content = b"".join(image.streaming_content)
        image.close()
        with Image.open(io.BytesIO(content)) as png:
            assert png.size == (info["width"], info["height"])
        assert info["sizes"] == [{"width": info["width"], "height": info["height"]}]
        # the canvas is the page at the rendering's resolution: within a pixel of the image
        assert abs(canvas["width"] - info["width"]) <= 1
        assert abs(canvas["height"] - info["height"]) <= 1


def test_a_size_the_service_does_not_offer_is_refused(client, scan):
    base = f"/iiif/{scan.source_sha256}/1"
    info = json.loads(client.get(base + "/info.json").content)
    offered = client.get(f"{base}/full/{info['width']},{info['height']}/0/default.png")
    offered.close()  # a file response: its file is closed with it
    assert offered.status_code == 200
    assert client.get(f"{base}/full/10,10/0/default.png").status_code == 400


def test_word_boxes_hold_the_page_words_on_the_page(client, scan):
    words = json.loads(client.get(f"/scans/{scan.source_sha256}/1/words.json").content)["words"]
    assert any(text.lower().strip(".,") == "reykjavik" for text, *_ in words)
    page_text = scan.texts.first().body.split()
    assert sum(text in page_text for text, *_ in words) > 0.8 * len(words)
    for _, x, y, w, h in words:
        assert x >= 0 and x + w <= 1.001 and w > 0 and h > 0 and y >= 0


def test_the_document_page_links_the_manifest_and_loads_the_viewer_from_our_files(client, scan):
    page = client.get(f"/documents/{scan.id}").content.decode()
    assert f'href="/iiif/manifest/{scan.id}"' in page
    assert 'src="/static/vendor/openseadragon/openseadragon.min.js"' in page
    assert f'data-words="/scans/{scan.source_sha256}/1/words.json"' in page
    served = client.get("/static/vendor/openseadragon/openseadragon.min.js")
    served.close()
    assert served.status_code == 200


def test_a_document_that_is_no_scan_has_no_manifest(client, archive, isolated_index):
    assert client.get(f"/iiif/manifest/{SEED_ID}").status_code == 404


def test_an_unpublished_scan_is_not_shown_to_readers(client, scan):
    set_status(scan.id, Status.DRAFT, actor="test")
    cache.clear()
    sha = scan.source_sha256
    for url in (f"/iiif/manifest/{scan.id}", f"/iiif/{sha}/1/info.json",
                f"/iiif/{sha}/1/full/max/0/default.png", f"/scans/{sha}/1/words.json"):  # fmt: skip
        response = client.get(url)
        response.close()
        assert response.status_code == 404, url
