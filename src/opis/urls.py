"""URLs: the reading room, the JSON API beside it under /api/, static files, the admin.

Document ids may contain ``/`` (FRUS ids such as ``frus1918Russiav03/d101``), hence ``path:``.
Static files are served by Django itself, DEBUG or not, because ``opis serve`` is a local server.
"""

from django.contrib import admin
from django.urls import path, re_path
from django.views.generic import RedirectView

from opis.export import downloads
from opis.oai.views import oai_pmh
from opis.web import (
    api,
    archive_tree,
    audit_page,
    curation_pages,
    iiif,
    network,
    person_pages,
    scan_pages,
    sign_in,
    sitemaps,
    staff_pages,
    views,
    workspace_pages,
)
from opis.web.export_views import search_export
from opis.web.originals_view import original_file
from opis.web.unapi import unapi

urlpatterns = [
    path("", views.home, name="home"),
    path("search", views.search_page, name="search"),
    path("search/network", network.network_page, name="network"),
    path("search/network.json", network.network_data, name="network-json"),
    path("unapi", unapi, name="unapi"),  # Zotero's unAPI: docs/citations.md
    # before the record's route: ids may contain "/", so it would match these too
    path("documents/<path:document_id>/edit", curation_pages.edit_page, name="edit"),
    path("documents/<path:document_id>/history", curation_pages.history_page, name="history"),
    path(
        "documents/<path:document_id>/history/<int:number>/restore",
        curation_pages.restore_page,
        name="restore",
    ),  # fmt: skip
    path(
        "documents/<path:document_id>/threads/<int:link_id>",
        curation_pages.thread_decision,
        name="thread-decision",
    ),  # fmt: skip
    path("documents/<path:document_id>/corrections", staff_pages.propose, name="propose"),
    path("documents/<path:document_id>/note", workspace_pages.note_save, name="note"),
    path("documents/<path:document_id>", views.document_page, name="document"),
    path("collections/", views.collection_list, name="collections"),
    path("collections/<slug:slug>", views.collection_page, name="collection"),
    path("originals/<str:sha256>", original_file, name="original"),
    path("scans/<str:sha256>/<int:n>.png", scan_pages.page_image, name="scan-page"),
    path("scans/<str:sha256>/<int:n>/words.json", iiif.page_words, name="scan-words"),
    path("iiif/<str:sha256>/<int:n>/info.json", iiif.image_info, name="iiif-info"),
    path(
        "iiif/<str:sha256>/<int:n>/full/<str:size>/0/default.png",
        iiif.image_full,
        name="iiif-image",
    ),  # fmt: skip
    path("iiif/manifest/<path:document_id>", iiif.manifest, name="iiif-manifest"),
    *[
        path(
            f"export/search{chosen.extension}",
            search_export,
            {"format_name": chosen.name},
            name=f"export-{chosen.name}",
        )
        for chosen in downloads()
    ],
    path("people/<str:person_id>", person_pages.person_page, name="person"),
    path("archives/", archive_tree.archives_page, name="archives"),
    path("archives/<str:repository>", archive_tree.node_page, name="archive-node"),
    path("api/archives/", archive_tree.archives_json, name="archives-json"),
    path("api/archives/<str:repository>", archive_tree.node_json, name="archive-node-json"),
    path("api/", api.urls()),
    path("oai", oai_pmh, name="oai"),
    path("accounts/login/", sign_in.login, name="login"),
    path("accounts/logout/", sign_in.logout, name="logout"),
    path("me/", workspace_pages.workspace_page, name="workspace"),
    path("me/searches", workspace_pages.search_save, name="search-save"),
    path("me/searches/<int:search_id>/delete", workspace_pages.search_delete, name="search-delete"),
    path("me/folders", workspace_pages.folder_new, name="folder-new"),
    path("me/folders/<int:folder_id>/add", workspace_pages.folder_add, name="folder-add"),
    path("me/folders/<int:folder_id>/remove", workspace_pages.folder_remove, name="folder-remove"),
    path("staff/audit", audit_page.audit_trail, name="audit"),
    path("staff/review", staff_pages.review_list, name="review"),
    path("staff/review/<int:item_id>", staff_pages.review_settle, name="review-settle"),
    path("staff/corrections", staff_pages.correction_list, name="corrections"),
    path("staff/people", staff_pages.people_page, name="people-merges"),
    path("staff/people/merge", staff_pages.people_merge, name="people-merge"),
    path("staff/people/split", staff_pages.people_split, name="people-split"),
    path("staff/people/names", staff_pages.people_names, name="people-names"),
    path(
        "staff/people/names/<int:name_id>/remove",
        staff_pages.people_name_remove,
        name="people-name-remove",
    ),  # fmt: skip
    path("staff/corrections/<int:correction_id>", staff_pages.correction_decide, name="decide"),
    path("admin/", admin.site.urls),
    re_path(r"^static/(?P<path>.+)$", views.static_file, name="static"),
    path("favicon.ico", RedirectView.as_view(url="/static/opis/favicon.svg", permanent=True)),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
]

handler404 = views.not_found
handler500 = views.server_error
