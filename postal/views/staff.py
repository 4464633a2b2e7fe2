"""The chief's people and desks: postal accounts (/nhan-vien/) and counters (/quay/); and the
password change every new account goes through first (/doi-mat-khau/)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onestop.errors import DomainError
from onestop.tokens import api_tokens_of
from postal.forms import AccountForm, CounterForm, NoteForm, ProfileForm, UnlockForm
from postal.models import CounterChange
from postal.selectors import (
    account_events,
    counters_for_chief,
    login_lockouts_for_chief,
    postal_accounts_for_chief,
)
from postal.services import (
    account_password_changed,
    counter_create,
    counter_update,
    postal_account_create,
    postal_account_deactivate,
    postal_account_reactivate,
    postal_account_reset_password,
    postal_account_token_revoke,
    postal_profile_update,
    ward_account_login_unlock,
)
from postal.views._base import chief_required, show_refusal

# The one-time password travels to the next page in the session, never in a URL, and is
# removed the first time it is shown.
HANDED_OVER_KEY = "postal-one-time-password"


def _keep_password(request, account_id: int, password: str) -> None:
    request.session[HANDED_OVER_KEY] = {"account": account_id, "password": password}


def _take_password(request, account_id: int) -> str:
    kept = request.session.get(HANDED_OVER_KEY)
    if not kept or kept.get("account") != account_id:
        return ""
    del request.session[HANDED_OVER_KEY]
    return kept["password"]


@chief_required
def accounts(request):
    """The ward's postal accounts, locked ones last, with their last sign-in."""
    context = {
        "accounts": postal_accounts_for_chief(user=request.user),
        "lockouts": login_lockouts_for_chief(user=request.user),
    }
    return render(request, "postal/accounts.html", context)


@chief_required
@require_POST
def account_login_unlock(request, pk: int):
    """Lift a sign-in lockout shown on the accounts page (one account, one address)."""
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Địa chỉ không hợp lệ."))
        return redirect("postal:accounts")
    removed = ward_account_login_unlock(
        user=request.user, account_id=pk, address=form.cleaned_data["address"]
    )
    if removed:
        messages.success(request, _("Đã gỡ khoá đăng nhập."))
    return redirect("postal:accounts")


@chief_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    form = AccountForm()
    if request.method == "POST":
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                created = postal_account_create(user=request.user, **form.cleaned_data)
            except DomainError as error:
                show_refusal(form, error)
            else:
                _keep_password(request, created.user.pk, created.password)
                return redirect("postal:account", pk=created.user.pk)
    return render(request, "postal/account_create.html", {"form": form})


@chief_required
@require_http_methods(["GET", "POST"])
def account_detail(request, pk: int):
    """A postal account: profile, one-time password (once), lock, reset, history."""
    account = postal_accounts_for_chief(user=request.user).get(pk=pk)
    profile = getattr(account, "postal_profile", None)
    form = ProfileForm(
        initial={
            "last_name": account.last_name,
            "first_name": account.first_name,
            "post_office_code": profile.post_office_code if profile else account.employee_code,
            "post_office_unit": profile.post_office_unit if profile else "",
            "phone": profile.phone if profile else account.phone,
            "in_ward_since": profile.in_ward_since if profile else None,
        }
    )
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                postal_profile_update(user=request.user, account_id=account.pk, **form.cleaned_data)
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã lưu hồ sơ nhân viên."))
                return redirect("postal:account", pk=account.pk)
    context = {
        "account": account,
        "profile": profile,
        "form": form,
        "note_form": NoteForm(),
        "password": _take_password(request, account.pk),
        "events": account_events(account=account)[:50],
        "tokens": api_tokens_of(user=account),
    }
    return render(request, "postal/account.html", context)


@chief_required
@require_POST
def account_deactivate(request, pk: int):
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        account, cancelled = postal_account_deactivate(
            user=request.user, account_id=pk, note=form.cleaned_data.get("note", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đã khoá tài khoản %(username)s; huỷ %(count)s phân công sắp tới.")
            % {"username": account.username, "count": cancelled},
        )
    return redirect("postal:account", pk=pk)


@chief_required
@require_POST
def account_reactivate(request, pk: int):
    form = NoteForm(request.POST)
    form.is_valid()
    account = postal_account_reactivate(
        user=request.user, account_id=pk, note=form.cleaned_data.get("note", "")
    )
    messages.success(
        request, _("Đã mở khoá tài khoản %(username)s.") % {"username": account.username}
    )
    return redirect("postal:account", pk=pk)


@chief_required
@require_POST
def account_reset_password(request, pk: int):
    reset = postal_account_reset_password(user=request.user, account_id=pk)
    _keep_password(request, reset.user.pk, reset.password)
    return redirect("postal:account", pk=pk)


@chief_required
@require_POST
def account_token_revoke(request, pk: int, token_id: int):
    token = postal_account_token_revoke(user=request.user, account_id=pk, token_id=token_id)
    if token is not None:
        messages.success(request, _("Đã thu hồi mã truy cập API."))
    return redirect("postal:account", pk=pk)


@chief_required
@require_http_methods(["GET", "POST"])
def counters(request):
    """The ward's counters; a new one is opened from the form below the list."""
    form = CounterForm(initial={"kind": "postal", "has_computer": True, "has_signage": True})
    if request.method == "POST":
        form = CounterForm(request.POST)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k != "active"}
            try:
                counter = counter_create(user=request.user, **values)
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã mở %(counter)s.") % {"counter": counter})
                return redirect("postal:counters")
    context = {"counters": counters_for_chief(user=request.user), "form": form}
    return render(request, "postal/counters.html", context)


@chief_required
@require_http_methods(["GET", "POST"])
def counter_detail(request, pk: int):
    counter = counters_for_chief(user=request.user).get(pk=pk)
    form = CounterForm(
        initial={
            name: getattr(counter, name)
            for name in ("number", "name", "kind", "has_computer", "has_signage", "active")
        }
    )
    if request.method == "POST":
        form = CounterForm(request.POST)
        if form.is_valid():
            try:
                counter_update(user=request.user, counter_id=counter.pk, **form.cleaned_data)
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã lưu quầy."))
                return redirect("postal:counters")
    changes = CounterChange.objects.filter(counter=counter).select_related("actor")[:30]
    context = {"counter": counter, "form": form, "changes": changes}
    return render(request, "postal/counter.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Choose one's own password (required after a new account or a reset)."""

    template_name = "postal/password_change.html"
    success_url = reverse_lazy("postal:password-change-done")

    def form_valid(self, form):
        response = super().form_valid(form)
        account_password_changed(user=self.request.user)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "postal/password_change_done.html"
