"""Pages of the public postal service (included from onestop/urls.py)."""

from django.urls import path

from postal.deliveries.views import tracking as views

app_name = "deliveries"

urlpatterns = [
    path("chuyen-phat/", views.delivery_list_view, name="list"),
    path("chuyen-phat/ban-giao/", views.handover_view, name="handover"),
    path("chuyen-phat/cuoc-phi/", views.delivery_quote_view, name="quote"),
    path("chuyen-phat/bang-cuoc/", views.tariff_view, name="tariff"),
    path("chuyen-phat/<int:delivery_id>/", views.delivery_detail_view, name="detail"),
    path("chuyen-phat/<int:delivery_id>/buoc/", views.delivery_step_view, name="step"),
    path("ho-so/<str:code>/gui-buu-dien/", views.delivery_send_view, name="send"),
    path("ho-so/<str:code>/buu-dien/", views.dossier_postal_view, name="dossier-postal"),
]
