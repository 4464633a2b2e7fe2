"""Demo data for intake: a year of dossiers in every ward, replayed through the services.

Every dossier is replayed through the services with the clock frozen at each step's moment, so
codes, appointments, events and timeliness are exactly what the counter would have written. Each
ward has its own random stream, so skipping a ward that already has dossiers leaves the others as
they would have been.
"""

import datetime as dt
import random
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo.seed.applicants import Applicant
from demo.seed.common import weighted_pick
from intake import services
from intake.lifecycle import Action
from intake.models import Channel, Dossier, Procedure, ReceiverKind
from intake.services import deadlines
from onestop import clock
from onestop.errors import NotAllowed
from onestop.models import Role, User
from wards import calendar
from wards.models import Counter, Ward

SEED = 20181201  # the pilot's first day

# Relative weights of the catalogue's procedures at a ward counter; unlisted ones weigh 0.3.
# Certified copies and civil status (birth, marital status, death) make most of the work.
PROCEDURE_WEIGHTS = {
    "2.000815": 30,  # chứng thực bản sao từ bản chính
    "1.001193": 14,  # đăng ký khai sinh
    "1.004873": 10,  # xác nhận tình trạng hôn nhân
    "2.000884": 8,  # chứng thực chữ ký
    "2.000635": 6,  # bản sao trích lục hộ tịch
    "1.000656": 5,  # đăng ký khai tử
    "1.000894": 4,  # đăng ký kết hôn
    "1.004859": 3,  # thay đổi, cải chính hộ tịch
    "2.001035": 3,  # chứng thực hợp đồng động sản
    "2.001023": 2,  # liên thông khai sinh – thẻ BHYT
    "2.000986": 1.5,  # liên thông khai sinh – thường trú – BHYT
    "1.001612": 2,  # thành lập hộ kinh doanh
    "2.000720": 1.5,  # thay đổi hộ kinh doanh
    "1.001022": 1,  # nhận cha, mẹ, con
    "1.004884": 1,  # đăng ký lại khai sinh
    "2.001406": 1,  # thỏa thuận phân chia di sản
}
PROCEDURE_WEIGHTS_BY_NAME = {
    "Đăng ký biến động": 2,
    "Cấp Phiếu lý lịch tư pháp": 2,
    "Cấp đổi Giấy chứng nhận": 1.5,
    "Cấp giấy phép xây dựng mới": 1.5,
    "Công nhận hộ nghèo": 1,
    "Tách thửa": 0.8,
}

SUPPLEMENT_NOTES = [
    "Bổ sung bản chính Căn cước công dân để đối chiếu.",
    "Bổ sung bản sao Giấy chứng nhận kết hôn của cha mẹ.",
    "Tờ khai thiếu chữ ký của người yêu cầu; đề nghị ký bổ sung.",
    "Bổ sung giấy xác nhận nơi cư trú.",
    "Bổ sung văn bản ủy quyền có chứng thực.",
]
COUNTER_REFUSALS = [
    "Không thuộc thẩm quyền giải quyết của UBND phường; đã hướng dẫn công dân nộp đúng nơi.",
    "Người yêu cầu không xuất trình được bản chính để đối chiếu.",
]
MERIT_REFUSALS = [
    "Không đủ điều kiện theo quy định sau khi xác minh.",
    "Nội dung yêu cầu không phù hợp với hồ sơ hộ tịch đang lưu.",
]
WITHDRAW_NOTES = [
    "Công dân xin rút hồ sơ để chuẩn bị lại giấy tờ.",
    "Công dân không còn nhu cầu giải quyết.",
]
APOLOGY_NOTES = [
    "Hồ sơ cần xác minh thêm tại cơ quan liên quan.",
    "Chờ ý kiến của cơ quan chuyên môn cấp trên.",
]
SATISFACTION = [(5, 55), (4, 30), (3, 10), (2, 4), (1, 1)]

# A postal worker refused a procedure (no grant yet) tries again after this long.
REFUSAL_REMEMBERED = dt.timedelta(days=7)
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)


class _WardReplay:
    """A year of one ward's counter, replayed through the services."""

    def __init__(self, ward, staff, counters, procedures, start, end):
        self.ward = ward
        self.rng = random.Random(f"{SEED}-{ward.admin_code}")
        self.postal_workers = staff.get(Role.POSTAL_WORKER, [])
        self.officers = staff[Role.OFFICER]
        self.chiefs = staff.get(Role.CHIEF, [])
        self.postal_counter = next((c for c in counters if c.kind == "postal"), None)
        self.officer_counters = [c for c in counters if c.kind == "officer"] or [None]
        self.procedures = procedures
        self.weights = [_weight(p) for p in procedures]
        self.end = end
        self.cal = services.calendar_for(ward.city_id)
        # A pilot ward sends most walk-in citizens to the post office's counter; the postal
        # workers take what the chief has granted them (postal.rules), and the grants widen over
        # the year, so about half of the year's intake ends up there.
        self.postal_share = (0.85 if ward.pilot_phase == 1 else 0.75) if ward.is_pilot else 0.0
        self.moments = self._receipt_moments(start, end)
        self.refused: dict[tuple[int, int], dt.datetime] = {}

    def _receipt_moments(self, start, end) -> list[dt.datetime]:
        days = []
        day = timezone.localtime(start).date()
        while day <= timezone.localtime(end).date():
            if self.cal.is_working_day(day):
                days.append(day)
            day += dt.timedelta(days=1)
        count = self.rng.randint(*dossiers_per_ward())
        moments = []
        while len(moments) < count:
            day = self.rng.choice(days)
            # Mornings are busier than afternoons.
            if self.rng.random() < 0.62:
                minute = self.rng.randrange(7 * 60 + 15, 11 * 60 + 15)
            else:
                minute = self.rng.randrange(13 * 60 + 35, 16 * 60 + 50)
            moment = timezone.make_aware(
                dt.datetime.combine(day, dt.time(minute // 60, minute % 60, self.rng.randrange(60)))
            )
            if start <= moment <= end:
                moments.append(moment)
        return sorted(moments)

    def after(self, moment, low_minutes, high_minutes) -> dt.datetime:
        """A working instant `low`–`high` working minutes after `moment`."""
        minutes = self.rng.uniform(low_minutes, high_minutes)
        return calendar.add_working_time(moment, minutes * MINUTE, self.cal)

    def decider(self):
        if self.chiefs and self.rng.random() < 0.2:
            return self.rng.choice(self.chiefs)
        return self.rng.choice(self.officers)

    def counter_staff(self, postal: bool):
        if postal and self.postal_workers:
            return self.rng.choice(self.postal_workers), self.postal_counter
        return self.rng.choice(self.officers), self.rng.choice(self.officer_counters)

    def run(self) -> None:
        for moment in self.moments:
            self.one(moment)

    def one(self, received: dt.datetime) -> None:
        rng = self.rng
        procedure = rng.choices(self.procedures, self.weights)[0]
        channel = weighted_pick(
            rng, [(Channel.DIRECT, 80), (Channel.ONLINE, 10), (Channel.POSTAL, 10)]
        )
        by_postal_worker = (
            channel != Channel.ONLINE
            and procedure.postal_eligible
            and rng.random() < self.postal_share
        )
        receiver, counter = self.counter_staff(by_postal_worker)
        applicant = Applicant(rng, self.ward)
        dossier = self.receive(receiver, counter, procedure, channel, applicant, received)
        receiver, counter = dossier.received_by, dossier.counter
        by_postal_worker = dossier.receiver_kind == ReceiverKind.POSTAL_WORKER
        fate = rng.random()
        # Refused at the counter before hand-over: wrong place, papers missing.
        if fate < 0.02:
            self.step(receiver, dossier, Action.REFUSE, self.after(received, 5, 30),
                      note=rng.choice(COUNTER_REFUSALS), counter=counter)  # fmt: skip
            return
        # Handed over within the hour, or with a batch in the next day or two (never for
        # same-day procedures, decided while the citizen waits or by the end of the day).
        # The last two days' batches are still at the desk: some dossiers stay "received".
        recent = calendar.working_time_between(received, self.end, self.cal) < 16 * HOUR
        if dossier.processing_days == 0 or rng.random() < (0.3 if recent else 0.6):
            moment = self.after(received, 5, 90)
        else:
            moment = self.after(received, 8 * 60, 16 * 60)
        transferrer = receiver if rng.random() < 0.8 else self.counter_staff(False)[0]
        if not self.step(transferrer, dossier, Action.TRANSFER, moment):
            return
        if fate < 0.035:
            self.step(self.decider(), dossier, Action.REFUSE, self.after(moment, 120, 1200),
                      note=rng.choice(MERIT_REFUSALS))  # fmt: skip
            return
        if fate < 0.05:
            self.step(self.counter_staff(by_postal_worker)[0], dossier, Action.WITHDRAW,
                      self.after(moment, 60, 1500), note=rng.choice(WITHDRAW_NOTES))  # fmt: skip
            return
        if fate < 0.06:
            return  # stuck with the resolving agency: overdue by now
        supplements = 0
        if rng.random() < 0.08:
            supplements = 2 if rng.random() < 0.15 else 1
        for _ in range(supplements):
            moment = self.after(moment, 60, 960)
            # Asked only within the window after receipt (intake.services.deadlines): a dossier
            # found incomplete later is processed as it is.
            if calendar.effective_day(moment, self.cal) > deadlines.supplement_last_day(
                dossier, self.cal
            ):
                break
            note = rng.choice(SUPPLEMENT_NOTES)
            if not self.step(self.decider(), dossier, Action.REQUEST_SUPPLEMENT, moment, note):
                return
            moment = self.after(moment, 120, 3200)
            bringer = self.counter_staff(by_postal_worker)
            if not self.step(bringer[0], dossier, Action.SUPPLEMENT, moment, counter=bringer[1]):
                return
            if rng.random() < 0.1:
                self.step(bringer[0], dossier, Action.WITHDRAW, self.after(moment, 30, 600),
                          note=rng.choice(WITHDRAW_NOTES))  # fmt: skip
                return
        resolved = self.resolution_moment(dossier, moment)
        if resolved > dossier.appointment_at and not supplements and rng.random() < 0.45:
            # The section saw it coming: an apology with a new date (Mẫu 04), before the date.
            # At the latest by the close of the edition's last day for it, one working day
            # before the appointment's day (intake.services.deadlines).
            last = calendar.closing_time(deadlines.apology_last_day(dossier, self.cal))
            apology = max(self.after(moment, 1, 5), self.before(last, rng.uniform(60, 480)))
            new_date = self.after(resolved, 240, 960)
            if apology <= last:
                self.step(self.decider(), dossier, Action.APOLOGISE, apology,
                          note=rng.choice(APOLOGY_NOTES), new_appointment_at=new_date)  # fmt: skip
        if not self.step(self.decider(), dossier, Action.RESOLVE, resolved):
            return
        if rng.random() < 0.03:
            return  # the citizen has not come back for the result yet
        collector = applicant.id_number
        note = ""
        if rng.random() < 0.08:
            other = Applicant(rng, self.ward)
            collector = other.id_number
            note = f"Nhận thay: {other.name}, có giấy ủy quyền."
        returner, counter = self.counter_staff(by_postal_worker or rng.random() < 0.3)
        satisfaction = weighted_pick(rng, SATISFACTION) if rng.random() < 0.85 else None
        # Same-day results are mostly collected the same afternoon.
        wait = (30, 240) if dossier.processing_days == 0 else (60, 2400)
        self.step(returner, dossier, Action.RETURN, self.after(resolved, *wait), note=note,
                  counter=counter, collector_id_number=collector,
                  satisfaction=satisfaction)  # fmt: skip

    def before(self, moment, minutes) -> dt.datetime:
        """A working instant roughly `minutes` working minutes before `moment`."""
        back = moment - dt.timedelta(minutes=minutes)
        return calendar.add_working_time(back, dt.timedelta(0), self.cal)

    def resolution_moment(self, dossier, since) -> dt.datetime:
        due = dossier.appointment_at
        roll = self.rng.random()
        if roll < 0.09:  # late: one to six working days after the date
            return self.after(due, 8 * 60, 6 * 8 * 60)
        span = calendar.working_time_between(since, max(since, due), self.cal) / MINUTE
        if span <= 30:
            return self.after(since, 10, 30)
        # Most results are ready close to the date; some well before it.
        share = self.rng.betavariate(4, 1.6)
        return self.after(since, max(10, span * share - 20), max(15, span * share))

    def receive(self, user, counter, procedure, channel, applicant, moment):
        kwargs = {
            "procedure": procedure,
            "channel": channel,
            "applicant_name": applicant.name,
            "applicant_id_number": applicant.id_number,
            "applicant_phone": applicant.phone,
            "applicant_address": applicant.address,
            "counter": counter,
        }
        with clock.frozen_at(moment):
            refused_at = self.refused.get((user.pk, procedure.pk))
            if refused_at is None or moment - refused_at > REFUSAL_REMEMBERED:
                try:
                    return services.dossier_receive(user=user, **kwargs).dossier
                except NotAllowed:
                    # An intake rule refused this worker (no grant for the procedure yet): as
                    # at the real counter, an officer receives it instead, and the counter
                    # does not ask again for a while.
                    if user.role != Role.POSTAL_WORKER:
                        raise
                    self.refused[(user.pk, procedure.pk)] = moment
            officer, desk = self.counter_staff(False)
            receipt = services.dossier_receive(user=officer, **(kwargs | {"counter": desk}))
            return receipt.dossier

    def step(self, user, dossier, action, moment, note="", counter=None, **details) -> bool:
        """Take the step at `moment` unless that is still in the future; True when taken."""
        if moment > self.end:
            return False
        with clock.frozen_at(moment):
            updated = services.dossier_step(
                user=user,
                code=dossier.code,
                action=action,
                note=note,
                details=services.StepInput(counter=counter, **details),
            )
        dossier.status = updated.status
        dossier.appointment_at = updated.appointment_at
        dossier.apology_appointment_at = updated.apology_appointment_at
        return True


def dossiers_per_ward() -> tuple[int, int]:
    """settings.DEMO_DOSSIERS_PER_WARD ("150-300") as (fewest, most)."""
    fewest, _, most = settings.DEMO_DOSSIERS_PER_WARD.partition("-")
    return int(fewest), int(most or fewest)


def _weight(procedure: Procedure) -> float:
    if procedure.code in PROCEDURE_WEIGHTS:
        return PROCEDURE_WEIGHTS[procedure.code]
    for prefix, weight in PROCEDURE_WEIGHTS_BY_NAME.items():
        if procedure.name.startswith(prefix):
            return weight
    return 0.3


def seed_dossiers(stdout=None) -> None:
    """About a year of dossiers in every ward that has none yet (150–300 each)."""
    procedures = list(
        Procedure.objects.filter(active=True, processing_days__isnull=False).order_by("code")
    )
    if not procedures:
        return
    end = clock.now()
    start = end - dt.timedelta(days=365)
    staff = defaultdict(lambda: defaultdict(list))
    for user in User.objects.filter(ward__isnull=False, is_active=True).select_related("ward"):
        staff[user.ward_id][user.role].append(user)
    counters = defaultdict(list)
    for counter in Counter.objects.filter(active=True).order_by("number"):
        counters[counter.ward_id].append(counter)
    busy = set(Dossier.objects.order_by().values_list("ward_id", flat=True).distinct())
    made = 0
    # With DEBUG on, Django logs every statement and, on SQLite, runs one more query per
    # statement to quote its parameters for that log: a third of the replay's time, for a log
    # nobody reads here.
    with services.calendars_cached(), override_settings(DEBUG=False):
        for ward in Ward.objects.filter(active=True).order_by("admin_code"):
            if ward.pk in busy or not staff[ward.pk][Role.OFFICER]:
                continue
            replay = _WardReplay(ward, staff[ward.pk], counters[ward.pk], procedures, start, end)
            # One transaction per ward: a few thousand small writes, committed once.
            with transaction.atomic():
                replay.run()
            made += len(replay.moments)
    if stdout:
        stdout.write(f"  {made} hồ sơ mới, {Dossier.objects.count()} hồ sơ tất cả")
