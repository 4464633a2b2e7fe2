"""A large, realistic history of dossiers for measuring onestop at the scale of a city.

The generator writes rows directly (PostgreSQL COPY, or bulk inserts on SQLite) instead of
calling the services one dossier at a time, but it follows the same calendar arithmetic and the
same lifecycle table, so what it writes is what the counter would have written: codes numbered
per ward and day in order of receipt, appointments from working hours, events coherent with the
final status.

How a million dossiers fit in minutes on two cores:

* Receipt times and codes are drawn first, in one pass; the dossiers themselves are generated in
  chunks, each from its own seed (the run's seed and the chunk's number), so chunks can be built
  in parallel processes and a run is the same for a given seed whatever the number of processes.
* Times are whole seconds of local wall-clock time (Asia/Ho_Chi_Minh has kept UTC+7 since
  1975), and working-time arithmetic runs on a table of the city's working days built from
  `wards.calendar` (`WorkingClock`; the tests compare the two).
* On PostgreSQL the rows go in by COPY in text format. A load that is large for the tables
  drops their non-unique indexes and rebuilds them from their own definitions afterwards, and
  when it can be shown to be safe, the load skips the per-row foreign-key triggers (see
  `_CopyWriter`).

Other apps add their share of the history (postal: deliveries by post, the roster) by
registering a `GeneratorPart` when they are ready, so intake imports nothing above it.
"""

import bisect
import datetime as dt
import hashlib
import hmac
import io
import json
import multiprocessing
import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from random import Random

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from intake import figures
from intake.lifecycle import TRANSITIONS
from intake.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierSequence,
    Procedure,
    ReceiverKind,
    ReturnMethod,
    Status,
)
from intake.services import lookup_pin_digest
from onestop.models import Role, User
from onestop.text import fold
from wards import calendar
from wards.models import Counter, Ward
from wards.selectors import working_calendar

# Relative demand at a ward counter: civil status and certified copies dominate.
DEMAND = {
    "2.000815": 30,  # chứng thực bản sao
    "1.001193": 18,  # khai sinh
    "1.004873": 10,  # xác nhận tình trạng hôn nhân
    "2.000884": 8,  # chứng thực chữ ký
    "2.000635": 6,  # trích lục hộ tịch
    "1.000656": 5,  # khai tử
    "1.000894": 4,  # kết hôn
}
OTHER_DEMAND = 1

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng",
    "Đỗ", "Ngô", "Hồ", "Dương", "Lý",
]  # fmt: skip
MIDDLE = [
    "Thị", "Văn", "Ngọc", "Minh", "Thanh", "Hữu", "Thu", "Quốc", "Mỹ", "Đức", "Kim", "Hoài",
    "Gia", "Bảo",
]  # fmt: skip
GIVEN = [
    "Anh", "Bình", "Châu", "Dung", "Hà", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan", "Linh",
    "Long", "Mai", "Nam", "Ngân", "Nhung", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Thắng", "Trang", "Tuấn", "Uyên", "Vy", "Xuân", "Yến", "Đạt", "Khoa", "Lộc", "Nhi", "Tùng",
    "Vân",
]  # fmt: skip
STREETS = [
    "Yersin", "Cách Mạng Tháng Tám", "Đại lộ Bình Dương", "Lê Hồng Phong", "Phú Lợi",
    "Huỳnh Văn Lũy", "Nguyễn Văn Tiết", "Bạch Đằng", "Ngô Quyền", "Trần Văn Ơn",
    "Lý Thường Kiệt", "Hai Bà Trưng", "Nguyễn Thái Học", "Phạm Ngọc Thạch", "Lê Thị Trung",
    "Hoàng Hoa Thám", "Nguyễn Tri Phương",
]  # fmt: skip
MOBILE_PREFIXES = [
    "090", "091", "093", "094", "096", "097", "098", "086", "032", "035", "070", "077",
]  # fmt: skip
OTHER_PROVINCES = ["079", "075", "070", "072", "038"]
# Folded once: a name's search column is its folded words joined, as fold() would give.
FOLDED = {word: fold(word) for word in FAMILY + MIDDLE + GIVEN}

# Minutes of the day in which citizens come to the counter.
MORNING = (7 * 60, 11 * 60 + 30)
AFTERNOON = (13 * 60 + 30, 17 * 60)

DIRECT, ONLINE, POSTAL = int(Channel.DIRECT), int(Channel.ONLINE), int(Channel.POSTAL)
POSTAL_WORKER = ReceiverKind.POSTAL_WORKER.value
OFFICER = ReceiverKind.OFFICER.value
APPLICANT = "Người nộp hồ sơ"
POST_OFFICE = "Bưu điện"
SATISFACTION = ([5, 4, 3, 2, 1], [45, 83, 95, 99, 100])  # values, cumulative weights

# --- local time in whole seconds ---------------------------------------------------------------

DAY = 86_400
HOUR = 3_600
UTC_OFFSET = 7 * HOUR
_OPEN = 7 * HOUR
_MORNING_END = 11 * HOUR + 1_800
_AFTERNOON_START = 13 * HOUR + 1_800
_CLOSE = 17 * HOUR
_SAME_DAY_CUTOFF = 15 * HOUR
_MORNING_LENGTH = _MORNING_END - _OPEN
WORKING_DAY = _MORNING_LENGTH + _CLOSE - _AFTERNOON_START
_NOON = 12 * HOUR


def local_seconds(moment: dt.datetime) -> int:
    """An aware datetime as whole seconds of Vietnam wall-clock time (ordinal × 86400 + second
    of the day), rounded down."""
    local = moment.astimezone(calendar.VIETNAM_TZ)
    return local.toordinal() * DAY + local.hour * HOUR + local.minute * 60 + local.second


def aware(seconds: int) -> dt.datetime:
    """The aware datetime (Asia/Ho_Chi_Minh) of local seconds."""
    day = dt.date.fromordinal(seconds // DAY)
    rest = seconds % DAY
    return dt.datetime(
        day.year, day.month, day.day, rest // HOUR, rest // 60 % 60, rest % 60,
        tzinfo=calendar.VIETNAM_TZ,
    )  # fmt: skip


def _worked_by(time_of_day: int) -> int:
    if time_of_day <= _OPEN:
        return 0
    if time_of_day <= _MORNING_END:
        return time_of_day - _OPEN
    if time_of_day <= _AFTERNOON_START:
        return _MORNING_LENGTH
    if time_of_day <= _CLOSE:
        return _MORNING_LENGTH + time_of_day - _AFTERNOON_START
    return WORKING_DAY


class WorkingClock:
    """`wards.calendar`'s working-time arithmetic for one city, on local seconds.

    The same conventions (effective start, whole days keep the wall-clock time, a remainder
    ending at 11:30 or 17:00 stays there, same-day procedures after 15:00 are due the next
    working day), computed from a table of the city's working days between `first` and `last`
    instead of datetimes: a bulk generator asks millions of times.
    """

    def __init__(self, cal: calendar.WorkingCalendar, first: dt.date, last: dt.date):
        self.base = first.toordinal()
        length = last.toordinal() - self.base + 1
        self.working = [cal.is_working_day(first + dt.timedelta(days=i)) for i in range(length)]
        # rank[i]: working days before day i; days[rank[i]] is day i itself when it works,
        # otherwise the first working day after it.
        self.rank = [0] * (length + 1)
        self.days: list[int] = []
        for i, works in enumerate(self.working):
            self.rank[i] = len(self.days)
            if works:
                self.days.append(self.base + i)
        self.rank[length] = len(self.days)

    def _start(self, seconds: int) -> tuple[int, int]:
        """(index in days, time of day) from which an instant starts counting."""
        i = seconds // DAY - self.base
        time_of_day = seconds % DAY
        if self.working[i]:
            if time_of_day <= _OPEN:
                return self.rank[i], _OPEN
            if time_of_day <= _MORNING_END:
                return self.rank[i], time_of_day
            if time_of_day < _AFTERNOON_START:
                return self.rank[i], _AFTERNOON_START
            if time_of_day <= _CLOSE:
                return self.rank[i], time_of_day
        return self.rank[i + 1], _OPEN

    def is_working_day(self, ordinal: int) -> bool:
        return self.working[ordinal - self.base]

    def add(self, start: int, seconds: int) -> int:
        """calendar.add_working_time(start, seconds)."""
        k, time_of_day = self._start(start)
        whole, rest = divmod(seconds, WORKING_DAY)
        k += whole
        if rest:
            worked = _worked_by(time_of_day) + rest
            if worked > WORKING_DAY:
                k += 1
                worked -= WORKING_DAY
            if worked <= _MORNING_LENGTH:
                time_of_day = _OPEN + worked
            else:
                time_of_day = _AFTERNOON_START + worked - _MORNING_LENGTH
        return self.days[k] * DAY + time_of_day

    def appointment(self, received: int, processing_days: int) -> int:
        """calendar.appointment_at(received, processing_days)."""
        k, time_of_day = self._start(received)
        if processing_days == 0:
            if time_of_day > _SAME_DAY_CUTOFF:
                k += 1
            return self.days[k] * DAY + _CLOSE
        return self.days[k + processing_days] * DAY + time_of_day

    def between(self, start: int, end: int) -> int:
        """calendar.working_time_between(start, end), in seconds."""
        start_i, end_i = start // DAY - self.base, end // DAY - self.base
        start_working = self.working[start_i]
        worked_at_start = _worked_by(start % DAY) if start_working else 0
        worked_at_end = _worked_by(end % DAY) if self.working[end_i] else 0
        if start_i == end_i:
            return worked_at_end - worked_at_start
        rest_of_first_day = (WORKING_DAY if start_working else 0) - worked_at_start
        days_between = self.rank[end_i] - self.rank[start_i + 1]
        return rest_of_first_day + days_between * WORKING_DAY + worked_at_end

    @staticmethod
    def timeliness(resolved: int, appointment: int) -> str:
        """calendar.timeliness(resolved, appointment)."""
        resolved_day, appointment_day = resolved // DAY, appointment // DAY
        if resolved_day < appointment_day:
            return "early"
        return "on_time" if resolved_day == appointment_day else "late"


# --- the lookup PIN ----------------------------------------------------------------------------


def generated_pin(seed: int, code: str) -> str:
    """The lookup PIN of a generated dossier: derived from the seed, so a benchmark can use it."""
    digest = hashlib.sha256(f"onestop-generated:{seed}:{code}".encode()).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


class _PinHashes:
    """lookup_pin_digest(code, generated_pin(seed, code)), with both hashes keyed once.

    The HMAC key is derived as django.utils.crypto.salted_hmac derives it, so the digest is
    one call into OpenSSL; a probe against the services' own function guards the derivation.
    """

    SALT = "onestop.intake.lookup-pin"

    def __init__(self, seed: int):
        self.pin = hashlib.sha256(f"onestop-generated:{seed}:".encode())
        self.key = hashlib.sha256((self.SALT + settings.SECRET_KEY).encode()).digest()
        probe = "000.00.00.H00-000101-0001"
        if self(probe) != lookup_pin_digest(probe, generated_pin(seed, probe)):
            raise RuntimeError("The generator's PIN digest no longer matches the services'.")

    def __call__(self, code: str) -> str:
        pin = self.pin.copy()
        pin.update(code.encode())
        message = f"{code}:{int.from_bytes(pin.digest()[:6]) % 1_000_000:06d}".encode()
        return hmac.digest(self.key, message, "sha256").hex()


# --- what other apps add -----------------------------------------------------------------------


@dataclass(frozen=True)
class PartTable:
    """A table a part fills per dossier: COPY columns in the order of its text lines."""

    name: str
    columns: tuple[str, ...]
    model: type


class GeneratorPart:
    """Another app's share of the history, listed in `PARTS`.

    `prepare` runs in the main process inside the load's transaction, before any dossier is
    generated (it may set `generator.on_duty`); `received` and `send_by_post` run for each
    dossier wherever its chunk is generated and may only use what `prepare` stored, the draft
    and its chunk; `write` runs in the main process after the dossiers are stored.
    """

    tables: tuple[PartTable, ...] = ()
    analyze: tuple[str, ...] = ()  # tables `write` fills, analysed after the load

    def prepare(self, generator: "DossierGenerator") -> None:
        pass

    def received(self, draft: "Draft") -> None:
        pass

    def send_by_post(self, draft: "Draft", at: int, sender: tuple[int, str]) -> bool:
        """Take the result's journey by post from `at`; False leaves it to the generator."""
        return False

    def write(self, generator: "DossierGenerator") -> None:
        pass

    def referenced(self) -> dict[str, set[int]]:
        """Rows (by table) that the part's rows point to, besides dossiers and the generator's."""
        return {}


# The parts beside the dossiers, by dotted path (imported when a run starts: each part module
# builds on this one).
PARTS = ("demo.generate.postal.PostalHistory",)


def history_parts() -> list[GeneratorPart]:
    """A fresh instance of each part, for one run."""
    return [import_string(path)() for path in PARTS]


# --- reference data, shared with the chunk processes -------------------------------------------

NULL = r"\N"


def copy_text(value: str) -> str:
    """A string as a field of COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


@dataclass
class WardPlan:
    index: int
    id: int
    name: str
    city_id: int
    prefix: str
    is_pilot: bool
    pilot_start: int | None  # ordinal
    postal_workers: list[tuple[int, str]]
    officers: list[tuple[int, str]]
    postal_counter: int | None
    officer_counter: int | None
    rostered: bool  # a part planned the ward's roster: postal intakes follow it
    desk: str
    agency: str  # when the procedure names none
    address_suffix: str
    clock: WorkingClock
    ward: Ward


@dataclass
class ProcedurePlan:
    id: int
    days: int
    fee: int | None
    agency: str | None
    procedure: Procedure


@dataclass
class Plan:
    seed: int
    text: bool  # COPY lines (PostgreSQL) or model instances (SQLite)
    first_id: int
    now: int  # local seconds; every generated moment is before it
    chunk: int
    count: int
    receipts: list[int]  # (local seconds << 12) | ward index, in order of receipt
    numbers: list[int]  # each receipt's number in its ward and day
    wards: list[WardPlan]
    procedures: list[ProcedurePlan]
    procedure_weights: list[float]  # cumulative
    constants: dict[tuple[int, int], str | dict]  # (ward index, procedure index) → columns
    day_text: dict[int, str]  # ordinal → "YYYY-MM-DD "
    yymmdd: dict[int, str]
    on_duty: dict[tuple[int, int, int], tuple[int, str]]
    parts: list[GeneratorPart]
    pins: _PinHashes
    edges: dict[tuple[str, str], tuple[str, int]]
    time_text: list[str] = field(default_factory=list)

    def ts(self, seconds: int) -> str:
        return self.day_text[seconds // DAY] + self.time_text[seconds % DAY]


_PLAN: Plan | None = None  # the run's plan, inherited by forked chunk processes
WARD_BITS = 12


def _edges() -> dict[tuple[str, str], tuple[str, int]]:
    return {
        (status.value, action.value): (edge.target.value, int(edge.national_status))
        for status, edges in TRANSITIONS.items()
        for action, edge in edges.items()
    }


# --- one chunk ---------------------------------------------------------------------------------


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
            receiver = plan.on_duty.get((ward.id, day, 0 if received_at % DAY < _NOON else 1))
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
        d.appointment_at = appointment = clock.appointment(received_at, procedure.days)
        d.status, d.national, d.updated_at = Status.RECEIVED.value, 2, received_at
        d.resolved_at = d.returned_at = d.returned_by = d.satisfaction = None
        d.paused_since = d.apology_at = None
        d.timeliness = d.return_method = ""
        d.supplement_count = d.paused_seconds = 0
        d.agency = agency = procedure.agency or ward.agency
        d.events = 1
        desk = ward.desk
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
        for _ in range(supplements):
            asked = self.later(moment, ward, 1, 6)
            if asked >= min(resolve_at, now):
                break
            d.step(asked, "request_supplement", officer, "Bổ sung bản sao giấy tờ tùy thân",
                   units=(agency, APPLICANT))  # fmt: skip
            d.supplement_count += 1
            back = self.later(asked, ward, 4, 24)
            if back >= now:
                d.paused_since = asked
                return
            paused = clock.between(asked, back)
            d.appointment_at = clock.add(d.appointment_at, paused)
            d.paused_seconds += paused
            resolve_at = clock.add(resolve_at, paused)
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
            if apology_at < min(d.appointment_at, resolve_at, now):
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
                    apology_appointment_at=_aware_or_none(d.apology_at), status=d.status,
                    national_status=d.national, resolved_at=_aware_or_none(d.resolved_at),
                    timeliness=d.timeliness, returned_at=_aware_or_none(d.returned_at),
                    returned_by_id=d.returned_by, return_method=d.return_method,
                    supplement_count=d.supplement_count,
                    paused_since=_aware_or_none(d.paused_since),
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


def _aware_or_none(seconds: int | None) -> dt.datetime | None:
    return None if seconds is None else aware(seconds)


def _generate(index: int) -> ChunkResult:
    """A chunk of the current plan (in a forked process, or in this one)."""
    return Chunk(_PLAN, index).run()


# Column order of the COPY text lines; the constants of a (ward, procedure) sit in the middle.
CONSTANT_COLUMNS = [
    "ward_id", "procedure_id", "procedure_code", "procedure_name", "processing_days", "fee",
    "level", "resolving_agency", "components", "sets", "applicant_email", "out_of_list", "notes",
]  # fmt: skip
DOSSIER_COLUMNS = [
    "id", "code", *CONSTANT_COLUMNS, "counter_id", "received_by_id", "receiver_kind",
    "channel", "applicant_name", "applicant_name_search", "applicant_id_number",
    "applicant_phone", "applicant_address", "received_at", "appointment_at",
    "apology_appointment_at", "status", "national_status", "resolved_at", "timeliness",
    "returned_at", "returned_by_id", "return_method", "supplement_count", "paused_since",
    "paused_seconds", "satisfaction", "lookup_pin_hash", "updated_at",
]  # fmt: skip
EVENT_FIELDS = [
    "dossier_id", "at", "actor_id", "actor_role", "action", "from_status", "to_status", "note",
    "counter_id", "from_unit", "to_unit", "appointment_at",
]  # fmt: skip
EVENT_COLUMNS = [*EVENT_FIELDS, "request_id"]


# --- the run -----------------------------------------------------------------------------------


class DossierGenerator:
    """Generate `count` dossiers over the last `years` years across the active wards.

    `processes`: chunk processes on PostgreSQL (default: one per core for large loads; the
    result is the same for any number). `rebuild_indexes`: drop and rebuild the tables'
    non-unique indexes around the load (default: when the load is large for the tables).
    """

    def __init__(
        self,
        *,
        count: int,
        years: float = 5,
        seed: int = 1,
        now: dt.datetime | None = None,
        chunk: int = 20_000,
        progress: Callable[[int], None] | None = None,
        processes: int | None = None,
        rebuild_indexes: bool | None = None,
    ):
        self.count = count
        self.years = years
        self.seed = seed
        self.rng = Random(seed)
        self.now = now or timezone.now()
        self.chunk = chunk
        self.progress = progress or (lambda n: None)
        self.processes = processes
        self.rebuild_indexes = rebuild_indexes
        self.stats = Stats()
        self.parts = history_parts()
        # (ward id, local day ordinal, 0 morning / 1 afternoon) → the postal worker on intake,
        # in the wards whose roster a part planned (`rostered`).
        self.on_duty: dict[tuple[int, int, int], tuple[int, str]] = {}
        self.rostered: set[int] = set()

    # --- reference data ---------------------------------------------------------------------

    def _load(self) -> None:
        self.wards = list(Ward.objects.filter(active=True).select_related("city").order_by("pk"))
        if not self.wards:
            raise ValueError("No wards: run seed_demo first.")
        if len(self.wards) >= 1 << WARD_BITS:
            raise ValueError(f"At most {(1 << WARD_BITS) - 1} active wards.")
        procedures = list(
            Procedure.objects.filter(active=True, processing_days__isnull=False).order_by("code")
        )
        if not procedures:
            raise ValueError("No procedures with a verified processing time.")
        self.procedures = procedures
        self.procedure_weights = [DEMAND.get(p.code, OTHER_DEMAND) for p in procedures]
        self.calendars = {w.city_id: working_calendar(city_id=w.city_id) for w in self.wards}
        users = defaultdict(list)
        for user in User.objects.filter(ward__in=self.wards, is_active=True).order_by("pk"):
            users[(user.ward_id, user.role)].append(user)
        counters = defaultdict(dict)
        for counter in Counter.objects.filter(ward__in=self.wards, active=True).order_by("number"):
            counters[counter.ward_id].setdefault(counter.kind, counter)
        self.staff: dict[int, dict] = {}
        staffed = []
        for ward in self.wards:
            officers = users[(ward.pk, Role.OFFICER)] + users[(ward.pk, Role.CHIEF)]
            if not officers:
                continue  # a ward nobody staffs receives nothing
            staffed.append(ward)
            self.staff[ward.pk] = {
                "postal_workers": users[(ward.pk, Role.POSTAL_WORKER)],
                "officers": officers,
                "postal_counter": counters[ward.pk].get(Counter.Kind.POSTAL),
                "officer_counter": counters[ward.pk].get(Counter.Kind.OFFICER),
            }
        if not staffed:
            raise ValueError("No ward has an officer or a chief: run seed_demo first.")
        self.wards = staffed
        self.today = self.now.astimezone(calendar.VIETNAM_TZ).date()
        self.start = (self.now - dt.timedelta(days=365.25 * self.years)).astimezone(
            calendar.VIETNAM_TZ
        )
        # Wall-clock seconds stand for instants only while the offset does not change.
        last = self.today + dt.timedelta(days=4 * 366)
        offsets = {
            calendar.VIETNAM_TZ.utcoffset(dt.datetime(year, 1, 1))
            for year in range(self.start.year, last.year + 1)
        }
        if offsets != {dt.timedelta(seconds=UTC_OFFSET)}:
            raise ValueError("The generator assumes Vietnam time is UTC+7 over the period.")
        self.first_day = self.start.date() - dt.timedelta(days=7)
        self.last_day = last
        self.clocks = {
            city_id: WorkingClock(cal, self.first_day, self.last_day)
            for city_id, cal in self.calendars.items()
        }

    # --- times --------------------------------------------------------------------------------

    def _receipt_times(self) -> list[int]:
        """(local seconds << WARD_BITS) | ward index for every dossier, in order of receipt."""
        rng = self.rng
        cal = calendar.WorkingCalendar()
        # Whole days before today only, so every receipt lies in the past.
        first = self.start.date().toordinal()
        working_days = [
            ordinal
            for ordinal in range(first, self.today.toordinal())
            if cal.is_working_day(dt.date.fromordinal(ordinal))
        ]
        if not working_days:
            raise ValueError("--years is too short: no working day before today.")
        # Demand grows over the years as more citizens use the counter.
        days = rng.choices(
            working_days,
            weights=[1 + i / len(working_days) for i in range(len(working_days))],
            k=self.count,
        )
        wards = rng.choices(
            range(len(self.wards)),
            weights=[1.5 if w.is_pilot else 1.0 for w in self.wards],
            k=self.count,
        )
        r = rng.random
        morning_lo, morning_span = MORNING[0], MORNING[1] - MORNING[0]
        afternoon_lo, afternoon_span = AFTERNOON[0], AFTERNOON[1] - AFTERNOON[0]
        receipts = []
        append = receipts.append
        for day, ward in zip(days, wards, strict=True):
            if r() < 0.6:
                minute = morning_lo + int(r() * morning_span)
            else:
                minute = afternoon_lo + int(r() * afternoon_span)
            append(((day * DAY + minute * 60 + int(r() * 60)) << WARD_BITS) | ward)
        receipts.sort()
        return receipts

    def _codes(self, receipts: list[int]) -> list[int]:
        """Each receipt's number in its ward and day, continuing the stored sequences."""
        sequences = {
            (ward_id, day.toordinal()): number
            for ward_id, day, number in DossierSequence.objects.values_list(
                "ward_id", "day", "last_number"
            )
        }
        ward_ids = [w.pk for w in self.wards]
        mask = (1 << WARD_BITS) - 1
        numbers = []
        for receipt in receipts:
            key = (ward_ids[receipt & mask], (receipt >> WARD_BITS) // DAY)
            number = sequences.get(key, 0) + 1
            sequences[key] = number
            numbers.append(number)
        self.sequences = {
            (ward_id, dt.date.fromordinal(ordinal)): number
            for (ward_id, ordinal), number in sequences.items()
        }
        return numbers

    def _plan(self, receipts: list[int], numbers: list[int], *, text: bool) -> Plan:
        ward_plans = []
        for index, ward in enumerate(self.wards):
            staff = self.staff[ward.pk]
            desk = f"Bộ phận một cửa {ward}"
            suffix = f"{ward}, {ward.city}"
            ward_plans.append(
                WardPlan(
                    index=index,
                    id=ward.pk,
                    name=str(ward),
                    city_id=ward.city_id,
                    prefix=ward.unit_identifier,
                    is_pilot=ward.is_pilot,
                    pilot_start=ward.pilot_started_on.toordinal()
                    if ward.pilot_started_on
                    else None,
                    postal_workers=[(u.pk, u.role) for u in staff["postal_workers"]],
                    officers=[(u.pk, u.role) for u in staff["officers"]],
                    postal_counter=staff["postal_counter"].pk if staff["postal_counter"] else None,
                    officer_counter=(
                        staff["officer_counter"].pk if staff["officer_counter"] else None
                    ),
                    desk=copy_text(desk) if text else desk,
                    agency=copy_text(f"UBND {ward}") if text else f"UBND {ward}",
                    address_suffix=copy_text(suffix) if text else suffix,
                    clock=self.clocks[ward.city_id],
                    ward=ward,
                    rostered=ward.pk in self.rostered,
                )
            )
        procedure_plans = [
            ProcedurePlan(
                id=p.pk,
                days=p.processing_days,
                fee=p.fee,
                agency=(copy_text(p.resolving_agency) if text else p.resolving_agency) or None,
                procedure=p,
            )
            for p in self.procedures
        ]
        cumulative, total = [], 0
        for weight in self.procedure_weights:
            total += weight
            cumulative.append(total)
        constants = {}
        for w in ward_plans:
            for index, p in enumerate(self.procedures):
                values = {
                    "ward_id": w.id,
                    "procedure_id": p.pk,
                    "procedure_code": p.code,
                    "procedure_name": p.name,
                    "processing_days": p.processing_days,
                    "fee": p.fee,
                    "level": p.level,
                    "resolving_agency": p.resolving_agency or f"UBND {w.name}",
                    "components": p.components,
                    "sets": 1,
                    "applicant_email": "",
                    "out_of_list": False,
                    "notes": "",
                }
                constants[(w.index, index)] = (
                    "\t".join(_copy_cell(values[c]) for c in CONSTANT_COLUMNS) if text else values
                )
        days = range(self.first_day.toordinal(), self.last_day.toordinal() + 1)
        plan = Plan(
            seed=self.seed,
            text=text,
            first_id=self.first_id,
            now=self.now_seconds,
            chunk=self.chunk,
            count=self.count,
            receipts=receipts,
            numbers=numbers,
            wards=ward_plans,
            procedures=procedure_plans,
            procedure_weights=cumulative,
            constants=constants,
            day_text={o: f"{dt.date.fromordinal(o):%Y-%m-%d} " for o in days},
            yymmdd={o: f"{dt.date.fromordinal(o):%y%m%d}" for o in days},
            on_duty=self.on_duty,
            parts=self.parts,
            pins=_PinHashes(self.seed),
            edges=_edges(),
        )
        if text:
            plan.time_text = [
                f"{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}+07" for s in range(DAY)
            ]
        return plan

    @property
    def now_seconds(self) -> int:
        """The first local second that is not strictly before `now`."""
        local = self.now.astimezone(calendar.VIETNAM_TZ)
        seconds = local_seconds(local)
        return seconds + 1 if local.microsecond else seconds

    # --- writing ------------------------------------------------------------------------------

    def run(self) -> Stats:
        self._load()
        receipts = self._receipt_times()
        numbers = self._codes(receipts)
        postgresql = self.text = connection.vendor == "postgresql"
        with transaction.atomic():
            self.first_id = (
                Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            ) + 1
            for part in self.parts:
                part.prepare(self)
            plan = self._plan(receipts, numbers, text=postgresql)
            tables = [
                ("intake_dossier", DOSSIER_COLUMNS, Dossier),
                ("intake_dossierevent", EVENT_COLUMNS, DossierEvent),
                *((t.name, t.columns, t.model) for p in self.parts for t in p.tables),
            ]
            writer = (
                _CopyWriter(
                    tables,
                    self.referenced(),
                    also_written=[name for part in self.parts for name in part.analyze],
                    rebuild_indexes=self._rebuild_indexes(),
                )
                if postgresql
                else _BulkWriter(tables)
            )
            with writer:
                for result in self._chunks(plan, parallel=postgresql):
                    writer.put(result)
                    self.stats.add(result.stats)
                    self.progress(result.count)
                for part in self.parts:
                    part.write(self)
            self._save_sequences()
            self._reset_id_sequence()
        if postgresql:
            # Fresh statistics after a bulk load, or the planner believes the tables are empty.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(self._analyze_tables(tables))}")
        # The daily report figures, recomputed from what was just written (intake.figures).
        figures.rebuild()
        return self.stats

    def _analyze_tables(self, tables) -> list[str]:
        names = [name for name, _columns, _model in tables]
        names.append("intake_dossiersequence")
        for part in self.parts:
            names.extend(part.analyze)
        return names

    def _rebuild_indexes(self) -> bool:
        if self.rebuild_indexes is not None:
            return self.rebuild_indexes
        if self.count < INDEX_REBUILD_MIN:
            return False
        # Rebuilding costs in proportion to the whole table, keeping the indexes up to date in
        # proportion to the load: worth it once the load is about half the table or more.
        return self.count * 2 >= Dossier.objects.count()

    def _chunks(self, plan: Plan, *, parallel: bool) -> Iterator[ChunkResult]:
        """The chunks' results in order: generated here, or by forked processes that inherit
        the plan while this process writes the previous ones."""
        global _PLAN
        total = -(-self.count // self.chunk)
        processes = self.processes
        if processes is None:
            processes = (os.cpu_count() or 1) if parallel and self.count >= PARALLEL_MIN else 1
        _PLAN = plan
        try:
            if processes <= 1 or total <= 1:
                for index in range(total):
                    yield _generate(index)
                return
            # Fork: the children inherit the plan (and this process's open database
            # connection, which they never touch; multiprocessing ends them with os._exit, so
            # they do not close it either).
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                pending: deque = deque()
                submitted = 0
                while submitted < total or pending:
                    # A bounded window: the children stay a little ahead of the writer.
                    while submitted < total and len(pending) < 2 * processes:
                        pending.append(pool.apply_async(_generate, (submitted,)))
                        submitted += 1
                    yield pending.popleft().get()
        finally:
            _PLAN = None

    def _save_sequences(self) -> None:
        # One upsert: the numbers computed here already continue the existing ones.
        DossierSequence.objects.bulk_create(
            [
                DossierSequence(ward_id=ward_id, day=day, last_number=number)
                for (ward_id, day), number in self.sequences.items()
            ],
            batch_size=5000,
            update_conflicts=True,
            unique_fields=["ward", "day"],
            update_fields=["last_number"],
        )

    def _reset_id_sequence(self) -> None:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('intake_dossier', 'id'), "
                    "(SELECT COALESCE(MAX(id), 1) FROM intake_dossier))"
                )

    def referenced(self) -> dict[str, set[int]]:
        """Rows the generated dossiers and events point to, by table."""
        users, counters = set(), set()
        for staff in self.staff.values():
            users.update(u.pk for u in staff["postal_workers"] + staff["officers"])
            counters.update(
                c.pk for c in (staff["postal_counter"], staff["officer_counter"]) if c is not None
            )
        # The roster may put on intake someone whose account was locked since.
        users.update(worker for worker, _role in self.on_duty.values())
        references = {
            "wards_ward": {w.pk for w in self.wards},
            "intake_procedure": {p.pk for p in self.procedures},
            "onestop_user": users,
            "wards_counter": counters,
        }
        for part in self.parts:
            for table, ids in part.referenced().items():
                references.setdefault(table, set()).update(ids)
        return references


INDEX_REBUILD_MIN = 50_000
PARALLEL_MIN = 50_000


def _copy_cell(value) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return copy_text(json.dumps(value, ensure_ascii=False))
    return copy_text(str(value))


class _BulkWriter:
    """SQLite: plain bulk inserts of the chunks' model instances."""

    def __init__(self, tables):
        self.tables = tables

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def put(self, result: ChunkResult) -> None:
        for name, _columns, model in self.tables:
            rows = result.tables[name]
            if model is DossierEvent:
                rows = [
                    DossierEvent(
                        dossier_id=e[0], at=aware(e[1]), actor_id=e[2], actor_role=e[3],
                        action=e[4], from_status=e[5], to_status=e[6], note=e[7],
                        counter_id=e[8], from_unit=e[9], to_unit=e[10],
                        appointment_at=_aware_or_none(e[11]),
                    )
                    for e in rows
                ]  # fmt: skip
            model.objects.bulk_create(rows, batch_size=500)


class _CopyWriter:
    """PostgreSQL: COPY each chunk, in the run's transaction.

    Around a large load (`rebuild_indexes`) the tables' non-unique indexes are dropped and, on
    the way out, rebuilt from the definitions PostgreSQL gave for them (pg_indexes) before the
    drop. Both happen inside the load's transaction: if the load fails, its rollback undoes the
    DROP INDEX too (PostgreSQL's DDL is transactional), so the indexes are never lost.

    Foreign keys: the rows' references are built by the generator, to rows it read (wards,
    counters, procedures, users, tariffs) or to dossiers of the same chunk. When the role may
    set `session_replication_role` and no trigger other than the foreign keys' own fires on
    INSERT into the tables, the referenced rows are locked FOR KEY SHARE once (what each
    per-row check would do) and counted, and the load runs with `session_replication_role =
    replica`, which skips the per-row checks, until the chunks and the parts' own rows (the
    roster: references of the same kinds) are written. Otherwise the checks run as usual.
    """

    def __init__(
        self,
        tables,
        references: dict[str, set[int]],
        *,
        also_written: list[str],
        rebuild_indexes: bool,
    ):
        self.tables = tables
        self.references = references
        self.also_written = also_written
        self.rebuild_indexes = rebuild_indexes
        self.dropped: list[tuple[str, str]] = []
        self.replica = False

    def __enter__(self):
        names = [name for name, _columns, _model in self.tables]
        with connection.cursor() as cursor:
            if self.rebuild_indexes:
                self.dropped = drop_secondary_indexes(cursor, names)
            self.replica = self._replica_is_safe(cursor, names + self.also_written)
            if self.replica:
                self._lock_references(cursor)
                cursor.execute("SELECT current_setting('session_replication_role')")
                self.role = cursor.fetchone()[0]
                cursor.execute("SET LOCAL session_replication_role = replica")
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            return False  # the transaction rolls back: rows, DROP INDEX and SET LOCAL alike
        with connection.cursor() as cursor:
            if self.replica:
                cursor.execute(f"SET LOCAL session_replication_role = {self.role}")
            else:
                # Django's foreign keys are deferred: their checks must run before an index
                # can be built on the table, and are deferred again for the rest.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            if self.dropped:
                restore_indexes(cursor, self.dropped)
        return False

    def put(self, result: ChunkResult) -> None:
        with connection.cursor() as cursor:
            for name, columns, _model in self.tables:
                payload = result.tables[name]
                if payload:
                    cursor.copy_expert(
                        f"COPY {name} ({', '.join(columns)}) FROM STDIN",
                        io.BytesIO(payload),
                        1 << 20,  # read size: fewer, larger messages to the server
                    )

    @staticmethod
    def _replica_is_safe(cursor, names: list[str]) -> bool:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        # 1 << 2: the trigger fires on INSERT (pg_trigger.tgtype).
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = ANY(%s::regclass[]) "
            "AND NOT tgisinternal AND tgenabled <> 'D' AND tgtype & 4 <> 0",
            [names],
        )
        return cursor.fetchone()[0] == 0

    def _lock_references(self, cursor) -> None:
        for table, ids in self.references.items():
            if not ids:
                continue
            cursor.execute(
                # The table names are the generator's own constants.
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id = ANY(%s) "  # noqa: S608
                "FOR KEY SHARE) locked",
                [sorted(ids)],
            )
            if cursor.fetchone()[0] != len(ids):
                raise ValueError(f"{table}: rows the generator read have disappeared.")


def secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the tables' indexes that back no constraint and are not unique."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef
        FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname AND c.relkind = 'i'
        JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT x.indisunique AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        ORDER BY i.tablename, i.indexname
        """,
        [tables],
    )
    return cursor.fetchall()


def drop_secondary_indexes(cursor, tables: list[str]) -> list[tuple[str, str]]:
    indexes = secondary_indexes(cursor, tables)
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def restore_indexes(cursor, indexes: list[tuple[str, str]]) -> None:
    """Build again the indexes `drop_secondary_indexes` dropped, each from its own definition."""
    cursor.execute("SELECT current_setting('maintenance_work_mem')")
    memory = cursor.fetchone()[0]
    # Sorting a million rows in memory instead of on disk; for this transaction only.
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        cursor.execute(definition)
    cursor.execute("SELECT set_config('maintenance_work_mem', %s, true)", [memory])
