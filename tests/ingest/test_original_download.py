"""The original of a record, downloadable from ``/originals/<sha256>``: the stored bytes, always
as an attachment under the name it arrived with, never sniffed; anything else is the site's 404."""

import hashlib

import pytest

from conftest import DFAT, require
from opis.ingest import ingest_paths
from opis.records.originals import stored_path
from opis.web.originals_view import original_link

LETTER = DFAT / "volume-10-1946-july-december" / "1-evatt-to-chifley.md"


@pytest.fixture
def kept(db, settings, tmp_path, isolated_index):
    settings.ORIGINALS_DIR = tmp_path / "originals"
    assert ingest_paths([require(LETTER)]).ok
    return hashlib.sha256(LETTER.read_bytes()).hexdigest()


def test_the_original_downloads_as_an_attachment_under_its_name(client, kept):
    response = client.get(f"/originals/{kept}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == LETTER.read_bytes()
    assert response["Content-Disposition"] == f'attachment; filename="{LETTER.name}"'
    assert response["Content-Type"] == "text/markdown"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_document_page_can_link_its_original(kept):
    assert original_link(kept) == {
        "url": f"/originals/{kept}",
        "name": LETTER.name,
        "size": LETTER.stat().st_size,
        "media_type": "text/markdown",
    }
    assert original_link("0" * 64) is None


@pytest.mark.parametrize(
    ("asked", "says"),
    [
        ("0" * 64, "no original with sha256"),
        ("not-a-checksum", "is not the sha256 of an original"),
        ("A" * 64, "is not the sha256 of an original"),
    ],
)
def test_unknown_or_malformed_checksums_are_the_sites_404(client, kept, asked, says):
    response = client.get(f"/originals/{asked}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert says in response.content.decode()


def test_an_original_lost_from_the_store_is_a_404_that_says_so(client, kept):
    stored_path(kept).unlink()
    response = client.get(f"/originals/{kept}")
    assert response.status_code == 404
    assert "opis verify" in response.content.decode()
