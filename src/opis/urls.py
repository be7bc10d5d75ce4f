"""URLs: the reading room, the JSON API beside it under /api/, static files, the admin.

Document ids may contain ``/`` (FRUS ids such as ``frus1918Russiav03/d101``), hence ``path:``.
Static files are served by Django itself, DEBUG or not, because ``opis serve`` is a local server.
"""

from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView

from opis.web import api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search_page, name="search"),
    path("documents/<path:document_id>", views.document_page, name="document"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/<slug:slug>", views.collection_page, name="collection"),
    path("api/", api.urls()),
    path("admin/", admin.site.urls),
    re_path(r"^static/(?P<path>.+)$", views.static_file, name="static"),
    path("favicon.ico", RedirectView.as_view(url="/static/opis/favicon.svg", permanent=True)),
]

handler404 = views.not_found
handler500 = views.server_error
