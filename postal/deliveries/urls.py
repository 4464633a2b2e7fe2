"""Pages of the public postal service (included from onestop/urls.py)."""

from django.urls import path

from postal.deliveries.views import dossier, sending, tariff, tracking

app_name = "deliveries"

urlpatterns = [
    path("chuyen-phat/", tracking.delivery_list_view, name="list"),
    path("chuyen-phat/ban-giao/", tracking.handover_view, name="handover"),
    path("chuyen-phat/cuoc-phi/", sending.delivery_quote_view, name="quote"),
    path("chuyen-phat/bang-cuoc/", tariff.tariff_view, name="tariff"),
    path("chuyen-phat/<int:delivery_id>/", tracking.delivery_detail_view, name="detail"),
    path("chuyen-phat/<int:delivery_id>/buoc/", tracking.delivery_step_view, name="step"),
    path("ho-so/<str:code>/gui-buu-dien/", sending.delivery_send_view, name="send"),
    path("ho-so/<str:code>/buu-dien/", dossier.dossier_postal_view, name="dossier-postal"),
]
