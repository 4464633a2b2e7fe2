import datetime as dt

import factory
from django.utils import timezone

from postal.models import (
    Assignment,
    DataEntryBatch,
    GuidanceSession,
    PostalWorkerProfile,
    ProcedureAuthorization,
    Shift,
    TaskType,
)
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.wards.factories import CounterFactory, WardFactory
from wards.calendar import VIETNAM_TZ


def next_monday(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


class PostalWorkerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostalWorkerProfile

    user = factory.SubFactory(UserFactory, postal_worker=True)
    post_office_code = factory.Sequence(lambda n: f"BD{n:05d}")
    post_office_unit = "Bưu điện thành phố Thủ Dầu Một"
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    in_ward_since = dt.date(2019, 1, 2)


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A live assignment next Monday morning, at a postal counter of the worker's ward."""

    class Meta:
        model = Assignment

    ward = factory.SubFactory(WardFactory)
    worker = factory.SubFactory(
        UserFactory, postal_worker=True, ward=factory.SelfAttribute("..ward")
    )
    date = factory.LazyFunction(next_monday)
    shift = Shift.MORNING
    task_type = TaskType.INTAKE
    counter = factory.SubFactory(CounterFactory, ward=factory.SelfAttribute("..ward"))
    assigned_by = factory.SubFactory(UserFactory, chief=True, ward=factory.SelfAttribute("..ward"))
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)

    class Params:
        cancelled = factory.Trait(
            cancelled_at=factory.LazyFunction(timezone.now),
            cancelled_by=factory.SelfAttribute("assigned_by"),
            cancel_note="Nghỉ phép",
        )
        back_office = factory.Trait(task_type=TaskType.DATA_ENTRY, counter=None)


class AuthorizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureAuthorization

    ward = factory.SubFactory(WardFactory)
    worker = factory.SubFactory(
        UserFactory, postal_worker=True, ward=factory.SelfAttribute("..ward")
    )
    procedure = factory.SubFactory(ProcedureFactory)
    granted_at = dt.datetime(2025, 1, 2, 8, 0, tzinfo=VIETNAM_TZ)
    granted_by = factory.SubFactory(UserFactory, chief=True, ward=factory.SelfAttribute("..ward"))

    class Params:
        revoked = factory.Trait(
            revoked_at=factory.LazyFunction(timezone.now),
            revoked_by=factory.SelfAttribute("granted_by"),
            revoke_note="Chưa vững nghiệp vụ",
        )


class DataEntryBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataEntryBatch

    ward = factory.SubFactory(WardFactory)
    title = factory.Sequence(lambda n: f"Hồ sơ giấy hộ tịch quý {n % 4 + 1}")
    paper_count = 20
    assigned_to = factory.SubFactory(
        UserFactory, postal_worker=True, ward=factory.SelfAttribute("..ward")
    )
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    created_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory, chief=True, ward=factory.SelfAttribute("..ward"))


class GuidanceSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceSession

    ward = factory.SubFactory(WardFactory)
    worker = factory.SubFactory(
        UserFactory, postal_worker=True, ward=factory.SelfAttribute("..ward")
    )
    at = factory.LazyFunction(timezone.now)
    topic = "Hồ sơ đăng ký khai sinh cần những gì"
    outcome = GuidanceSession.Outcome.GUIDED


def authorise(worker, *procedures, chief=None, at=None):
    """Grant `worker` the procedures directly (tests that are not about the grant itself)."""
    return [
        AuthorizationFactory(
            ward=worker.ward,
            worker=worker,
            procedure=procedure,
            granted_by=chief or UserFactory(chief=True, ward=worker.ward),
            **({"granted_at": at} if at else {}),
        )
        for procedure in procedures
    ]
