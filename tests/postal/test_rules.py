"""What a postal worker may receive, checked through the real intake service."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse

from intake.models import DossierEvent
from intake.services import IntakeRequest, dossier_receive
from onestop import clock
from onestop.errors import NotAllowed
from postal.models import shift_of
from postal.rules import postal_intake_rule
from postal.services import authorisation_grant, authorisation_revoke
from tests.intake.factories import ProcedureFactory
from tests.postal.conftest import at
from tests.postal.factories import AssignmentFactory, AuthorizationFactory
from tests.wards.factories import CounterFactory

pytestmark = pytest.mark.intake_rules

TUESDAY_9 = at(2026, 3, 10, 9, 0)
TUESDAY = TUESDAY_9.date()


def receive(user, procedure, *, moment=TUESDAY_9, **kwargs):
    with clock.frozen_at(moment):
        return dossier_receive(
            user=user,
            procedure=procedure,
            channel=1,
            applicant_name="Trần Văn Bình",
            applicant_id_number="074085001234",
            applicant_address="5 Lê Hồng Phong, Phú Hòa",
            **kwargs,
        ).dossier


def out_of_list_shift(world, *, date=TUESDAY, shift="morning", **kwargs):
    return AssignmentFactory(
        ward=world.ward,
        worker=world.postal_worker,
        date=date,
        shift=shift,
        task_type="out_of_list_intake",
        counter=world.postal_counter,
        assigned_by=world.chief,
        **kwargs,
    )


def test_the_rule_is_registered():
    assert "postal.rules.postal_intake_rule" in settings.INTAKE_RULES
    assert "postal.rules.postal_intake_offer" in settings.INTAKE_OFFERS


def _options(client) -> dict[str, str]:
    page = client.get(reverse("intake:receive")).content.decode()
    return dict(re.findall(r'<option value="([\d.]+)"[^>]*>([^<]*)</option>', page))


def test_intake_shows_the_postal_worker_what_they_may_receive_now(world, client):
    granted = ProcedureFactory(code="1.000010", name="Đăng ký khai tử")
    other = ProcedureFactory(code="1.000020", name="Đăng ký kết hôn")
    unlisted = ProcedureFactory(code="1.000030", not_postal=True, name="Cấp bản sao trích lục")
    with clock.frozen_at(TUESDAY_9 - dt.timedelta(days=1)):
        authorisation_grant(user=world.chief, worker=world.postal_worker, procedure=granted)
    client.force_login(world.postal_worker)
    with clock.frozen_at(TUESDAY_9):
        page = client.get(reverse("intake:receive")).content.decode()
        options = _options(client)
        panel = client.get(
            reverse("intake:receive-procedure"), {"procedure": other.code}
        ).content.decode()
    assert "Bạn tự tiếp nhận được 1 thủ tục trưởng bộ phận đã giao" in page
    assert "· được giao" in options[granted.code]
    assert "chưa được giao, mời công chức tiếp nhận" in options[other.code]
    assert "chưa được giao, mời công chức tiếp nhận" in options[unlisted.code]
    assert "Chưa tiếp nhận được thủ tục này: chưa được giao" in panel

    # On an out-of-list shift every procedure may be received, the others flagged for review.
    out_of_list_shift(world)
    with clock.frozen_at(TUESDAY_9):
        page = client.get(reverse("intake:receive")).content.decode()
        options = _options(client)
    assert "Ca này bạn được phân công “Tiếp nhận ngoài danh mục”" in page
    assert "· được giao" in options[granted.code]
    assert "ngoài danh mục, trưởng bộ phận xem xét" in options[other.code]
    assert "ngoài danh mục, trưởng bộ phận xem xét" in options[unlisted.code]
    assert "data-blocked" not in page

    # In the afternoon the morning's shift is over.
    with clock.frozen_at(TUESDAY_9 + dt.timedelta(hours=5)):
        assert "chưa được giao" in _options(client)[other.code]


def test_officers_see_no_postal_marks_at_intake(world, client):
    procedure = ProcedureFactory(code="1.000010")
    client.force_login(world.officer)
    page = client.get(reverse("intake:receive")).content.decode()
    assert 'data-testid="intake-offer"' not in page
    assert "được giao" not in _options(client)[procedure.code]


def test_an_authorised_postal_eligible_procedure_is_received_normally(world):
    procedure = ProcedureFactory()
    with clock.frozen_at(TUESDAY_9 - dt.timedelta(days=1)):
        authorisation_grant(user=world.chief, worker=world.postal_worker, procedure=procedure)
    dossier = receive(world.postal_worker, procedure)
    assert dossier.out_of_list is False
    assert dossier.receiver_kind == "postal_worker"


def test_an_unauthorised_procedure_is_refused_with_the_reason(world):
    procedure = ProcedureFactory(name="Đăng ký kết hôn")
    with pytest.raises(NotAllowed) as refusal:
        receive(world.postal_worker, procedure)
    message = refusal.value.message
    assert "chưa được trưởng bộ phận giao" in message
    assert "Đăng ký kết hôn" in message
    assert "ca sáng 10/03/2026" in message
    assert refusal.value.field == "procedure"
    assert not DossierEvent.objects.exists()


def test_a_procedure_outside_the_postal_list_is_refused_even_if_once_granted(world):
    procedure = ProcedureFactory(not_postal=True, name="Chứng thực di chúc")
    AuthorizationFactory(ward=world.ward, worker=world.postal_worker, procedure=procedure)
    with pytest.raises(NotAllowed) as refusal:
        receive(world.postal_worker, procedure)
    assert "không thuộc danh mục tiếp nhận qua bưu điện" in refusal.value.message


def test_a_revoked_grant_no_longer_counts(world):
    procedure = ProcedureFactory()
    with clock.frozen_at(TUESDAY_9 - dt.timedelta(days=3)):
        grant = authorisation_grant(
            user=world.chief, worker=world.postal_worker, procedure=procedure
        )
    with clock.frozen_at(TUESDAY_9 - dt.timedelta(hours=1)):
        authorisation_revoke(user=world.chief, authorisation_id=grant.pk, note="Tạm dừng")
    with pytest.raises(NotAllowed):
        receive(world.postal_worker, procedure)


def test_a_grant_counts_from_its_moment_on(world):
    procedure = ProcedureFactory()
    with clock.frozen_at(TUESDAY_9 + dt.timedelta(hours=1)):
        authorisation_grant(user=world.chief, worker=world.postal_worker, procedure=procedure)
        # Data entered later for a receipt at 09:00 falls before the grant.
        with pytest.raises(NotAllowed):
            dossier_receive(
                user=world.postal_worker,
                procedure=procedure,
                channel=1,
                applicant_name="Trần Văn Bình",
                applicant_id_number="074085001234",
                applicant_address="5 Lê Hồng Phong",
                received_at=TUESDAY_9,
            )
        assert receive(world.postal_worker, procedure, moment=clock.now()).out_of_list is False


def test_another_wards_grant_does_not_count(world):
    procedure = ProcedureFactory()
    AuthorizationFactory(ward=world.other_ward, worker=world.postal_worker, procedure=procedure)
    with pytest.raises(NotAllowed):
        receive(world.postal_worker, procedure)


@pytest.mark.parametrize("not_postal", [False, True])
def test_out_of_list_intake_in_the_assigned_shift_flags_the_dossier(world, not_postal):
    procedure = ProcedureFactory(not_postal=not_postal)
    out_of_list_shift(world)
    dossier = receive(world.postal_worker, procedure)
    assert dossier.out_of_list is True


def test_the_out_of_list_shift_is_the_shift_of_the_receipt(world):
    procedure = ProcedureFactory(not_postal=True)
    out_of_list_shift(world, shift="afternoon")
    with pytest.raises(NotAllowed) as refusal:
        receive(world.postal_worker, procedure, moment=at(2026, 3, 10, 11, 59))
    assert "ca sáng 10/03/2026" in refusal.value.message
    assert receive(world.postal_worker, procedure, moment=at(2026, 3, 10, 12, 0)).out_of_list


def test_another_day_or_a_cancelled_shift_does_not_count(world):
    procedure = ProcedureFactory(not_postal=True)
    out_of_list_shift(world, date=TUESDAY - dt.timedelta(days=1))
    out_of_list_shift(world, cancelled=True)
    with pytest.raises(NotAllowed):
        receive(world.postal_worker, procedure)


def test_other_tasks_in_the_shift_do_not_open_the_list(world):
    procedure = ProcedureFactory(not_postal=True)
    AssignmentFactory(
        ward=world.ward, worker=world.postal_worker, date=TUESDAY, counter=world.postal_counter
    )
    with pytest.raises(NotAllowed):
        receive(world.postal_worker, procedure)


def test_an_authorised_procedure_is_not_flagged_in_an_out_of_list_shift(world):
    procedure = ProcedureFactory()
    AuthorizationFactory(ward=world.ward, worker=world.postal_worker, procedure=procedure)
    out_of_list_shift(world)
    assert receive(world.postal_worker, procedure).out_of_list is False


@pytest.mark.parametrize("role", ["officer", "chief"])
def test_officers_and_chiefs_receive_anything_unflagged(world, role):
    procedure = ProcedureFactory(not_postal=True)
    dossier = receive(getattr(world, role), procedure, counter=CounterFactory(ward=world.ward))
    assert dossier.out_of_list is False


def test_shifts_split_at_noon_local_time():
    assert shift_of(at(2026, 3, 10, 11, 59, 59)) == "morning"
    assert shift_of(at(2026, 3, 10, 12, 0)) == "afternoon"


def test_the_rule_uses_local_time_not_utc(world):
    """16:30 UTC on Monday is 23:30 Monday in Hồ Chí Minh City, not Tuesday."""
    procedure = ProcedureFactory(not_postal=True)
    out_of_list_shift(world, date=TUESDAY - dt.timedelta(days=1), shift="afternoon")
    request = IntakeRequest(
        user=world.postal_worker,
        procedure=procedure,
        received_at=dt.datetime(2026, 3, 9, 16, 30, tzinfo=dt.UTC),
    )
    assert postal_intake_rule(request) is True
