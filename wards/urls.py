"""The city admin's calendar and ward pages."""

from django.urls import path

from wards import views

app_name = "wards"

urlpatterns = [
    path("thanh-pho/lich-lam-viec/", views.calendar_page, name="calendar"),
    path("thanh-pho/lich-lam-viec/<int:pk>/huy/", views.calendar_revoke, name="calendar-revoke"),
    path("thanh-pho/phuong/", views.ward_admin_list, name="ward-admin-list"),
    path("thanh-pho/phuong/<slug:slug>/", views.ward_admin_edit, name="ward-admin-edit"),
]
