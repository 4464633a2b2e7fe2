"""Pages of the postal back office: roster, authorisations, out-of-list review, data entry,
guidance, the chief's accounts and counters, and the password change."""

from django.urls import path

from postal.views import authorisations, data_entry, guidance, reviews, roster, staff

app_name = "postal"

urlpatterns = [
    # -- the roster --
    path("phan-cong/", roster.roster, name="roster"),
    path("phan-cong/o/", roster.roster_slot, name="roster-slot"),
    path("phan-cong/sao-chep/", roster.roster_copy, name="roster-copy"),
    path("phan-cong/<int:pk>/", roster.assignment_detail, name="assignment"),
    path("phan-cong/<int:pk>/huy/", roster.assignment_cancel_view, name="assignment-cancel"),
    # -- independent work and out-of-list review --
    path("giao-thu-tuc/", authorisations.authorisations, name="authorisations"),
    path("giao-thu-tuc/giao/", authorisations.authorisation_grant_view, name="authorisation-grant"),
    path(
        "giao-thu-tuc/<int:pk>/thu-hoi/",
        authorisations.authorisation_revoke_view,
        name="authorisation-revoke",
    ),
    path("ngoai-danh-muc/", reviews.out_of_list, name="out-of-list"),
    path("ngoai-danh-muc/<str:code>/", reviews.out_of_list_review_view, name="out-of-list-review"),
    # -- data entry and guidance --
    path("nhap-lieu/", data_entry.batches, name="batches"),
    path("nhap-lieu/<int:pk>/", data_entry.batch_detail, name="batch"),
    path("nhap-lieu/<int:pk>/dong/", data_entry.batch_close_view, name="batch-close"),
    path("nhap-lieu/<int:pk>/nhap/", data_entry.batch_entry, name="batch-entry"),
    path("huong-dan/", guidance.guidance, name="guidance"),
    # -- people and desks --
    path("nhan-vien/", staff.accounts, name="accounts"),
    path("nhan-vien/them/", staff.account_create, name="account-create"),
    path("nhan-vien/<int:pk>/", staff.account_detail, name="account"),
    path("nhan-vien/<int:pk>/khoa/", staff.account_deactivate, name="account-deactivate"),
    path("nhan-vien/<int:pk>/mo-khoa/", staff.account_reactivate, name="account-reactivate"),
    path(
        "nhan-vien/<int:pk>/dat-lai-mat-khau/",
        staff.account_reset_password,
        name="account-reset-password",
    ),
    path(
        "nhan-vien/<int:pk>/go-khoa-dang-nhap/",
        staff.account_login_unlock,
        name="account-login-unlock",
    ),
    path(
        "nhan-vien/<int:pk>/ma-api/<int:token_id>/thu-hoi/",
        staff.account_token_revoke,
        name="account-token-revoke",
    ),
    path("quay/", staff.counters, name="counters"),
    path("quay/<int:pk>/", staff.counter_detail, name="counter"),
    path("doi-mat-khau/", staff.PasswordChangeView.as_view(), name="password-change"),
    path("doi-mat-khau/xong/", staff.PasswordChangeDoneView.as_view(), name="password-change-done"),
]
