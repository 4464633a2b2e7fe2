"""Pages of the counter: intake and receipts, the dossier list and detail, result return,
and the citizens' public status page."""

from django.urls import path

import intake.views.card as card_views  # the ID card's QR payload, read for the scanner
import intake.views.files as file_views  # digitised components
import intake.views.privacy as privacy_views  # personal data access log
import intake.views.public as public_views  # public status page
import intake.views.receive as receive_views  # intake form, receipt
from intake.views import dossiers, returns, slips  # dossier list, detail, steps, slips, return

app_name = "intake"

urlpatterns: list = [
    # -- intake form, receipt, public status page --
    path("tiep-nhan/", receive_views.receive, name="receive"),
    path("tiep-nhan/thu-tuc/", receive_views.receive_procedures, name="receive-procedures"),
    path("tiep-nhan/thanh-phan/", receive_views.receive_procedure, name="receive-procedure"),
    path("tiep-nhan/ngay-hen/", receive_views.receive_appointment, name="receive-appointment"),
    path("tiep-nhan/the-cccd/", card_views.card_read_view, name="receive-card"),
    path("ho-so/<str:code>/bien-nhan/", receive_views.receipt, name="receipt"),
    path("ho-so/<str:code>/bien-nhan.pdf", receive_views.receipt_pdf, name="receipt-pdf"),
    path("tra-cuu/", public_views.lookup, name="public-lookup"),
    path("tra-cuu/<str:token>/", public_views.status, name="public-status"),
    # -- dossier list, detail, lifecycle steps, slips, result return --
    path("ho-so/", dossiers.dossier_list_view, name="dossier-list"),
    path("ho-so/<str:code>/", dossiers.dossier_detail_view, name="dossier-detail"),
    path("ho-so/<str:code>/buoc/", dossiers.dossier_step_view, name="dossier-step"),
    path(
        "ho-so/<str:code>/mau-02/",
        slips.event_slip_view,
        {"kind": "supplement"},
        name="dossier-supplement-slip",
    ),
    path(
        "ho-so/<str:code>/mau-03/",
        slips.event_slip_view,
        {"kind": "refusal"},
        name="dossier-refusal-slip",
    ),
    path(
        "ho-so/<str:code>/dung-giai-quyet/",
        slips.event_slip_view,
        {"kind": "stop"},
        name="dossier-stop-slip",
    ),
    path("ho-so/<str:code>/mau-04/", slips.apology_slip_view, name="dossier-apology-slip"),
    path("ho-so/<str:code>/mau-05/", slips.control_sheet_view, name="dossier-control-sheet"),
    path("ho-so/<str:code>/ban-giao/", slips.handover_slip_view, name="dossier-handover-slip"),
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
    # -- personal data access log --
    path("nhat-ky-truy-cap/", privacy_views.access_log_view, name="access-log"),
]
