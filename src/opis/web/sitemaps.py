"""What search engines are told: ``/sitemap.xml`` and ``/robots.txt``.

The archive is meant to hold a million documents, more than one sitemap file may list (50,000
URLs, sitemaps.org), so ``/sitemap.xml`` is a sitemap *index* naming paged section files:
``/sitemap-documents.xml?p=1`` … and ``/sitemap-collections.xml``, ``/sitemap-pages.xml``.
Each document's ``lastmod`` is its ``updated_at``, so a crawler revisits only what changed.

Items are read as ``values()`` rows in primary-key order (stable pages, no model instances, no
text bodies), and the index's per-section ``lastmod`` is one ``MAX()`` query instead of Django's
default of evaluating ``lastmod`` for every item.

``robots.txt`` names the index and keeps crawlers out of what is not a page to index: search
results (an endless space of facet combinations; the documents are all in the sitemap), the
JSON API, bulk exports and the admin. Harvesters use ``/oai``, which stays open.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from opis.records.models import Collection, Document
from opis.records.visibility import public_q

ROBOTS_DISALLOW = ("/admin/", "/api/", "/export/", "/search")


class DocumentSitemap(Sitemap):
    """Every document page, 50,000 to a file, with the time its record last changed."""

    limit = 50_000

    def items(self):
        return Document.objects.filter(public_q()).order_by("id").values("id", "updated_at")

    def location(self, item: dict) -> str:
        return reverse("document", args=[item["id"]])

    def lastmod(self, item: dict):
        return item["updated_at"]

    def get_latest_lastmod(self):
        return Document.objects.filter(public_q()).aggregate(latest=Max("updated_at"))["latest"]


class CollectionSitemap(Sitemap):
    """Every collection page; it changes when one of its documents does."""

    limit = 50_000

    def items(self):
        return (
            Collection.objects.order_by("slug")
            .annotate(latest=Max("documents__updated_at", filter=public_q("documents__")))
            .values("slug", "latest")
        )

    def location(self, item: dict) -> str:
        return reverse("collection", args=[item["slug"]])

    def lastmod(self, item: dict):
        return item["latest"]

    def get_latest_lastmod(self):
        return Document.objects.filter(public_q(), collections__isnull=False).aggregate(
            latest=Max("updated_at")
        )["latest"]


class PageSitemap(Sitemap):
    """The reading room's own entry pages: home and the list of collections."""

    def items(self):
        return ["home", "collections"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "documents": DocumentSitemap,
    "collections": CollectionSitemap,
    "pages": PageSitemap,
}
SECTION_URL_NAME = "sitemap-section"


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the index of every section file and page of it."""
    return sitemap_views.index(request, sitemaps=SITEMAPS, sitemap_url_name=SECTION_URL_NAME)


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """``/sitemap-<section>.xml?p=N``; an unknown section or page is a 404, never a 500."""
    return sitemap_views.sitemap(request, sitemaps=SITEMAPS, section=section)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /"]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
