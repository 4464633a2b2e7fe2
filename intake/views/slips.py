"""The slips printed from a dossier's history, as pages or A4 PDFs.

Each slip's number and title, and the unit it names, come from the edition of the rules that
governs the dossier (intake.editions): under the 2018 edition Mẫu 02 to 05, under the 2025
edition Mẫu 02 to 06 with the stop-processing notice as Mẫu 05.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import receipts
from intake.editions import edition_for
from intake.file_services import FILE_ACTIONS
from intake.lifecycle import Action
from intake.models import Dossier, DossierEvent, ReturnMethod, Status, Timeliness
from intake.privacy import personal_data_access_log
from intake.selectors import dossier_events, dossier_for_user
from intake.services import PROXY_COLLECTOR, RATE_ACTION, RATE_LABEL
from onestop.models import Role
from wards import calendar

# Events that other steps write beside the lifecycle's own (scans, the chief's review).
OTHER_ACTIONS = {
    **FILE_ACTIONS,
    "review_out_of_list": gettext_lazy("Trưởng bộ phận xem xét hồ sơ ngoài danh mục"),
    RATE_ACTION: RATE_LABEL,
}


def labelled(events) -> list[DossierEvent]:
    """The events with their action and the actor's role in words (Mẫu 05, and the timeline)."""
    events = list(events)
    for event in events:
        event.action_label = (
            Action(event.action).label
            if event.action in Action.values
            else OTHER_ACTIONS.get(event.action, event.action)
        )
        event.role_label = Role(event.actor_role).label if event.actor_role in Role.values else ""
    return events


@dataclass(frozen=True)
class Slip:
    kind: str
    number: str
    title: str
    url_name: str
    # The counter's own slips have no number in the forms circular: a name for files and logs.
    key: str = ""

    @property
    def file_stem(self) -> str:
        return f"mau-{self.number}" if self.number else self.key


# The slips by form kind (intake.editions.FORM_KINDS), in the order a page lists them.
SLIP_URLS = {
    "supplement": "dossier-supplement-slip",
    "refusal": "dossier-refusal-slip",
    "stop": "dossier-stop-slip",
    "apology": "dossier-apology-slip",
    "control_sheet": "dossier-control-sheet",
}


HANDOVER_SLIP = Slip(
    "handover",
    "",
    gettext_lazy("Phiếu bàn giao kết quả giải quyết hồ sơ"),
    "dossier-handover-slip",
    "ban-giao",
)


def slip_for(dossier: Dossier, kind: str) -> Slip:
    """The slip of `kind` as the dossier's edition numbers and titles it."""
    form = edition_for(dossier.received_at).form(kind)
    return Slip(kind, form.number, form.title, SLIP_URLS[kind])


def available_slips(dossier: Dossier, events: list[DossierEvent]) -> list[dict]:
    """The slips the dossier's history supports, from its fields and its events (no query)."""
    kinds = []
    if dossier.supplement_count:
        kinds.append("supplement")
    if dossier.status == Status.REFUSED:
        stopped = any(event.action == Action.STOP for event in events)
        kinds.append("stop" if stopped else "refusal")
    if dossier.apology_appointment_at:
        kinds.append("apology")
    kinds.append("control_sheet")
    slips = [slip_for(dossier, kind) for kind in kinds]
    if dossier.status == Status.RETURNED and dossier.return_method == ReturnMethod.COUNTER:
        slips.append(HANDOVER_SLIP)
    return [
        {
            "number": slip.number,
            "label": _("Mẫu %(number)s") % {"number": slip.number}
            if slip.number
            else _("Phiếu bàn giao"),
            "title": slip.title,
            "url": reverse(f"intake:{slip.url_name}", kwargs={"code": dossier.code}),
        }
        for slip in slips
    ]


def _latest(events: list[DossierEvent], action: Action) -> DossierEvent:
    for event in reversed(events):
        if event.action == action:
            return event
    raise Http404(_("Hồ sơ không có phiếu này."))


def _slip(request, template: str, **context):
    """The slip as a page to print, or with ?pdf=1 the same page as an A4 PDF download."""
    context = {
        "slip_date": timezone.now(),
        "edition": edition_for(context["dossier"].received_at),
        "form_unit": edition_for(context["dossier"].received_at).form_unit_name(
            context["dossier"].ward
        ),
        **context,
    }
    if context.get("personal_data"):
        # The supplement, refusal and stop slips print the applicant's address and phone.
        view = context["slip"].file_stem + ("-pdf" if request.GET.get("pdf") == "1" else "")
        personal_data_access_log(
            user=request.user, dossier=context["dossier"], params={"view": view}
        )
    if request.GET.get("pdf") != "1":
        return render(request, f"intake/slips/{template}", context)
    html = render_to_string(f"intake/slips/{template}", context, request=request)
    dossier, slip = context["dossier"], context["slip"]
    return HttpResponse(
        receipts.render_pdf(html=html, request=request),
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{slip.file_stem}-{dossier.code}.pdf"'
        },
    )


@dataclass(frozen=True)
class EventSlip:
    """A slip that prints one step of the dossier's history: the latest event of `action`."""

    template: str
    action: Action
    # The dossier must be in this state, or the slip does not exist (404 with `missing`).
    status: Status | None = None
    missing: str = ""


# The slips that print one step and its reason; each prints the applicant's address and phone.
EVENT_SLIPS = {
    # Mẫu 02: what the citizen must add, as the latest request says.
    "supplement": EventSlip("supplement.html", Action.REQUEST_SUPPLEMENT),
    # Mẫu 03: the refusal and its reason.
    "refusal": EventSlip(
        "refusal.html", Action.REFUSE, Status.REFUSED, gettext_lazy("Hồ sơ không bị từ chối.")
    ),
    # The stop-processing notice (2025 edition, Mẫu 05) and its reason.
    "stop": EventSlip(
        "stop.html", Action.STOP, Status.REFUSED, gettext_lazy("Hồ sơ không bị dừng giải quyết.")
    ),
}


@login_required
def event_slip_view(request, code: str, kind: str):
    """A slip of EVENT_SLIPS for the dossier, from the latest event of its step."""
    spec = EVENT_SLIPS[kind]
    dossier = dossier_for_user(user=request.user, code=code)
    if spec.status is not None and dossier.status != spec.status:
        raise Http404(str(spec.missing))
    event = _latest(list(dossier_events(dossier=dossier)), spec.action)
    context = {}
    if kind == "supplement":
        context["items"] = [
            line.strip(" -•\t") for line in event.note.splitlines() if line.strip(" -•\t")
        ]
    return _slip(
        request,
        spec.template,
        dossier=dossier,
        event=event,
        slip=slip_for(dossier, kind),
        slip_date=event.at,
        personal_data=True,
        **context,
    )


@login_required
def apology_slip_view(request, code: str):
    """The apology (Mẫu 04), with the appointment it replaces and the new one."""
    dossier = dossier_for_user(user=request.user, code=code)
    events = list(dossier_events(dossier=dossier))
    event = _latest(events, Action.APOLOGISE)
    # The date the apology replaced is the last promise made before it (receipt or supplement).
    earlier = [e for e in events[: events.index(event)] if e.appointment_at]
    old = earlier[-1].appointment_at if earlier else dossier.appointment_at
    return _slip(
        request,
        "apology.html",
        dossier=dossier,
        event=event,
        old_appointment=old,
        new_appointment=event.appointment_at or dossier.apology_appointment_at,
        slip=slip_for(dossier, "apology"),
        slip_date=event.at,
    )


HANDOFF_RESULT = {
    "early": Timeliness.EARLY.label,
    "on_time": Timeliness.ON_TIME.label,
    "late": gettext_lazy("Quá hạn"),
}


def control_rows(dossier: Dossier, events: list[DossierEvent]) -> list[dict]:
    """The control sheet's rows: each hand-off with giver, receiver, time and early/on time/late.

    Each hand-off is measured against the promise in force at that moment (the receipt's
    appointment, moved by a supplement or replaced by an apology); the resolution uses the
    dossier's own timeliness, which counts more than one supplement request as late.
    """
    rows = []
    promised = None
    for event in events:
        result = ""
        if event.action == Action.RESOLVE and dossier.timeliness:
            result = dossier.timeliness
        elif promised is not None and (event.from_unit or event.to_unit):
            result = calendar.timeliness(event.at, promised)
        if event.appointment_at:
            promised = event.appointment_at
        rows.append(
            {
                "event": event,
                "result": result,
                "result_label": HANDOFF_RESULT.get(result, ""),
            }
        )
    return rows


@login_required
def control_sheet_view(request, code: str):
    """The control sheet (Mẫu 05, 06 under the 2025 edition), from the dossier's events."""
    dossier = dossier_for_user(user=request.user, code=code)
    events = labelled(dossier_events(dossier=dossier))
    return _slip(
        request,
        "control_sheet.html",
        dossier=dossier,
        rows=control_rows(dossier, events),
        slip=slip_for(dossier, "control_sheet"),
    )


@login_required
def handover_slip_view(request, code: str):
    """The hand-over slip of a result returned at the counter: what was handed to whom, the ID
    checked, when and by whom, and a line for the collector's signature. Its unit is named as
    the dossier's edition names it."""
    from intake.views.dossiers import mask  # that module imports this one

    dossier = dossier_for_user(user=request.user, code=code)
    if dossier.status != Status.RETURNED or dossier.return_method != ReturnMethod.COUNTER:
        raise Http404(_("Hồ sơ chưa được trả kết quả tại quầy."))
    event = labelled([_latest(list(dossier_events(dossier=dossier)), Action.RETURN)])[0]
    return _slip(
        request,
        "handover.html",
        dossier=dossier,
        event=event,
        by_proxy=event.to_unit == str(PROXY_COLLECTOR),
        masked_id_number=mask(dossier.applicant_id_number),
        unit_name=edition_for(dossier.received_at).unit_name(dossier.ward),
        slip=HANDOVER_SLIP,
        slip_date=event.at,
        personal_data=True,
    )
