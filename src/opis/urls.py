"""URLs: the reading room, the JSON API beside it under /api/, static files, the admin.

Document ids may contain ``/`` (FRUS ids such as ``frus1918Russiav03/d101``), hence ``path:``.
Static files are served by Django itself, DEBUG or not, because ``opis serve`` is a local server.
"""

from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView

from opis.export import downloads
from opis.oai.views import oai_pmh
from opis.web import api, scan_pages, sitemaps, views
from opis.web.export_views import search_export
from opis.web.originals_view import original_file

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search_page, name="search"),
    path("documents/<path:document_id>", views.document_page, name="document"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/<slug:slug>", views.collection_page, name="collection"),
    path("originals/<str:sha256>", original_file, name="original"),
    path("scans/<str:sha256>/<int:n>.png", scan_pages.page_image, name="scan-page"),
    *[
        path(
            f"export/search{chosen.extension}",
            search_export,
            {"format_name": chosen.name},
            name=f"export-{chosen.name}",
        )
        for chosen in downloads()
    ],
    path("api/", api.urls()),
    path("oai", oai_pmh, name="oai"),
    path("admin/", admin.site.urls),
    re_path(r"^static/(?P<path>.+)$", views.static_file, name="static"),
    path("favicon.ico", RedirectView.as_view(url="/static/opis/favicon.svg", permanent=True)),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
]

handler404 = views.not_found
handler500 = views.server_error
