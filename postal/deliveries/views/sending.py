"""Sending a result by post: the form filled from where the citizen wants it, the price shown (and
updated by htmx as the address is typed) before the worker confirms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from intake.lifecycle import Action, actions_for
from intake.models import Dossier
from intake.privacy import personal_data_access_log
from intake.selectors import dossier_for_user
from onestop.errors import DomainError
from postal.deliveries.forms import SendForm
from postal.deliveries.models import DeliveryDirection
from postal.deliveries.selectors import delivery_request_for, dossier_deliveries
from postal.deliveries.services import delivery_quote, delivery_send, split_address
from postal.deliveries.views._base import _form_error
from wards.scope import working_ward_id


def _prefill(request, dossier: Dossier) -> dict:
    """Where the result goes, before the worker corrects it: the citizen's request, or the
    sender of the dossier that came by post, or the applicant's own address."""
    request_ = delivery_request_for(user=request.user, dossier=dossier)
    if request_ is not None and request_.is_active:
        source = request_
        initial = {"collects_fee": request_.collects_fee}
    else:
        inbound = (
            dossier_deliveries(user=request.user, dossier=dossier)
            .filter(direction=DeliveryDirection.INBOUND)
            .first()
        )
        source = inbound
        initial = {}
    if source is not None:
        for name in SendForm.ADDRESS_FIELDS:
            initial[name] = getattr(source, name)
        return initial
    return {
        "recipient_name": dossier.applicant_name,
        "recipient_phone": dossier.applicant_phone,
        **split_address(dossier.applicant_address, city=dossier.ward.city, ward=dossier.ward),
    }


def _quote_or_none(dossier, data: dict):
    if not (data.get("city_name") or "").strip():
        return None
    return delivery_quote(
        dossier=dossier,
        city_name=data.get("city_name", ""),
        province_name=data.get("province_name", ""),
        collects_fee=bool(data.get("collects_fee")),
    )


def _send_page(request, dossier, form, quote, status=200):
    context = {"dossier": dossier, "form": form, "quote": quote}
    return render(request, "postal/deliveries/send.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delivery_send_view(request, code: str):
    """Send a result by post: the form is filled from the citizen's address, the price shown;
    confirming creates the delivery and moves the dossier to "in delivery"."""
    dossier = dossier_for_user(user=request.user, code=code)
    if working_ward_id(request.user) != dossier.ward_id:
        raise PermissionDenied
    if request.method == "GET":
        form = SendForm(initial=_prefill(request, dossier))
        if Action.SEND_BY_POST not in actions_for(request.user.role, dossier.status):
            messages.info(
                request,
                _("Hồ sơ đang “%(status)s”: chỉ gửi kết quả khi hồ sơ “Có kết quả”.")
                % {"status": dossier.get_status_display()},
            )
            return redirect("intake:dossier-detail", code=code)
        # The form comes filled with the applicant's address and phone.
        personal_data_access_log(user=request.user, dossier=dossier, params={"view": "send"})
        return _send_page(request, dossier, form, _quote_or_none(dossier, form.initial))
    form = SendForm(request.POST)
    if not form.is_valid():
        return _send_page(request, dossier, form, None, status=400)
    quote = _quote_or_none(dossier, form.cleaned_data)
    if not form.cleaned_data["confirm"]:
        # The worker sees the price before anything is written; the next submit confirms.
        data = request.POST.copy()
        data["confirm"] = "True"
        return _send_page(request, dossier, SendForm(data), quote)
    try:
        delivery = delivery_send(
            user=request.user,
            code=code,
            address=form.address(),
            waybill_code=form.cleaned_data["waybill_code"],
            collects_fee=form.cleaned_data["collects_fee"],
            note=form.cleaned_data["note"],
            request_id=str(form.cleaned_data["request_id"]),
        )
    except DomainError as error:
        _form_error(form, error)
        return _send_page(request, dossier, form, quote, status=error.status_code)
    messages.success(
        request,
        _("Đã lập phiếu gửi %(waybill)s; hồ sơ %(code)s đang chuyển phát.")
        % {"waybill": delivery.waybill_code, "code": code},
    )
    return redirect("deliveries:detail", delivery_id=delivery.pk)


@login_required
@require_GET
def delivery_quote_view(request):
    """htmx: the price for the address being typed on the send form."""
    dossier = dossier_for_user(user=request.user, code=request.GET.get("ho_so", "")[:40])
    data = {
        "city_name": request.GET.get("city_name", "")[:100],
        "province_name": request.GET.get("province_name", "")[:100],
        "collects_fee": request.GET.get("collects_fee") in ("on", "true", "True", "1"),
    }
    context = {"quote": _quote_or_none(dossier, data), "dossier": dossier}
    return render(request, "postal/deliveries/_quote.html", context)
