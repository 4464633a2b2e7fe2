"""Pages of the counter: intake and receipts, the dossier list and detail, result return,
and the citizens' public status page."""

from django.urls import path

import intake.views.files as file_views  # digitised components

app_name = "intake"

urlpatterns: list = [
    # -- intake form, receipt, public status page --
    # -- dossier list, detail, lifecycle steps, slips, result return --
    # -- digitised components --
    path("ho-so/<str:code>/so-hoa/", file_views.dossier_files_view, name="dossier-files"),
    path(
        "ho-so/<str:code>/so-hoa/<int:file_id>/",
        file_views.dossier_file_download_view,
        name="dossier-file",
    ),
    path(
        "ho-so/<str:code>/so-hoa/<int:file_id>/thay-the/",
        file_views.dossier_file_supersede_view,
        name="dossier-file-supersede",
    ),
]
