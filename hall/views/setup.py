"""The chief's settings of the hall: service groups and their counters, device keys."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hall.devices import link_token
from hall.forms import DeviceForm, GroupCountersForm, GroupForm
from hall.models import Device
from hall.selectors import devices_for_user, groups_for_user, hall_log_for_user
from hall.services import device_create, device_revoke, group_create, group_update
from onestop.errors import DomainError
from postal.views._base import chief_required, show_refusal
from wards.selectors import counters_for_user

HISTORY_SHOWN = 50


def _counters(user):
    return counters_for_user(user=user).filter(active=True, ward_id=user.ward_id).order_by("number")


def _page(request, *, group_form=None, device_form=None, status=200):
    user = request.user
    counters = _counters(user)
    groups = list(groups_for_user(user=user).prefetch_related("counters"))
    for group in groups:
        group.form = GroupCountersForm(
            counters=counters,
            initial={"counters": list(group.counters.all()), "active": group.active},
            prefix=f"g{group.pk}",
        )
    devices = list(devices_for_user(user=user).select_related("counter"))
    for device in devices:
        if device.revoked_at is None:
            device.link = request.build_absolute_uri(
                redirect("hall:device-link", token=link_token(device)).url
            )
    context = {
        "groups": groups,
        "devices": devices,
        "group_form": group_form or GroupForm(counters=counters),
        "device_form": device_form or DeviceForm(counters=counters),
        "history": hall_log_for_user(user=user)[:HISTORY_SHOWN],
    }
    return render(request, "hall/settings.html", context, status=status)


@chief_required
def settings_page(request):
    """GET: the groups and devices; POST: a new group."""
    if request.method != "POST":
        return _page(request)
    form = GroupForm(request.POST, counters=_counters(request.user))
    if form.is_valid():
        try:
            group_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Đã thêm nhóm dịch vụ."))
            return redirect("hall:settings")
    return _page(request, group_form=form, status=400)


@chief_required
@require_POST
def group_update_view(request, pk):
    group = groups_for_user(user=request.user).filter(pk=pk).first()
    if group is None:
        raise Http404
    form = GroupCountersForm(request.POST, counters=_counters(request.user), prefix=f"g{pk}")
    if not form.is_valid():
        messages.error(request, _("Quầy phục vụ không hợp lệ."))
        return redirect("hall:settings")
    group_update(user=request.user, group=group, **form.cleaned_data)
    messages.success(request, _("Đã lưu nhóm “%(name)s”.") % {"name": group.name})
    return redirect("hall:settings")


@chief_required
@require_POST
def device_create_view(request):
    form = DeviceForm(request.POST, counters=_counters(request.user))
    if form.is_valid():
        try:
            device_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request, _("Đã tạo mã thiết bị: mở đường dẫn của nó trên thiết bị đó.")
            )
            return redirect("hall:settings")
    return _page(request, device_form=form, status=400)


@chief_required
@require_POST
def device_revoke_view(request, pk):
    try:
        device = device_revoke(user=request.user, device_id=pk)
    except Device.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("Đã thu hồi mã của “%(name)s”.") % {"name": device.name})
    return redirect("hall:settings")
