"""Intake at the counter (/tiep-nhan/) and the receipt it leads to (Mẫu 01, page and PDF)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from intake import receipts
from intake.editions import edition_for
from intake.forms.receive import (
    COMPONENTS_PREFIX,
    ReceiveForm,
    component_formset,
    picker_choices,
)
from intake.lifecycle import Action
from intake.models import Channel, DossierEvent, Procedure
from intake.privacy import personal_data_access_log
from intake.selectors import (
    dossier_events,
    dossier_for_user,
    intake_offers,
    procedure_for_user,
)
from intake.services import dossier_receive
from onestop import clock
from onestop.errors import DomainError
from wards import calendar
from wards.scope import working_ward_id
from wards.selectors import working_calendar

SEARCH, CHOOSE, SAVE = "search", "choose", "save"


def counter_staff_required(view):
    """Signed-in staff of a ward; anyone else (city admins included) may not receive."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if working_ward_id(request.user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def appointment_preview(user, procedure: Procedure | None):
    """When a dossier of `procedure` received now would be due; None when it cannot be said."""
    if procedure is None or procedure.processing_days is None:
        return None
    cal = working_calendar(city_id=user.ward.city_id)
    return calendar.term_appointment_at(
        clock.now(), procedure.processing_days, procedure.term_unit, cal
    )


def _chosen_procedure(user, code: str) -> Procedure | None:
    code = code.strip()
    if not code:
        return None
    return procedure_for_user(user=user, code=code)


def _page(request, form, formset, procedure, search, status=200):
    procedures = picker_choices(user=request.user, search=search, selected=procedure)
    offered = [*procedures, procedure] if procedure is not None else procedures
    context = {
        "form": form,
        "formset": formset,
        "procedure": procedure,
        "search": search,
        "procedures": procedures,
        "intake_notes": intake_offers(user=request.user, procedures=offered),
        "appointment": appointment_preview(request.user, procedure),
    }
    return render(request, "intake/receive.html", context, status=status)


@counter_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def receive(request):
    """The intake form; saving receives the dossier and leads to its receipt.

    Never cached: going Back after a save must bring a fresh form with a new request_id, not the
    old one, which the service would take for a repeat of the saved dossier.
    """
    user = request.user
    data = request.POST
    if request.method == "GET":
        search = request.GET.get("q", "")[:200]
        procedure = _safe_procedure(user, request.GET.get("procedure", ""))
        form = ReceiveForm(user=user, initial={"procedure": procedure.code if procedure else ""})
        return _page(request, form, component_formset(procedure), procedure, search)

    search = data.get("q", "")[:200]
    action = data.get("_action", SAVE)
    procedure = _safe_procedure(user, data.get("procedure", ""))
    if action == SAVE and procedure is None and search.strip():
        action = SEARCH  # Enter in the search box, without JavaScript
    if action in (SEARCH, CHOOSE):
        # Not a save: show the page again with every typed value and no error messages.
        form = ReceiveForm(user=user, initial=data.dict())
        return _page(request, form, component_formset(procedure), procedure, search)

    form = ReceiveForm(data, user=user)
    has_checklist = f"{COMPONENTS_PREFIX}-TOTAL_FORMS" in data and procedure is not None
    formset = component_formset(None, data=data) if has_checklist else component_formset(procedure)
    if form.is_valid() and has_checklist and formset.is_valid():
        try:
            receipt = dossier_receive(
                user=user,
                procedure=form.cleaned_data["procedure"],
                channel=form.cleaned_data["channel"],
                applicant_name=form.cleaned_data["applicant_name"],
                applicant_id_number=form.cleaned_data["applicant_id_number"],
                applicant_address=form.cleaned_data["applicant_address"],
                applicant_phone=form.cleaned_data["applicant_phone"],
                applicant_email=form.cleaned_data["applicant_email"],
                notify_consent=form.cleaned_data["notify_consent"],
                components=formset.lines(),
                sets=form.cleaned_data["sets"],
                counter=form.cleaned_data["counter"],
                notes=form.cleaned_data["notes"],
                request_id=str(form.cleaned_data["request_id"]),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            receipts.keep_pin_for_receipt(request, receipt.dossier.code, receipt.lookup_pin)
            return redirect("intake:receipt", code=receipt.dossier.code)
    return _page(request, form, formset, procedure, search, status=200)


def _safe_procedure(user, code: str) -> Procedure | None:
    try:
        return _chosen_procedure(user, code)
    except Procedure.DoesNotExist:
        return None


@counter_staff_required
@require_GET
def receive_procedures(request):
    """htmx: the picker's list for what was typed in the search box."""
    search = request.GET.get("q", "")[:200]
    selected = _safe_procedure(request.user, request.GET.get("procedure", ""))
    procedures = picker_choices(user=request.user, search=search, selected=selected)
    intake_offers(user=request.user, procedures=procedures)
    context = {
        "procedures": procedures,
        "selected_code": selected.code if selected else "",
        "search": search,
    }
    return render(request, "intake/receive_picker.html", context)


@counter_staff_required
@require_GET
def receive_procedure(request):
    """htmx: the chosen procedure's checklist, number of sets and appointment."""
    procedure = _chosen_procedure(request.user, request.GET.get("procedure", ""))
    if procedure is not None:
        intake_offers(user=request.user, procedures=[procedure])
    form = ReceiveForm(user=request.user)
    context = {
        "form": form,
        "formset": component_formset(procedure),
        "procedure": procedure,
        "appointment": appointment_preview(request.user, procedure),
    }
    return render(request, "intake/receive_panel.html", context)


@counter_staff_required
@require_GET
def receive_appointment(request):
    """htmx: the appointment a dossier of the procedure received now would get."""
    procedure = _chosen_procedure(request.user, request.GET.get("procedure", ""))
    context = {"procedure": procedure, "appointment": appointment_preview(request.user, procedure)}
    return render(request, "intake/receive_appointment.html", context)


# --- receipt (Mẫu 01) ---------------------------------------------------------------------


def _renewal(request, dossier) -> DossierEvent | None:
    """With ?bo-sung=1, the latest completion of the dossier: the new receipt's moment and
    appointment (the term restarted then); 404 when the dossier was never completed."""
    if request.GET.get("bo-sung") != "1":
        return None
    completions = [e for e in dossier_events(dossier=dossier) if e.action == Action.SUPPLEMENT]
    if not completions:
        raise Http404(_("Hồ sơ chưa được bổ sung."))
    return completions[-1]


def _receipt_context(request, dossier, pin: str, pdf_ticket: str = "") -> dict:
    link = receipts.status_url(request, dossier)
    renewal = _renewal(request, dossier)
    edition = edition_for(dossier.received_at)
    return {
        "renewal": renewal,
        "issued_at": renewal.at if renewal else dossier.received_at,
        "promised_at": renewal.appointment_at if renewal else dossier.due_at,
        "dossier": dossier,
        "ward": dossier.ward,
        # The unit, the form's number and title as the dossier's edition of the rules has them.
        "edition": edition,
        "form_unit": edition.form_unit_name(dossier.ward),
        "receipt_form": edition.form("receipt"),
        "lookup_pin": pin,
        "pdf_ticket": pdf_ticket,
        "status_link": link,
        "lookup_url": receipts.public_url(request, reverse("intake:public-lookup")),
        "qr": receipts.qr_data_uri(link),
        "by_post": dossier.channel == Channel.POSTAL,
        "slip_template": "intake/receipt_slip.html",
    }


@login_required
@require_GET
@never_cache
def receipt(request, code: str):
    """The receipt; the lookup PIN appears on its first display after intake only, and on the
    PDF that display's link downloads first."""
    dossier = dossier_for_user(user=request.user, code=code)
    personal_data_access_log(user=request.user, dossier=dossier, params={"view": "receipt"})
    pin = receipts.take_pin_for_receipt(request, dossier.code)
    ticket = receipts.pass_pin_to_pdf(request, dossier.code, pin)
    context = _receipt_context(request, dossier, pin, ticket)
    return render(request, "intake/receipt.html", context)


@login_required
@require_GET
@never_cache
def receipt_pdf(request, code: str):
    """The receipt as an A5 PDF, from the same slip template.

    It carries the lookup PIN only when downloaded through the link of the receipt page that
    showed the PIN, the first time and within a few minutes (receipts.pass_pin_to_pdf).
    """
    dossier = dossier_for_user(user=request.user, code=code)
    personal_data_access_log(user=request.user, dossier=dossier, params={"view": "receipt-pdf"})
    pin = receipts.take_pin_for_pdf(request, dossier.code, request.GET.get("ma", "")[:64])
    context = _receipt_context(request, dossier, pin)
    html = render_to_string("intake/receipt_pdf.html", context, request=request)
    response = HttpResponse(
        receipts.render_pdf(html=html, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bien-nhan-{dossier.code}.pdf"'
    return response
