"""Scoped reads of the catalogue and of dossiers: every read starts from the user."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from intake.models import (
    OPEN,
    Dossier,
    DossierEvent,
    DossierFile,
    Procedure,
    Satisfaction,
    Status,
    Timeliness,
)
from onestop import clock
from onestop.errors import InvalidInput
from onestop.models import User
from onestop.text import fold
from wards import calendar
from wards.scope import visible_wards, working_ward_id
from wards.selectors import national_calendar, working_calendar


def procedures_for_user(
    *, user: User, search: str = "", include_inactive: bool = False
) -> QuerySet[Procedure]:
    """The catalogue as `user` may read it, optionally searched by code or name.

    The catalogue is shared by every ward, so any signed-in user reads it; only city admins
    see withdrawn procedures. Search ignores diacritics and case: "dang ky khai sinh" finds
    "Đăng ký khai sinh"; every word must match.
    """
    if not user.is_authenticated:
        return Procedure.objects.none()
    procedures = Procedure.objects.all()
    if not (include_inactive and (user.is_city_admin or user.is_superuser)):
        procedures = procedures.filter(active=True)
    for word in fold(search).split():
        procedures = procedures.filter(search_text__contains=word)
    return procedures.order_by("field", "name")


def calendar_sample_procedures(*, user: User) -> QuerySet[Procedure]:
    """The procedures a calendar change's preview may take as its sample: those with a term."""
    return procedures_for_user(user=user).filter(processing_days__isnull=False)


def procedure_for_user(*, user: User, code: str) -> Procedure:
    """One procedure by its code, or Procedure.DoesNotExist."""
    return procedures_for_user(user=user).get(code=code)


def dossiers_for_user(*, user: User) -> QuerySet[Dossier]:
    """Every dossier `user` may read: their ward's, or their city's wards' for a city admin."""
    ward_id = working_ward_id(user)
    if ward_id is not None:
        # A plain equality lets the database read the ward's index in order.
        return Dossier.objects.filter(ward_id=ward_id)
    return Dossier.objects.filter(ward__in=visible_wards(user).values("pk"))


def dossiers_in_working_ward(*, user: User) -> QuerySet[Dossier]:
    """The dossiers `user` may act on: those of the ward they work in (none for city admins)."""
    ward_id = working_ward_id(user)
    if ward_id is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(ward_id=ward_id)


def dossier_for_user(*, user: User, code: str) -> Dossier:
    """One dossier with what its detail page shows, or Dossier.DoesNotExist (404)."""
    return (
        dossiers_for_user(user=user)
        .select_related("ward__city", "counter", "procedure", "received_by", "returned_by")
        .get(code=code)
    )


def dossier_events(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "counter").order_by("at", "id")


@dataclass(frozen=True)
class DossierFilters:
    """The dossier list's filters; every field optional."""

    status: str = ""
    procedure: str = ""
    channel: int | None = None
    receiver_kind: str = ""
    due_soon: bool = False
    overdue: bool = False
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    ward: str = ""
    out_of_list: bool | None = None
    timeliness: str = ""
    q: str = ""
    # Report links (reports.selectors.figure_filters): each narrows the list to exactly the
    # dossiers one figure of a report counts. Days are local; "finished" means resolved,
    # refused or withdrawn.
    channels: tuple[int, ...] = ()
    pilot_phase: int | None = None
    handled_from: dt.date | None = None  # with handled_to: carried over or received in the range
    handled_to: dt.date | None = None
    open_on: dt.date | None = None  # received by the end of that day and not finished by then
    open_overdue: bool | None = None  # with open_on: the date promised was before its end
    resolved_from: dt.date | None = None
    resolved_to: dt.date | None = None
    punctual: bool | None = None  # resolved early or on time (True) / late (False)
    returned_from: dt.date | None = None
    returned_to: dt.date | None = None
    return_method: str = ""
    closed_from: dt.date | None = None  # refused or withdrawn in the range (that event's day)
    closed_to: dt.date | None = None
    satisfied: bool | None = None  # rated satisfied or better (4, 5) at the return
    digitised: bool | None = None  # has at least one current scanned file
    procedure_field: str = ""  # the procedure's field (lĩnh vực) in the catalogue


CITIZEN_ID = re.compile(r"^\d{9,12}$")
DOSSIER_CODE = re.compile(r"^[\w.]+-\d{6}-\d{1,5}$")
# The code without the ward's unit identifier, as a citizen reads it out: "261208-0001".
PARTIAL_CODE = re.compile(r"^(\d{6})-(\d{1,5})$")


def dossier_list(*, user: User, filters: DossierFilters) -> QuerySet[Dossier]:
    """The dossiers `user` may read, filtered, newest first.

    `q` is a dossier code, a citizen ID (exact), or words of the applicant's name with or without
    diacritics. "Due soon" means due within two working days; "overdue" means open and past due.
    """
    dossiers = dossiers_for_user(user=user)
    if filters.ward:
        dossiers = dossiers.filter(ward__slug=filters.ward)
    if filters.status:
        dossiers = dossiers.filter(status=filters.status)
    if filters.procedure:
        dossiers = dossiers.filter(procedure__code=filters.procedure)
    if filters.channel:
        dossiers = dossiers.filter(channel=filters.channel)
    if filters.receiver_kind:
        dossiers = dossiers.filter(receiver_kind=filters.receiver_kind)
    if filters.out_of_list is not None:
        dossiers = dossiers.filter(out_of_list=filters.out_of_list)
    if filters.timeliness:
        dossiers = dossiers.filter(timeliness=filters.timeliness)
    now = clock.now()
    if filters.overdue:
        dossiers = dossiers.filter(status__in=OPEN, appointment_at__lt=now)
    if filters.due_soon:
        limit = calendar.add_working_time(now, 2 * calendar.WORKING_DAY, _calendar_of(user))
        dossiers = dossiers.filter(
            status__in=OPEN, appointment_at__gte=now, appointment_at__lte=limit
        )
    if filters.received_from:
        dossiers = dossiers.filter(received_at__gte=_day_start(filters.received_from))
    if filters.received_to:
        dossiers = dossiers.filter(received_at__lt=_day_end(filters.received_to))
    dossiers = _report_filters(dossiers, filters)
    q = filters.q.strip()
    if q:
        if DOSSIER_CODE.match(q):
            dossiers = dossiers.filter(code=q)
        elif partial := PARTIAL_CODE.match(q):
            dossiers = _by_partial_code(dossiers, *partial.groups())
        elif CITIZEN_ID.match(q):
            dossiers = dossiers.filter(applicant_id_number=q)
        else:
            for word in fold(q).split()[:6]:
                dossiers = dossiers.filter(applicant_name_search__contains=word)
    return dossiers.select_related("ward", "procedure").order_by("-received_at", "-id")


def _by_partial_code(dossiers: QuerySet[Dossier], day: str, number: str) -> QuerySet[Dossier]:
    """The dossiers whose code ends in `day`-`number`, in every ward the list spans.

    The code's day is the local day of receipt, so the search reads that day's dossiers only.
    """
    try:
        received = dt.datetime.strptime(day, "%y%m%d").date()
    except ValueError:
        return dossiers.none()
    return dossiers.filter(
        received_at__gte=_day_start(received),
        received_at__lt=_day_end(received),
        code__endswith=f"-{day}-{int(number):04d}",
    )


def _calendar_of(user: User) -> calendar.WorkingCalendar:
    """The working calendar of the user's city: their ward's, or the one they administer."""
    city_id = user.ward.city_id if user.ward else user.city_id
    return working_calendar(city_id=city_id) if city_id else national_calendar()


# Dates outside these bounds cannot be a dossier's, and at the calendar's ends the local-to-UTC
# conversion would overflow: a filter on 31/12/9999 means "no upper bound", not a crash.
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(9000, 1, 1)


def _day_start(day: dt.date) -> dt.datetime:
    day = min(max(day, EARLIEST_DAY), LATEST_DAY)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _day_end(day: dt.date) -> dt.datetime:
    return _day_start(min(day, LATEST_DAY) + dt.timedelta(days=1))


def _closed_between(start: dt.datetime | None, end: dt.datetime | None) -> Exists:
    """The dossier was refused or withdrawn in [start, end) (its event's time)."""
    events = DossierEvent.objects.filter(
        dossier=OuterRef("pk"), to_status__in=[Status.REFUSED, Status.WITHDRAWN]
    )
    if start is not None:
        events = events.filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lt=end)
    return Exists(events)


def _open_at(moment: dt.datetime) -> Q:
    """Received before `moment` and neither resolved, refused nor withdrawn before it."""
    return (
        Q(received_at__lt=moment)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=moment))
        & ~Q(_closed_between(None, moment))
    )


def _report_filters(dossiers: QuerySet[Dossier], filters: DossierFilters) -> QuerySet[Dossier]:
    """The filters behind report figures; the same definitions as reports.selectors."""
    if filters.channels:
        dossiers = dossiers.filter(channel__in=filters.channels)
    if filters.pilot_phase is not None:
        dossiers = dossiers.filter(ward__pilot_phase=filters.pilot_phase)
    if filters.handled_from and filters.handled_to:
        start, end = _day_start(filters.handled_from), _day_end(filters.handled_to)
        dossiers = dossiers.filter(Q(received_at__gte=start, received_at__lt=end) | _open_at(start))
    if filters.open_on:
        end = _day_end(filters.open_on)
        dossiers = dossiers.filter(_open_at(end))
        if filters.open_overdue is not None:
            overdue = Q(apology_appointment_at__lt=end) | Q(
                apology_appointment_at__isnull=True, appointment_at__lt=end
            )
            dossiers = dossiers.filter(overdue if filters.open_overdue else ~overdue)
    for name in ("resolved", "returned"):
        first, last = getattr(filters, f"{name}_from"), getattr(filters, f"{name}_to")
        if first:
            dossiers = dossiers.filter(**{f"{name}_at__gte": _day_start(first)})
        if last:
            dossiers = dossiers.filter(**{f"{name}_at__lt": _day_end(last)})
    if filters.punctual is not None:
        punctual = [Timeliness.EARLY, Timeliness.ON_TIME]
        dossiers = dossiers.filter(
            timeliness__in=punctual if filters.punctual else [Timeliness.LATE]
        )
    if filters.return_method:
        dossiers = dossiers.filter(return_method=filters.return_method)
    if filters.closed_from or filters.closed_to:
        first, last = filters.closed_from, filters.closed_to
        dossiers = dossiers.filter(
            _closed_between(_day_start(first) if first else None, _day_end(last) if last else None)
        )
    if filters.satisfied is not None:
        satisfied = Q(satisfaction__gte=Satisfaction.SATISFIED)
        dossiers = dossiers.filter(satisfied if filters.satisfied else ~satisfied)
    if filters.procedure_field:
        dossiers = dossiers.filter(procedure__field=filters.procedure_field)
    if filters.digitised is not None:
        current = Exists(
            DossierFile.objects.filter(dossier=OuterRef("pk"), superseded_at__isnull=True)
        )
        dossiers = dossiers.filter(current if filters.digitised else ~current)
    return dossiers


def procedure_appointment(
    *, user: User, procedure: Procedure, received_at: dt.datetime
) -> dt.datetime:
    """The appointment a dossier of `procedure` received at `received_at` would get.

    Counted on the calendar of the user's city (their ward's city for ward staff); a user with
    no city, a superuser, gets the national calendar. Raises InvalidInput when the catalogue has
    no verified processing time for the procedure.
    """
    if procedure.processing_days is None:
        raise InvalidInput(
            _(
                "Thủ tục chưa có thời hạn giải quyết đã xác minh nên chưa thể hẹn ngày trả; "
                "đề nghị quản trị thành phố cập nhật danh mục."
            ),
            field="procedure",
        )
    return calendar.term_appointment_at(
        received_at, procedure.processing_days, procedure.term_unit, _calendar_of(user)
    )


@dataclass(frozen=True)
class IntakeOffer:
    """What an intake rule would answer now, said on the intake page before anything is saved.

    `summary` is one sentence for the page, `marks` a short note per procedure id, `refused`
    the ids the rule would refuse now. Apps register a function (user, procedures, at) ->
    IntakeOffer | None in settings.INTAKE_OFFERS beside their rule in INTAKE_RULES.
    """

    summary: str
    marks: dict[int, str]
    refused: frozenset[int]


def intake_offers(*, user: User, procedures: list[Procedure]) -> list[str]:
    """Mark `procedures` with what the user may receive now; the rules' summaries.

    Each procedure gets `intake_marks` (short notes for the picker) and `intake_blocked`
    (True when it cannot be received now: no verified processing time, or a rule refuses it).
    """
    at = clock.now()
    offers = [
        offer
        for path in settings.INTAKE_OFFERS
        if (offer := import_string(path)(user=user, procedures=procedures, at=at)) is not None
    ]
    for procedure in procedures:
        marks = [offer.marks[procedure.pk] for offer in offers if procedure.pk in offer.marks]
        blocked = any(procedure.pk in offer.refused for offer in offers)
        if procedure.processing_days is None:
            marks.insert(0, _("chưa xác minh thời hạn giải quyết"))
            blocked = True
        # Read by the picker's and the panel's templates.
        setattr(procedure, "intake_marks", marks)  # noqa: B010
        setattr(procedure, "intake_blocked", blocked)  # noqa: B010
    return [offer.summary for offer in offers]


# --- digitised components (số hóa) ---------------------------------------------------------


def dossier_files(*, user: User, code: str) -> QuerySet[DossierFile]:
    """The scanned files of the dossier `code` if `user` may read it (else an empty set)."""
    return (
        DossierFile.objects.filter(dossier__in=dossiers_for_user(user=user).filter(code=code))
        .select_related("uploaded_by", "superseded_by")
        .order_by("uploaded_at", "id")
    )


def dossier_file_for_user(*, user: User, code: str, file_id: int) -> DossierFile:
    """One scanned file, or DossierFile.DoesNotExist (404) outside the user's scope."""
    return (
        DossierFile.objects.filter(dossier__in=dossiers_for_user(user=user).values("pk"))
        .select_related("dossier")
        .get(dossier__code=code, pk=file_id)
    )


def dossier_file_content(*, file: DossierFile):
    """The stored bytes of a file a selector returned, opened for reading."""
    return default_storage.open(file.storage_name, "rb")


@dataclass(frozen=True)
class ComponentScan:
    """One line of the components checklist: the component and its current scans."""

    name: str
    originals: int
    copies: int
    files: list

    @property
    def digitised(self) -> bool:
        return bool(self.files)


def component_checklist(*, dossier: Dossier, files) -> list[ComponentScan]:
    """The dossier's components, each with its current (not superseded) files; files attached
    to no listed component come last under "other papers"."""
    current = [f for f in files if f.superseded_at is None]
    names = [str(item.get("name", "")) for item in dossier.components or []]
    lines = [
        ComponentScan(
            name=name,
            originals=int(item.get("originals") or 0),
            copies=int(item.get("copies") or 0),
            files=[f for f in current if f.component == name],
        )
        for name, item in zip(names, dossier.components or [], strict=True)
    ]
    others = [f for f in current if f.component not in names]
    if others:
        lines.append(ComponentScan(name="", originals=0, copies=0, files=others))
    return lines


def with_digitised(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`dossiers` annotated with `digitised`: at least one current scanned file (for reports)."""
    return dossiers.annotate(
        digitised=Exists(
            DossierFile.objects.filter(dossier=OuterRef("pk"), superseded_at__isnull=True)
        )
    )


def open_dossiers_due_on(*, ward_ids: QuerySet | list[int], day: dt.date) -> int:
    """How many open dossiers of the wards are promised (last) for `day`."""
    day_start = dt.datetime.combine(day, dt.time.min, tzinfo=calendar.VIETNAM_TZ)
    return (
        Dossier.objects.filter(ward__in=ward_ids, status__in=OPEN)
        .annotate(due=Coalesce("apology_appointment_at", "appointment_at"))
        .filter(due__gte=day_start, due__lt=day_start + dt.timedelta(days=1))
        .count()
    )
