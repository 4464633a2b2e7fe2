"""Data-entry batches (/nhap-lieu/): the chief opens them, the assigned worker enters the papers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intake.forms.receive import COMPONENTS_PREFIX, component_formset
from intake.models import Procedure
from intake.selectors import procedure_for_user, procedures_for_user
from onestop.errors import DomainError
from onestop.models import Role
from postal.forms import BatchCloseForm, BatchForm, DataEntryForm
from postal.models import DataEntryBatch
from postal.selectors import batch_records, batches_for_user
from postal.services import batch_close, batch_create, batch_update, data_entry_record
from postal.views._base import chief_required, show_refusal, ward_staff_required

RECORDS_SHOWN = 100


@ward_staff_required
@require_http_methods(["GET", "POST"])
def batches(request):
    """The ward's batches with their progress; the chief opens new ones here."""
    user = request.user
    is_chief = user.role == Role.CHIEF
    form = BatchForm(user=user) if is_chief else None
    if request.method == "POST":
        if not is_chief:
            raise PermissionDenied
        form = BatchForm(request.POST, user=user)
        if form.is_valid():
            try:
                batch = batch_create(user=user, **form.cleaned_data)
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã lập lô “%(title)s”.") % {"title": batch.title})
                return redirect("postal:batch", pk=batch.pk)
    rows = batches_for_user(user=user).filter(ward_id=user.ward_id)
    return render(request, "postal/batches.html", {"batches": rows, "form": form})


@ward_staff_required
@require_http_methods(["GET", "POST"])
def batch_detail(request, pk: int):
    """A batch, its entered dossiers and, for the chief, its settings."""
    user = request.user
    batch = batches_for_user(user=user).filter(ward_id=user.ward_id).get(pk=pk)
    is_chief = user.role == Role.CHIEF
    form = None
    if is_chief and batch.status == DataEntryBatch.Status.OPEN:
        form = BatchForm(
            user=user,
            initial={
                "title": batch.title,
                "paper_count": batch.paper_count,
                "assigned_to": batch.assigned_to_id,
                "due_date": batch.due_date,
                "note": batch.note,
            },
        )
    if request.method == "POST":
        if not is_chief:
            raise PermissionDenied
        form = BatchForm(request.POST, user=user)
        if form.is_valid():
            try:
                batch_update(user=user, batch_id=batch.pk, **form.cleaned_data)
            except DomainError as error:
                show_refusal(form, error)
            else:
                messages.success(request, _("Đã lưu lô."))
                return redirect("postal:batch", pk=batch.pk)
    context = {
        "batch": batch,
        "records": batch_records(batch=batch)[:RECORDS_SHOWN],
        "form": form,
        "can_enter": batch.assigned_to_id == user.pk and batch.status == "open",
        "is_chief": is_chief,
    }
    return render(request, "postal/batch.html", context)


@chief_required
@require_POST
def batch_close_view(request, pk: int):
    form = BatchCloseForm(request.POST)
    form.is_valid()
    try:
        batch = batch_close(
            user=request.user, batch_id=pk, cancel=form.cleaned_data.get("cancel", False)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Lô “%(title)s”: %(status)s.")
            % {"title": batch.title, "status": batch.get_status_display()},
        )
    return redirect("postal:batch", pk=pk)


def _procedure(user, code: str) -> Procedure | None:
    code = (code or "").strip()
    if not code:
        return None
    try:
        return procedure_for_user(user=user, code=code)
    except Procedure.DoesNotExist:
        return None


@ward_staff_required
@require_http_methods(["GET", "POST"])
def batch_entry(request, pk: int):
    """The intake form in data-entry mode, for the batch's worker.

    Choosing the procedure reloads the page with its checklist (no script needed); after each
    save the page comes back with the same procedure chosen, ready for the next paper.
    """
    user = request.user
    batch = batches_for_user(user=user).filter(ward_id=user.ward_id).get(pk=pk)
    if batch.assigned_to_id != user.pk:
        raise PermissionDenied
    data = request.POST
    if request.method == "GET" or data.get("_action") == "choose":
        source = request.GET if request.method == "GET" else data
        procedure = _procedure(user, source.get("procedure", ""))
        initial = data.dict() if request.method == "POST" else {}
        initial["procedure"] = procedure.code if procedure else ""
        form = DataEntryForm(user=user, batch=batch, initial=initial)
        return _entry_page(request, batch, form, component_formset(procedure), procedure)

    procedure = _procedure(user, data.get("procedure", ""))
    form = DataEntryForm(data, user=user, batch=batch)
    has_checklist = f"{COMPONENTS_PREFIX}-TOTAL_FORMS" in data and procedure is not None
    formset = component_formset(None, data=data) if has_checklist else component_formset(procedure)
    if form.is_valid() and has_checklist and formset.is_valid():
        values = form.cleaned_data
        try:
            record = data_entry_record(
                user=user,
                batch_id=batch.pk,
                original_receipt_number=values["original_receipt_number"],
                original_received_at=values["original_received_at"],
                procedure=values["procedure"],
                channel=values["channel"],
                applicant_name=values["applicant_name"],
                applicant_id_number=values["applicant_id_number"],
                applicant_address=values["applicant_address"],
                applicant_phone=values["applicant_phone"],
                applicant_email=values["applicant_email"],
                components=formset.lines(),
                sets=values["sets"],
                counter=values["counter"],
                notes=values["notes"],
                request_id=str(values["request_id"]),
                paper_state=values["paper_state"],
                paper_resolved_at=values["paper_resolved_at"],
                paper_returned_at=values["paper_returned_at"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("Đã nhập giấy tiếp nhận số %(number)s thành hồ sơ %(code)s.")
                % {"number": record.original_receipt_number, "code": record.dossier.code},
            )
            url = reverse("postal:batch-entry", kwargs={"pk": batch.pk})
            return redirect(f"{url}?procedure={record.dossier.procedure_code}")
    return _entry_page(request, batch, form, formset, procedure)


def _entry_page(request, batch, form, formset, procedure):
    fresh = batches_for_user(user=request.user).get(pk=batch.pk)
    context = {
        "batch": fresh,
        "form": form,
        "formset": formset,
        "procedure": procedure,
        "procedures": procedures_for_user(user=request.user),
    }
    return render(request, "postal/batch_entry.html", context)
