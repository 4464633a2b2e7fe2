"""Pages that follow the ward's deliveries: the list, one delivery with its steps, and the day's
hand-over list to the courier (A4)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake.editions import edition_on
from intake.privacy import personal_data_access_log
from onestop import clock
from onestop.errors import Conflict, DomainError, NotAllowed
from postal.deliveries.forms import DeliveryFilterForm, HandoverDayForm, StepForm
from postal.deliveries.models import DeliveryStatus
from postal.deliveries.selectors import (
    DeliveryFilters,
    delivery_for_user,
    delivery_list,
    failed_deliveries,
    handover_deliveries,
)
from postal.deliveries.services import deliveries_hand_over, delivery_advance, next_steps
from postal.deliveries.views._base import PAGE_SIZE, _form_error, _today, mask
from wards.scope import working_ward_id

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
        # The desk signs under the name the rules in force on the list's day give it.
        "desk_heading": edition_on(day).form_heading,
    }
    return render(request, "postal/deliveries/handover.html", context)
