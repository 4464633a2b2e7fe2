"""The city admin's hand on the working calendar and on the wards' pilot membership.

Services (writes) and the selectors their pages read. Only a city admin of the city acts; an
exception is revoked with a reason, never deleted, and appointments already given keep their
dates (each dossier's appointment was promised on its receipt).

wards knows no procedures or dossiers: what a change means for them is said by the app that
keeps them, which receives `wards.signals.calendar_changed` and lends the preview its samples
and its count of open dossiers (`preview_source_register`), both when it starts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import User
from wards import calendar
from wards.models import CalendarException, City, OfficialSwap, Ward
from wards.scope import may_manage_city, visible_cities, visible_wards
from wards.selectors import (
    current_official_swaps,
    national_calendar,
    official_swaps_of_year,
    working_calendar,
)
from wards.signals import calendar_changed


def managed_city(*, user: User) -> City:
    """The city `user` administers, or City.DoesNotExist (a 404 for everyone else)."""
    if not (user.is_authenticated and user.is_active and user.is_city_admin):
        raise City.DoesNotExist("not a city admin")
    return visible_cities(user).get(pk=user.city_id)


def _require_manager(user: User, city: City) -> None:
    if not may_manage_city(user, city):
        raise NotAllowed(
            _("Chỉ quản trị thành phố được thay đổi lịch làm việc và danh sách phường.")
        )


# --- calendar exceptions ----------------------------------------------------------------------


def calendar_exceptions_for_user(*, user: User, include_revoked: bool = True) -> QuerySet:
    """The exceptions of the city `user` administers, newest date first."""
    city = managed_city(user=user)
    exceptions = CalendarException.objects.filter(city=city).select_related(
        "created_by", "revoked_by"
    )
    if not include_revoked:
        exceptions = exceptions.filter(revoked_at__isnull=True)
    return exceptions.order_by("-date", "-id")


def _refuse_official_date(date: dt.date) -> None:
    """The Government's swap on `date` binds every city: only a newer document changes it."""
    official = current_official_swaps().filter(date=date).first()
    if official is not None:
        raise InvalidInput(
            _("Ngày %(day)s đã được điều chỉnh theo văn bản (%(document)s): %(kind)s.")
            % {
                "day": f"{date:%d/%m/%Y}",
                "document": official.document,
                "kind": official.get_kind_display(),
            },
            field="date",
        )


def calendar_exception_add(
    *, user: User, date: dt.date, kind: str, note: str = ""
) -> CalendarException:
    """Add an extra day off or a make-up working day to the user's city calendar."""
    city = managed_city(user=user)
    _require_manager(user, city)
    if kind not in CalendarException.Kind.values:
        raise InvalidInput(_("Loại ngày không hợp lệ."), field="kind")
    _refuse_official_date(date)
    national = national_calendar()
    if kind == CalendarException.Kind.DAY_OFF and not national.is_working_day(date):
        raise InvalidInput(
            _("Ngày %(day)s vốn đã là ngày nghỉ.") % {"day": f"{date:%d/%m/%Y}"}, field="date"
        )
    if kind == CalendarException.Kind.WORKING_DAY and national.is_working_day(date):
        raise InvalidInput(
            _("Ngày %(day)s vốn đã là ngày làm việc.") % {"day": f"{date:%d/%m/%Y}"},
            field="date",
        )
    try:
        with transaction.atomic():
            exception = CalendarException.objects.create(
                city=city, date=date, kind=kind, note=note.strip(), created_by=user
            )
            calendar_changed.send(sender=City, city=city)
            return exception
    except IntegrityError:
        existing = CalendarException.objects.get(city=city, date=date, revoked_at__isnull=True)
        raise Conflict(
            _("Ngày %(day)s đã có trong lịch: %(kind)s. Huỷ ngày đó trước khi thêm lại.")
            % {"day": f"{date:%d/%m/%Y}", "kind": existing.get_kind_display()},
            field="date",
        ) from None


def calendar_exception_revoke(*, user: User, exception_id: int, note: str) -> CalendarException:
    """Revoke an exception (with a reason); it stays in the list, struck through."""
    city = managed_city(user=user)
    _require_manager(user, city)
    note = note.strip()
    if not note:
        raise InvalidInput(_("Ghi lý do huỷ."), field="note")
    with transaction.atomic():
        exception = CalendarException.objects.select_for_update().get(city=city, pk=exception_id)
        if exception.revoked_at is not None:
            return exception
        exception.revoked_at = clock.now()
        exception.revoked_by = user
        exception.revoke_note = note[:200]
        exception.save(update_fields=["revoked_at", "revoked_by", "revoke_note"])
        calendar_changed.send(sender=City, city=city)
    return exception


@dataclass(frozen=True)
class CalendarYear:
    """One year of the city's calendar: the official swaps and the working days they leave."""

    year: int
    official_swaps: list[OfficialSwap]
    working_days: int


def calendar_year_for_user(*, user: User, year: int) -> CalendarYear:
    """The swaps the Government decided for `year` and the city's working days that year
    (the library, those swaps and the city's own exceptions)."""
    city = managed_city(user=user)
    cal = working_calendar(city_id=city.pk)
    return CalendarYear(
        year=year,
        official_swaps=list(official_swaps_of_year(year=year)),
        working_days=cal.working_days_between(dt.date(year, 1, 1), dt.date(year + 1, 1, 1)),
    )


@dataclass(frozen=True)
class PreviewSource:
    """What the preview borrows from the app that keeps the procedures and the dossiers."""

    # samples(user=) -> the procedures the admin may pick, each with a `code`, a `name` and a
    # term in working days (`processing_days`, never None).
    samples: Callable[..., QuerySet]
    # open_due_on(ward_ids=, day=) -> how many open dossiers of those wards are promised for
    # `day` (their dates do not move by themselves).
    open_due_on: Callable[..., int]


_preview_sources: list[PreviewSource] = []


def preview_source_register(source: PreviewSource) -> None:
    """Lend the preview its samples and counts (once, when the app that keeps them starts)."""
    _preview_sources[:] = [source]


def preview_source() -> PreviewSource:
    if not _preview_sources:
        raise ImproperlyConfigured("No app lends the calendar preview its procedures.")
    return _preview_sources[0]


def calendar_preview_samples(*, user: User) -> QuerySet:
    """The procedures the preview may take as its sample intake."""
    return preview_source().samples(user=user)


@dataclass(frozen=True)
class CalendarPreview:
    """How one sample intake's appointment moves if the exception is added."""

    procedure: Any  # one of calendar_preview_samples()
    received_at: dt.datetime
    before: dt.datetime
    after: dt.datetime
    open_due_that_day: int

    @property
    def moved(self) -> bool:
        return self.before != self.after

    @property
    def shift_days(self) -> int:
        return (self.after.date() - self.before.date()).days


def default_sample_time(date: dt.date) -> dt.datetime:
    """09:00 on the second working day before `date`: an intake whose count crosses it."""
    national = national_calendar()
    day = date
    for _step in range(2):
        day -= dt.timedelta(days=1)
        while not national.is_working_day(day):
            day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(9), tzinfo=calendar.VIETNAM_TZ)


def calendar_exception_preview(
    *,
    user: User,
    date: dt.date,
    kind: str,
    procedure: Any,
    received_at: dt.datetime | None = None,
) -> CalendarPreview:
    """The sample intake's appointment on today's calendar and with the exception added.

    Also counts the city's open dossiers already promised for that day: their dates do not
    change by themselves (an apology slip gives a new one when needed).
    """
    city = managed_city(user=user)
    if procedure.processing_days is None:
        raise InvalidInput(_("Thủ tục chưa có thời hạn giải quyết."), field="sample_procedure")
    if kind not in CalendarException.Kind.values:
        raise InvalidInput(_("Loại ngày không hợp lệ."), field="kind")
    _refuse_official_date(date)
    received_at = received_at or default_sample_time(date)
    current = working_calendar(city_id=city.pk)
    off, working = set(current.extra_days_off), set(current.extra_working_days)
    if kind == CalendarException.Kind.DAY_OFF:
        off.add(date)
        working.discard(date)
    else:
        working.add(date)
        off.discard(date)
    proposed = replace(
        current, extra_days_off=frozenset(off), extra_working_days=frozenset(working)
    )
    days = procedure.processing_days
    due_that_day = preview_source().open_due_on(ward_ids=visible_wards(user).values("pk"), day=date)
    return CalendarPreview(
        procedure=procedure,
        received_at=received_at,
        before=calendar.appointment_at(received_at, days, current),
        after=calendar.appointment_at(received_at, days, proposed),
        open_due_that_day=due_that_day,
    )


# --- wards and their pilot phase --------------------------------------------------------------


def wards_for_admin(*, user: User) -> QuerySet[Ward]:
    """Every ward of the city `user` administers, active or not."""
    city = managed_city(user=user)
    return Ward.objects.filter(city=city).order_by("-pilot_phase", "name")


def ward_for_admin(*, user: User, slug: str) -> Ward:
    return wards_for_admin(user=user).get(slug=slug)


def ward_set_pilot(
    *,
    user: User,
    slug: str,
    pilot_phase: int,
    pilot_started_on: dt.date | None,
    active: bool = True,
) -> Ward:
    """Put a ward in a pilot phase (with its start date), take it out, or (de)activate it."""
    with transaction.atomic():
        ward = wards_for_admin(user=user).select_for_update().get(slug=slug)
        _require_manager(user, ward.city)
        if pilot_phase not in Ward.PilotPhase.values:
            raise InvalidInput(_("Giai đoạn thí điểm không hợp lệ."), field="pilot_phase")
        if pilot_phase != Ward.PilotPhase.NONE and pilot_started_on is None:
            raise InvalidInput(
                _("Nhập ngày bắt đầu thí điểm của phường."), field="pilot_started_on"
            )
        if pilot_phase == Ward.PilotPhase.NONE:
            pilot_started_on = None
        changed = []
        for name, value in (
            ("pilot_phase", pilot_phase),
            ("pilot_started_on", pilot_started_on),
            ("active", active),
        ):
            if getattr(ward, name) != value:
                setattr(ward, name, value)
                changed.append(name)
        if changed:
            ward.save(update_fields=changed)
    return ward
