"""Intake under hostile input: the service `dossier_receive` and the counter's form.

The property, for every generated input: either a clear Vietnamese message on the right field,
or the dossier is stored exactly as typed — after the documented normalisation (onestop.text):
Unicode NFC, surrounding white space stripped, a name's inner white space collapsed — and shown
escaped on the dossier page and the receipt. Never a server error. Control characters (NUL
included, which PostgreSQL cannot store) and bidirectional overrides are refused with a message;
HTML, SQL, emoji and every Vietnamese letter are kept as typed.
"""

import datetime as dt
import re
import uuid

import pytest
from django import forms
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, given, settings
from hypothesis import strategies as st

from intake.models import Dossier
from intake.services import dossier_receive
from intake.validators import LANDLINE, MOBILE
from onestop import clock
from onestop.errors import InvalidInput
from onestop.text import forbidden_character, invisible_character, nfc, without_invisible
from tests.intake.factories import ProcedureFactory
from tests.strategies import (
    SCRIPT,
    good_ids,
    good_phones,
    hostile_text,
    vietnamese_address,
    vietnamese_name,
    wrong_ids,
    wrong_phones,
)
from wards.calendar import VIETNAM_TZ

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
NAME_LIMIT, ADDRESS_LIMIT = 200, 300
RECEIVE = reverse("intake:receive")


def assert_vietnamese(message: str) -> None:
    assert message and VIETNAMESE.search(message), f"not a Vietnamese message: {message!r}"


@pytest.fixture
def counter_desk(world, client):
    """The officer at their counter, and a procedure to receive."""
    client.force_login(world.officer)
    procedure = ProcedureFactory(
        processing_days=3, components=[{"name": "Tờ khai", "originals": 1, "copies": 0}]
    )
    return world, client, procedure


def shown_escaped(client, dossier: Dossier, *values: str) -> None:
    """The dossier page and the receipt answer 200, carry each value escaped, never raw HTML."""
    for name in ("intake:dossier-detail", "intake:receipt"):
        response = client.get(reverse(name, kwargs={"code": dossier.code}))
        assert response.status_code == 200
        html = response.content.decode()
        assert SCRIPT not in html
        for value in values:
            assert escape(value) in html, f"{value[:60]!r} not shown on {name}"


# --- the service ----------------------------------------------------------------------------


def expected_name(raw: str) -> str | None:
    # A name refuses invisible characters too (onestop.text: names, ID numbers and codes).
    if forbidden_character(raw) or invisible_character(raw):
        return None
    name = " ".join(nfc(raw).split())
    return name if 0 < len(name) <= NAME_LIMIT else None


def expected_address(raw: str) -> str | None:
    if forbidden_character(raw):
        return None
    address = nfc(without_invisible(raw)).strip()  # free text: invisible characters dropped
    return address if 0 < len(address) <= ADDRESS_LIMIT else None


@settings(max_examples=120)
@given(
    name=st.one_of(vietnamese_name(), hostile_text(surrogates=True)),
    address=st.one_of(vietnamese_address(), hostile_text(surrogates=True)),
)
def test_service_stores_names_and_addresses_as_typed_or_says_why(counter_desk, name, address):
    world, client, procedure = counter_desk
    want_name, want_address = expected_name(name), expected_address(address)
    try:
        receipt = dossier_receive(
            user=world.officer,
            procedure=procedure,
            channel=1,
            applicant_name=name,
            applicant_id_number="074190001234",
            applicant_address=address,
        )
    except InvalidInput as refusal:
        event(f"refused: {refusal.field}")
        wrong = {"applicant_name": want_name, "applicant_address": want_address}
        assert refusal.field in {field for field, want in wrong.items() if want is None}
        assert_vietnamese(refusal.message)
        return
    assert want_name is not None and want_address is not None
    event("stored")
    stored = Dossier.objects.get(pk=receipt.dossier.pk)
    assert stored.applicant_name == want_name
    assert stored.applicant_address == want_address
    shown_escaped(client, stored, want_name, want_address)


@settings(max_examples=60)
@given(notes=hostile_text(surrogates=True), line=hostile_text(surrogates=True))
def test_service_notes_and_component_names(counter_desk, notes, line):
    world, client, procedure = counter_desk
    try:
        receipt = dossier_receive(
            user=world.officer,
            procedure=procedure,
            channel=1,
            applicant_name="Nguyễn Thị Mai",
            applicant_id_number="074190001234",
            applicant_address="12 Yersin, phường Phú Hòa",
            notes=notes,
            components=[{"name": line, "originals": 1, "copies": 0}],
        )
    except InvalidInput as refusal:
        event(f"refused: {refusal.field}")
        assert refusal.field in ("notes", "components")
        assert forbidden_character(notes if refusal.field == "notes" else line)
        assert_vietnamese(refusal.message)
        return
    assert not forbidden_character(notes) and not forbidden_character(line)
    event("stored")
    stored = Dossier.objects.get(pk=receipt.dossier.pk)
    assert stored.notes == nfc(without_invisible(notes))
    assert stored.components[0]["name"] == nfc(without_invisible(line))
    response = client.get(reverse("intake:dossier-detail", kwargs={"code": stored.code}))
    assert response.status_code == 200
    assert SCRIPT not in response.content.decode()


@settings(max_examples=80)
@given(id_number=st.one_of(good_ids(), st.from_regex(r"\A[0-9]{9}\Z"), wrong_ids()))
def test_service_takes_only_id_numbers_of_nine_or_twelve_digits(counter_desk, id_number):
    world, _client, procedure = counter_desk
    try:
        receipt = dossier_receive(
            user=world.officer,
            procedure=procedure,
            channel=1,
            applicant_name="Nguyễn Thị Mai",
            applicant_id_number=id_number,
            applicant_address="12 Yersin, phường Phú Hòa",
        )
    except InvalidInput as refusal:
        event(f"refused: {refusal.field}")
        assert refusal.field == "applicant_id_number"
        assert_vietnamese(refusal.message)
        assert not re.fullmatch(r"[0-9]{9}|[0-9]{12}", id_number.strip())
        return
    event("stored")
    stored = Dossier.objects.get(pk=receipt.dossier.pk).applicant_id_number
    assert stored == id_number.strip()
    assert re.fullmatch(r"[0-9]{9}|[0-9]{12}", stored)


@settings(max_examples=60)
@given(
    received_at=st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.just(VIETNAM_TZ),
    )
)
def test_service_receipt_times_far_in_the_past_or_future(counter_desk, received_at):
    world, client, procedure = counter_desk
    # The same day a century apart: dossier codes carry yyMMdd, and must never meet.
    try:
        twin = received_at.replace(year=2000 + received_at.year % 100)
    except ValueError:  # 29 February
        twin = received_at
    for moment in (received_at, twin):
        try:
            receipt = dossier_receive(
                user=world.officer,
                procedure=procedure,
                channel=1,
                applicant_name="Nguyễn Thị Mai",
                applicant_id_number="074190001234",
                applicant_address="12 Yersin, phường Phú Hòa",
                received_at=moment,
            )
        except InvalidInput as refusal:
            event(f"refused: {refusal.field}")
            assert refusal.field == "received_at"
            assert_vietnamese(refusal.message)
            assert not dt.datetime(2000, 1, 1, tzinfo=VIETNAM_TZ) <= moment <= clock.now()
            continue
        assert moment <= clock.now()
        event("stored")
        stored = Dossier.objects.get(pk=receipt.dossier.pk)
        assert stored.received_at == moment
        assert stored.appointment_at >= stored.received_at
        response = client.get(reverse("intake:dossier-detail", kwargs={"code": stored.code}))
        assert response.status_code == 200


# --- the form -------------------------------------------------------------------------------


def form_data(world, procedure, **overrides) -> dict:
    return {
        "request_id": str(uuid.uuid4()),
        "q": "",
        "procedure": procedure.code,
        "sets": "1",
        "applicant_name": "Nguyễn Thị Mai",
        "applicant_id_number": "074190001234",
        "birth_year": "",
        "applicant_phone": "0912 345 678",
        "applicant_address": "12 Yersin, khu phố 3, phường Phú Hòa",
        "applicant_email": "",
        "channel": "1",
        "counter": str(world.officer_counter.pk),
        "notes": "",
        "components-TOTAL_FORMS": "2",
        "components-INITIAL_FORMS": "0",
        "components-MIN_NUM_FORMS": "0",
        "components-MAX_NUM_FORMS": "60",
        "components-0-included": "on",
        "components-0-name": "Tờ khai",
        "components-0-originals": "1",
        "components-0-copies": "0",
        "components-0-free": "False",
        "components-1-name": "",
        "components-1-originals": "1",
        "components-1-copies": "0",
        "components-1-free": "True",
        "_action": "save",
        **overrides,
    }


def post_form(client, data) -> tuple[Dossier | None, dict]:
    """Submit the intake form: the dossier it created, or None and the errors by field."""
    response = client.post(RECEIVE, data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        event("form: saved")
        return Dossier.objects.get(code=response.url.split("/")[-3]), {}
    html = response.content.decode()
    assert SCRIPT not in html
    form, formset = response.context["form"], response.context["formset"]
    errors = {name: list(messages) for name, messages in form.errors.items()}
    for line in formset.errors or []:
        for name, messages in line.items():
            errors.setdefault(f"components-{name}", []).extend(messages)
    errors.update(
        {"components": list(formset.non_form_errors())} if formset.non_form_errors() else {}
    )
    assert errors, "the form neither saved nor said why"
    event(f"form: refused {', '.join(sorted(errors))}")
    for messages in errors.values():
        for message in messages:
            assert_vietnamese(message)
    return None, errors


@st.composite
def typed_at_the_counter(draw):
    """A Vietnamese name and address and a paper's name, one of them (or none) hostile."""
    values = {
        "applicant_name": draw(vietnamese_name()),
        "applicant_address": draw(vietnamese_address()),
        "components-1-name": "Giấy ủy quyền",
    }
    field = draw(st.sampled_from((*values, None)))
    if field is not None:
        values[field] = draw(hostile_text())
    return values


@settings(max_examples=50)
@given(typed=typed_at_the_counter())
def test_form_stores_names_addresses_and_papers_as_typed_or_says_why(counter_desk, typed):
    world, client, procedure = counter_desk
    name, address, line = typed.values()
    dossier, errors = post_form(client, form_data(world, procedure, **typed))
    # Django's text fields strip surrounding white space (str.strip()) before anything else.
    want_name = expected_name(name.strip())
    want_address = expected_address(address.strip())
    want_line = nfc(without_invisible(line.strip()))
    line_ok = not forbidden_character(line.strip()) and len(want_line) <= 300
    if dossier is None:
        assert want_name is None or want_address is None or not line_ok, errors
        return
    assert want_name is not None and want_address is not None and line_ok
    assert dossier.applicant_name == want_name
    assert dossier.applicant_address == want_address
    names = [item["name"] for item in dossier.components]
    assert names == (["Tờ khai", want_line] if want_line else ["Tờ khai"])
    shown_escaped(client, dossier, want_name, want_address)


@st.composite
def ids_and_phones(draw):
    """A right ID and phone as people write them, one of them (or none) of a wrong shape."""
    id_number, phone = draw(good_ids()), draw(good_phones())
    wrong = draw(st.sampled_from(("id", "phone", None)))
    if wrong == "id":
        id_number = draw(wrong_ids())
    elif wrong == "phone":
        phone = draw(wrong_phones())
    return id_number, phone, wrong


@settings(max_examples=60)
@given(typed=ids_and_phones())
def test_form_ids_and_phones_of_every_shape(counter_desk, typed):
    world, client, procedure = counter_desk
    id_number, phone, wrong = typed
    data = form_data(world, procedure, applicant_id_number=id_number, applicant_phone=phone)
    dossier, errors = post_form(client, data)
    if dossier is None:
        # Only the value of a wrong shape is refused; right ones, however grouped, are taken.
        assert wrong is not None, errors
        assert set(errors) == {"applicant_id_number" if wrong == "id" else "applicant_phone"}
        return
    # Spaces and dots are how people group the digits; nothing else is dropped.
    assert dossier.applicant_id_number == re.sub(r"[ .]", "", id_number.strip())
    assert re.fullmatch(r"[0-9]{12}", dossier.applicant_id_number)
    assert MOBILE.fullmatch(dossier.applicant_phone) or LANDLINE.fullmatch(dossier.applicant_phone)
    assert dossier.applicant_phone[-7:] in re.sub(r"[^0-9]", "", phone)


@settings(max_examples=30)
@given(
    birth_year=st.one_of(
        st.sampled_from(("", "1990", " 1990 ", "1989", "0", "9999")),
        st.integers(min_value=-(10**12), max_value=10**12).map(str),
        st.text(),
    )
)
def test_form_birth_years_far_in_the_past_or_future(counter_desk, birth_year):
    world, client, procedure = counter_desk
    dossier, errors = post_form(client, form_data(world, procedure, birth_year=birth_year))
    if dossier is None:
        assert set(errors) <= {"birth_year"}, errors
        return
    # The ID above was issued to someone born in 1990; any other year is refused.
    assert forms.IntegerField(required=False).clean(birth_year) in (None, 1990)
