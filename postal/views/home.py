"""Home pages: the postal worker's "today" and the chief's dashboard (settings.HOME_VIEWS)."""

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from intake.receipts import lookups_paused_in_ward
from postal.forms import GuidanceForm
from postal.models import Shift, TaskType
from postal.selectors import chief_dashboard, today_for_worker
from postal.views._base import chief_required, ward_staff_required
from postal.weeks import week_code
from wards.selectors import counters_for_user


def _url(name: str) -> str | None:
    # Quick actions lead to pages other apps own; a page not installed is simply not offered.
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@ward_staff_required
def today(request):
    """A postal worker's day: their shifts, the queues they serve, and quick actions."""
    user = request.user
    day = today_for_worker(user=user)
    context = {
        "day": day,
        "guidance_form": GuidanceForm(user=user, procedures=day.guidance_procedures),
        "counters": counters_for_user(user=user).filter(active=True).order_by("number"),
        "receive_url": _url("intake:receive"),
        "return_url": _url("intake:return"),
        "dossiers_url": _url("intake:dossier-list"),
        "shifts": Shift.choices,
        "out_of_list_now": day.current is not None
        and day.current.task_type == TaskType.OUT_OF_LIST_INTAKE,
    }
    return render(request, "postal/today.html", context)


@chief_required
def dashboard(request):
    """The chief's home: today's roster, deadlines, reviews, workload, coverage, staff."""
    user = request.user
    board = chief_dashboard(user=user)
    context = {
        "board": board,
        "week_code": week_code(board.monday),
        "tasks": TaskType.choices,
        "dossiers_url": _url("intake:dossier-list"),
        "counters": counters_for_user(user=user).filter(active=True).order_by("number"),
        "lookups_paused": lookups_paused_in_ward(ward_id=user.ward_id),
    }
    return render(request, "postal/dashboard.html", context)
