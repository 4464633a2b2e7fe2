"""The week grid (/phan-cong/): every ward staff member reads it, the chief edits it in place."""

import datetime as dt

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onestop.errors import DomainError
from onestop.models import Role
from postal.forms import AssignmentForm, CancelForm, WeekForm
from postal.models import COUNTER_TASKS, Shift, TaskType
from postal.selectors import (
    Slot,
    assignment_for_chief,
    assignment_history,
    slot_for_chief,
    ward_counters,
    week_roster,
)
from postal.services import assignment_cancel, assignment_create, assignment_update, week_copy
from postal.views._base import chief_required, show_refusal, ward_staff_required
from postal.weeks import current_monday, monday_of, week_code

ROSTER_CHANGED = "roster-changed"


def _week_url(monday: dt.date) -> str:
    return f"{reverse('postal:roster')}?tuan={week_code(monday)}"


@ward_staff_required
def roster(request):
    """The ward's week: workers × days × shifts, with each worker's workload.

    `?phan=tong` answers only the workload panel (htmx refreshes it after each edit).
    """
    monday = WeekForm(request.GET).monday(current_monday())
    week = week_roster(user=request.user, monday=monday)
    context = {
        "week": week,
        "week_code": week_code(monday),
        "previous_week": week_code(monday - dt.timedelta(days=7)),
        "next_week": week_code(monday + dt.timedelta(days=7)),
        "this_week": week_code(current_monday()),
        "sunday": monday + dt.timedelta(days=6),
        "can_edit": request.user.role == Role.CHIEF,
        "tasks": TaskType.choices,
        "shifts": Shift.choices,
    }
    if request.GET.get("phan") == "tong":
        return render(request, "postal/_workload.html", context)
    return render(request, "postal/roster.html", context)


def _slot_context(request, slot: Slot, form=None, cancel_form=None):
    assignment = slot.assignment
    if form is None:
        initial = {"worker": slot.worker.pk, "date": slot.day, "shift": slot.shift}
        if assignment is not None:
            initial |= {
                "task_type": assignment.task_type,
                "counter": assignment.counter_id,
                "note": assignment.note,
            }
        else:
            counters = list(ward_counters(user=request.user))
            postal = next((c for c in counters if c.kind == "postal"), None)
            initial |= {"task_type": TaskType.INTAKE, "counter": postal.pk if postal else None}
        form = AssignmentForm(initial=initial, user=request.user)
    return {
        "slot": slot,
        "form": form,
        "cancel_form": cancel_form or CancelForm(),
        "counter_tasks": [t.value for t in COUNTER_TASKS],
        "week_code": week_code(monday_of(slot.day)),
        "can_edit": True,
    }


def _parse_slot(data) -> tuple[int, dt.date, str] | None:
    try:
        worker_id = int(data.get("worker") or data.get("nv") or "")
        day = dt.date.fromisoformat(data.get("date") or data.get("ngay") or "")
    except ValueError:
        return None
    shift = data.get("shift") or data.get("ca") or ""
    if shift not in Shift.values:
        return None
    return worker_id, day, shift


@chief_required
@require_http_methods(["GET", "POST"])
def roster_slot(request):
    """One cell of the grid: its form (a fragment for htmx, a page without JavaScript).

    Saving creates the assignment, or changes the one the form was opened on; a clash with
    another assignment of the worker is shown in the form with the other one named.
    """
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    parsed = _parse_slot(data)
    if parsed is None:
        if request.method == "GET" and not request.htmx:
            return render(request, "postal/slot.html", _blank_context(request))
        return HttpResponseBadRequest(_("Thiếu nhân viên, ngày hoặc ca."))
    worker_id, day, shift = parsed
    slot = slot_for_chief(user=user, worker_id=worker_id, day=day, shift=shift)
    if request.method == "GET":
        return _render_slot_form(request, _slot_context(request, slot))

    editing = request.POST.get("assignment", "")
    if editing and not (editing.isascii() and editing.isdigit()):
        return HttpResponseBadRequest(_("Phân công không hợp lệ."))
    form = AssignmentForm(request.POST, user=user)
    if form.is_valid():
        try:
            if editing:
                assignment = assignment_update(
                    user=user, assignment_id=int(editing), **form.cleaned_data
                )
            else:
                assignment = assignment_create(user=user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                done = Slot(
                    worker=assignment.worker,
                    day=assignment.date,
                    shift=assignment.shift,
                    assignment=assignment,
                )
                return _render_slot(request, done)
            messages.success(
                request,
                _("Đã lưu phân công: %(who)s, %(what)s.")
                % {"who": assignment.worker.get_full_name(), "what": assignment.describe()},
            )
            return redirect(_week_url(assignment.date))
    context = _slot_context(request, slot, form=form)
    return _render_slot_form(request, context)


def _blank_context(request):
    form = AssignmentForm(user=request.user, initial={"task_type": TaskType.INTAKE})
    return {
        "slot": None,
        "form": form,
        "cancel_form": CancelForm(),
        "counter_tasks": [t.value for t in COUNTER_TASKS],
        "week_code": week_code(current_monday()),
        "can_edit": True,
    }


def _render_slot_form(request, context):
    template = "postal/_slot_form.html" if request.htmx else "postal/slot.html"
    return render(request, template, context)


def _render_slot(request, slot: Slot):
    response = render(request, "postal/_slot.html", {"slot": slot, "can_edit": True})
    response["HX-Trigger"] = ROSTER_CHANGED
    return response


@chief_required
@require_POST
def assignment_cancel_view(request, pk: int):
    """Cancel with a reason; the assignment stays in history."""
    assignment = assignment_for_chief(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            assignment = assignment_cancel(
                user=request.user, assignment_id=assignment.pk, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            if request.htmx:
                empty = Slot(worker=assignment.worker, day=assignment.date, shift=assignment.shift)
                return _render_slot(request, empty)
            messages.success(
                request, _("Đã huỷ phân công: %(what)s.") % {"what": assignment.describe()}
            )
            return redirect(_week_url(assignment.date))
    slot = Slot(
        worker=assignment.worker, day=assignment.date, shift=assignment.shift, assignment=assignment
    )
    context = _slot_context(request, slot, cancel_form=form)
    return _render_slot_form(request, context)


@chief_required
@require_http_methods(["GET", "POST"])
def assignment_detail(request, pk: int):
    """One assignment on its own page: every field editable, and its history."""
    assignment = assignment_for_chief(user=request.user, pk=pk)
    form = None
    if request.method == "POST" and not assignment.is_cancelled:
        form = AssignmentForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                updated = assignment_update(
                    user=request.user, assignment_id=assignment.pk, **form.cleaned_data
                )
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã lưu: %(what)s.") % {"what": updated.describe()})
                return redirect(_week_url(updated.date))
    if form is None:
        form = AssignmentForm(
            user=request.user,
            initial={
                "worker": assignment.worker_id,
                "date": assignment.date,
                "shift": assignment.shift,
                "task_type": assignment.task_type,
                "counter": assignment.counter_id,
                "note": assignment.note,
            },
        )
    context = {
        "assignment": assignment,
        "form": form,
        "cancel_form": CancelForm(),
        "history": assignment_history(assignment=assignment),
        "week_code": week_code(monday_of(assignment.date)),
    }
    return render(request, "postal/assignment.html", context)


@chief_required
@require_POST
def roster_copy(request):
    """Copy last week's live assignments into the week shown."""
    monday = WeekForm(request.POST).monday(current_monday())
    try:
        result = week_copy(user=request.user, week_start=monday)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_week_url(monday))
    messages.success(
        request,
        _("Đã sao chép %(count)s phân công từ tuần trước.") % {"count": len(result.created)},
    )
    if result.skipped:
        messages.warning(
            request,
            _("Bỏ qua %(count)s ô: %(list)s.")
            % {"count": len(result.skipped), "list": "; ".join(result.skipped[:12])},
        )
    return redirect(_week_url(monday))
