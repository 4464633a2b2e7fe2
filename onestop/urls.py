"""The composition root: every app's pages and API under one URL space."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from onestop import views
from onestop.api.views import SchemaView

handler400 = "onestop.api.exceptions.bad_request"
handler403 = "onestop.api.exceptions.permission_denied"
handler404 = "onestop.api.exceptions.not_found"
handler500 = "onestop.api.exceptions.server_error"
urlpatterns = [
    path("", views.home, name="home"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("thanh-pho/tac-vu/", views.task_list, name="tasks"),
    path("tac-vu/<uuid:pk>/", views.task_detail, name="task"),
    path("tac-vu/<uuid:pk>/tien-do/", views.task_progress, name="task-progress"),
    path("tac-vu/<uuid:pk>/tep/", views.task_file, name="task-file"),
    path("", include("intake.urls")),
    path("", include("postal.deliveries.urls")),
    path("", include("wards.urls")),
    path("", include("reports.urls")),
    path("", include("postal.urls")),
    path("", include("hall.urls")),
    path("danh-muc/", include("intake.urls_catalogue")),
    path("api/v1/", include("onestop.api.urls")),
    # The schema and its docs are for signed-in staff: the schema answers 404 to anyone else
    # (like any API object out of scope), the docs page sends a person to the login page.
    path(
        "api/schema/",
        SchemaView.as_view(),
        name="api-schema",
    ),
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]
