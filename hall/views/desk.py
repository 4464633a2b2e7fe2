"""The counter's calling panel: a small fragment the worker's pages load (today, intake, return)
and its buttons: call next, recall, absent, transfer, done."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hall.forms import TransferForm
from hall.models import Ticket
from hall.selectors import desk_for_user, groups_for_user, ticket_for_user
from hall.services import (
    ticket_call_next,
    ticket_done,
    ticket_recall,
    ticket_skip,
    ticket_transfer,
)
from hall.services.calls import counter_of
from hall.views.devices import is_id
from onestop.errors import DomainError
from postal.views._base import ward_staff_required
from wards.models import Counter
from wards.selectors import counters_for_user

SESSION_COUNTER = "hall_counter"


def _counter(request) -> Counter | None:
    """The counter this worker calls from: chosen on the panel (kept in the session), else the
    roster's for the current shift, else none yet."""
    counters = counters_for_user(user=request.user).filter(active=True)
    chosen = request.POST.get("counter") or request.GET.get("counter")
    if is_id(chosen):
        counter = counters.filter(pk=chosen).first()
        if counter is not None:
            request.session[SESSION_COUNTER] = counter.pk
            return counter
    kept = request.session.get(SESSION_COUNTER)
    if kept is not None:
        counter = counters.filter(pk=kept).first()
        if counter is not None:
            return counter
    try:
        return counter_of(user=request.user)
    except DomainError:
        return None


def _page_path(request) -> str:
    """The page the panel sits in (htmx names it), where a form without htmx comes back to."""
    current = request.headers.get("HX-Current-URL", "")
    if current:
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


# "The counter is not known yet": the panel then looks it up.
UNKNOWN = object()


def _panel(request, *, counter=UNKNOWN, error: str = "", notice: str = "", status: int = 200):
    if counter is UNKNOWN:
        counter = _counter(request)
    desk = desk_for_user(user=request.user, counter=counter)
    form = TransferForm.shown_with(groups=desk.transfer_groups, counters=desk.counters)
    context = {
        "desk": desk,
        "error": error,
        "notice": notice,
        "transfer_form": form,
        "next_url": _page_path(request),
    }
    return render(request, "hall/_desk.html", context, status=status)


def _answer(request, *, counter=UNKNOWN, error: str = "", notice: str = "", status: int = 200):
    if request.htmx:
        # htmx swaps only a 2xx: the refusal shows inside the panel.
        return _panel(request, counter=counter, error=error, notice=notice)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("home")


@ward_staff_required
@require_GET
def desk(request):
    return _panel(request)


@ward_staff_required
@require_POST
def desk_next(request):
    counter = _counter(request)
    if counter is None:
        return _answer(request, error=_("Chọn quầy bạn đang ngồi trước khi gọi số."), status=400)
    try:
        ticket = ticket_call_next(user=request.user, counter=counter)
    except DomainError as error:
        return _answer(request, counter=counter, error=error.message, status=error.status_code)
    if ticket is None:
        return _answer(
            request, counter=counter, notice=_("Không còn công dân nào đang chờ ở quầy này.")
        )
    return _answer(
        request,
        counter=counter,
        notice=_("Đã gọi số %(number)s đến %(counter)s.")
        % {"number": ticket.number, "counter": counter},
    )


def _ticket_or_404(request, pk):
    try:
        return ticket_for_user(user=request.user, pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None  # another ward's ticket, or none


def _act(request, pk, service, done_message):
    _ticket_or_404(request, pk)
    try:
        ticket = service(user=request.user, ticket_id=pk)
    except DomainError as error:
        return _answer(request, error=error.message, status=error.status_code)
    return _answer(request, notice=done_message % {"number": ticket.number})


@ward_staff_required
@require_POST
def ticket_recall_view(request, pk):
    return _act(request, pk, ticket_recall, _("Đã gọi lại số %(number)s."))


@ward_staff_required
@require_POST
def ticket_skip_view(request, pk):
    return _act(request, pk, ticket_skip, _("Số %(number)s vắng mặt."))


@ward_staff_required
@require_POST
def ticket_done_view(request, pk):
    return _act(request, pk, ticket_done, _("Đã phục vụ xong số %(number)s."))


@ward_staff_required
@require_POST
def ticket_transfer_view(request, pk):
    _ticket_or_404(request, pk)
    form = TransferForm(
        request.POST,
        groups=groups_for_user(user=request.user).filter(active=True),
        counters=counters_for_user(user=request.user).filter(active=True),
    )
    if not form.is_valid():
        return _answer(request, error=_("Nhóm hoặc quầy chuyển đến không hợp lệ."), status=400)
    try:
        ticket = ticket_transfer(
            user=request.user,
            ticket_id=pk,
            group=form.cleaned_data["group"],
            counter=form.cleaned_data["counter"],
        )
    except DomainError as error:
        return _answer(request, error=error.message, status=error.status_code)
    return _answer(request, notice=_("Đã chuyển số %(number)s.") % {"number": ticket.number})
