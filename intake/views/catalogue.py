"""The city admin's catalogue pages: list and search, edit, withdraw, import with a report.

An import is checked whole on upload and kept in the user's session (a few hundred rows); the
admin reads the report, confirms, and the accepted rows are written a chunk per request. With
htmx each chunk's answer asks for the next one, so the progress bar fills by itself; without
script a button takes the next chunk.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from intake.catalogue import (
    CHUNK_SIZE,
    EDITABLE,
    catalogue_check,
    catalogue_for_admin,
    catalogue_import_chunk,
    may_manage_catalogue,
    procedure_for_admin,
    procedure_set_active,
    procedure_update,
)
from intake.forms.catalogue import CatalogueImportForm, CatalogueSearchForm, ProcedureForm
from intake.models import Procedure
from onestop.errors import DomainError

SESSION_KEY = "catalogue_import"
PAGE_SIZE = 50


def _keeper(request) -> None:
    if not may_manage_catalogue(request.user):
        raise Http404


@login_required
def catalogue_list(request):
    _keeper(request)
    form = CatalogueSearchForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    procedures = catalogue_for_admin(
        user=request.user, search=data.get("q", ""), state=data.get("state", "")
    )
    page = Paginator(procedures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/catalogue/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def procedure_edit(request, code: str):
    _keeper(request)
    procedure = procedure_for_admin(user=request.user, code=code)
    if request.method == "POST":
        form = ProcedureForm(request.POST)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in EDITABLE}
            values["resolving_agency"] = values.get("resolving_agency") or ""
            try:
                procedure_update(user=request.user, code=code, values=values)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Đã lưu thủ tục %(code)s.") % {"code": code})
                return redirect("catalogue:list")
    else:
        form = ProcedureForm(initial={name: getattr(procedure, name) for name in EDITABLE})
    return render(request, "intake/catalogue/edit.html", {"form": form, "procedure": procedure})


@login_required
@require_POST
def procedure_toggle(request, code: str):
    _keeper(request)
    procedure = procedure_for_admin(user=request.user, code=code)
    procedure = procedure_set_active(user=request.user, code=code, active=not procedure.active)
    if procedure.active:
        messages.success(request, _("Thủ tục %(code)s được áp dụng lại.") % {"code": code})
    else:
        messages.success(
            request,
            _(
                "Thủ tục %(code)s đã ngừng áp dụng: không tiếp nhận hồ sơ mới; hồ sơ đã nhận "
                "giữ nguyên thông tin."
            )
            % {"code": code},
        )
    return redirect(request.POST.get("next") or reverse("catalogue:list"))


# --- import -----------------------------------------------------------------------------------


def _jobs(request) -> dict:
    return request.session.get(SESSION_KEY, {})


def _job(request, job_id: str) -> dict:
    job = _jobs(request).get(job_id)
    if job is None:
        raise Http404
    return job


def _save_job(request, job_id: str, job: dict) -> None:
    # Only the newest import is kept: the session is not a store.
    request.session[SESSION_KEY] = {job_id: job}


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request):
    _keeper(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check = catalogue_check(content=upload.read(), filename=upload.name)
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            job_id = secrets.token_urlsafe(8)
            _save_job(
                request,
                job_id,
                {
                    "filename": upload.name[:100],
                    "columns": check.columns,
                    "accepted": [
                        {"number": r.number, "code": r.code, "values": r.values}
                        for r in check.accepted
                    ],
                    "rejected": [
                        {"number": r.number, "code": r.code, "errors": [str(e) for e in r.errors]}
                        for r in check.rejected
                    ],
                    "done": 0,
                    "started": False,
                    "created": 0,
                    "updated": 0,
                    "unchanged": 0,
                },
            )
            return redirect("catalogue:import-job", job_id=job_id)
    return render(request, "intake/catalogue/import.html", {"form": form})


def _progress(job: dict) -> dict:
    total = len(job["accepted"])
    return {
        "total": total,
        "done": job["done"],
        "percent": round(100 * job["done"] / total) if total else 100,
        "finished": job["done"] >= total,
    }


@login_required
def catalogue_import_job(request, job_id: str):
    _keeper(request)
    job = _job(request, job_id)
    return render(
        request,
        "intake/catalogue/import_job.html",
        {"job": job, "job_id": job_id, "progress": _progress(job), "known": _known_codes(job)},
    )


def _known_codes(job: dict) -> set[str]:
    if job["started"]:
        return set()
    codes = [row["code"] for row in job["accepted"]]
    return set(Procedure.objects.filter(code__in=codes).values_list("code", flat=True))


@login_required
@require_POST
def catalogue_import_step(request, job_id: str):
    """Write the next chunk of accepted rows; htmx gets the progress fragment back."""
    _keeper(request)
    job = _job(request, job_id)
    rows = job["accepted"][job["done"] : job["done"] + CHUNK_SIZE]
    if rows:
        result = catalogue_import_chunk(user=request.user, rows=rows)
        job["done"] += len(rows)
        job["created"] += result.created
        job["updated"] += result.updated
        job["unchanged"] += result.unchanged
    job["started"] = True
    _save_job(request, job_id, job)
    context = {"job": job, "job_id": job_id, "progress": _progress(job)}
    if request.htmx:
        return render(request, "intake/catalogue/_import_progress.html", context)
    return redirect("catalogue:import-job", job_id=job_id)
