"""The citizen's evaluation: the counter's tablet (device key, no login), the worker's invitation,
and the page the receipt's QR leads to once the result is returned (code in a signed link)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hall.devices import device_of_request
from hall.forms import EvaluationForm
from hall.models import (
    FULL_SCORE,
    INDICATOR_NAMES,
    INDICATORS,
    Device,
    Evaluation,
    EvaluationChannel,
)
from hall.selectors import evaluations_for_user
from hall.services import evaluation_invite, evaluation_submit
from hall.views.devices import _live, _refused, is_id
from intake import receipts
from intake.models import Dossier, Status
from intake.selectors import dossiers_in_working_ward
from onestop.errors import Conflict, DomainError, InvalidInput
from onestop.paging import page_number
from postal.views._base import show_refusal

# The tablet's thanks stay this long before it goes back to waiting.
THANKS_SECONDS = 8


def _tablet_context(device: Device, form=None, error: str = "") -> dict:
    dossier = (
        # What the tablet shows and nothing more: no personal data leaves the database here.
        Dossier.objects.only("code", "procedure_name").filter(pk=device.invited_dossier_id).first()
        if device.invited_dossier_id
        else None
    )
    return {
        "device": device,
        "ward": device.ward,
        "dossier": dossier,
        "form": form or EvaluationForm(),
        "error": error,
    }


@never_cache
@require_GET
def tablet(request):
    """The counter's tablet: waiting, or the form of the dossier the worker invited it for
    (procedure and code only: no personal data)."""
    device = device_of_request(request)
    if not _live(device, Device.Kind.EVALUATION):
        return _refused(request, device, Device.Kind.EVALUATION)
    return render(request, "hall/tablet.html", _tablet_context(device))


@never_cache
@require_GET
def tablet_state(request):
    """Polled every two seconds with the dossier the tablet shows (0: none): 204 while nothing
    changed, else a reload (HX-Refresh) — also when the key was revoked."""
    device = device_of_request(request)
    shown = request.GET.get("dossier", "")
    if _live(device, Device.Kind.EVALUATION) and shown == str(device.invited_dossier_id or 0):
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Refresh"] = "true"
    return response


@never_cache
@require_POST
def tablet_submit(request):
    device = device_of_request(request)
    if not _live(device, Device.Kind.EVALUATION):
        return _refused(request, device, Device.Kind.EVALUATION)
    assert device is not None
    chosen = request.POST.get("dossier", "")
    if not is_id(chosen) or int(chosen) != device.invited_dossier_id:
        context = _tablet_context(
            device,
            error=_("Phiếu đánh giá này không còn trên máy; mời công dân đánh giá lại từ quầy."),
        )
        return render(request, "hall/tablet.html", context, status=409)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        dossier = Dossier.objects.get(pk=device.invited_dossier_id)
        try:
            evaluation_submit(
                dossier=dossier,
                channel=EvaluationChannel.TABLET,
                satisfaction=form.cleaned_data["satisfaction"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                device=device,
            )
        except InvalidInput as error:
            show_refusal(form, error)
        except DomainError as error:
            device.refresh_from_db()
            return render(
                request,
                "hall/tablet.html",
                _tablet_context(device, error=error.message),
                status=error.status_code,
            )
        else:
            return render(
                request,
                "hall/evaluation_thanks.html",
                {"back": "hall:tablet", "seconds": THANKS_SECONDS, "ward": device.ward},
            )
    return render(request, "hall/tablet.html", _tablet_context(device, form=form), status=400)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, code: str):
    """The worker's "Mời công dân đánh giá": the dossier's form goes to their counter's tablet.
    GET (or a counter that cannot be worked out) lists the ward's tablets to choose from."""
    dossier = dossiers_in_working_ward(user=request.user).filter(code=code).first()
    if dossier is None:
        raise Http404
    tablets = Device.objects.filter(
        ward_id=dossier.ward_id, kind=Device.Kind.EVALUATION, revoked_at__isnull=True
    ).select_related("counter")
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("device", "")
        tablet_chosen = tablets.filter(pk=chosen).first() if is_id(chosen) else None
        try:
            device = evaluation_invite(
                user=request.user,
                dossier=dossier,
                counter=tablet_chosen.counter if tablet_chosen else None,
            )
        except InvalidInput as refusal:
            error = refusal.message
        except Conflict as refusal:
            messages.error(request, refusal.message)
            return redirect("intake:dossier-detail", code=dossier.code)
        else:
            messages.success(
                request,
                _("Đã mời công dân đánh giá hồ sơ %(code)s trên “%(device)s”.")
                % {"code": dossier.code, "device": device.name},
            )
            return redirect("intake:dossier-detail", code=dossier.code)
    context = {"dossier": dossier, "tablets": tablets, "error": error}
    return render(request, "hall/invite.html", context, status=400 if error else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def public_evaluation(request, token: str):
    """The evaluation from the receipt's QR (the status page links here once the result is
    returned); rate-limited like the status page, no personal data shown."""
    if not receipts.lookup_allowed(request):
        return render(
            request,
            "intake/public/rate_limited.html",
            {"limit": settings.LOOKUP_RATE_LIMIT},
            status=429,
        )
    dossier = receipts.dossier_for_status_token(token=token)
    if dossier is None:
        return render(request, "intake/public/not_found.html", status=404)
    context = {"dossier": dossier, "token": token, "form": EvaluationForm(), "error": ""}
    if Evaluation.objects.filter(dossier_id=dossier.pk).exists():
        context["error"] = _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")
        context["closed"] = True
        return render(request, "hall/evaluation_public.html", context, status=409)
    if dossier.status != Status.RETURNED:
        context["error"] = _("Hồ sơ chưa trả kết quả: bạn đánh giá được sau khi nhận kết quả.")
        context["closed"] = True
        return render(request, "hall/evaluation_public.html", context, status=409)
    if request.method == "GET":
        return render(request, "hall/evaluation_public.html", context)
    form = EvaluationForm(request.POST)
    context["form"] = form
    if form.is_valid():
        try:
            evaluation_submit(
                dossier=dossier,
                channel=EvaluationChannel.PHONE,
                satisfaction=form.cleaned_data["satisfaction"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
            )
        except InvalidInput as error:
            show_refusal(form, error)
        except DomainError as error:
            context["error"] = error.message
            context["closed"] = True
            return render(request, "hall/evaluation_public.html", context, status=error.status_code)
        else:
            return render(request, "hall/evaluation_thanks.html", {"ward": dossier.ward})
    return render(request, "hall/evaluation_public.html", context, status=400)


LIST_PAGE = 100


def _day(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _local_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
@require_GET
def evaluation_list(request):
    """The evaluations behind a report's figures: by ward, pilot phase, period (`from`, `to`:
    yyyy-mm-dd, both included) and an indicator given its full score. Another ward's
    evaluations are never listed."""
    evaluations = evaluations_for_user(user=request.user)
    params = request.GET
    if params.get("ward"):
        evaluations = evaluations.filter(ward__slug=params["ward"])
    if params.get("pilot_phase", "").isdigit():
        evaluations = evaluations.filter(ward__pilot_phase=int(params["pilot_phase"]))
    first, last = _day(params.get("from")), _day(params.get("to"))
    if first:
        evaluations = evaluations.filter(at__gte=_local_start(first))
    if last:
        evaluations = evaluations.filter(at__lt=_local_start(last + dt.timedelta(days=1)))
    indicator = params.get("indicator", "")
    if indicator in INDICATOR_NAMES:
        evaluations = evaluations.filter(**{indicator: FULL_SCORE})
    total = evaluations.count()
    last_page = max(1, -(-total // LIST_PAGE))
    page = page_number(params.get("page"), last=last_page)
    rows = evaluations.select_related("ward", "dossier", "counter").only(
        "at",
        "channel",
        "satisfaction",
        "comment",
        *INDICATOR_NAMES,
        "ward__name",
        "ward__kind",
        "dossier__code",
        "dossier__procedure_name",
        "counter__number",
    )[(page - 1) * LIST_PAGE : page * LIST_PAGE]
    context = {
        "rows": [(e, [getattr(e, name) for name in INDICATOR_NAMES]) for e in rows],
        "indicators": INDICATORS,
        "indicator": dict(INDICATORS).get(indicator),
        "total": total,
        "page": page,
        "last_page": last_page,
        "query": params.urlencode(),
    }
    return render(request, "hall/evaluations.html", context)
