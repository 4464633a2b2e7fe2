"""The city admin's procedure catalogue pages (included from onestop/urls.py)."""

from django.urls import path

from intake.views import catalogue

app_name = "catalogue"

urlpatterns = [
    path("", catalogue.catalogue_list, name="list"),
    path("nhap/", catalogue.catalogue_import, name="import"),
    path("nhap/<str:job_id>/", catalogue.catalogue_import_job, name="import-job"),
    path("nhap/<str:job_id>/tiep/", catalogue.catalogue_import_step, name="import-step"),
    path("<str:code>/sua/", catalogue.procedure_edit, name="edit"),
    path("<str:code>/ap-dung/", catalogue.procedure_toggle, name="toggle"),
]
