"""Pages without login: the kiosk and the display (bound to a ward by their device key), the
printed ticket and the citizen's follow page (a signed link naming only the ticket)."""

from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hall.devices import (
    COOKIE_MAX_AGE,
    COOKIE_NAME,
    COOKIE_SALT,
    device_for_key,
    device_of_request,
    key_from_link,
)
from hall.models import Device, ServiceGroup, Ticket, TicketEvent
from hall.selectors import hall_state, kiosk_groups, tickets_ahead
from hall.services import ticket_issue
from intake.receipts import qr_data_uri
from onestop.errors import DomainError

TICKET_SALT = "onestop.hall-ticket"
# The citizen's follow page asks again this often while the ticket waits or is served: a few
# hundred phones in a hall make a few tens of small requests a second at most.
FOLLOW_REFRESH = 5


def is_id(value: str | None) -> bool:
    """A row id as typed in a form: ASCII digits, short enough for any database's integer."""
    return bool(value) and value.isascii() and value.isdigit() and len(value) < 10


def ticket_token(ticket: Ticket) -> str:
    return signing.dumps(ticket.pk, salt=TICKET_SALT)


def _ticket_of(token: str) -> Ticket:
    try:
        pk = signing.loads(token, salt=TICKET_SALT)
    except signing.BadSignature:
        raise Http404 from None
    return get_object_or_404(Ticket.objects.select_related("ward", "group", "issued_group"), pk=pk)


def _refused(request, device: Device | None, kind: str):
    """The page a device without a live key of `kind` shows instead (403)."""
    if device is None:
        message = _(
            "Thiết bị này chưa được đăng ký. Trưởng bộ phận một cửa tạo mã thiết bị trong "
            "“Xếp hàng → Cài đặt” và mở đường dẫn của mã trên thiết bị."
        )
    elif device.revoked_at is not None:
        message = _(
            "Mã của thiết bị này đã bị thu hồi nên không cấp số, hiển thị hay nhận đánh giá "
            "được nữa. Đề nghị liên hệ bộ phận một cửa."
        )
    else:
        message = _(
            "Mã này dành cho thiết bị khác loại (máy lấy số, màn hình gọi số hoặc máy tính bảng "
            "đánh giá)."
        )
    return render(request, "hall/device_refused.html", {"message": message}, status=403)


def _live(device: Device | None, kind: str) -> bool:
    return device is not None and device.revoked_at is None and device.kind == kind


@require_GET
def device_link(request, token):
    """The link the chief gives a device: sets its cookie, then opens its page."""
    key = key_from_link(token)
    device = device_for_key(key)
    if device is None or device.revoked_at is not None:
        return _refused(request, device, "")
    target = {
        Device.Kind.KIOSK: "hall:kiosk",
        Device.Kind.DISPLAY: "hall:display",
        Device.Kind.EVALUATION: "hall:tablet",
    }[Device.Kind(device.kind)]
    response = redirect(target)
    response.set_signed_cookie(
        COOKIE_NAME,
        key,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@never_cache
@require_GET
def kiosk(request):
    device = device_of_request(request)
    if not _live(device, Device.Kind.KIOSK):
        return _refused(request, device, Device.Kind.KIOSK)
    context = {
        "device": device,
        "ward": device.ward,
        "groups": kiosk_groups(ward_id=device.ward_id),
    }
    return render(request, "hall/kiosk.html", context)


@never_cache
@require_POST
def kiosk_issue(request):
    device = device_of_request(request)
    if not _live(device, Device.Kind.KIOSK):
        return _refused(request, device, Device.Kind.KIOSK)
    chosen = request.POST.get("group", "")
    group = (
        ServiceGroup.objects.filter(ward_id=device.ward_id, pk=chosen).first()
        if is_id(chosen)
        else None
    )
    try:
        if group is None:
            raise DomainError(_("Hãy chọn một dịch vụ trên màn hình."))
        ticket = ticket_issue(group=group, device=device)
    except DomainError as error:
        context = {
            "device": device,
            "ward": device.ward,
            "groups": kiosk_groups(ward_id=device.ward_id),
            "error": error.message,
        }
        return render(request, "hall/kiosk.html", context, status=error.status_code)
    return redirect("hall:ticket-print", token=ticket_token(ticket))


@never_cache
@require_GET
def ticket_print(request, token):
    """The ticket for an 80 mm thermal printer (the browser prints it; no driver code)."""
    ticket = _ticket_of(token)
    follow = request.build_absolute_uri(redirect("hall:follow", token=token).url)
    device = device_of_request(request)
    context = {
        "ticket": ticket,
        "ahead": tickets_ahead(ticket),
        "qr": qr_data_uri(follow),
        "follow_url": follow,
        "from_kiosk": _live(device, Device.Kind.KIOSK),
    }
    return render(request, "hall/ticket.html", context)


@never_cache
@require_GET
def ticket_follow(request, token):
    """What a citizen sees on their phone: the number, the group and how many are ahead."""
    ticket = _ticket_of(token)
    context = {"ticket": ticket, "ahead": tickets_ahead(ticket), "refresh_seconds": FOLLOW_REFRESH}
    if request.headers.get("HX-Request"):
        return render(request, "hall/_follow.html", context)
    return render(request, "hall/follow.html", context)


@never_cache
@require_GET
def display(request):
    device = device_of_request(request)
    if not _live(device, Device.Kind.DISPLAY):
        return _refused(request, device, Device.Kind.DISPLAY)
    context = {"ward": device.ward, "state": hall_state(ward_id=device.ward_id)}
    return render(request, "hall/display.html", context)


@never_cache
@require_GET
def display_state(request):
    """The display's fragment, polled every second with the last event it shows (`since`):
    204 and nothing rendered while no ticket changed; a revoked key reloads the page to its
    refusal (HX-Refresh)."""
    device = device_of_request(request)
    if not _live(device, Device.Kind.DISPLAY):
        response = _refused(request, device, Device.Kind.DISPLAY)
        response["HX-Refresh"] = "true"
        return response
    since = request.GET.get("since", "")
    if (
        since.isdigit()
        and not TicketEvent.objects.filter(ward_id=device.ward_id, pk__gt=int(since)).exists()
    ):
        # Nothing happened in the hall since the state the display shows: no body, no swap.
        return HttpResponse(status=204)
    context = {"ward": device.ward, "state": hall_state(ward_id=device.ward_id)}
    return render(request, "hall/_display_state.html", context)
