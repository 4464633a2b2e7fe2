"""Data-entry batches: paper dossiers entered with their original receipt time and number."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from intake.models import Dossier
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from postal.models import DataEntryBatch, DataEntryRecord
from postal.services import batch_close, batch_create, batch_update, data_entry_record
from tests.intake.factories import ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.postal.conftest import FRIDAY, at
from tests.postal.factories import DataEntryBatchFactory
from wards.calendar import WorkingCalendar, appointment_at

pytestmark = [pytest.mark.usefixtures("friday"), pytest.mark.intake_rules]

# Received on paper on Monday 02/02/2026 at 14:00, before the batch was opened.
PAPER_TIME = at(2026, 2, 2, 14, 0)


@pytest.fixture
def batch(world):
    with clock.frozen_at(at(2026, 3, 2, 8, 0)):
        return batch_create(
            user=world.chief,
            title="Hồ sơ giấy hộ tịch tháng 2",
            paper_count=2,
            assigned_to=world.postal_worker,
            due_date=dt.date(2026, 3, 20),
        )


def enter(world, batch, *, number="125/TN", received=PAPER_TIME, user=None, **kwargs):
    values = {
        "procedure": ProcedureFactory(not_postal=True, processing_days=5),
        "channel": 1,
        "applicant_name": "Phạm Thị Lan",
        "applicant_id_number": "074190007777",
        "applicant_address": "3 Đoàn Thị Liên",
        **kwargs,
    }
    return data_entry_record(
        user=user or world.postal_worker,
        batch_id=batch.pk,
        original_receipt_number=number,
        original_received_at=received,
        **values,
    )


def test_a_paper_dossier_becomes_a_dossier_of_the_batch(world, batch):
    record = enter(world, batch)
    dossier = record.dossier
    assert dossier.received_at == PAPER_TIME
    assert dossier.code.endswith("-260202-0001")  # numbered on the paper's day
    expected = appointment_at(PAPER_TIME, 5, WorkingCalendar())
    assert dossier.appointment_at == expected
    assert record.batch == batch
    assert record.original_receipt_number == "125/TN"
    assert (record.entered_by, record.entered_at) == (world.postal_worker, FRIDAY)
    # Not out-of-list: data entry transcribes a dossier accepted on paper (postal.rules).
    assert dossier.out_of_list is False


def test_the_receipt_number_is_entered_once_per_ward(world, batch):
    enter(world, batch)
    with pytest.raises(Conflict) as refusal:
        enter(world, batch, number=" 125/tn ")
    assert refusal.value.field == "original_receipt_number"
    assert "125/TN" in refusal.value.message
    assert "đã được nhập" in refusal.value.message
    assert Dossier.objects.count() == 1


def test_the_database_refuses_a_duplicate_receipt(world, batch):
    record = enter(world, batch)
    other = DataEntryBatchFactory(ward=world.ward, assigned_to=world.postal_worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataEntryRecord.objects.create(
            batch=other,
            dossier=Dossier.objects.create(
                **{
                    f.attname: getattr(record.dossier, f.attname)
                    for f in Dossier._meta.concrete_fields
                    if f.attname not in ("id", "code")
                },
                code="X-1",
            ),
            ward=world.ward,
            original_receipt_number="125/TN",
            original_received_at=PAPER_TIME,
            entered_at=FRIDAY,
            entered_by=world.postal_worker,
        )


def test_a_duplicate_in_the_race_undoes_the_whole_entry(world, batch, monkeypatch):
    """Both entries passed the check; the constraint refuses the second, dossier included."""
    from postal.services import data_entry

    enter(world, batch)
    real = data_entry._duplicate
    looks = []

    def raced(ward_id, number):
        looks.append(number)
        return None if len(looks) == 1 else real(ward_id, number)

    monkeypatch.setattr(data_entry, "_duplicate", raced)
    with pytest.raises(Conflict, match="đã được nhập"):
        enter(world, batch, number="125/TN")
    assert len(looks) == 2
    assert Dossier.objects.count() == 1


def test_the_same_receipt_number_in_another_ward_is_fine(world, batch):
    enter(world, batch)
    theirs = DataEntryBatchFactory(
        ward=world.other_ward,
        assigned_to=world.other_postal_worker,
        created_at=at(2026, 3, 1, 8, 0),
    )
    assert enter(world, theirs, user=world.other_postal_worker).batch == theirs


def test_only_the_assigned_worker_enters(world, batch):
    colleague = UserFactory(postal_worker=True, ward=world.ward)
    with pytest.raises(NotAllowed, match="chỉ người được giao"):
        enter(world, batch, user=colleague)
    with pytest.raises(DataEntryBatch.DoesNotExist):
        enter(world, batch, user=world.other_postal_worker)


def test_a_full_or_closed_batch_takes_no_more(world, batch):
    enter(world, batch, number="1")
    enter(world, batch, number="2")
    with pytest.raises(Conflict, match="đủ 2/2"):
        enter(world, batch, number="3")
    batch_close(user=world.chief, batch_id=batch.pk)
    with pytest.raises(Conflict, match="đã đóng"):
        enter(world, batch, number="4")


def test_a_dossier_received_after_the_batch_opened_is_not_old_paper(world, batch):
    with pytest.raises(InvalidInput) as refusal:
        enter(world, batch, received=at(2026, 3, 3, 9, 0))
    assert refusal.value.field == "original_received_at"
    assert not Dossier.objects.exists()


def test_the_receipt_number_is_required(world, batch):
    with pytest.raises(InvalidInput) as refusal:
        enter(world, batch, number="  ")
    assert refusal.value.field == "original_receipt_number"


def test_the_batch_is_the_only_relaxation(world, batch):
    """Outside data entry the same worker may not receive the unlisted procedure."""
    from intake.services import dossier_receive

    with pytest.raises(NotAllowed):
        dossier_receive(
            user=world.postal_worker,
            procedure=ProcedureFactory(not_postal=True),
            channel=1,
            applicant_name="Phạm Thị Lan",
            applicant_id_number="074190007777",
            applicant_address="3 Đoàn Thị Liên",
            received_at=PAPER_TIME,
        )


def test_a_double_submit_enters_once(world, batch):
    first = enter(world, batch, request_id="8f0c7c3a-1111-4f6e-9a55-3a7f0b0c0d01")
    again = enter(world, batch, request_id="8f0c7c3a-1111-4f6e-9a55-3a7f0b0c0d01")
    assert again.pk == first.pk
    assert DataEntryRecord.objects.count() == 1


# --- batches ---------------------------------------------------------------------------------


def test_batches_are_for_the_chief_to_open(world):
    with pytest.raises(NotAllowed):
        batch_create(
            user=world.postal_worker, title="Lô", paper_count=3, assigned_to=world.postal_worker
        )
    with pytest.raises(InvalidInput) as refusal:
        batch_create(user=world.chief, title="Lô", paper_count=0, assigned_to=world.postal_worker)
    assert refusal.value.field == "paper_count"
    with pytest.raises(InvalidInput) as refusal:
        batch_create(user=world.chief, title="Lô", paper_count=3, assigned_to=world.officer)
    assert refusal.value.field == "assigned_to"
    with pytest.raises(InvalidInput) as refusal:
        batch_create(
            user=world.chief,
            title="Lô",
            paper_count=3,
            assigned_to=world.postal_worker,
            due_date=dt.date(2026, 3, 1),
        )
    assert refusal.value.field == "due_date"


def test_a_batch_never_shrinks_below_what_was_entered(world, batch):
    enter(world, batch, number="1")
    enter(world, batch, number="2")
    with pytest.raises(InvalidInput) as refusal:
        batch_update(user=world.chief, batch_id=batch.pk, paper_count=1)
    assert refusal.value.field == "paper_count"
    grown = batch_update(user=world.chief, batch_id=batch.pk, paper_count=5, title="Lô tháng 2")
    assert (grown.paper_count, grown.title) == (5, "Lô tháng 2")


def test_closing_and_cancelling(world, batch):
    empty = batch_create(
        user=world.chief, title="Nhầm", paper_count=3, assigned_to=world.postal_worker
    )
    cancelled = batch_close(user=world.chief, batch_id=empty.pk, cancel=True)
    assert cancelled.status == "cancelled"
    assert cancelled.closed_by == world.chief
    enter(world, batch)
    with pytest.raises(Conflict, match="không huỷ được"):
        batch_close(user=world.chief, batch_id=batch.pk, cancel=True)
    done = batch_close(user=world.chief, batch_id=batch.pk)
    assert done.status == "done"
    with pytest.raises(Conflict):
        batch_update(user=world.chief, batch_id=batch.pk, paper_count=9)


def test_the_database_checks_a_batchs_state(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        DataEntryBatchFactory(ward=world.ward, status="done")  # closed by nobody
    with pytest.raises(IntegrityError), transaction.atomic():
        DataEntryBatchFactory(ward=world.ward, paper_count=0)
