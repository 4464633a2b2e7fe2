from django.urls import include, path

from onestop.api.views import MeView, TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include("wards.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("intake.api.urls")),
    path("", include("postal.deliveries.api")),
    path("", include("postal.api.urls")),
    path("", include("hall.api.urls")),
]
