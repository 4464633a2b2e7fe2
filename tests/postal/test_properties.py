"""The roster and deliveries by post under hostile input: services and forms.

The property, for every generated input: a clear Vietnamese message, or the value stored as
typed after the documented normalisation (onestop.text: NFC; notes, names and address parts on
one line with their white space collapsed) and shown escaped on its page. Never a server error,
never a worker booked twice in one shift. Dates far in the past or future are refused: a roster
runs from 01/01/2000 to a year ahead, and the week grid names weeks of 2000–2099 only.
"""

import datetime as dt
import itertools
import re

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, given, settings
from hypothesis import strategies as st

from intake.validators import LANDLINE, MOBILE
from onestop.errors import Conflict, DomainError
from onestop.text import forbidden_character, invisible_character, nfc, without_invisible
from postal.deliveries.models import Delivery, s10_check_digit
from postal.deliveries.services import AddressInput, delivery_send
from postal.models import COUNTER_TASKS, Assignment, Shift, TaskType
from postal.services import assignment_create
from postal.weeks import monday_of, today, week_code
from tests.intake.factories import DossierFactory
from tests.strategies import (
    SCRIPT,
    hostile_text,
    vietnamese_address,
    vietnamese_name,
    wrong_phones,
)

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)


def assert_vietnamese(message: str) -> None:
    assert message and VIETNAMESE.search(message), f"not a Vietnamese message: {message!r}"


def one_line(text: str) -> str:
    """Free text as stored: invisible characters dropped, NFC, on one line (onestop.text)."""
    return " ".join(nfc(without_invisible(text)).split())


def no_double_booking() -> None:
    doubled = (
        Assignment.objects.active()
        .values("worker", "date", "shift")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not doubled.exists()


def days():
    """Mostly days around today (so many are accepted), sometimes any day of the calendar."""
    near = st.integers(min_value=-40, max_value=400).map(lambda n: today() + dt.timedelta(days=n))
    return st.one_of(near, near, st.dates(min_value=dt.date(1, 1, 1)))


# --- the roster -----------------------------------------------------------------------------


@pytest.fixture
def chief_desk(world, client):
    client.force_login(world.chief)
    return world, client


@st.composite
def bookings(draw):
    """A booking the chief may make (a day ahead, at a counter), with one part (or none) made
    wrong: any day of the calendar, an unknown shift or task, no counter, a hostile note."""
    values = {
        "day": today() + dt.timedelta(days=draw(st.integers(min_value=1, max_value=300))),
        "shift": draw(st.sampled_from(Shift.values)),
        "task_type": draw(st.sampled_from(TaskType.values)),
        "at_counter": True,
        "note": draw(st.one_of(st.just(""), vietnamese_name())),
    }
    wrong = draw(st.sampled_from((*values, None)))
    if wrong == "day":
        values["day"] = draw(days())
    elif wrong == "shift":
        values["shift"] = draw(st.sampled_from(("", "night", "Morning", SCRIPT)))
    elif wrong == "task_type":
        values["task_type"] = draw(st.sampled_from(("", "<b>", "INTAKE")))
    elif wrong == "at_counter":
        values["at_counter"] = False
    elif wrong == "note":
        values["note"] = draw(hostile_text(surrogates=True))
    return values


@settings(max_examples=80)
@given(booking=bookings())
def test_roster_service_books_as_asked_or_says_why(chief_desk, booking):
    world, client = chief_desk
    day, shift, task_type, at_counter, note = booking.values()
    taken = Assignment.objects.active().filter(worker=world.postal_worker, date=day, shift=shift)
    clash = taken.exists()
    try:
        assignment = assignment_create(
            user=world.chief,
            worker=world.postal_worker,
            date=day,
            shift=shift,
            task_type=task_type,
            counter=world.postal_counter if at_counter else None,
            note=note,
        )
    except DomainError as refusal:
        event(f"refused: {refusal.field}")
        assert_vietnamese(refusal.message)
        if isinstance(refusal, Conflict):
            assert clash
        else:
            assert refusal.field in ("date", "shift", "task_type", "counter", "note")
        no_double_booking()
        return
    no_double_booking()
    event("stored")
    stored = Assignment.objects.get(pk=assignment.pk)
    # Everything the service checks held, so accepting was right.
    assert not clash
    assert dt.date(2000, 1, 1) <= day <= today() + dt.timedelta(days=366)
    assert shift in Shift.values and task_type in TaskType.values
    assert at_counter or task_type not in COUNTER_TASKS
    assert not forbidden_character(note)
    assert stored.note == one_line(note)
    assert day >= today() or stored.note
    page = client.get(reverse("postal:assignment", kwargs={"pk": stored.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert SCRIPT not in html
    assert escape(stored.note) in html
    grid = client.get(reverse("postal:roster"), {"tuan": week_code(monday_of(day))})
    assert grid.status_code == 200
    assert SCRIPT not in grid.content.decode()


@st.composite
def slot_values(draw):
    """The grid cell's form as the page sends it, with one field (or none) tampered with."""
    values = {
        "worker": "WORKER",
        "date": (today() + dt.timedelta(days=draw(st.integers(1, 300)))).isoformat(),
        "shift": draw(st.sampled_from(Shift.values)),
        "task_type": draw(st.sampled_from(TaskType.values)),
        "counter": "COUNTER",
        "note": draw(st.one_of(st.just(""), vietnamese_name())),
    }
    wrong = draw(st.sampled_from((*values, None)))
    if wrong == "worker":
        values["worker"] = draw(
            st.one_of(st.integers(min_value=-(2**70), max_value=2**70).map(str), hostile_text())
        )
    elif wrong == "date":
        values["date"] = draw(
            st.one_of(
                days().map(dt.date.isoformat),
                st.sampled_from(("0001-01-01", "9999-12-31", "2026-02-30", "31/12/2026", "")),
                hostile_text(),
            )
        )
    elif wrong == "shift":
        values["shift"] = draw(st.sampled_from(("", "đêm", SCRIPT)))
    elif wrong == "task_type":
        values["task_type"] = draw(st.sampled_from(("", "x", SCRIPT)))
    elif wrong == "counter":
        values["counter"] = draw(
            st.one_of(st.just(""), st.integers(min_value=-(2**70)).map(str), hostile_text())
        )
    elif wrong == "note":
        values["note"] = draw(hostile_text())
    return values


@settings(max_examples=60)
@given(values=slot_values())
def test_roster_form_saves_or_says_why(chief_desk, values):
    world, client = chief_desk
    data = {
        **values,
        "worker": str(world.postal_worker.pk) if values["worker"] == "WORKER" else values["worker"],
        "counter": (
            str(world.postal_counter.pk) if values["counter"] == "COUNTER" else values["counter"]
        ),
    }
    before = Assignment.objects.count()
    response = client.post(reverse("postal:roster-slot"), data)
    event(f"answer {response.status_code}")
    no_double_booking()
    assert response.status_code in (200, 302, 400, 404), response.status_code
    html = response.content.decode()
    assert SCRIPT not in html
    if response.status_code == 404:
        # A worker who is not one of the chief's is absent, like any object out of scope.
        assert data["worker"].strip() != str(world.postal_worker.pk)
        assert Assignment.objects.count() == before
        return
    if response.status_code == 400:
        assert_vietnamese(html)  # the cell named no worker, day or shift it could read
        assert Assignment.objects.count() == before
        return
    if response.status_code == 200:
        errors = [m for messages in response.context["form"].errors.values() for m in messages]
        assert errors, "the form neither saved nor said why"
        for message in errors:
            assert_vietnamese(message)
        assert Assignment.objects.count() == before
        return
    stored = Assignment.objects.latest("pk")
    assert Assignment.objects.count() == before + 1
    assert stored.note == one_line(values["note"])
    assert stored.worker == world.postal_worker
    assert stored.date.isoformat() == values["date"].strip()


@settings(max_examples=25)
@given(week=st.one_of(st.text(max_size=12), st.sampled_from(("0001-W01", "9999-W52", "2026-W54"))))
def test_week_grid_of_any_week(chief_desk, week):
    _world, client = chief_desk
    response = client.get(reverse("postal:roster"), {"tuan": week})
    assert response.status_code == 200


# --- deliveries by post ---------------------------------------------------------------------


# Each right waybill code once: a code already used is refused, rightly, and would crowd out
# the other refusals.
SERIALS = itertools.count(10_000_001)


def waybills():
    valid = st.builds(lambda: f"{next(SERIALS):08d}").map(lambda s: f"EL{s}{s10_check_digit(s)}VN")
    spaced = valid.map(lambda code: f" {code[:2]} {code[2:6]}-{code[6:]} ".lower())
    return st.one_of(valid, valid, valid, spaced, hostile_text())


ADDRESS_FIELDS = ("recipient_name", "recipient_phone", "street", "ward_name", "city_name")
GOOD_ADDRESS = AddressInput(
    recipient_name="Nguyễn Thị Mai",
    recipient_phone="0912345678",
    street="12 Yersin, khu phố 3",
    ward_name="Phường Phú Cường",
    city_name="Thành phố Thủ Dầu Một",
    province_name="Bình Dương",
)


@st.composite
def addresses(draw, *, surrogates: bool = True):
    """A good address with one part (or none) replaced by something hostile.

    Surrogates cannot travel in a form; the service is also given them.
    """
    hostile = st.one_of(vietnamese_name(), hostile_text(surrogates=surrogates))
    values = {name: getattr(GOOD_ADDRESS, name) for name in AddressInput.__dataclass_fields__}
    field = draw(st.sampled_from((*ADDRESS_FIELDS, None)))
    if field == "recipient_phone":
        values[field] = draw(wrong_phones())
    elif field == "street":
        values[field] = draw(st.one_of(vietnamese_address(), hostile))
    elif field is not None:
        values[field] = draw(hostile)
    return AddressInput(**values)


def expected_part(raw: str, limit: int, *, name: bool = False) -> str | None:
    if forbidden_character(raw) or (name and invisible_character(raw)):
        return None
    value = one_line(raw)
    return value if 0 < len(value) <= limit else None


@settings(max_examples=70)
@given(address=addresses(), waybill=waybills(), note=st.one_of(st.just(""), hostile_text()))
def test_delivery_service_records_as_typed_or_says_why(chief_desk, address, waybill, note):
    world, client = chief_desk
    dossier = DossierFactory(ward=world.ward, result_ready=True)
    try:
        delivery = delivery_send(
            user=world.postal_worker,
            code=dossier.code,
            address=address,
            waybill_code=waybill,
            note=note,
        )
    except DomainError as refusal:
        event(f"refused: {refusal.field}")
        assert_vietnamese(refusal.message)
        assert refusal.field in (
            "recipient_name",
            "recipient_phone",
            "street",
            "ward_name",
            "city_name",
            "province_name",
            "waybill_code",
            "note",
        )
        dossier.refresh_from_db()
        assert dossier.status == "result_ready"  # nothing moved
        return
    event("stored")
    stored = Delivery.objects.get(pk=delivery.pk)
    limits = {"recipient_name": 200, "street": 200, "ward_name": 100, "city_name": 100}
    for field, limit in limits.items():
        raw = getattr(address, field)
        assert getattr(stored, field) == expected_part(raw, limit, name=field == "recipient_name")
    assert MOBILE.fullmatch(stored.recipient_phone) or LANDLINE.fullmatch(stored.recipient_phone)
    assert stored.waybill_code == re.sub(r"[\s-]", "", waybill).upper()
    assert stored.note == one_line(note)
    page = client.get(reverse("deliveries:detail", kwargs={"delivery_id": stored.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert SCRIPT not in html
    for value in (stored.recipient_name, stored.street, stored.note):
        assert escape(value) in html


@settings(max_examples=40)
@given(address=addresses(surrogates=False), waybill=waybills(), note=hostile_text())
def test_delivery_form_sends_or_says_why(chief_desk, address, waybill, note):
    world, client = chief_desk
    client.force_login(world.postal_worker)
    dossier = DossierFactory(ward=world.ward, result_ready=True)
    data = {
        **{name: getattr(address, name) for name in AddressInput.__dataclass_fields__},
        "waybill_code": waybill,
        "note": note,
        "confirm": "True",
        "request_id": "0b9e6c1e-2f4d-4a8e-9d3a-6f1c2b7e8a90",
    }
    response = client.post(reverse("deliveries:send", kwargs={"code": dossier.code}), data)
    event(f"answer {response.status_code}")
    assert response.status_code in (302, 400, 409), response.status_code
    html = response.content.decode()
    assert SCRIPT not in html
    if response.status_code == 302:
        stored = Delivery.objects.get(dossier=dossier)
        assert stored.note == one_line(note)
        return
    form = response.context["form"]
    errors = [m for messages in form.errors.values() for m in messages]
    assert errors, "the form neither sent nor said why"
    for message in errors:
        assert_vietnamese(message)
    assert not Delivery.objects.filter(dossier=dossier).exists()


@settings(max_examples=25)
@given(
    day=st.one_of(st.text(max_size=12), st.sampled_from(("01/01/0001", "31/12/9999", "29/02/2026")))
)
def test_delivery_lists_of_any_day(chief_desk, day):
    _world, client = chief_desk
    assert client.get(reverse("deliveries:list"), {"day": day}).status_code == 200
    assert client.get(reverse("deliveries:handover"), {"ngay": day}).status_code == 200
