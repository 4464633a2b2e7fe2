"""A dossier's postal details after intake: the postal item that brought a channel-3 dossier, and
where the citizen wants the result (at the counter, or by post to an address)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from intake.models import Channel, Status
from intake.privacy import personal_data_access_log
from intake.selectors import dossier_for_user
from onestop.errors import DomainError
from postal.deliveries.forms import InboundForm, ResultPlaceForm
from postal.deliveries.models import DeliveryDirection
from postal.deliveries.selectors import delivery_request_for, dossier_deliveries
from postal.deliveries.services import (
    delivery_record_inbound,
    delivery_request_record,
    delivery_request_withdraw,
    split_address,
)
from postal.deliveries.views._base import _form_error
from wards.scope import working_ward_id


def _postal_page(request, dossier, *, inbound_form=None, result_form=None, status=200):
    deliveries = list(dossier_deliveries(user=request.user, dossier=dossier))
    inbound = next((d for d in deliveries if d.direction == DeliveryDirection.INBOUND), None)
    request_ = delivery_request_for(user=request.user, dossier=dossier)
    may_write = working_ward_id(request.user) == dossier.ward_id
    prefill = {
        "recipient_name": dossier.applicant_name,
        "recipient_phone": dossier.applicant_phone,
        **split_address(dossier.applicant_address, city=dossier.ward.city, ward=dossier.ward),
    }
    if may_write and inbound is None and dossier.channel == Channel.POSTAL and inbound_form is None:
        inbound_form = InboundForm(initial=prefill)
    if may_write and result_form is None:
        initial = dict(prefill)
        if request_ is not None:
            initial.update(
                {name: getattr(request_, name) for name in ResultPlaceForm.ADDRESS_FIELDS}
            )
            initial["collects_fee"] = request_.collects_fee
        wants_post = (request_ is not None and request_.is_active) or (
            request_ is None and dossier.channel == Channel.POSTAL
        )
        initial["result_place"] = ResultPlaceForm.POST if wants_post else ResultPlaceForm.COUNTER
        result_form = ResultPlaceForm(initial=initial)
    context = {
        "dossier": dossier,
        "deliveries": deliveries,
        "inbound": inbound,
        "delivery_request": request_,
        "inbound_form": inbound_form if may_write else None,
        "result_form": result_form if may_write and dossier.status not in _FINISHED else None,
        "is_postal_channel": dossier.channel == Channel.POSTAL,
    }
    return render(request, "postal/deliveries/dossier_postal.html", context, status=status)


_FINISHED = (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_postal_view(request, code: str):
    """After intake: the postal item that brought a channel-3 dossier, and where the citizen
    wants the result (counter, or by post to an address filled from the applicant's)."""
    dossier = dossier_for_user(user=request.user, code=code)
    if request.method == "GET":
        # The forms come filled with the applicant's address and phone.
        personal_data_access_log(user=request.user, dossier=dossier, params={"view": "postal"})
        return _postal_page(request, dossier)
    if working_ward_id(request.user) != dossier.ward_id:
        raise PermissionDenied
    if "inbound-waybill_code" in request.POST:
        form = InboundForm(request.POST)
        if not form.is_valid():
            return _postal_page(request, dossier, inbound_form=form, status=400)
        try:
            delivery_record_inbound(
                user=request.user,
                code=code,
                address=form.address(),
                waybill_code=form.cleaned_data["waybill_code"],
                collects_fee=form.cleaned_data["collects_fee"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            _form_error(form, error)
            return _postal_page(request, dossier, inbound_form=form, status=error.status_code)
        messages.success(request, _("Đã ghi nhận bưu gửi mang hồ sơ đến."))
        return redirect("deliveries:dossier-postal", code=code)
    form = ResultPlaceForm(request.POST)
    if not form.is_valid():
        return _postal_page(request, dossier, result_form=form, status=400)
    try:
        if form.cleaned_data["result_place"] == ResultPlaceForm.POST:
            delivery_request_record(
                user=request.user,
                code=code,
                address=form.address(),
                collects_fee=form.cleaned_data["collects_fee"],
            )
            messages.success(request, _("Kết quả sẽ được gửi qua bưu điện."))
        elif delivery_request_for(user=request.user, dossier=dossier) is not None:
            delivery_request_withdraw(user=request.user, code=code)
            messages.success(request, _("Người dân sẽ nhận kết quả tại quầy."))
    except DomainError as error:
        _form_error(form, error)
        return _postal_page(request, dossier, result_form=form, status=error.status_code)
    return redirect("deliveries:dossier-postal", code=code)
