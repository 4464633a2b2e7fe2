"""Pages of the counter hall: the kiosk, the ticket, the display, the counter's calling panel and
the chief's settings."""

from django.urls import path

from hall import views

app_name = "hall"

urlpatterns = [
    # -- devices without login (bound to a ward by their key) and the citizen's pages --
    path("xep-hang/", views.kiosk, name="kiosk"),
    path("xep-hang/lay-so/", views.kiosk_issue, name="kiosk-issue"),
    path("xep-hang/thiet-bi/<str:token>/", views.device_link, name="device-link"),
    path("xep-hang/so/<str:token>/", views.ticket_print, name="ticket-print"),
    path("xep-hang/theo-doi/<str:token>/", views.ticket_follow, name="follow"),
    path("xep-hang/man-hinh/", views.display, name="display"),
    path("xep-hang/man-hinh/trang-thai/", views.display_state, name="display-state"),
    # -- the citizen's evaluation: the counter's tablet, the receipt's QR, the worker's invite --
    path("xep-hang/danh-gia/", views.tablet, name="tablet"),
    path("xep-hang/danh-gia/trang-thai/", views.tablet_state, name="tablet-state"),
    path("xep-hang/danh-gia/gui/", views.tablet_submit, name="tablet-submit"),
    path("xep-hang/danh-gia/ho-so/<str:token>/", views.public_evaluation, name="evaluate"),
    path("xep-hang/danh-gia/moi/<str:code>/", views.invite, name="evaluation-invite"),
    path("xep-hang/danh-gia/ket-qua/", views.evaluation_list, name="evaluations"),
    # -- the counter --
    path("xep-hang/quay/", views.desk, name="desk"),
    path("xep-hang/quay/goi-tiep/", views.desk_next, name="desk-next"),
    path("xep-hang/so-thu-tu/<int:pk>/goi-lai/", views.ticket_recall_view, name="ticket-recall"),
    path("xep-hang/so-thu-tu/<int:pk>/vang-mat/", views.ticket_skip_view, name="ticket-skip"),
    path("xep-hang/so-thu-tu/<int:pk>/chuyen/", views.ticket_transfer_view, name="ticket-transfer"),
    path("xep-hang/so-thu-tu/<int:pk>/xong/", views.ticket_done_view, name="ticket-done"),
    # -- figures: the chief's dashboard panel, the tickets behind the reports' figures --
    path("xep-hang/bang-dieu-khien/", views.board, name="board"),
    path("xep-hang/danh-sach-so/", views.ticket_list, name="ticket-list"),
    # -- the chief's settings --
    path("xep-hang/cai-dat/", views.settings_page, name="settings"),
    path("xep-hang/cai-dat/nhom/<int:pk>/", views.group_update_view, name="group"),
    path("xep-hang/cai-dat/thiet-bi/", views.device_create_view, name="device-create"),
    path(
        "xep-hang/cai-dat/thiet-bi/<int:pk>/thu-hoi/",
        views.device_revoke_view,
        name="device-revoke",
    ),
]
