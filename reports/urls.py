"""Report pages: the city's and each ward's reports, their exports and the logbook."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.reports_home, name="reports"),
    path("bao-cao/bieu-06.xlsx", views.bieu06_xlsx, name="bieu06-xlsx"),
    path("bao-cao/bieu-06.csv", views.bieu06_csv, name="bieu06-csv"),
    path("bao-cao/thi-diem.xlsx", views.pilot_xlsx, name="pilot-xlsx"),
    path("bao-cao/thi-diem.csv", views.pilot_csv, name="pilot-csv"),
    path("bao-cao/phuong/<slug:slug>/", views.ward_report, name="ward-report"),
    path(
        "bao-cao/phuong/<slug:slug>/bieu-06-linh-vuc.xlsx",
        views.ward_fields_xlsx,
        name="ward-fields-xlsx",
    ),
    path("bao-cao/phuong/<slug:slug>/so-theo-doi/", views.logbook, name="logbook"),
    path("bao-cao/phuong/<slug:slug>/so-theo-doi.xlsx", views.logbook_xlsx, name="logbook-xlsx"),
    path(
        "bao-cao/phuong/<slug:slug>/so-theo-doi/xuat/", views.logbook_export, name="logbook-export"
    ),
]
