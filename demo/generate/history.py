"""One chunk of a run: each dossier as a `Draft`, its history stepped along the lifecycle
table from the chunk's own seed, written as COPY text lines or model instances."""

import bisect
import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from random import Random

from demo.generate.clock import DAY, HOUR, NOON, aware, aware_or_none
from demo.generate.plan import (
    APPLICANT,
    DIRECT,
    FAMILY,
    FOLDED,
    GIVEN,
    MIDDLE,
    MOBILE_PREFIXES,
    OFFICER,
    ONLINE,
    OTHER_PROVINCES,
    POST_OFFICE,
    POSTAL,
    POSTAL_WORKER,
    SATISFACTION,
    STREETS,
    WARD_BITS,
    Plan,
    WardPlan,
)
from demo.generate.writers import NULL
from intake.editions import Edition, edition_on
from intake.models import Dossier, ReturnMethod, Status


@functools.lru_cache(maxsize=8192)
def _edition(ordinal: int) -> Edition:
    """The edition governing a dossier received on the local day `ordinal` (intake.editions)."""
    return edition_on(dt.date.fromordinal(ordinal))


@dataclass
class Stats:
    dossiers: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    late: int = 0
    resolved: int = 0
    deliveries: int = 0
    assignments: int = 0

    def add(self, other: "Stats") -> None:
        self.dossiers += other.dossiers
        self.events += other.events
        for status, number in other.by_status.items():
            self.by_status[status] += number
        self.late += other.late
        self.resolved += other.resolved
        self.deliveries += other.deliveries
        self.assignments += other.assignments


@dataclass
class ChunkResult:
    index: int
    count: int
    stats: Stats
    tables: dict[str, bytes | list]  # table → COPY text (UTF-8) or model instances


class Draft:
    """One dossier while its history is generated; parts read it and add steps to it."""

    __slots__ = (
        "address",
        "agency",
        "apology_at",
        "appointment_at",
        "channel",
        "chunk",
        "code",
        "counter",
        "events",
        "name",
        "national",
        "paused_seconds",
        "paused_since",
        "phone",
        "pk",
        "procedure",
        "received_at",
        "receiver",
        "resolved_at",
        "return_method",
        "returned_at",
        "returned_by",
        "satisfaction",
        "status",
        "street",
        "supplement_count",
        "timeliness",
        "updated_at",
        "ward",
    )  # fmt: skip

    def step(self, at, action, actor, note="", counter=None, units=("", ""), new_date=None):
        """Append the event of `action` (a lifecycle edge from the current status) and move."""
        to, national = self.chunk.plan.edges[(self.status, action)]
        chunk = self.chunk
        if chunk.text:
            plan = chunk.plan
            chunk.events.append(
                f"{self.pk}\t{plan.day_text[at // DAY]}{plan.time_text[at % DAY]}\t{actor[0]}\t"
                f"{actor[1]}\t{action}\t{self.status}\t{to}\t{note}\t"
                f"{NULL if counter is None else counter}\t{units[0]}\t{units[1]}\t"
                f"{NULL if new_date is None else plan.ts(new_date)}\t\n"
            )
        else:
            chunk.events.append(
                (self.pk, at, actor[0], actor[1], action, self.status, to, note, counter,
                 units[0], units[1], new_date)
            )  # fmt: skip
        self.events += 1
        self.status = to
        self.national = national
        self.updated_at = at

    def returned(self, at: int, by: tuple[int, str], method: str, satisfaction: int | None):
        self.returned_at = at
        self.returned_by = by[0]
        self.return_method = method
        self.satisfaction = satisfaction


class Chunk:
    """Dossiers [index × size, …) of the plan, generated from the chunk's own seed."""

    def __init__(self, plan: Plan, index: int):
        self.plan = plan
        self.index = index
        self.rng = Random(f"onestop-generator:{plan.seed}:{index}")
        self.random = self.rng.random
        self.text = plan.text
        self.dossiers: list = []
        self.events: list = []
        self.tables: dict[str, list] = {t.name: [] for p in plan.parts for t in p.tables}
        self.stats = Stats()

    def ts(self, seconds: int) -> str:
        return self.plan.ts(seconds)

    def pick(self, items: list):
        return items[int(self.random() * len(items))]

    def uniform(self, low: float, high: float) -> float:
        return low + (high - low) * self.random()

    def later(self, start: int, ward: WardPlan, low_hours: float, high_hours: float) -> int:
        """A moment some working hours (drawn between low and high) after `start`."""
        hours = low_hours + (high_hours - low_hours) * self.random()
        return ward.clock.add(start, int(hours * HOUR))

    def satisfaction(self) -> int | None:
        values, cumulative = SATISFACTION
        rating = values[bisect.bisect(cumulative, self.random() * 100)]
        return rating if self.random() < 0.8 else None

    def run(self) -> ChunkResult:
        plan = self.plan
        start = self.index * plan.chunk
        stop = min(start + plan.chunk, plan.count)
        mask = (1 << WARD_BITS) - 1
        for offset in range(start, stop):
            receipt = plan.receipts[offset]
            self._dossier(
                plan.first_id + offset, receipt >> WARD_BITS, plan.wards[receipt & mask],
                plan.numbers[offset],
            )  # fmt: skip
        tables: dict[str, bytes | list] = {
            "intake_dossier": self.dossiers,
            "intake_dossierevent": self.events,
        }
        tables.update(self.tables)
        if self.text:
            tables = {name: "".join(lines).encode() for name, lines in tables.items()}
        return ChunkResult(self.index, stop - start, self.stats, tables)

    def _dossier(self, pk: int, received_at: int, ward: WardPlan, number: int) -> None:
        plan, r = self.plan, self.random
        clock, now = ward.clock, plan.now
        day = received_at // DAY
        code = f"{ward.prefix}-{plan.yymmdd[day]}-{number:04d}"
        p = bisect.bisect(plan.procedure_weights, r() * plan.procedure_weights[-1])
        procedure = plan.procedures[p]
        pilot = ward.is_pilot and (ward.pilot_start is None or day >= ward.pilot_start)
        by_postal = pilot and ward.postal_workers and r() < 0.5
        if by_postal and ward.rostered:
            # The worker the roster put on intake in that shift; nobody, and an officer receives.
            receiver = plan.on_duty.get((ward.id, day, 0 if received_at % DAY < NOON else 1))
            by_postal = receiver is not None
        elif by_postal:
            receiver = self.pick(ward.postal_workers)
        if by_postal:
            counter = ward.postal_counter
        else:
            receiver, counter = self.pick(ward.officers), ward.officer_counter
        officer = self.pick(ward.officers)
        roll = r()
        channel = DIRECT if roll < 0.8 else ONLINE if roll < 0.9 else POSTAL

        family, middle, given = self.pick(FAMILY), self.pick(MIDDLE), self.pick(GIVEN)
        name = f"{family} {middle} {given}"
        birth_year = 1950 + int(r() * 57)
        century_digit = (0 if birth_year < 2000 else 2) + (r() < 0.5)
        province = "074" if r() < 0.7 else self.pick(OTHER_PROVINCES)
        id_number = f"{province}{century_digit}{birth_year % 100:02d}{int(r() * 10**6):06d}"
        phone = f"{self.pick(MOBILE_PREFIXES)}{int(r() * 10**7):07d}"
        street = f"{1 + int(r() * 250)} {self.pick(STREETS)}"

        d = Draft()
        d.chunk, d.pk, d.code, d.ward, d.procedure = self, pk, code, ward, procedure
        d.received_at, d.receiver, d.counter, d.channel = received_at, receiver, counter, channel
        d.name, d.phone, d.street = name, phone, street
        d.address = f"{street}, {ward.address_suffix}"
        d.appointment_at = appointment = clock.term(received_at, procedure.days, procedure.unit)
        d.status, d.national, d.updated_at = Status.RECEIVED.value, 2, received_at
        d.resolved_at = d.returned_at = d.returned_by = d.satisfaction = None
        d.paused_since = d.apology_at = None
        d.timeliness = d.return_method = ""
        d.supplement_count = d.paused_seconds = 0
        d.agency = agency = procedure.agency or ward.agency
        d.events = 1
        desk = ward.desk(received_at)
        if self.text:
            self.events.append(
                f"{pk}\t{plan.ts(received_at)}\t{receiver[0]}\t{receiver[1]}\treceive\t\t"
                f"received\t\t{NULL if counter is None else counter}\t{name}\t{desk}\t"
                f"{plan.ts(appointment)}\t\n"
            )
        else:
            self.events.append(
                (pk, received_at, receiver[0], receiver[1], "receive", "", "received", "",
                 counter, name, desk, appointment)
            )  # fmt: skip
        for part in plan.parts:
            part.received(d)
        self._history(d, receiver, officer, desk, agency, clock, now)
        self._finish(d, p, family, middle, given, id_number)

    def _history(self, d: Draft, receiver, officer, desk, agency, clock, now) -> None:
        r, ward = self.random, d.ward
        received_at = d.received_at
        fate = r()
        transfer_at = self.later(received_at, ward, 0.2, 3)
        if fate < 0.02 or transfer_at >= now:
            if fate < 0.02 and transfer_at < now:
                d.step(transfer_at, "withdraw", receiver, "Công dân xin rút hồ sơ")
            return
        if fate < 0.035:
            d.step(transfer_at, "refuse", receiver, "Hồ sơ không thuộc thẩm quyền của phường")
            return
        d.step(transfer_at, "transfer", receiver, units=(desk, agency))
        # How long processing takes, as a share of the allowed time: about a tenth run late.
        allowed = clock.between(received_at, d.appointment_at)
        if r() < 0.10:
            resolve_at = self.later(d.appointment_at, ward, 8, 40)
        else:
            resolve_at = clock.add(received_at, int(allowed * self.uniform(0.35, 0.98)))
        resolve_at = max(resolve_at, clock.add(transfer_at, HOUR // 2))
        supplements = 1 if r() < 0.06 else 2 if r() < 0.01 else 0
        moment = transfer_at
        # The services' deadline rules (intake.services.deadlines), on the clock's day indexes:
        # a supplement is asked by 17:00 of the window's last working day after receipt; on
        # completion the term restarts in full; an apology comes by 17:00 of the working day(s)
        # before the appointment's day.
        edition = _edition(received_at // DAY)
        procedure = d.procedure
        window = (
            edition.supplement_window_working_days
            if procedure.window is None
            else (procedure.window)
        )
        last_request = clock.working_day_index(received_at) + window
        for _ in range(supplements):
            asked = self.later(moment, ward, 1, 6)
            if asked >= min(resolve_at, now) or clock.working_day_index(asked) > last_request:
                break
            d.step(asked, "request_supplement", officer, "Bổ sung bản sao giấy tờ tùy thân",
                   units=(agency, APPLICANT))  # fmt: skip
            d.supplement_count += 1
            back = self.later(asked, ward, 4, 24)
            if back >= now:
                d.paused_since = asked
                return
            d.paused_seconds += clock.between(asked, back)
            d.appointment_at = clock.term(back, procedure.days, procedure.unit)
            # Processing takes its share of the restarted term, as it did of the first.
            if r() < 0.10:
                resolve_at = self.later(d.appointment_at, ward, 8, 40)
            else:
                allowed = clock.between(back, d.appointment_at)
                resolve_at = clock.add(back, int(allowed * self.uniform(0.35, 0.98)))
            resolve_at = max(resolve_at, clock.add(back, HOUR // 2))
            d.step(back, "supplement", receiver, units=(APPLICANT, agency),
                   new_date=d.appointment_at)  # fmt: skip
            moment = back
        if fate < 0.045 and moment < now:
            refuse_at = clock.add(moment, HOUR)
            if refuse_at < now:
                d.step(refuse_at, "refuse", officer, "Không đủ điều kiện giải quyết")
                return
        if resolve_at > d.appointment_at and r() < 0.2:
            apology_at = self.later(moment, ward, 0.5, 4)
            last_apology = (
                clock.working_day_index(d.appointment_at)
                - edition.apology_latest_working_days_before_due
            )
            if (
                apology_at < min(d.appointment_at, resolve_at, now)
                and clock.working_day_index(apology_at) <= last_apology
            ):
                new_date = self.later(resolve_at, ward, 0, 8)
                if new_date > d.appointment_at:
                    d.apology_at = new_date
                    d.step(apology_at, "apologise", officer, "Cần xác minh thêm",
                           new_date=new_date)  # fmt: skip
        if resolve_at >= now:
            return
        d.step(resolve_at, "resolve", officer, units=(agency, desk))
        d.resolved_at = resolve_at
        d.timeliness = (
            "late" if d.supplement_count > 1 else clock.timeliness(resolve_at, d.appointment_at)
        )
        returner = self.pick(ward.postal_workers or ward.officers)
        by_post = r() < 0.25
        handover_at = self.later(resolve_at, ward, 0.5, 30)
        if handover_at >= now or r() < 0.01:
            return
        if by_post:
            for part in self.plan.parts:
                if part.send_by_post(d, handover_at, returner):
                    return
            d.step(handover_at, "send_by_post", returner, units=(desk, POST_OFFICE))
            delivered_at = self.later(handover_at, ward, 4, 24)
            if delivered_at >= now:
                return
            d.step(delivered_at, "delivered", returner, units=(POST_OFFICE, APPLICANT))
            d.returned(delivered_at, returner, ReturnMethod.POST.value, self.satisfaction())
        else:
            d.step(handover_at, "return", returner, counter=d.counter, units=(desk, APPLICANT))
            d.returned(handover_at, returner, ReturnMethod.COUNTER.value, self.satisfaction())

    def _finish(self, d: Draft, p: int, family, middle, given, id_number) -> None:
        plan, stats = self.plan, self.stats
        stats.dossiers += 1
        stats.events += d.events
        stats.by_status[d.status] += 1
        if d.timeliness:
            stats.resolved += 1
            stats.late += d.timeliness == "late"
        search = f"{FOLDED[family]} {FOLDED[middle]} {FOLDED[given]}"
        kind = POSTAL_WORKER if d.receiver[1] == POSTAL_WORKER else OFFICER
        pin_hash = plan.pins(d.code)
        constants = plan.constants[(d.ward.index, p)]
        if not self.text:
            self.dossiers.append(
                Dossier(
                    id=d.pk, code=d.code, **constants, counter_id=d.counter,
                    received_by_id=d.receiver[0], receiver_kind=kind, channel=d.channel,
                    applicant_name=d.name, applicant_name_search=search,
                    applicant_id_number=id_number, applicant_phone=d.phone,
                    applicant_address=d.address, received_at=aware(d.received_at),
                    appointment_at=aware(d.appointment_at),
                    apology_appointment_at=aware_or_none(d.apology_at), status=d.status,
                    national_status=d.national, resolved_at=aware_or_none(d.resolved_at),
                    timeliness=d.timeliness, returned_at=aware_or_none(d.returned_at),
                    returned_by_id=d.returned_by, return_method=d.return_method,
                    supplement_count=d.supplement_count,
                    paused_since=aware_or_none(d.paused_since),
                    paused_seconds=d.paused_seconds, satisfaction=d.satisfaction,
                    lookup_pin_hash=pin_hash, updated_at=aware(d.updated_at),
                )
            )  # fmt: skip
            return
        ts, days, times = plan.ts, plan.day_text, plan.time_text
        received, appointment, updated = d.received_at, d.appointment_at, d.updated_at
        self.dossiers.append(
            f"{d.pk}\t{d.code}\t{constants}\t{NULL if d.counter is None else d.counter}\t"
            f"{d.receiver[0]}\t{kind}\t{d.channel}\t{d.name}\t{search}\t{id_number}\t"
            f"{d.phone}\t{d.address}\t{days[received // DAY]}{times[received % DAY]}\t"
            f"{days[appointment // DAY]}{times[appointment % DAY]}\t"
            f"{NULL if d.apology_at is None else ts(d.apology_at)}\t{d.status}\t{d.national}\t"
            f"{NULL if d.resolved_at is None else ts(d.resolved_at)}\t{d.timeliness}\t"
            f"{NULL if d.returned_at is None else ts(d.returned_at)}\t"
            f"{NULL if d.returned_by is None else d.returned_by}\t{d.return_method}\t"
            f"{d.supplement_count}\t{NULL if d.paused_since is None else ts(d.paused_since)}\t"
            f"{d.paused_seconds}\t{NULL if d.satisfaction is None else d.satisfaction}\t"
            f"{pin_hash}\t{days[updated // DAY]}{times[updated % DAY]}\n"
        )
