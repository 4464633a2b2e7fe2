from django.urls import path
from rest_framework.routers import SimpleRouter

from wards.api.reports import Bieu06View, PilotView
from wards.api.views import WardViewSet

router = SimpleRouter()
router.register("wards", WardViewSet, basename="ward")
urlpatterns = [
    *router.urls,
    path("reports/bieu06/", Bieu06View.as_view(), name="api-report-bieu06"),
    path("reports/pilot/", PilotView.as_view(), name="api-report-pilot"),
]
