"""The composition root: every app's pages and API under one URL space."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from onestop import views

handler404 = "onestop.api.exceptions.not_found"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("", include("intake.urls")),
    path("", include("postal.deliveries.urls")),
    path("", include("wards.urls")),
    path("", include("reports.urls")),
    path("", include("postal.urls")),
    path("danh-muc/", include("intake.urls_catalogue")),
    path("api/v1/", include("onestop.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
