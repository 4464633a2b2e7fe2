"""Pages of the public postal service: the ward's deliveries, one delivery and its steps,
sending a result by post (price shown before confirming), the day's hand-over list to the
courier (A4), a dossier's postal details after intake, and the city's tariff."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake.lifecycle import Action, actions_for
from intake.models import Channel, Dossier, Status
from intake.privacy import personal_data_access_log
from intake.selectors import dossier_for_user
from onestop import clock
from onestop.errors import Conflict, DomainError, NotAllowed
from postal.deliveries.forms import (
    DeliveryFilterForm,
    HandoverDayForm,
    InboundForm,
    ResultPlaceForm,
    SendForm,
    StepForm,
    TariffForm,
)
from postal.deliveries.models import DeliveryDirection, DeliveryStatus
from postal.deliveries.selectors import (
    DeliveryFilters,
    delivery_for_user,
    delivery_list,
    delivery_request_for,
    dossier_deliveries,
    failed_deliveries,
    handover_deliveries,
    tariffs_for_user,
)
from postal.deliveries.services import (
    TARIFF_FIELDS,
    deliveries_hand_over,
    delivery_advance,
    delivery_quote,
    delivery_record_inbound,
    delivery_request_record,
    delivery_request_withdraw,
    delivery_send,
    next_steps,
    split_address,
    tariff_for,
    tariff_reference,
    tariff_set,
)
from wards.scope import may_manage_city, visible_cities, working_ward_id

PAGE_SIZE = 50


def mask(value: str, visible: int = 3) -> str:
    """Personal numbers in lists show only their last digits."""
    if not value:
        return ""
    return "•" * max(len(value) - visible, 0) + value[-visible:]


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _today() -> dt.date:
    return timezone.localdate(clock.now())


# --- list and detail ------------------------------------------------------------------------


@login_required
@require_GET
def delivery_list_view(request):
    """The deliveries of the user's ward (a city admin: the city's), newest first, with the
    results the post failed to deliver at the top: the counter must act on them."""
    form = DeliveryFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = DeliveryFilters(
        status=data.get("status") or "",
        direction=data.get("direction") or "",
        day=data.get("day"),
        q=data.get("q") or "",
    )
    page = data.get("page") or 1
    offset = (page - 1) * PAGE_SIZE
    rows = list(delivery_list(user=request.user, filters=filters)[offset : offset + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    for delivery in rows:
        delivery.masked_phone = mask(delivery.recipient_phone)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "deliveries": rows,
        "failed": list(failed_deliveries(user=request.user)[:20]),
        "next_page": page + 1 if has_next else None,
        "previous_page": page - 1 if page > 1 else None,
        "query": query.urlencode(),
        "may_work": working_ward_id(request.user) is not None,
        "today": _today(),
    }
    return render(request, "postal/deliveries/list.html", context)


def _step_forms(request, delivery, bound=None):
    """One small form per step the user may record now; none outside the delivery's ward."""
    if working_ward_id(request.user) != delivery.ward_id:
        return []
    forms = []
    for to in next_steps(delivery, request.user.role):
        form = bound if bound is not None and bound.data.get("to") == to else None
        forms.append(
            {
                "to": to,
                "form": form or StepForm(initial={"to": to}, auto_id=f"id_{to}_%s"),
                "danger": to == DeliveryStatus.FAILED,
            }
        )
    return forms


def _render_detail(request, delivery, *, bound=None, status=200):
    context = {
        "delivery": delivery,
        "dossier": delivery.dossier,
        "steps": _step_forms(request, delivery, bound),
        "timeline": _timeline(delivery),
    }
    return render(request, "postal/deliveries/detail.html", context, status=status)


def _timeline(delivery) -> list[dict]:
    rows = [{"label": _("Lập phiếu gửi"), "at": delivery.created_at, "by": delivery.created_by}]
    for status, prefix in (
        (DeliveryStatus.HANDED_TO_POST, "handed"),
        (DeliveryStatus.IN_TRANSIT, "in_transit"),
        (DeliveryStatus.DELIVERED, "delivered"),
        (DeliveryStatus.FAILED, "failed"),
        (DeliveryStatus.RETURNED_TO_COUNTER, "returned"),
    ):
        at = getattr(delivery, f"{prefix}_at")
        if at:
            rows.append({"label": status.label, "at": at, "by": getattr(delivery, f"{prefix}_by")})
    return sorted(rows, key=lambda row: row["at"])


@login_required
@require_GET
def delivery_detail_view(request, delivery_id: int):
    """One delivery: the slip (printable), its history and the steps the user may record."""
    delivery = delivery_for_user(user=request.user, delivery_id=delivery_id)
    # The slip prints the recipient's street and phone.
    personal_data_access_log(
        user=request.user,
        dossier=delivery.dossier,
        params={"view": "delivery", "delivery": delivery.pk},
    )
    return _render_detail(request, delivery)


@login_required
@require_POST
def delivery_step_view(request, delivery_id: int):
    delivery = delivery_for_user(user=request.user, delivery_id=delivery_id)
    form = StepForm(request.POST, auto_id=f"id_{request.POST.get('to', 'step')}_%s")
    if not form.is_valid():
        return _render_detail(request, delivery, bound=form, status=400)
    to = DeliveryStatus(form.cleaned_data["to"])
    try:
        delivery_advance(
            user=request.user,
            delivery_id=delivery.pk,
            to=to,
            reason=form.cleaned_data["reason"],
        )
    except (NotAllowed, Conflict) as error:
        messages.error(request, error.message)
        return _render_detail(request, delivery, status=error.status_code)
    except DomainError as error:
        _form_error(form, error)
        return _render_detail(request, delivery, bound=form, status=400)
    if to == DeliveryStatus.FAILED:
        messages.warning(
            request,
            _(
                "Hồ sơ %(code)s trở lại “Có kết quả”: liên hệ người dân để gửi lại hoặc hẹn nhận "
                "tại quầy."
            )
            % {"code": delivery.dossier.code},
        )
    else:
        messages.success(
            request,
            _("Bưu gửi %(code)s: %(status)s.")
            % {"code": delivery.waybill_code, "status": to.label},
        )
    return redirect("deliveries:detail", delivery_id=delivery.pk)


# --- sending a result -------------------------------------------------------------------------


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
        **split_address(dossier.applicant_address, city=dossier.ward.city),
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


# --- hand-over list ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def handover_view(request):
    """The day's hand-over list to the courier (bảng kê giao nhận, A4); confirming marks every
    listed result still at the counter as handed to the post."""
    if working_ward_id(request.user) is None:
        raise PermissionDenied
    form = HandoverDayForm(request.GET or None)
    day = (form.cleaned_data.get("ngay") if form.is_valid() else None) or _today()
    if request.method == "POST":
        post_form = HandoverDayForm(request.POST)
        day = (post_form.cleaned_data.get("ngay") if post_form.is_valid() else None) or day
        result = deliveries_hand_over(user=request.user, day=day)
        messages.success(
            request,
            _("Đã bàn giao %(n)s bưu gửi cho bưu tá.") % {"n": len(result.handed)},
        )
        return redirect(f"{reverse('deliveries:handover')}?ngay={day:%d/%m/%Y}")
    lines = list(handover_deliveries(user=request.user, day=day))
    personal_data_access_log(
        user=request.user, export="deliveries:handover", params={"ngay": f"{day:%d/%m/%Y}"}
    )
    context = {
        "form": form,
        "day": day,
        "lines": lines,
        "ward": request.user.ward,
        "waiting": sum(1 for line in lines if line.status == DeliveryStatus.CREATED),
        "total_fee": sum(line.fee for line in lines),
        "total_collected": sum(line.collected_amount for line in lines),
        "total_charge": sum(line.collection_charge for line in lines),
        "printed_at": clock.now(),
    }
    return render(request, "postal/deliveries/handover.html", context)


# --- a dossier's postal details (after intake) --------------------------------------------------


def _postal_page(request, dossier, *, inbound_form=None, result_form=None, status=200):
    deliveries = list(dossier_deliveries(user=request.user, dossier=dossier))
    inbound = next((d for d in deliveries if d.direction == DeliveryDirection.INBOUND), None)
    request_ = delivery_request_for(user=request.user, dossier=dossier)
    may_write = working_ward_id(request.user) == dossier.ward_id
    prefill = {
        "recipient_name": dossier.applicant_name,
        "recipient_phone": dossier.applicant_phone,
        **split_address(dossier.applicant_address, city=dossier.ward.city),
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


# --- tariff -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tariff_view(request):
    """The city's postal tariff: every version, and for the city admin a form for a new one."""
    city = visible_cities(request.user).first()
    may_edit = city is not None and may_manage_city(request.user, city)
    form = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = TariffForm(request.POST)
        if form.is_valid():
            try:
                tariff_set(user=request.user, city=city, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request,
                    _("Đã lưu bảng cước áp dụng từ %(day)s.")
                    % {"day": form.cleaned_data["valid_from"].strftime("%d/%m/%Y")},
                )
                return redirect("deliveries:tariff")
    current = tariff_for(city=city, on=_today()) if city else None
    if may_edit and form is None:
        initial = {name: getattr(current, name) for name in TARIFF_FIELDS}
        initial["valid_from"] = _today()
        form = TariffForm(initial=initial)
    context = {
        "city": city,
        "current": current,
        "versions": list(tariffs_for_user(user=request.user)),
        "reference": tariff_reference(),
        "form": form,
    }
    return render(
        request,
        "postal/deliveries/tariff.html",
        context,
        status=400 if form and form.errors else 200,
    )
