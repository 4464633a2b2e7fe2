"""Concurrent writers on PostgreSQL: intake never duplicates or skips a code, a result is
returned once. Real threads, each with its own database connection, start together."""

import datetime as dt
from collections import Counter

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from intake import figures
from intake.file_services import UPLOAD
from intake.models import Dossier, DossierEvent, DossierFile, DossierSequence, Status
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from onestop.errors import Conflict
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.intake.factories import ProcedureFactory
from tests.intake.test_files import digitisable_dossier, pdf_bytes, upload
from wards.calendar import VIETNAM_TZ

pytestmark = POSTGRES_ONLY


def together(count: int, work) -> list:
    return run_together(count, work, at=lambda i: MOMENT + dt.timedelta(seconds=i))


WRITERS = 24
MOMENT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture(autouse=True)
def intake_rules_of_intake_only(settings):
    settings.INTAKE_RULES = []


def receive(user, procedure, **kwargs):
    return dossier_receive(
        user=user,
        procedure=procedure,
        channel=1,
        applicant_name="Nguyễn Thị Mai",
        applicant_id_number="074190001234",
        applicant_address="12 Yersin, Phú Hòa",
        **kwargs,
    )


def test_concurrent_intakes_get_consecutive_unique_codes(world):
    procedure = ProcedureFactory()
    users = [world.postal_worker, world.officer, world.chief]

    results = together(
        WRITERS, lambda i: receive(users[i % 3], procedure, received_at=MOMENT).dossier.code
    )

    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    prefix = f"{world.ward.unit_identifier}-260310-"
    assert sorted(results) == [f"{prefix}{n:04d}" for n in range(1, WRITERS + 1)]
    assert Dossier.objects.filter(ward=world.ward).count() == WRITERS
    assert DossierEvent.objects.filter(action="receive").count() == WRITERS
    assert DossierSequence.objects.get(ward=world.ward).last_number == WRITERS


def test_concurrent_intakes_in_two_wards_number_independently(world):
    procedure = ProcedureFactory()
    users = [world.officer, world.other_officer]

    results = together(
        WRITERS, lambda i: receive(users[i % 2], procedure, received_at=MOMENT).dossier.code
    )

    assert not [r for r in results if isinstance(r, Exception)]
    for ward in (world.ward, world.other_ward):
        prefix = f"{ward.unit_identifier}-260310-"
        mine = sorted(code for code in results if code.startswith(prefix))
        assert mine == [f"{prefix}{n:04d}" for n in range(1, WRITERS // 2 + 1)]


def test_a_form_submitted_many_times_at_once_makes_one_dossier(world):
    procedure = ProcedureFactory()

    results = together(
        WRITERS,
        lambda i: receive(world.officer, procedure, received_at=MOMENT, request_id="form-7"),
    )

    assert not [r for r in results if isinstance(r, Exception)]
    assert len({receipt.dossier.pk for receipt in results}) == 1
    assert sum(1 for receipt in results if receipt.lookup_pin) == 1  # the PIN is shown once
    assert Dossier.objects.count() == 1
    assert DossierSequence.objects.get().last_number == 1


def test_concurrent_returns_return_once(world):
    with clock.frozen_at(MOMENT - dt.timedelta(hours=1)):
        dossier = receive(world.officer, ProcedureFactory()).dossier
        for action in ("transfer", "resolve"):
            dossier_step(user=world.officer, code=dossier.code, action=action)
    users = [world.postal_worker, world.officer, world.chief]

    results = together(
        WRITERS,
        lambda i: (
            dossier_step(
                user=users[i % 3],
                code=dossier.code,
                action="return",
                details=StepInput(collector_id_number="074190001234", satisfaction=5),
                request_id=f"return-{i}",
            ).status
        ),
    )

    outcomes = Counter(type(r).__name__ if isinstance(r, Exception) else r for r in results)
    assert outcomes == {Status.RETURNED: 1, Conflict.__name__: WRITERS - 1}, outcomes
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.events.filter(action="return").count() == 1
    assert dossier.events.count() == 4


def test_concurrent_intakes_and_steps_keep_the_report_figures_exact(world):
    """Intakes, results and returns in one ward at once all add to the same day's row."""
    procedure = ProcedureFactory()
    with clock.frozen_at(MOMENT - dt.timedelta(hours=1)):
        codes = [receive(world.officer, procedure).dossier.code for _ in range(WRITERS // 2)]
        for k, code in enumerate(codes):
            dossier_step(user=world.officer, code=code, action="transfer")
            if k % 2:
                dossier_step(user=world.officer, code=code, action="resolve")

    def work(i: int):
        if i % 2:
            return receive(world.postal_worker, procedure).dossier.code
        k = i // 2
        action = "return" if k % 2 else "resolve"  # returned if resolved above, else resolved
        details = StepInput(collector_id_number="074190001234", satisfaction=4)
        return dossier_step(user=world.officer, code=codes[k], action=action, details=details)

    results = together(WRITERS, work)

    assert not [r for r in results if isinstance(r, Exception)]
    assert figures.differences() == []
    march = figures.totals([world.ward.pk], MOMENT.date(), MOMENT.date())[world.ward.pk]
    assert march["received_postal_worker"] == WRITERS // 2


def test_one_upload_sent_many_times_at_once_stores_one_file(world):
    dossier = digitisable_dossier(world)
    url = reverse("dossier-file-list", args=[dossier.code])

    def post(i):
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(world.postal_worker)
        sent = {"file": upload("to-khai.pdf", pdf_bytes()), "request_id": "scan-1"}
        response = client.post(url, sent, format="multipart")
        return response.status_code, response.json().get("id")

    results = together(8, post)

    assert {code for code, _ in results} == {201}, results
    assert len({file_id for _, file_id in results}) == 1
    assert DossierFile.objects.filter(dossier=dossier).count() == 1
    assert dossier.events.filter(action=UPLOAD).count() == 1
