"""The ward's dossier list, and a dossier's detail with its lifecycle steps."""

from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from intake import receipts
from intake.forms.steps import PAGE_SIZE, PAGE_STEPS, DossierFilterForm, StepForm
from intake.lifecycle import POSTAL_ACTIONS, Action, actions_for
from intake.models import OPEN, Dossier
from intake.privacy import personal_data_access_log
from intake.selectors import dossier_events, dossier_for_user, dossier_list
from intake.services import StepInput, closed_step_reason, dossier_step
from intake.views.slips import available_slips, labelled
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from wards import calendar
from wards.scope import working_ward_id
from wards.selectors import national_calendar

# --- list ----------------------------------------------------------------------------------


def mask(value: str, visible: int = 3) -> str:
    """Personal numbers in lists show only their last digits: 074190001234 → •••••••••234."""
    if not value:
        return ""
    return "•" * max(len(value) - visible, 0) + value[-visible:]


def due_soon_limit(now):
    """The end of the "due soon" window: two working days from now (as the list filter)."""
    return calendar.add_working_time(now, 2 * calendar.WORKING_DAY, national_calendar())


def _deadline_state(dossier: Dossier, now, soon) -> str:
    if dossier.status not in OPEN:
        return ""
    if dossier.appointment_at < now:
        return "overdue"
    if dossier.appointment_at <= soon:
        return "due_soon"
    return ""


# What the list reads of a dossier (templates/intake/dossier_list.html, the badge tags, the masks
# and the deadline state below); a field read but not loaded would cost a query per row.
LIST_FIELDS = (
    "code",
    "out_of_list",
    "received_at",
    "procedure_code",
    "procedure_name",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "status",
    "appointment_at",
    "apology_appointment_at",
    "receiver_kind",
)


@login_required
def dossier_list_view(request):
    """The dossiers of the user's ward (a city admin: of the city's wards), filtered and paged.

    Paging fetches one row past the page instead of counting: counting a city's million
    dossiers costs more than the page itself.
    """
    form = DossierFilterForm(request.GET, user=request.user)
    form.is_valid()
    page = form.page_number
    offset = (page - 1) * PAGE_SIZE
    show_ward = "ward" in form.fields
    # Only the columns a row shows: no procedure (its code and name are the dossier's own), the
    # ward only where the list has a ward column.
    dossiers = dossier_list(user=request.user, filters=form.filters()).select_related(None)
    if show_ward:
        dossiers = dossiers.select_related("ward")
    dossiers = dossiers.only(*LIST_FIELDS, *(["ward__name"] if show_ward else []))
    rows = list(dossiers[offset : offset + PAGE_SIZE + 1])
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    now = timezone.now()
    soon = due_soon_limit(now)
    detail_url = detail_url_builder()
    for dossier in rows:
        dossier.detail_url = detail_url(dossier.code)
        dossier.masked_id_number = mask(dossier.applicant_id_number)
        dossier.masked_phone = mask(dossier.applicant_phone)
        dossier.deadline_state = _deadline_state(dossier, now, soon)
    context = {
        "form": form,
        "dossiers": rows,
        "page": page,
        "first_number": offset + 1,
        "next_url": _page_url(request, page + 1) if has_next else None,
        "previous_url": _page_url(request, page - 1) if page > 1 else None,
        "show_ward": show_ward,
    }
    return render(request, "intake/dossier_list.html", context)


CODE_PLACEHOLDER = "__code__"


def detail_url_builder() -> Callable[[str], str]:
    """The detail page's address of a code, as reverse() gives it, for a page of rows.

    reverse() once, then the code put in its place quoted as reverse() quotes it: the same
    address at a fraction of the cost of fifty reverse() calls.
    """
    head, tail = reverse("intake:dossier-detail", kwargs={"code": CODE_PLACEHOLDER}).split(
        CODE_PLACEHOLDER
    )
    safe = RFC3986_SUBDELIMS + "/~:@"

    def url(code: str) -> str:
        if not code or "/" in code:  # no such address: reverse() says so
            return reverse("intake:dossier-detail", kwargs={"code": code})
        return f"{head}{quote(code, safe=safe)}{tail}"

    return url


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    if page > 1:
        query["page"] = str(page)
    else:
        query.pop("page", None)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


# --- detail and steps ----------------------------------------------------------------------


def _step_forms(
    user, dossier: Dossier, now, bound: StepForm | None = None
) -> tuple[list[StepForm], list[tuple[str, str]]]:
    """One small form per step the user's role may take now, as the lifecycle table says, and
    the steps the deadline rules have closed, each with the reason (shown instead of a button
    that would only be refused)."""
    forms, closed = [], []
    for action in actions_for(user.role, dossier.status, dossier.received_at):
        if action in POSTAL_ACTIONS or action == Action.RETURN:
            continue
        reason = closed_step_reason(dossier, action, now)
        if reason:
            closed.append((action.label, reason))
            continue
        if bound is not None and bound.step == action:
            forms.append(bound)
        else:
            forms.append(StepForm(action=action))
    return forms, closed


def _render_detail(request, dossier: Dossier, *, bound=None, error="", status=200):
    personal_data_access_log(user=request.user, dossier=dossier, params={"view": "detail"})
    allowed = actions_for(request.user.role, dossier.status, dossier.received_at)
    now = clock.now()
    step_forms, closed_steps = _step_forms(request.user, dossier, now, bound)
    if bound is not None and bound not in step_forms and not error:
        # A step no longer offered (the page was stale): its errors go to the top of the page.
        error = " ".join(str(e) for errors in bound.errors.values() for e in errors)
    dossier.deadline_state = _deadline_state(dossier, now, due_soon_limit(now))
    events = labelled(dossier_events(dossier=dossier))
    context = {
        "dossier": dossier,
        "events": events,
        # Completed after a supplement request: the term restarted, and a new receipt says so.
        "renewed_receipt": any(event.action == Action.SUPPLEMENT for event in events),
        "step_forms": step_forms,
        "closed_steps": closed_steps,
        "may_return": Action.RETURN in allowed,
        "postal_actions": [a for a in allowed if a in POSTAL_ACTIONS],
        "slips": available_slips(dossier, events),
        "step_error": error,
        "lookup_paused": receipts.lookup_paused_today(code=dossier.code),
        "evaluation_invite_url": (
            receipts.evaluation_invite_url(dossier, events)
            if working_ward_id(request.user) == dossier.ward_id
            else ""
        ),
    }
    return render(request, "intake/dossier_detail.html", context, status=status)


@login_required
def dossier_detail_view(request, code: str):
    """Everything about one dossier, its timeline and the steps the user may take now."""
    dossier = dossier_for_user(user=request.user, code=code)
    return _render_detail(request, dossier)


@login_required
@require_POST
def dossier_step_view(request, code: str):
    """Take one lifecycle step posted from the detail page; every rule is the service's."""
    form = StepForm(request.POST)
    if not form.is_valid():
        dossier = dossier_for_user(user=request.user, code=code)
        error = "" if form.step in PAGE_STEPS else _("Thao tác không hợp lệ.")
        return _render_detail(request, dossier, bound=form, error=error, status=400)
    data = form.cleaned_data
    action = Action(data["action"])
    try:
        dossier_step(
            user=request.user,
            code=code,
            action=action,
            note=data["note"],
            details=StepInput(new_appointment_at=data.get("new_appointment_at")),
            request_id=str(data["request_id"]),
        )
    except InvalidInput as error:
        dossier = dossier_for_user(user=request.user, code=code)
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return _render_detail(request, dossier, bound=form, status=400)
    except (NotAllowed, Conflict) as error:
        return _refused(request, code, action, error)
    messages.success(
        request,
        _("Đã ghi nhận “%(action)s” cho hồ sơ %(code)s.") % {"action": action.label, "code": code},
    )
    return redirect("intake:dossier-detail", code=code)


def _refused(request, code: str, action: Action, error):
    """A step the role may not take (403) or the state does not allow (409): nothing changed."""
    dossier = dossier_for_user(user=request.user, code=code)
    context = {"dossier": dossier, "action": action, "message": error.message, "error": error}
    return render(request, "intake/dossier_step_refused.html", context, status=error.status_code)
