"""Demo data for the public postal service and digitisation, replayed through the services.

After the year of dossiers (demo.seed.dossiers.seed_dossiers) this step:

* loads each city's tariff from postal/data/postal_fees.csv (effective 01/12/2018);
* records the postal item that brought every channel-3 dossier, and scans its components;
* adds, in each ward, dossiers whose citizens asked for the result by post — about a quarter
  of the ward's results of the last two months in the pilot wards, fewer elsewhere — with
  addresses in Bình Dương and beyond, sent, handed to the courier, delivered, and some
  failed, brought back and re-sent;
* digitises their components (small generated PDFs).

Each step runs with `onestop.clock.frozen_at` at its own moment; steps that would fall after
now are left for the counter, so today's hand-over list and live deliveries exist. Idempotent:
a ward that already has outbound deliveries is skipped, and so is a dossier already recorded
or digitised.
"""

import datetime as dt
import random
from collections import defaultdict

from django.utils import timezone

from demo.seed.addresses import address_line, random_address, random_recipient
from demo.seed.common import weighted_pick
from demo.seed.scans import scan_components
from intake.lifecycle import Action
from intake.models import Channel, Dossier, Procedure, Status
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from onestop.errors import NotAllowed
from onestop.models import Role, User
from postal.deliveries.models import (
    Delivery,
    DeliveryDirection,
    DeliveryStatus,
    PostalTariff,
    s10_check_digit,
)
from postal.deliveries.services import (
    PILOT_TARIFF_FROM,
    AddressInput,
    delivery_advance,
    delivery_record_inbound,
    delivery_request_record,
    delivery_send,
    split_address,
    tariff_reference,
    tariff_set,
)
from wards import calendar
from wards.models import City, Ward
from wards.selectors import working_calendar

SEED = 20181212
# Results by post are replayed over the last two months: enough for the lists, the hand-over
# sheets and the monthly reports to show the pilot's share, while the step stays quick.
WINDOW = dt.timedelta(days=60)
MINUTE = dt.timedelta(minutes=1)


FAILURES = [
    "Người nhận vắng nhà, đã phát 2 lần.",
    "Địa chỉ không rõ số nhà, không liên lạc được qua điện thoại.",
    "Người nhận hẹn lại, quá thời hạn lưu bưu gửi.",
    "Người nhận từ chối nhận do chưa chuẩn bị tiền lệ phí thu hộ.",
]
SATISFACTION = [(5, 60), (4, 28), (3, 9), (2, 2), (1, 1)]


class _Waybills:
    """Unique S10 codes: EL for results (express letters), RR for dossiers sent in."""

    def __init__(self):
        self.used = set(Delivery.objects.values_list("waybill_code", flat=True))
        self.next = 41_000_000 + len(self.used) * 13

    def __call__(self, prefix: str) -> str:
        while True:
            self.next += 7
            serial = f"{self.next % 10**8:08d}"
            code = f"{prefix}{serial}{s10_check_digit(serial)}VN"
            if code not in self.used:
                self.used.add(code)
                return code


# --- the steps ---------------------------------------------------------------------------------


def seed_tariffs() -> int:
    values = tariff_reference()
    made = 0
    for city in City.objects.all():
        if not PostalTariff.objects.filter(city=city).exists():
            tariff_set(user=None, city=city, valid_from=PILOT_TARIFF_FROM, **values)
            made += 1
    return made


class _WardPost:
    """One ward's results by post over the past year, replayed through the services."""

    def __init__(self, ward: Ward, staff: dict, procedures: list, end: dt.datetime, waybills):
        self.ward = ward
        self.rng = random.Random(f"{SEED}-{ward.admin_code}")
        self.postal = staff.get(Role.POSTAL_WORKER) or staff[Role.OFFICER]
        self.officers = staff[Role.OFFICER]
        self.procedures = procedures
        self.end = end
        self.cal = working_calendar(city_id=ward.city_id)
        self.waybills = waybills
        self.stats = defaultdict(int)
        self.refused: set[tuple[int, int]] = set()

    def after(self, moment, low, high) -> dt.datetime:
        return calendar.add_working_time(moment, self.rng.uniform(low, high) * MINUTE, self.cal)

    def count(self) -> int:
        """Dossiers to add so that about a quarter of the window's results leave by post (pilot
        wards; fewer elsewhere)."""
        returned = Dossier.objects.filter(
            ward=self.ward, status=Status.RETURNED, returned_at__gte=self.end - WINDOW
        ).count()
        share = 0.28 if self.ward.is_pilot else 0.06
        return max(3, round(returned * share / (1 - share)))

    def moments(self, count: int) -> list[dt.datetime]:
        start = self.end - WINDOW
        found = []
        while len(found) < count:
            day = (start + dt.timedelta(days=self.rng.randrange(WINDOW.days + 1))).date()
            if not self.cal.is_working_day(day):
                continue
            minute = self.rng.choice(
                [
                    self.rng.randrange(7 * 60 + 20, 11 * 60),
                    self.rng.randrange(13 * 60 + 40, 16 * 60),
                ]
            )
            moment = timezone.make_aware(
                dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
            )
            if start <= moment < self.end:
                found.append(moment)
        return sorted(found)

    def run(self) -> None:
        for moment in self.moments(self.count()):
            self.one(moment)

    def _do(self, moment, fn, **kwargs):
        if moment > self.end:
            return None
        with clock.frozen_at(moment):
            return fn(**kwargs)

    def one(self, received: dt.datetime) -> None:
        rng = self.rng
        procedure = rng.choice(self.procedures)
        name, phone = random_recipient(rng)
        home = random_address(rng, self.ward)
        by_post_in = rng.random() < 0.3
        officer = rng.choice(self.officers)
        worker = rng.choice(self.postal)
        with clock.frozen_at(received):
            kwargs = {
                "procedure": procedure,
                "channel": Channel.POSTAL if by_post_in else Channel.DIRECT,
                "applicant_name": name,
                "applicant_id_number": f"074{rng.choice('0123')}{rng.randrange(10**8):08d}",
                "applicant_phone": phone,
                "applicant_address": address_line(home),
            }
            dossier = None
            if (worker.pk, procedure.pk) not in self.refused:
                try:
                    dossier = dossier_receive(user=worker, **kwargs).dossier
                except NotAllowed:  # not authorised for it: an officer receives, as next time
                    self.refused.add((worker.pk, procedure.pk))
            if dossier is None:
                dossier = dossier_receive(user=officer, **kwargs).dossier
        receiver = dossier.received_by
        address = AddressInput(recipient_name=name, recipient_phone=phone, **home)
        self.stats["dossiers"] += 1
        moment = self.after(received, 3, 20)
        if by_post_in:
            self._do(
                moment,
                delivery_record_inbound,
                user=receiver,
                code=dossier.code,
                address=address,
                waybill_code=self.waybills("RR"),
                collects_fee=bool(dossier.fee) and rng.random() < 0.5,
            )
            self.stats["inbound"] += 1
        else:
            self._do(
                moment,
                delivery_request_record,
                user=receiver,
                code=dossier.code,
                address=address,
                collects_fee=bool(dossier.fee) and rng.random() < 0.4,
            )
        scan_at = self.after(moment, 1, 10)
        if rng.random() < 0.6 and scan_at <= self.end:
            self.stats["scanned"] += scan_components(dossier, receiver, scan_at)
        moment = self.after(moment, 20, 120)
        if not self._step(officer, dossier, Action.TRANSFER, moment):
            return
        due = dossier.appointment_at
        if rng.random() < 0.08:
            resolved = self.after(due, 60, 2 * 8 * 60)  # late
        else:
            # Most results are ready on the last day or a little before it.
            target = due - dt.timedelta(minutes=rng.uniform(0, 8 * 60))
            resolved = max(
                self.after(moment, 30, 90),
                calendar.add_working_time(target, dt.timedelta(0), self.cal),
            )
        if not self._step(officer, dossier, Action.RESOLVE, resolved):
            return
        self.send(dossier, address, self.after(resolved, 15, 180), attempt=1)

    def _step(self, user, dossier, action, moment, **details) -> bool:
        if moment > self.end:
            return False
        with clock.frozen_at(moment):
            dossier_step(user=user, code=dossier.code, action=action, details=StepInput(**details))
        return True

    def send(self, dossier, address, moment, attempt: int) -> None:
        rng = self.rng
        worker = rng.choice(self.postal)
        request = getattr(dossier, "delivery_request", None)
        collects = bool(request and request.is_active and request.collects_fee)
        delivery = self._do(
            moment,
            delivery_send,
            user=worker,
            code=dossier.code,
            address=address,
            waybill_code=self.waybills("EL"),
            collects_fee=collects,
        )
        if delivery is None:
            return
        self.stats["sent"] += 1
        # The courier collects the day's results in the late afternoon.
        local = timezone.localtime(moment)
        pickup = timezone.make_aware(dt.datetime.combine(local.date(), dt.time(16, 30)))
        if pickup <= moment:
            pickup = calendar.add_working_time(pickup, 8 * 60 * MINUTE, self.cal)
        steps = [(pickup, DeliveryStatus.HANDED_TO_POST, "")]
        out = self.after(pickup, 60, 240)
        steps.append((out, DeliveryStatus.IN_TRANSIT, ""))
        fails = rng.random() < (0.09 if attempt == 1 else 0.02)
        if fails:
            failed = self.after(out, 60, 600)
            steps.append((failed, DeliveryStatus.FAILED, rng.choice(FAILURES)))
            steps.append((self.after(failed, 120, 960), DeliveryStatus.RETURNED_TO_COUNTER, ""))
        else:
            steps.append((self.after(out, 60, 480), DeliveryStatus.DELIVERED, ""))
        for at, to, reason in steps:
            if at > self.end:
                return
            with clock.frozen_at(at):
                delivery_advance(
                    user=worker,
                    delivery_id=delivery.pk,
                    to=to,
                    reason=reason,
                    satisfaction=weighted_pick(rng, SATISFACTION)
                    if to == DeliveryStatus.DELIVERED
                    else None,
                )
            self.stats[to] += 1
        if fails and attempt == 1:
            # The counter phoned the citizen and sends the result again.
            self.send(dossier, address, self.after(steps[-1][0], 60, 600), attempt=2)


def seed_inbound(end: dt.datetime, waybills) -> tuple[int, int]:
    """The postal item of every channel-3 dossier that has none, and its scanned components."""
    rng = random.Random(f"{SEED}-inbound")
    dossiers = (
        Dossier.objects.filter(channel=Channel.POSTAL)
        .exclude(deliveries__direction=DeliveryDirection.INBOUND)
        .select_related("ward__city", "received_by")
        .order_by("received_at", "id")
    )
    recorded = scanned = 0
    for dossier in dossiers:
        moment = min(dossier.received_at + dt.timedelta(minutes=rng.randint(2, 15)), end)
        if rng.random() < 0.8:
            # Most people send from the address they wrote on the form.
            home = split_address(
                dossier.applicant_address, city=dossier.ward.city, ward=dossier.ward
            )
        else:
            home = random_address(rng, dossier.ward)
        address = AddressInput(
            recipient_name=dossier.applicant_name,
            recipient_phone=dossier.applicant_phone or random_recipient(rng)[1],
            **home,
        )
        with clock.frozen_at(moment):
            delivery_record_inbound(
                user=dossier.received_by,
                code=dossier.code,
                address=address,
                waybill_code=waybills("RR"),
                collects_fee=False,
            )
        recorded += 1
        scan_at = moment + dt.timedelta(minutes=5)
        if scan_at <= end and not dossier.files.exists() and rng.random() < 0.5:
            scanned += scan_components(dossier, dossier.received_by, scan_at, 2)
    return recorded, scanned


def seed(stdout=None) -> None:
    end = clock.now()
    tariffs = seed_tariffs()
    waybills = _Waybills()
    inbound, scanned = seed_inbound(end, waybills)
    procedures = list(
        Procedure.objects.filter(
            active=True, postal_eligible=True, processing_days__isnull=False
        ).order_by("code")
    )
    staff = defaultdict(lambda: defaultdict(list))
    for user in User.objects.filter(ward__isnull=False, is_active=True).order_by("username"):
        staff[user.ward_id][user.role].append(user)
    sent_before = set(
        Delivery.objects.filter(direction=DeliveryDirection.OUTBOUND)
        .values_list("ward_id", flat=True)
        .distinct()
    )
    totals = defaultdict(int)
    if procedures:
        for ward in Ward.objects.filter(active=True).select_related("city").order_by("admin_code"):
            if ward.pk in sent_before or not staff[ward.pk][Role.OFFICER]:
                continue
            replay = _WardPost(ward, staff[ward.pk], procedures, end, waybills)
            replay.run()
            for key, value in replay.stats.items():
                totals[key] += value
    if stdout:
        stdout.write(
            f"  {tariffs} bảng cước; {inbound} bưu gửi đến, {scanned} tệp số hóa; "
            f"{totals['dossiers']} hồ sơ trả kết quả qua bưu điện: {totals['sent']} lần gửi, "
            f"{totals[DeliveryStatus.DELIVERED]} đã phát, {totals[DeliveryStatus.FAILED]} phát "
            f"không thành công, {totals['scanned']} tệp số hóa"
        )
