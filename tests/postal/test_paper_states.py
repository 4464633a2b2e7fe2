"""Paper dossiers entered in the state their paper shows, with the paper's dates, and the old
ones corrected by postal 0005: none of them counted overdue when it was finished on paper."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from intake import figures
from intake.models import Dossier, DossierEvent, NationalStatus, Status
from intake.selectors import DossierFilters, dossier_list
from onestop import clock
from onestop.errors import InvalidInput
from postal.models import DataEntryRecord
from postal.services import batch_create, data_entry_record
from reports.periods import month_period
from reports.selectors.report import ward_report
from tests.intake.factories import ProcedureFactory
from tests.postal.conftest import FRIDAY, at

pytestmark = [pytest.mark.usefixtures("friday"), pytest.mark.intake_rules]

# Received on paper on Monday 02/02/2026 at 14:00; five working days: due Monday 09/02 14:00.
PAPER_TIME = at(2026, 2, 2, 14, 0)
EARLY = at(2026, 2, 5, 10, 0)  # Thursday, before the appointment's day
LATE = at(2026, 2, 11, 9, 0)  # Wednesday, after it
RETURNED = at(2026, 2, 12, 15, 0)


@pytest.fixture
def batch(world):
    with clock.frozen_at(at(2026, 3, 2, 8, 0)):
        return batch_create(
            user=world.chief,
            title="Hồ sơ giấy hộ tịch tháng 2",
            paper_count=10,
            assigned_to=world.postal_worker,
            due_date=dt.date(2026, 3, 20),
        )


def enter(world, batch, *, number="125/TN", **kwargs):
    return data_entry_record(
        user=world.postal_worker,
        batch_id=batch.pk,
        original_receipt_number=number,
        original_received_at=PAPER_TIME,
        procedure=ProcedureFactory(not_postal=True, processing_days=5),
        channel=1,
        applicant_name="Phạm Thị Lan",
        applicant_id_number="074190007777",
        applicant_address="3 Đoàn Thị Liên",
        **kwargs,
    )


def steps(dossier):
    return [
        (e.action, e.from_status, e.to_status, e.at, e.from_paper)
        for e in DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")
    ]


def test_received_on_paper_stays_received_with_its_receipt_dated_on_the_paper(world, batch):
    dossier = enter(world, batch).dossier
    assert dossier.status == Status.RECEIVED
    assert steps(dossier) == [("receive", "", "received", PAPER_TIME, True)]


def test_in_processing_on_paper_was_handed_over_at_its_receipt(world, batch):
    dossier = enter(world, batch, paper_state="processing").dossier
    assert (dossier.status, dossier.national_status) == ("processing", NationalStatus.PROCESSING)
    assert steps(dossier)[1:] == [("transfer", "received", "processing", PAPER_TIME, True)]
    assert dossier.resolved_at is None


@pytest.mark.parametrize(("resolved", "timeliness"), [(EARLY, "early"), (LATE, "late")])
def test_a_result_on_paper_counts_early_or_late_by_the_papers_date(
    world, batch, resolved, timeliness
):
    dossier = enter(world, batch, paper_state="result_ready", paper_resolved_at=resolved).dossier
    dossier.refresh_from_db()
    assert (dossier.status, dossier.national_status) == ("result_ready", NationalStatus.RESOLVED)
    assert (dossier.resolved_at, dossier.timeliness) == (resolved, timeliness)
    assert [s[0] for s in steps(dossier)] == ["receive", "transfer", "resolve"]
    assert steps(dossier)[-1][3:] == (resolved, True)


def test_returned_on_paper_has_every_step_at_the_papers_dates(world, batch):
    dossier = enter(
        world, batch, paper_state="returned", paper_resolved_at=EARLY, paper_returned_at=RETURNED
    ).dossier
    dossier.refresh_from_db()
    assert (dossier.status, dossier.national_status) == ("returned", NationalStatus.RETURNED)
    assert (dossier.returned_at, dossier.return_method) == (RETURNED, "counter")
    assert dossier.returned_by == world.postal_worker
    assert steps(dossier) == [
        ("receive", "", "received", PAPER_TIME, True),
        ("transfer", "received", "processing", PAPER_TIME, True),
        ("resolve", "processing", "result_ready", EARLY, True),
        ("return", "result_ready", "returned", RETURNED, True),
    ]
    ret = dossier.events.get(action="return")
    assert (ret.actor, ret.note) == (world.postal_worker, "Theo hồ sơ giấy")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"paper_state": "result_ready"}, "paper_resolved_at", "Nhập ngày có kết quả"),
        (
            {"paper_state": "returned", "paper_resolved_at": EARLY},
            "paper_returned_at",
            "Nhập ngày trả kết quả",
        ),
        (
            {"paper_state": "result_ready", "paper_resolved_at": at(2026, 2, 1, 9, 0)},
            "paper_resolved_at",
            "không thể trước thời điểm tiếp nhận",
        ),
        (
            {
                "paper_state": "returned",
                "paper_resolved_at": LATE,
                "paper_returned_at": EARLY,
            },
            "paper_returned_at",
            "không thể trước ngày có kết quả",
        ),
        (
            {"paper_state": "result_ready", "paper_resolved_at": FRIDAY + dt.timedelta(hours=1)},
            "paper_resolved_at",
            "tương lai",
        ),
        (
            {"paper_state": "processing", "paper_resolved_at": EARLY},
            "paper_resolved_at",
            "hãy để trống",
        ),
        ({"paper_state": "refused"}, "paper_state", "Chọn trạng thái"),
    ],
)
def test_paper_dates_are_refused_when_they_do_not_fit(world, batch, values, field, message):
    with pytest.raises(InvalidInput) as refusal:
        enter(world, batch, **values)
    assert refusal.value.field == field
    assert message in refusal.value.message
    assert not Dossier.objects.exists()
    assert figures.differences() == []


def test_no_paper_date_after_the_batchs_due_date(world):
    with clock.frozen_at(at(2026, 3, 2, 8, 0)):
        short = batch_create(
            user=world.chief,
            title="Lô ngắn",
            paper_count=2,
            assigned_to=world.postal_worker,
            due_date=dt.date(2026, 3, 3),
        )
    with pytest.raises(InvalidInput) as refusal:
        enter(world, short, paper_state="result_ready", paper_resolved_at=at(2026, 3, 4, 9, 0))
    assert refusal.value.field == "paper_resolved_at"
    assert "03/03/2026" in refusal.value.message


def _enter_every_state(world, batch):
    enter(world, batch, number="1")
    enter(world, batch, number="2", paper_state="processing")
    enter(world, batch, number="3", paper_state="result_ready", paper_resolved_at=LATE)
    enter(
        world,
        batch,
        number="4",
        paper_state="returned",
        paper_resolved_at=EARLY,
        paper_returned_at=RETURNED,
    )


def test_the_figures_count_each_paper_dossier_as_what_it_was(world, batch):
    _enter_every_state(world, batch)
    assert figures.differences() == []
    report = ward_report(user=world.chief, period=month_period(2026, 2), now=FRIDAY)
    values = report.rows[0].figures.values()
    assert (values["resolved_early"], values["resolved_late"]) == (1, 1)
    # Only the two still in hand on paper are overdue at the end of February.
    assert values["pending_overdue"] == 2
    overdue = dossier_list(user=world.chief, filters=DossierFilters(overdue=True))
    assert sorted(d.data_entry.original_receipt_number for d in overdue) == ["1", "2"]


def test_the_entry_form_takes_the_papers_state_and_keeps_what_was_typed(client, world):
    from tests.postal.factories import DataEntryBatchFactory

    batch = DataEntryBatchFactory(
        ward=world.ward, assigned_to=world.postal_worker, paper_count=3, created_at=FRIDAY
    )
    procedure = ProcedureFactory(not_postal=True, processing_days=5)
    client.force_login(world.postal_worker)
    url = reverse("postal:batch-entry", args=[batch.pk])
    page = client.get(url, {"procedure": procedure.code}).content.decode()
    assert "Trạng thái ghi trên hồ sơ giấy" in page
    assert "Ngày trả kết quả (trên hồ sơ giấy)" in page
    form = {
        "procedure": procedure.code,
        "original_receipt_number": "58/HT",
        "original_received_at": "2026-02-10T14:30",
        "paper_state": "returned",
        "paper_resolved_at": "2026-02-09T10:00",
        "paper_returned_at": "",
        "sets": 1,
        "applicant_name": "Ngô Thị Lệ",
        "applicant_id_number": "074190002222",
        "applicant_phone": "0912345678",
        "applicant_address": "7 Yersin, Phú Hòa",
        "channel": 1,
        "request_id": "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed",
        "components-TOTAL_FORMS": 1,
        "components-INITIAL_FORMS": 0,
        "components-0-included": "on",
        "components-0-name": "Tờ khai",
        "components-0-originals": 1,
        "components-0-copies": 0,
        "_action": "save",
    }
    refused = client.post(url, form).content.decode()
    # Both wrong dates at once: the result before the receipt, the return missing.
    assert "Ngày có kết quả không thể trước thời điểm tiếp nhận (14:30 10/02/2026)." in refused
    assert "Nhập ngày trả kết quả ghi trên hồ sơ giấy." in refused
    assert 'value="2026-02-09T10:00"' in refused
    assert '<option value="returned" selected>' in refused
    assert not DataEntryRecord.objects.exists()
    fixed = form | {
        "paper_resolved_at": "2026-02-12T10:00",
        "paper_returned_at": "2026-02-13T09:00",
    }
    response = client.post(url, fixed)
    assert response.status_code == 302, re.findall(r"<li>(.*?)</li>", response.content.decode())
    dossier = DataEntryRecord.objects.get().dossier
    assert (dossier.status, dossier.returned_at) == ("returned", at(2026, 2, 13, 9, 0))


def _migration():
    return importlib.import_module("postal.migrations.0005_paper_dossiers_finished_on_paper")


def test_the_migration_finishes_old_paper_dossiers_whose_term_ended_before_the_batch(world, batch):
    # Rows as the old form left them: every paper "received" with its old appointment.
    old = enter(world, batch, number="1").dossier
    acted_on = enter(world, batch, number="2", paper_state="processing").dossier
    with clock.frozen_at(at(2026, 3, 2, 9, 0)):
        recent = data_entry_record(
            user=world.postal_worker,
            batch_id=batch.pk,
            original_receipt_number="3",
            original_received_at=at(2026, 2, 27, 9, 0),  # due after the batch opened
            procedure=ProcedureFactory(not_postal=True, processing_days=5),
            channel=1,
            applicant_name="Lê Văn Tám",
            applicant_id_number="074190008888",
            applicant_address="5 Yersin",
        ).dossier
    before = ward_report(user=world.chief, period=month_period(2026, 2), now=FRIDAY)
    assert before.rows[0].figures.values()["pending_overdue"] == 2

    _migration().finish_paper_dossiers(apps, None)

    old.refresh_from_db()
    assert (old.status, old.national_status) == ("returned", NationalStatus.RETURNED)
    assert (old.resolved_at, old.returned_at) == (old.appointment_at, old.appointment_at)
    assert (old.timeliness, old.return_method, old.returned_by) == (
        "on_time",
        "counter",
        world.postal_worker,
    )
    paper_steps = old.events.filter(from_paper=True).exclude(action="receive")
    assert [e.action for e in paper_steps.order_by("at", "id")] == [
        "transfer",
        "resolve",
        "return",
    ]
    assert all("sửa khi nâng cấp" in e.note for e in paper_steps)
    acted_on.refresh_from_db()
    recent.refresh_from_db()
    assert acted_on.status == "processing"  # someone acted on it: left as it is
    assert recent.status == "received"  # its term was still running when the batch opened
    # The figures were rebuilt: they agree with the dossiers and no longer count it overdue.
    assert figures.differences() == []
    after = ward_report(user=world.chief, period=month_period(2026, 2), now=FRIDAY)
    assert after.rows[0].figures.values()["pending_overdue"] == 1
    assert after.rows[0].figures.values()["resolved_on_time"] == 1
    # Run again (a re-applied migration): nothing more to change.
    events = DossierEvent.objects.count()
    _migration().finish_paper_dossiers(apps, None)
    assert DossierEvent.objects.count() == events


def test_the_migration_is_irreversible_on_purpose():
    operation = _migration().Migration.operations[0]
    assert operation.reversible is False


def test_the_api_takes_the_papers_state_and_answers_the_dossiers(world):
    from rest_framework.test import APIClient

    from tests.postal.factories import DataEntryBatchFactory

    batch = DataEntryBatchFactory(
        ward=world.ward, assigned_to=world.postal_worker, paper_count=3, created_at=FRIDAY
    )
    url = reverse("data-entry-batch-records", args=[batch.pk])
    paper = {
        "procedure": ProcedureFactory(not_postal=True, processing_days=5).code,
        "channel": 1,
        "applicant_name": "Đinh Thị Thu",
        "applicant_id_number": "074190008888",
        "applicant_address": "11 Yersin",
        "original_receipt_number": "301/TN",
        "original_received_at": "2026-02-02T14:00:00+07:00",
        "paper_state": "returned",
        "paper_resolved_at": "2026-02-05T10:00:00+07:00",
        "paper_returned_at": "2026-02-12T15:00:00+07:00",
    }
    client = APIClient()
    client.force_authenticate(world.postal_worker)
    wrong = client.post(url, paper | {"paper_returned_at": None}, format="json")
    assert wrong.status_code == 400
    assert "paper_returned_at" in wrong.json()
    made = client.post(url, paper, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["status"] == "returned"
    dossier = DataEntryRecord.objects.get().dossier
    assert (dossier.timeliness, dossier.returned_at) == ("early", RETURNED)
