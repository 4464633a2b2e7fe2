import datetime as dt

import factory

from wards.models import CalendarException, City, Counter, Ward


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Thành phố {n}")
    slug = factory.Sequence(lambda n: f"city{n}")
    code = factory.Sequence(lambda n: f"{700 + n}")
    province_name = "Bình Dương"
    province_code = "74"


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    city = factory.SubFactory(CityFactory)
    name = factory.Sequence(lambda n: f"Phường Thử {n}")
    slug = factory.Sequence(lambda n: f"ward{n}")
    admin_code = factory.Sequence(lambda n: f"{26000 + n}")
    unit_identifier = factory.Sequence(lambda n: f"000.00.{n:02d}.H13")
    pilot_phase = Ward.PilotPhase.FIRST
    pilot_started_on = dt.date(2018, 12, 1)

    class Params:
        not_pilot = factory.Trait(pilot_phase=Ward.PilotPhase.NONE, pilot_started_on=None)


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    ward = factory.SubFactory(WardFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Quầy {o.number}")
    kind = Counter.Kind.POSTAL

    class Params:
        officer = factory.Trait(kind=Counter.Kind.OFFICER)


class CalendarExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarException

    city = factory.SubFactory(CityFactory)
    date = dt.date(2026, 12, 24)
    kind = CalendarException.Kind.DAY_OFF
    note = "Nghỉ bù theo quyết định của UBND thành phố"
