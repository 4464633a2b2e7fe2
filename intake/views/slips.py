"""The slips printed from a dossier's history: Mẫu 02 to 05, as pages or A4 PDFs."""

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
from intake.services import PROXY_COLLECTOR
from onestop.models import Role
from wards import calendar

# Events that other steps write beside the lifecycle's own (scans, the chief's review).
OTHER_ACTIONS = {
    **FILE_ACTIONS,
    "review_out_of_list": gettext_lazy("Trưởng bộ phận xem xét hồ sơ ngoài danh mục"),
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
    number: str
    title: str
    url_name: str
    # The counter's own slips have no number in the forms circular: a name for files and logs.
    key: str = ""

    @property
    def file_stem(self) -> str:
        return f"mau-{self.number}" if self.number else self.key


SUPPLEMENT_SLIP = Slip(
    "02", gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"), "dossier-supplement-slip"
)
REFUSAL_SLIP = Slip(
    "03", gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"), "dossier-refusal-slip"
)
APOLOGY_SLIP = Slip(
    "04", gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"), "dossier-apology-slip"
)
CONTROL_SHEET = Slip(
    "05", gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"), "dossier-control-sheet"
)


HANDOVER_SLIP = Slip(
    "", gettext_lazy("Phiếu bàn giao kết quả giải quyết hồ sơ"), "dossier-handover-slip", "ban-giao"
)


def available_slips(dossier: Dossier) -> list[dict]:
    """The slips the dossier's history supports, read from its own fields (no query)."""
    slips = []
    if dossier.supplement_count:
        slips.append(SUPPLEMENT_SLIP)
    if dossier.status == Status.REFUSED:
        slips.append(REFUSAL_SLIP)
    if dossier.apology_appointment_at:
        slips.append(APOLOGY_SLIP)
    slips.append(CONTROL_SHEET)
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
    context = {"slip_date": timezone.now(), **context}
    if context.get("personal_data"):
        # Mẫu 02 and 03 print the applicant's address and phone.
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


@login_required
def supplement_slip_view(request, code: str):
    """Mẫu 02: what the citizen must add, as the latest supplement request says."""
    dossier = dossier_for_user(user=request.user, code=code)
    event = _latest(list(dossier_events(dossier=dossier)), Action.REQUEST_SUPPLEMENT)
    return _slip(
        request,
        "supplement.html",
        dossier=dossier,
        event=event,
        items=[line.strip(" -•\t") for line in event.note.splitlines() if line.strip(" -•\t")],
        slip=SUPPLEMENT_SLIP,
        slip_date=event.at,
        personal_data=True,
    )


@login_required
def refusal_slip_view(request, code: str):
    """Mẫu 03: the refusal and its reason."""
    dossier = dossier_for_user(user=request.user, code=code)
    if dossier.status != Status.REFUSED:
        raise Http404(_("Hồ sơ không bị từ chối."))
    event = _latest(list(dossier_events(dossier=dossier)), Action.REFUSE)
    return _slip(
        request,
        "refusal.html",
        dossier=dossier,
        event=event,
        slip=REFUSAL_SLIP,
        slip_date=event.at,
        personal_data=True,
    )


@login_required
def apology_slip_view(request, code: str):
    """Mẫu 04: the apology, with the appointment it replaces and the new one."""
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
        slip=APOLOGY_SLIP,
        slip_date=event.at,
    )


HANDOFF_RESULT = {
    "early": Timeliness.EARLY.label,
    "on_time": Timeliness.ON_TIME.label,
    "late": gettext_lazy("Quá hạn"),
}


def control_rows(dossier: Dossier, events: list[DossierEvent]) -> list[dict]:
    """Mẫu 05 rows: each hand-off with giver, receiver, time and early/on time/late.

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
    """Mẫu 05: the control sheet, from the dossier's events."""
    dossier = dossier_for_user(user=request.user, code=code)
    events = labelled(dossier_events(dossier=dossier))
    return _slip(
        request,
        "control_sheet.html",
        dossier=dossier,
        rows=control_rows(dossier, events),
        slip=CONTROL_SHEET,
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
