"""The home page of the roles no other app gives one, and the city admin's calendar and ward
pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onestop import clock
from onestop.errors import DomainError
from onestop.models import Role
from wards import calendar_admin
from wards.forms import CalendarExceptionForm, WardPilotForm
from wards.selectors import counters_for_user, staff_for_user, wards_for_user

# --- the city admin's calendar ---------------------------------------------------------------


def _preview(request, form):
    data = form.cleaned_data
    procedure = (
        data.get("sample_procedure")
        or form.fields["sample_procedure"].queryset.filter(processing_days__gte=2).first()
    )
    if procedure is None:
        return None
    return calendar_admin.calendar_exception_preview(
        user=request.user,
        date=data["date"],
        kind=data["kind"],
        procedure=procedure,
        received_at=data.get("sample_received_at"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    city = calendar_admin.managed_city(user=request.user)
    samples = calendar_admin.calendar_preview_samples(user=request.user)
    form = CalendarExceptionForm(request.POST or None, samples=samples)
    preview = None
    if request.method == "POST" and form.is_valid():
        try:
            if "preview" in request.POST or request.htmx:
                preview = _preview(request, form)
            else:
                data = form.cleaned_data
                calendar_admin.calendar_exception_add(
                    user=request.user, date=data["date"], kind=data["kind"], note=data["note"]
                )
                messages.success(
                    request, _("Đã thêm ngày %(day)s.") % {"day": f"{data['date']:%d/%m/%Y}"}
                )
                return redirect("wards:calendar")
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    if request.htmx:
        return render(request, "wards/_calendar_preview.html", {"form": form, "preview": preview})
    exceptions = calendar_admin.calendar_exceptions_for_user(user=request.user)
    year = calendar_admin.calendar_year_for_user(user=request.user, year=_year(request))
    return render(
        request,
        "wards/calendar.html",
        {
            "city": city,
            "form": form,
            "preview": preview,
            "exceptions": exceptions,
            "calendar_year": year,
        },
    )


def _year(request) -> int:
    """The year asked for (?year=2026), this year when absent or out of range."""
    this_year = timezone.localdate(clock.now()).year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 5 else this_year


@login_required
@require_POST
def calendar_revoke(request, pk: int):
    calendar_admin.managed_city(user=request.user)
    try:
        exception = calendar_admin.calendar_exception_revoke(
            user=request.user, exception_id=pk, note=request.POST.get("note", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã huỷ ngày %(day)s.") % {"day": f"{exception.date:%d/%m/%Y}"})
    return redirect("wards:calendar")


# --- wards and their pilot phase ------------------------------------------------------------


@login_required
def ward_admin_list(request):
    wards = calendar_admin.wards_for_admin(user=request.user)
    return render(request, "wards/ward_admin_list.html", {"wards": wards})


@login_required
@require_http_methods(["GET", "POST"])
def ward_admin_edit(request, slug: str):
    ward = calendar_admin.ward_for_admin(user=request.user, slug=slug)
    if request.method == "POST":
        form = WardPilotForm(request.POST)
        if form.is_valid():
            try:
                calendar_admin.ward_set_pilot(user=request.user, slug=slug, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Đã lưu %(ward)s.") % {"ward": ward})
                return redirect("wards:ward-admin-list")
    else:
        form = WardPilotForm(
            initial={
                "pilot_phase": ward.pilot_phase,
                "pilot_started_on": ward.pilot_started_on,
                "active": ward.active,
            }
        )
    return render(request, "wards/ward_admin_edit.html", {"ward": ward, "form": form})


# --- home of the officer, the city admin and the technical administrator ----------------------

HOME_TEMPLATES = {
    Role.POSTAL_WORKER: "onestop/home_postal_worker.html",
    Role.OFFICER: "onestop/home_officer.html",
    Role.CHIEF: "onestop/home_chief.html",
    Role.CITY_ADMIN: "onestop/home_city_admin.html",
}


@login_required
def home(request):
    """The wards and counters in scope (and, for a chief, the staff); see settings.HOME_VIEWS."""
    user = request.user
    context = {
        "wards": wards_for_user(user=user),
        "counters": counters_for_user(user=user).filter(active=True),
    }
    if user.role == Role.CHIEF:
        context["staff"] = staff_for_user(user=user)
    template = HOME_TEMPLATES.get(user.role, "onestop/home_superuser.html")
    return render(request, template, context)
