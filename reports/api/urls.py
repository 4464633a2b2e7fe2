from django.urls import path

from reports.api.views import Bieu06View, PilotView

urlpatterns = [
    path("reports/bieu06/", Bieu06View.as_view(), name="api-report-bieu06"),
    path("reports/pilot/", PilotView.as_view(), name="api-report-pilot"),
]
