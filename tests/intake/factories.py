import datetime as dt
import random
import re

import factory
from django.utils import timezone
from faker import Faker

from intake import figures
from intake.lifecycle import Action
from intake.models import (
    RESOLVED,
    Channel,
    Dossier,
    DossierEvent,
    DossierSequence,
    NationalStatus,
    Procedure,
    ReceiverKind,
    ReturnMethod,
    Satisfaction,
    Status,
)
from intake.services import lookup_pin_digest
from onestop import clock
from onestop.models import Role
from onestop.text import fold
from tests.onestop.factories import UserFactory
from tests.wards.factories import WardFactory
from wards import calendar

# Every factory-made dossier opens with this PIN on the public status page.
KNOWN_PIN = "246810"

_faker = Faker("vi_VN")

NATIONAL_STATUS = {
    Status.RECEIVED: NationalStatus.ACCEPTED,
    Status.PROCESSING: NationalStatus.PROCESSING,
    Status.NEEDS_SUPPLEMENT: NationalStatus.SUPPLEMENT_REQUESTED,
    Status.RESULT_READY: NationalStatus.RESOLVED,
    Status.IN_DELIVERY: NationalStatus.RESOLVED,
    Status.RETURNED: NationalStatus.RETURNED,
    Status.REFUSED: NationalStatus.NOT_ACCEPTED,
    Status.WITHDRAWN: NationalStatus.WITHDRAWN,
}


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Đăng ký thử nghiệm số {n}")
    field = "Hộ tịch"
    level = Procedure.Level.WARD
    processing_days = 3
    fee = 0
    postal_eligible = True
    components = factory.LazyFunction(lambda: [{"name": "Tờ khai", "originals": 1, "copies": 0}])

    class Params:
        same_day = factory.Trait(processing_days=0)
        not_postal = factory.Trait(postal_eligible=False)
        unverified = factory.Trait(processing_days=None, fee=None)
        calendar_days = factory.Trait(term_unit=Procedure.TermUnit.CALENDAR_DAYS)


def vietnamese_name() -> str:
    return f"{_faker.last_name()} {_faker.middle_name()} {_faker.first_name_unisex()}"


def citizen_id(birth_year: int = 1985, province: str = "074", female: bool = False) -> str:
    """A CCCD number that passes intake.validators.validate_citizen_id for `birth_year`."""
    century = (birth_year // 100 - 19) * 2 + int(female)
    return f"{province}{century}{birth_year % 100:02d}{random.randrange(10**6):06d}"


def _national_status(o) -> int:
    return NATIONAL_STATUS[Status(o.status)]


def _resolved_at(o):
    if o.status not in RESOLVED:
        return None
    return min(o.received_at + o.resolve_after, clock.now())


def _returned_at(o):
    if o.status != Status.RETURNED:
        return None
    return min(o.resolved_at + dt.timedelta(minutes=30), clock.now())


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier as the services would have left it in a given state.

    States are traits (`DossierFactory(returned=True)`, `DossierFactory(overdue=True)`); times
    run backwards from `onestop.clock.now()`, so the factory honours `clock.frozen_at`. Codes
    follow `{unit}-{yyMMdd}-{NNNN}` and are unique; the ward's day sequence is moved past them
    on create, so a later `dossier_receive` in the same ward and day never clashes.
    """

    class Meta:
        model = Dossier

    class Params:
        pin = KNOWN_PIN
        age = dt.timedelta(hours=3)
        resolve_after = dt.timedelta(hours=1)
        number = factory.Sequence(lambda n: n + 1)

        processing = factory.Trait(status=Status.PROCESSING)
        needs_supplement = factory.Trait(status=Status.NEEDS_SUPPLEMENT)
        result_ready = factory.Trait(status=Status.RESULT_READY)
        in_delivery = factory.Trait(status=Status.IN_DELIVERY)
        returned = factory.Trait(status=Status.RETURNED)
        refused = factory.Trait(status=Status.REFUSED)
        withdrawn = factory.Trait(status=Status.WITHDRAWN)
        # Open and past its appointment.
        overdue = factory.Trait(status=Status.PROCESSING, age=dt.timedelta(days=30))
        # Resolved after the appointment's date.
        late = factory.Trait(
            status=Status.RESULT_READY,
            age=dt.timedelta(days=30),
            resolve_after=dt.timedelta(days=29),
        )
        # Resolved an hour after receipt, days before a three-day appointment.
        early = factory.Trait(
            status=Status.RESULT_READY,
            age=dt.timedelta(hours=3),
            resolve_after=dt.timedelta(hours=1),
        )
        by_postal_worker = factory.Trait(
            received_by=factory.SubFactory(
                UserFactory, postal_worker=True, ward=factory.SelfAttribute("..ward")
            )
        )
        online = factory.Trait(channel=Channel.ONLINE)
        by_post = factory.Trait(channel=Channel.POSTAL)

    code = factory.LazyAttribute(
        lambda o: (
            f"{o.ward.unit_identifier}-{timezone.localtime(o.received_at):%y%m%d}-{o.number:04d}"
        )
    )
    ward = factory.SubFactory(WardFactory)
    counter = None
    procedure = factory.SubFactory(ProcedureFactory)
    procedure_code = factory.SelfAttribute("procedure.code")
    procedure_name = factory.SelfAttribute("procedure.name")
    processing_days = factory.LazyAttribute(lambda o: o.procedure.processing_days or 0)
    fee = factory.SelfAttribute("procedure.fee")
    level = factory.SelfAttribute("procedure.level")
    resolving_agency = factory.LazyAttribute(
        lambda o: o.procedure.resolving_agency or f"UBND {o.ward}"
    )
    channel = Channel.DIRECT

    applicant_name = factory.LazyFunction(vietnamese_name)
    applicant_name_search = factory.LazyAttribute(lambda o: fold(o.applicant_name))
    applicant_id_number = factory.LazyFunction(citizen_id)
    applicant_phone = factory.Sequence(lambda n: f"0912{n % 1_000_000:06d}")
    applicant_address = factory.LazyAttribute(
        lambda o: f"{random.randint(1, 300)} đường Yersin, {o.ward}"
    )
    components = factory.LazyAttribute(lambda o: list(o.procedure.components))
    sets = 1

    received_at = factory.LazyAttribute(lambda o: clock.now() - o.age)
    received_by = factory.SubFactory(
        UserFactory, officer=True, ward=factory.SelfAttribute("..ward")
    )
    receiver_kind = factory.LazyAttribute(
        lambda o: (
            ReceiverKind.POSTAL_WORKER
            if o.received_by.role == Role.POSTAL_WORKER
            else ReceiverKind.OFFICER
        )
    )
    # The national calendar: the factory does not read the city's exceptions.
    appointment_at = factory.LazyAttribute(
        lambda o: calendar.appointment_at(
            o.received_at, o.processing_days, calendar.WorkingCalendar()
        )
    )
    status = Status.RECEIVED
    national_status = factory.LazyAttribute(_national_status)
    resolved_at = factory.LazyAttribute(_resolved_at)
    timeliness = factory.LazyAttribute(
        lambda o: (
            "late"
            if o.resolved_at and o.supplement_count > 1
            else calendar.timeliness(o.resolved_at, o.appointment_at)
            if o.resolved_at
            else ""
        )
    )
    returned_at = factory.LazyAttribute(_returned_at)
    returned_by = factory.LazyAttribute(
        lambda o: o.received_by if o.status == Status.RETURNED else None
    )
    return_method = factory.LazyAttribute(
        lambda o: ReturnMethod.COUNTER if o.status == Status.RETURNED else ""
    )
    satisfaction = factory.LazyAttribute(
        lambda o: Satisfaction.VERY_SATISFIED if o.status == Status.RETURNED else None
    )
    supplement_count = factory.LazyAttribute(
        lambda o: 1 if o.status == Status.NEEDS_SUPPLEMENT else 0
    )
    paused_since = factory.LazyAttribute(
        lambda o: (
            min(o.received_at + dt.timedelta(minutes=30), clock.now())
            if o.status == Status.NEEDS_SUPPLEMENT
            else None
        )
    )
    lookup_pin_hash = factory.LazyAttribute(lambda o: lookup_pin_digest(o.code, o.pin))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        dossier = super()._create(model_class, *args, **kwargs)
        # Keep the ward's day sequence ahead of every code already given, as intake would.
        match = re.fullmatch(r".+-(\d{6})-(\d+)", dossier.code)
        if match and dossier.code.startswith(f"{dossier.ward.unit_identifier}-"):
            day = dt.datetime.strptime(match[1], "%y%m%d").date()
            number = int(match[2])
            sequence, _ = DossierSequence.objects.get_or_create(ward=dossier.ward, day=day)
            if sequence.last_number < number:
                sequence.last_number = number
                sequence.save(update_fields=["last_number"])
        # The report figures the services would have recorded along the way.
        working_days = 0
        if dossier.resolved_at is not None:
            working_days = calendar.WorkingCalendar().working_days_between(
                figures.local_day(dossier.received_at), figures.local_day(dossier.resolved_at)
            )
        closed_at = dossier.updated_at if dossier.status in figures.CLOSING else None
        figures.record_change(
            None, figures.Facts.of(dossier, working_days=working_days, closed_at=closed_at)
        )
        return dossier


class DossierEventFactory(factory.django.DjangoModelFactory):
    """One control-sheet line; by default the receipt of its dossier."""

    class Meta:
        model = DossierEvent

    dossier = factory.SubFactory(DossierFactory)
    at = factory.SelfAttribute("dossier.received_at")
    actor = factory.SelfAttribute("dossier.received_by")
    actor_role = factory.LazyAttribute(lambda o: o.actor.role if o.actor else "")
    action = Action.RECEIVE
    from_status = ""
    to_status = Status.RECEIVED
    note = ""
    counter = None
    from_unit = factory.SelfAttribute("dossier.applicant_name")
    to_unit = "Bộ phận một cửa"
    appointment_at = None
    request_id = ""
