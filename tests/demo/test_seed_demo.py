"""`seed_demo`: the demo city, its wards, counters, catalogue and accounts, safe to run again.

`seed_demo` grows steps as apps are added (demo.seed.STEPS); these tests count only
the models of the foundation.
"""

import csv
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from intake.models import Procedure
from onestop.models import Role, User
from wards.models import City, Counter, Ward

# seed_demo replays the counter as it works, postal intake rules included.
pytestmark = [pytest.mark.django_db, pytest.mark.intake_rules]

PILOT_FIRST_PHASE = {"Phú Hòa", "Phú Lợi", "Phú Mỹ", "Phú Thọ", "Định Hòa"}
EXPECTED = {City: 1, Ward: 14, Counter: 42, User: 14 * 3 + 14 + 1, Procedure: 52}


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model: model.objects.count() for model in EXPECTED}


def source_procedures() -> list[dict]:
    path = settings.BASE_DIR / "intake" / "data" / "procedures.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def seeded(db):
    return seed()


def test_seed_creates_the_demo_city(seeded):
    assert counts() == EXPECTED


def test_seeding_again_changes_no_count(seeded):
    seed()
    assert counts() == EXPECTED


def test_seeding_again_keeps_a_changed_account(seeded):
    User.objects.filter(username="chief.phuhoa").update(phone="0912345678")
    seed()
    assert User.objects.get(username="chief.phuhoa").phone == "0912345678"


def test_ward_slugs_are_ascii_names(seeded):
    slugs = set(Ward.objects.values_list("slug", flat=True))
    assert {"phuhoa", "dinhhoa", "tuongbinhhiep"} <= slugs
    assert all(slug.isascii() and slug.isalpha() for slug in slugs)


def test_the_five_first_phase_wards(seeded):
    first = Ward.objects.filter(pilot_phase=Ward.PilotPhase.FIRST)
    assert set(first.values_list("name", flat=True)) == PILOT_FIRST_PHASE


def test_every_pilot_ward_has_a_start_date(seeded):
    assert not Ward.objects.exclude(pilot_phase=0).filter(pilot_started_on=None).exists()


def test_every_ward_has_one_postal_and_two_officer_counters(seeded):
    for ward in Ward.objects.all():
        kinds = sorted(ward.counters.values_list("kind", flat=True))
        assert kinds == ["officer", "officer", "postal"], ward


def test_every_ward_has_a_postal_worker_an_officer_and_a_chief(seeded):
    for ward in Ward.objects.all():
        usernames = {
            (user.username, user.role) for user in User.objects.filter(ward=ward).only("role")
        }
        assert {
            (f"postal.{ward.slug}", Role.POSTAL_WORKER),
            (f"officer.{ward.slug}", Role.OFFICER),
            (f"chief.{ward.slug}", Role.CHIEF),
        } <= usernames


def test_pilot_wards_have_a_second_postal_worker(seeded):
    for ward in Ward.objects.exclude(pilot_phase=0):
        assert User.objects.filter(username=f"postal2.{ward.slug}", ward=ward).exists()


def test_the_city_admin_administers_thu_dau_mot(seeded):
    admin = User.objects.get(username="admin.thudaumot")
    assert admin.role == Role.CITY_ADMIN
    assert admin.city.name == "Thủ Dầu Một"


def test_demo_names_are_written_family_name_first(seeded):
    user = User.objects.get(username="postal.phuhoa")
    assert user.get_full_name().split()[0] in {
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Huỳnh",
        "Hoàng",
        "Võ",
        "Phan",
        "Trương",
        "Bùi",
        "Đặng",
    }


def test_an_unverified_processing_time_stays_empty(seeded):
    unverified = [row["name"] for row in source_procedures() if not row["processing_days"].strip()]
    assert unverified, "the source has no procedure without a processing time"
    for name in unverified:
        assert Procedure.objects.get(name=name).processing_days is None, name


def test_an_unverified_fee_stays_empty(seeded):
    unverified = [row["name"] for row in source_procedures() if not row["fee_vnd"].strip()]
    assert unverified, "the source has no procedure without a fee"
    for name in unverified:
        assert Procedure.objects.get(name=name).fee is None, name


def test_a_free_procedure_keeps_a_zero_fee_and_same_day_time(seeded):
    birth = Procedure.objects.get(code="1.001193")
    assert birth.name == "Đăng ký khai sinh"
    assert birth.fee == 0
    assert birth.processing_days == 0


def test_procedures_without_a_national_code_get_a_local_one(seeded):
    local = Procedure.objects.filter(code_is_national=False)
    assert local.count() == sum(1 for row in source_procedures() if not row["code"].strip())
    assert all(code.startswith("TDM.") for code in local.values_list("code", flat=True))


def test_demo_login_works_with_the_demo_password(seeded, client):
    response = client.post(
        reverse("login"), {"username": "postal.phuhoa", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_demo_logins_are_printed(seeded):
    assert "postal.phuhoa" in seeded
    assert "admin.thudaumot" in seeded
    assert settings.DEMO_PASSWORD in seeded


def test_without_debug_and_without_force_it_refuses(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not Ward.objects.exists()
    assert not User.objects.exists()


def test_with_debug_it_needs_no_force(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert Ward.objects.count() == 14
