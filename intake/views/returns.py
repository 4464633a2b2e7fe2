"""Result return at the counter: find the dossier by its code, check the collector, hand over."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from intake.forms.steps import ReturnForm, ReturnLookupForm, normalise_code
from intake.lifecycle import Action, may_ever
from intake.models import Dossier, Status
from intake.privacy import personal_data_access_log
from intake.selectors import dossiers_in_working_ward
from intake.services import StepInput, dossier_step
from intake.views.dossiers import mask
from onestop.errors import Conflict, InvalidInput, NotAllowed


def _find(user, code: str) -> Dossier | None:
    """The dossier `code` of the user's ward, or None: another ward's code is simply unknown."""
    try:
        return (
            dossiers_in_working_ward(user=user)
            .select_related("procedure", "received_by")
            .get(code=code)
        )
    except Dossier.DoesNotExist:
        return None


def _page(request, *, lookup=None, dossier=None, form=None, notice="", status=200):
    if dossier is not None:
        personal_data_access_log(user=request.user, dossier=dossier, params={"view": "return"})
        dossier.masked_id_number = mask(dossier.applicant_id_number)
    context = {
        "lookup": lookup or ReturnLookupForm(),
        "dossier": dossier,
        "form": form,
        "notice": notice,
    }
    return render(request, "intake/return.html", context, status=status)


def _not_found(code: str) -> str:
    return _("Không tìm thấy hồ sơ %(code)s trong phường của bạn. Kiểm tra lại mã.") % {
        "code": code
    }


def _not_ready(dossier: Dossier) -> str:
    return _("Hồ sơ %(code)s chưa có kết quả để trả: trạng thái hiện tại là “%(status)s”.") % {
        "code": dossier.code,
        "status": dossier.get_status_display(),
    }


@login_required
def result_return_view(request):
    """Type or scan a code (the scanner ends with Enter); if its result is ready, hand it over."""
    user = request.user
    if not may_ever(user.role, Action.RETURN):
        raise PermissionDenied(_("Chỉ cán bộ tại quầy của phường mới trả kết quả."))
    if request.method == "POST":
        return _record(request)
    if "code" not in request.GET:
        return _page(request)
    lookup = ReturnLookupForm(request.GET)
    if not lookup.is_valid():
        return _page(request, lookup=lookup, status=400)
    code = lookup.cleaned_data["code"]
    dossier = _find(user, code)
    if dossier is None:
        return _page(request, lookup=lookup, notice=_not_found(code), status=404)
    if dossier.status != Status.RESULT_READY:
        return _page(request, lookup=lookup, dossier=dossier, notice=_not_ready(dossier))
    return _page(request, lookup=lookup, dossier=dossier, form=ReturnForm(initial={"code": code}))


def _record(request):
    user = request.user
    form = ReturnForm(request.POST)
    code = normalise_code(request.POST.get("code", ""))
    lookup = ReturnLookupForm(initial={"code": code})
    dossier = _find(user, code)
    if dossier is None:
        return _page(request, lookup=lookup, notice=_not_found(code), status=404)
    if not form.is_valid():
        return _page(request, lookup=lookup, dossier=dossier, form=form, status=400)
    data = form.cleaned_data
    try:
        dossier_step(
            user=user,
            code=code,
            action=Action.RETURN,
            note=data["note"],
            details=StepInput(
                collector_id_number=data["collector_id_number"],
                satisfaction=data["satisfaction"],
            ),
            request_id=str(data["request_id"]),
        )
    except Dossier.DoesNotExist:
        return _page(request, lookup=lookup, notice=_not_found(code), status=404)
    except InvalidInput as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _page(request, lookup=lookup, dossier=dossier, form=form, status=400)
    except (NotAllowed, Conflict) as error:
        return _page(
            request, lookup=lookup, dossier=dossier, notice=error.message, status=error.status_code
        )
    messages.success(
        request,
        format_html(
            '{} <a href="{}" data-testid="handover-link">{}</a> · <a href="{}">{}</a>',
            _("Đã trả kết quả hồ sơ %(code)s.") % {"code": code},
            reverse("intake:dossier-handover-slip", kwargs={"code": code}),
            _("In phiếu bàn giao để người nhận ký"),
            reverse("intake:dossier-detail", kwargs={"code": code}),
            _("Xem hồ sơ"),
        ),
    )
    return redirect("intake:return")
