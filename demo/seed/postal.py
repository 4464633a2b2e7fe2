"""Demo data of the postal back office after the year of demo dossiers is replayed, written
through the real services at past moments: postal workers' profiles; the roster of the current
and the previous four weeks in pilot wards (`demo.seed.roster`), with a cancellation and weekly
out-of-list intake shifts (and the out-of-list dossiers received in them, most reviewed by the
chief); data-entry batches, one done and one in progress; and the guidance log of those weeks.

The grants those workers receive under come earlier, before the year is replayed
(`demo.seed.grants`). Each part is skipped in a ward that already has it, so seeding again changes
nothing.
"""

import datetime as dt
import random

from django.utils import timezone

from demo.seed.common import (
    chief_and_postal_workers,
    local_moment,
    pilot_wards,
    postal_counter,
    weighted_pick,
)
from demo.seed.roster import roster_weeks
from intake.models import Procedure
from intake.services import PaperState, calendars_cached, dossier_receive
from onestop import clock
from onestop.models import Role, User
from postal.models import Assignment, DataEntryBatch, GuidanceSession, PostalWorkerProfile, TaskType
from postal.services import batch_close, batch_create, data_entry_record, out_of_list_review
from wards.models import Ward
from wards.selectors import working_calendar

SEED = "onestop-postal-demo"
OUT_OF_LIST_SHIFTS = 3  # the latest out-of-list shifts of a ward each received one dossier

GUIDANCE_TOPICS = [
    ("1.001193", "Hồ sơ đăng ký khai sinh cần giấy tờ gì"),
    ("2.000815", "Chứng thực bản sao cần mang bản chính"),
    ("1.004873", "Xác nhận tình trạng hôn nhân để mua nhà"),
    ("1.000656", "Đăng ký khai tử cho người thân"),
    ("", "Hỏi lệ phí và thời hạn trả kết quả"),
    ("", "Hỏi nơi nộp hồ sơ đất đai"),
    ("", "Tra cứu tình trạng hồ sơ bằng mã trên giấy tiếp nhận"),
    ("1.001612", "Thủ tục đăng ký hộ kinh doanh"),
    ("", "Nhận kết quả qua dịch vụ bưu chính"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Thanh", "Hữu", "Thu", "Quốc", "Mỹ", "Đức"]
GIVEN = ["An", "Bình", "Dung", "Hà", "Hạnh", "Hoa", "Hùng", "Lan", "Long", "Mai", "Nam", "Tâm"]
STREETS = [
    "Yersin",
    "Lê Hồng Phong",
    "Phú Lợi",
    "Huỳnh Văn Lũy",
    "Nguyễn Văn Tiết",
    "Đại lộ Bình Dương",
]


# --- after the replayed year: profiles, roster, out-of-list, batches, guidance ----------------


def seed(stdout=None) -> None:
    now = clock.now()
    today = timezone.localdate(now)
    this_monday = today - dt.timedelta(days=today.weekday())
    totals = {"profiles": 0, "assignments": 0, "out_of_list": 0, "records": 0, "guidance": 0}
    totals["profiles"] = _profiles()
    with calendars_cached():
        for ward in pilot_wards().order_by("admin_code"):
            chief, workers = chief_and_postal_workers(ward)
            if chief is None or not workers:
                continue
            rng = random.Random(f"{SEED}-{ward.admin_code}")
            cal = working_calendar(city_id=ward.city_id)
            counter = postal_counter(ward)
            if counter is None:
                continue
            if not Assignment.objects.filter(ward=ward).exists():
                shifts = roster_weeks(ward, chief, workers, counter, this_monday, cal, now)
                totals["assignments"] += len(shifts)
                totals["out_of_list"] += _out_of_list(ward, chief, workers[0], shifts, rng, now)
                if not GuidanceSession.objects.filter(ward=ward).exists():
                    totals["guidance"] += _guidance(workers, shifts, counter, rng, now)
            if not DataEntryBatch.objects.filter(ward=ward).exists():
                totals["records"] += _batches(ward, chief, workers[-1], counter, rng, now)
    if stdout:
        stdout.write(
            "  {profiles} hồ sơ nhân viên, {assignments} phân công, {out_of_list} hồ sơ ngoài "
            "danh mục, {records} hồ sơ nhập liệu, {guidance} lượt hướng dẫn".format(**totals)
        )


def _profiles() -> int:
    made = 0
    workers = User.objects.filter(role=Role.POSTAL_WORKER).select_related("ward")
    existing = set(PostalWorkerProfile.objects.values_list("user_id", flat=True))
    profiles = []
    for worker in workers:
        if worker.pk in existing:
            continue
        ward = worker.ward
        second = worker.username.startswith("postal2.")
        since = ward.pilot_started_on or dt.date(2020, 1, 2)
        if second:
            since = since.replace(year=since.year + 1)
        profiles.append(
            PostalWorkerProfile(
                user=worker,
                post_office_code=f"BĐBD-{ward.admin_code}-{2 if second else 1}",
                post_office_unit=f"Bưu điện thành phố Thủ Dầu Một – điểm phục vụ {ward}",
                phone=worker.phone,
                in_ward_since=since,
            )
        )
        made += 1
    PostalWorkerProfile.objects.bulk_create(profiles)
    return made


def _applicant(rng: random.Random, ward: Ward) -> dict:
    female = rng.random() < 0.55
    year = rng.randint(1955, 2004)
    middle = "Thị" if female else rng.choice(MIDDLE)
    century = (year // 100 - 19) * 2 + int(female)
    return {
        "applicant_name": f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}",
        "applicant_id_number": f"074{century}{year % 100:02d}{rng.randrange(10**6):06d}",
        "applicant_phone": f"09{rng.randrange(10**8):08d}",
        "applicant_address": f"{rng.randint(1, 300)} {rng.choice(STREETS)}, {ward}",
    }


def _out_of_list(ward, chief, worker, shifts, rng, now) -> int:
    """One dossier outside the list in each of the latest out-of-list shifts; those older than a
    week were reviewed by the chief the next day, the others await review."""
    unlisted = list(
        Procedure.objects.filter(active=True, postal_eligible=False, processing_days__isnull=False)
    )
    if not unlisted:
        return 0
    made = 0
    past = [
        s
        for s in shifts
        if s.task_type == TaskType.OUT_OF_LIST_INTAKE and local_moment(s.date, 15) <= now
    ]
    for shift in past[-OUT_OF_LIST_SHIFTS:]:
        moment = local_moment(shift.date, 14, rng.randint(0, 50))
        with clock.frozen_at(moment):
            dossier = dossier_receive(
                user=worker,
                procedure=rng.choice(unlisted),
                channel=1,
                counter=shift.counter,
                notes="Công chức phụ trách vắng; tiếp nhận theo phân công ngoài danh mục",
                **_applicant(rng, ward),
            ).dossier
        made += 1
        # Flagged by the intake rule (settings.INTAKE_RULES); reviewed when older than a week.
        if dossier.out_of_list and now - moment > dt.timedelta(days=7):
            with clock.frozen_at(moment + dt.timedelta(days=1)):
                out_of_list_review(
                    user=chief,
                    code=dossier.code,
                    comment="Đã kiểm tra thành phần hồ sơ, tiếp nhận đúng quy trình.",
                )
    return made


def _guidance(workers, shifts, counter, rng, now) -> int:
    procedures = {p.code: p for p in Procedure.objects.filter(active=True)}
    sessions = []
    for shift in shifts:
        if shift.task_type == TaskType.GUIDANCE:
            count = rng.randint(3, 8)
        elif shift.task_type == TaskType.INTAKE:
            count = rng.randint(0, 2)
        else:
            continue
        start = 7 * 60 + 15 if shift.shift == "morning" else 13 * 60 + 40
        for _ in range(count):
            minute = start + rng.randint(0, 200)
            moment = local_moment(shift.date, minute // 60, minute % 60)
            if moment > now:
                continue
            code, topic = rng.choice(GUIDANCE_TOPICS)
            sessions.append(
                GuidanceSession(
                    ward_id=shift.ward_id,
                    worker=shift.worker,
                    at=moment,
                    topic=topic,
                    outcome=rng.choices(["guided", "referred", "received"], [70, 15, 15])[0],
                    procedure=procedures.get(code),
                    counter=counter if shift.task_type == TaskType.INTAKE else None,
                )
            )
    GuidanceSession.objects.bulk_create(sessions)
    return len(sessions)


# The states paper dossiers are entered in, by weight: most were finished on paper.
PAPER_STATES = [
    (PaperState.RETURNED, 6),
    (PaperState.RESULT_READY, 2),
    (PaperState.PROCESSING, 1),
    (PaperState.RECEIVED, 1),
]
OPEN_PAPER = (PaperState.RECEIVED, PaperState.PROCESSING)


def _batches(ward, chief, worker, counter, rng, now) -> int:
    """A finished batch and one in progress, entered by the ward's second postal worker."""
    procedures = list(
        Procedure.objects.filter(active=True, processing_days__isnull=False).order_by("code")
    )
    if not procedures:
        return 0
    today = timezone.localdate(now)
    quarter_start = dt.date(today.year, ((today.month - 1) // 3) * 3 + 1, 1)
    previous = quarter_start - dt.timedelta(days=1)
    quarter = f"quý {(previous.month - 1) // 3 + 1}/{previous.year}"
    # title, paper count, opened (days ago), entered, closed
    plans = [(f"Hồ sơ giấy hộ tịch {quarter}", 20, 20, 8, False)]
    if ward.pilot_phase == Ward.PilotPhase.FIRST:
        plans.insert(0, (f"Hồ sơ giấy chứng thực {quarter}", 5, 35, 5, True))
    else:
        plans = [(f"Hồ sơ giấy hộ tịch {quarter}", 12, 15, 3, False)]
    made = 0
    number = 0
    for title, paper_count, opened_days_ago, entered, closed in plans:
        opened = local_moment(today - dt.timedelta(days=opened_days_ago), 8, 0)
        with clock.frozen_at(opened):
            batch = batch_create(
                user=chief,
                title=title,
                paper_count=paper_count,
                assigned_to=worker,
                due_date=(opened + dt.timedelta(days=30)).date(),
                note="Hồ sơ giấy lưu tại tủ hồ sơ bộ phận một cửa",
            )
        for n in range(entered):
            number += 1
            state = weighted_pick(rng, PAPER_STATES)
            # Papers still open were received shortly before the batch; finished ones earlier.
            days_before = rng.randint(1, 3) if state in OPEN_PAPER else rng.randint(20, 80)
            received = opened - dt.timedelta(days=days_before, hours=rng.randint(0, 5))
            received = received.replace(
                hour=rng.choice([8, 9, 10, 14, 15]), minute=rng.randint(0, 59)
            )
            resolved = returned = None
            if state not in OPEN_PAPER:
                resolved = min(
                    received + dt.timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 3)),
                    opened - dt.timedelta(hours=2),
                )
            if state == PaperState.RETURNED:
                returned = min(
                    resolved + dt.timedelta(days=rng.randint(0, 4), hours=1),
                    opened - dt.timedelta(hours=1),
                )
            entered_at = opened + dt.timedelta(days=n * opened_days_ago // (entered + 2), hours=2)
            with clock.frozen_at(min(entered_at, now)):
                data_entry_record(
                    user=worker,
                    batch_id=batch.pk,
                    original_receipt_number=f"{number:03d}/TN-{received.year}",
                    original_received_at=received,
                    procedure=rng.choice(procedures),
                    channel=1,
                    counter=counter,
                    paper_state=state,
                    paper_resolved_at=resolved,
                    paper_returned_at=returned,
                    **_applicant(rng, ward),
                )
            made += 1
        if closed:
            with clock.frozen_at(opened + dt.timedelta(days=12)):
                batch_close(user=chief, batch_id=batch.pk)
    return made
