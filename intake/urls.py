"""Pages of the counter: intake and receipts, the dossier list and detail, result return,
and the citizens' public status page."""

from django.urls import path

import intake.views.files as file_views  # digitised components
from intake.views import dossiers, returns  # dossier list, detail, steps, slips, return

app_name = "intake"

urlpatterns: list = [
    # -- intake form, receipt, public status page --
    # -- dossier list, detail, lifecycle steps, slips, result return --
    path("ho-so/", dossiers.dossier_list_view, name="dossier-list"),
    path("ho-so/<str:code>/", dossiers.dossier_detail_view, name="dossier-detail"),
    path("ho-so/<str:code>/buoc/", dossiers.dossier_step_view, name="dossier-step"),
    path("ho-so/<str:code>/mau-02/", dossiers.supplement_slip_view, name="dossier-supplement-slip"),
    path("ho-so/<str:code>/mau-03/", dossiers.refusal_slip_view, name="dossier-refusal-slip"),
    path("ho-so/<str:code>/mau-04/", dossiers.apology_slip_view, name="dossier-apology-slip"),
    path("ho-so/<str:code>/mau-05/", dossiers.control_sheet_view, name="dossier-control-sheet"),
    path("tra-ket-qua/", returns.result_return_view, name="return"),
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
