"""A large, realistic history of dossiers for measuring onestop at the scale of a city.

The generator writes rows directly (PostgreSQL COPY, or bulk inserts on SQLite) instead of
calling the services one dossier at a time, but it computes every date with the same calendar
arithmetic and follows the same lifecycle table, so what it writes is what the counter would
have written: codes numbered per ward and day in order of receipt, appointments from working
hours, events coherent with the final status.
"""

import concurrent.futures
import csv
import datetime as dt
import hashlib
import io
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from intake import figures
from intake.lifecycle import TRANSITIONS, Action
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
    "Đỗ",
    "Ngô",
    "Hồ",
    "Dương",
    "Lý",
]
MIDDLE = [
    "Thị",
    "Văn",
    "Ngọc",
    "Minh",
    "Thanh",
    "Hữu",
    "Thu",
    "Quốc",
    "Mỹ",
    "Đức",
    "Kim",
    "Hoài",
    "Gia",
    "Bảo",
]
GIVEN = [
    "Anh",
    "Bình",
    "Châu",
    "Dung",
    "Hà",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Ngân",
    "Nhung",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Uyên",
    "Vy",
    "Xuân",
    "Yến",
    "Đạt",
    "Khoa",
    "Lộc",
    "Nhi",
    "Tùng",
    "Vân",
]
STREETS = [
    "Yersin",
    "Cách Mạng Tháng Tám",
    "Đại lộ Bình Dương",
    "Lê Hồng Phong",
    "Phú Lợi",
    "Huỳnh Văn Lũy",
    "Nguyễn Văn Tiết",
    "Bạch Đằng",
    "Ngô Quyền",
    "Trần Văn Ơn",
    "Lý Thường Kiệt",
    "Hai Bà Trưng",
    "Nguyễn Thái Học",
    "Phạm Ngọc Thạch",
    "Lê Thị Trung",
    "Hoàng Hoa Thám",
    "Nguyễn Tri Phương",
]
MOBILE_PREFIXES = [
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "086",
    "032",
    "035",
    "070",
    "077",
]

MORNING = (7 * 60, 11 * 60 + 30)
AFTERNOON = (13 * 60 + 30, 17 * 60)


def generated_pin(seed: int, code: str) -> str:
    """The lookup PIN of a generated dossier: derived from the seed, so a benchmark can use it."""
    digest = hashlib.sha256(f"onestop-generated:{seed}:{code}".encode()).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


@dataclass
class WardStaff:
    ward: Ward
    postal_workers: list[User]
    officers: list[User]
    postal_counter: Counter | None
    officer_counter: Counter | None


@dataclass
class Stats:
    dossiers: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    late: int = 0
    resolved: int = 0


class DossierGenerator:
    """Generate `count` dossiers over the last `years` years across the active wards."""

    def __init__(
        self,
        *,
        count: int,
        years: float = 5,
        seed: int = 1,
        now: dt.datetime | None = None,
        chunk: int = 20_000,
        progress: Callable[[int], None] | None = None,
    ):
        self.count = count
        self.years = years
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.chunk = chunk
        self.progress = progress or (lambda n: None)
        self.stats = Stats()

    # --- reference data ---------------------------------------------------------------------

    def _load(self) -> None:
        self.wards = list(Ward.objects.filter(active=True).select_related("city").order_by("pk"))
        if not self.wards:
            raise ValueError("No wards: run seed_demo first.")
        procedures = list(
            Procedure.objects.filter(active=True, processing_days__isnull=False).order_by("code")
        )
        if not procedures:
            raise ValueError("No procedures with a verified processing time.")
        self.procedures = procedures
        self.procedure_weights = [DEMAND.get(p.code, OTHER_DEMAND) for p in procedures]
        self.calendars = {w.city_id: working_calendar(city_id=w.city_id) for w in self.wards}
        self.staff: dict[int, WardStaff] = {}
        users = defaultdict(list)
        for user in User.objects.filter(ward__in=self.wards, is_active=True).order_by("pk"):
            users[(user.ward_id, user.role)].append(user)
        counters = defaultdict(dict)
        for counter in Counter.objects.filter(ward__in=self.wards, active=True).order_by("number"):
            counters[counter.ward_id].setdefault(counter.kind, counter)
        staffed = []
        for ward in self.wards:
            officers = users[(ward.pk, Role.OFFICER)] + users[(ward.pk, Role.CHIEF)]
            if not officers:
                continue  # a ward nobody staffs receives nothing
            staffed.append(ward)
            self.staff[ward.pk] = WardStaff(
                ward=ward,
                postal_workers=users[(ward.pk, Role.POSTAL_WORKER)],
                officers=officers,
                postal_counter=counters[ward.pk].get(Counter.Kind.POSTAL),
                officer_counter=counters[ward.pk].get(Counter.Kind.OFFICER),
            )
        if not staffed:
            raise ValueError("No ward has an officer or a chief: run seed_demo first.")
        self.wards = staffed

    # --- times --------------------------------------------------------------------------------

    def _receipt_times(self) -> list[tuple[dt.datetime, int]]:
        """(received_at, ward id) for every dossier, in order of receipt."""
        start = self.now - dt.timedelta(days=365.25 * self.years)
        span_days = (self.now - start).days
        cal = calendar.WorkingCalendar()
        # Whole days before today only, so every receipt lies in the past.
        today = self.now.astimezone(calendar.VIETNAM_TZ).date()
        working_days = [
            start.date() + dt.timedelta(days=i)
            for i in range(span_days + 1)
            if cal.is_working_day(start.date() + dt.timedelta(days=i))
            and start.date() + dt.timedelta(days=i) < today
        ]
        # Demand grows over the years as more citizens use the counter.
        weights = [1 + i / len(working_days) for i in range(len(working_days))]
        days = self.rng.choices(working_days, weights=weights, k=self.count)
        ward_ids = [w.pk for w in self.wards]
        ward_weights = [1.5 if w.is_pilot else 1.0 for w in self.wards]
        wards = self.rng.choices(ward_ids, weights=ward_weights, k=self.count)
        tz = calendar.VIETNAM_TZ
        out = []
        for day, ward_id in zip(days, wards, strict=True):
            lo, hi = MORNING if self.rng.random() < 0.6 else AFTERNOON
            minute = self.rng.randrange(lo, hi)
            moment = dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=tz)
            moment += dt.timedelta(seconds=self.rng.randrange(60))
            out.append((moment, ward_id))
        out.sort(key=lambda item: item[0])
        return out

    def _later(self, start: dt.datetime, hours: float, cal) -> dt.datetime:
        return calendar.add_working_time(start, dt.timedelta(hours=hours), cal)

    # --- one dossier --------------------------------------------------------------------------

    def _person(self) -> tuple[str, str, str, str]:
        rng = self.rng
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        birth_year = rng.randint(1950, 2006)
        century_digit = (0 if birth_year < 2000 else 2) + rng.randint(0, 1)
        province = "074" if rng.random() < 0.7 else rng.choice(["079", "075", "070", "072", "038"])
        id_number = f"{province}{century_digit}{birth_year % 100:02d}{rng.randrange(10**6):06d}"
        phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
        return name, id_number, phone, f"{rng.randint(1, 250)} {rng.choice(STREETS)}"

    def _dossier(self, pk: int, code: str, received_at: dt.datetime, ward_id: int):
        rng = self.rng
        staff = self.staff[ward_id]
        ward = staff.ward
        cal = self.calendars[ward.city_id]
        procedure = rng.choices(self.procedures, weights=self.procedure_weights)[0]
        pilot = ward.is_pilot and (
            ward.pilot_started_on is None or received_at.date() >= ward.pilot_started_on
        )
        by_postal = pilot and staff.postal_workers and rng.random() < 0.5
        if by_postal:
            receiver, counter = rng.choice(staff.postal_workers), staff.postal_counter
        else:
            receiver, counter = rng.choice(staff.officers), staff.officer_counter
        officer = rng.choice(staff.officers)
        roll = rng.random()
        channel = Channel.DIRECT if roll < 0.8 else Channel.ONLINE if roll < 0.9 else Channel.POSTAL
        name, id_number, phone, street = self._person()
        appointment = calendar.appointment_at(received_at, procedure.processing_days, cal)
        desk = f"Bộ phận một cửa {ward}"
        agency = procedure.resolving_agency or f"UBND {ward}"
        row = {
            "id": pk,
            "code": code,
            "ward_id": ward_id,
            "counter_id": counter.pk if counter else None,
            "procedure_id": procedure.pk,
            "procedure_code": procedure.code,
            "procedure_name": procedure.name,
            "processing_days": procedure.processing_days,
            "fee": procedure.fee,
            "level": procedure.level,
            "resolving_agency": agency,
            "channel": int(channel),
            "applicant_name": name,
            "applicant_name_search": fold(name),
            "applicant_id_number": id_number,
            "applicant_phone": phone,
            "applicant_address": f"{street}, {ward}, {ward.city}",
            "applicant_email": "",
            "components": procedure.components,
            "sets": 1,
            "received_at": received_at,
            "received_by_id": receiver.pk,
            "receiver_kind": (
                ReceiverKind.POSTAL_WORKER if by_postal else ReceiverKind.OFFICER
            ).value,
            "appointment_at": appointment,
            "apology_appointment_at": None,
            "status": Status.RECEIVED.value,
            "national_status": 2,
            "resolved_at": None,
            "timeliness": "",
            "returned_at": None,
            "returned_by_id": None,
            "return_method": "",
            "supplement_count": 0,
            "paused_since": None,
            "paused_seconds": 0,
            "satisfaction": None,
            "out_of_list": False,
            "notes": "",
            "lookup_pin_hash": lookup_pin_digest(code, generated_pin(self.seed, code)),
            "updated_at": received_at,
        }
        events = []

        def step(at, action, actor, note="", counter_id=None, units=("", ""), new_date=None):
            edge = TRANSITIONS[Status(row["status"])][action]
            events.append(
                (pk, at, actor.pk, actor.role, action.value, row["status"], edge.target.value,
                 note, counter_id, units[0], units[1], new_date)
            )  # fmt: skip
            row["status"] = edge.target.value
            row["national_status"] = int(edge.national_status)
            row["updated_at"] = at

        events.append(
            (pk, received_at, receiver.pk, receiver.role, Action.RECEIVE.value, "",
             Status.RECEIVED.value, "", counter.pk if counter else None, name, desk, appointment)
        )  # fmt: skip
        now = self.now
        fate = rng.random()
        transfer_at = self._later(received_at, rng.uniform(0.2, 3), cal)
        if fate < 0.02 or transfer_at > now:
            if fate < 0.02 and transfer_at <= now:
                step(transfer_at, Action.WITHDRAW, receiver, "Công dân xin rút hồ sơ")
            return row, events
        if fate < 0.035:
            step(transfer_at, Action.REFUSE, receiver, "Hồ sơ không thuộc thẩm quyền của phường")
            return row, events
        step(transfer_at, Action.TRANSFER, receiver, units=(desk, agency))
        # How long processing takes, as a share of the allowed time: about a tenth run late.
        allowed = calendar.working_time_between(received_at, appointment, cal).total_seconds()
        if rng.random() < 0.10:
            resolve_at = self._later(appointment, rng.uniform(8, 40), cal)
        else:
            resolve_at = self._later(received_at, allowed / 3600 * rng.uniform(0.35, 0.98), cal)
        resolve_at = max(resolve_at, self._later(transfer_at, 0.5, cal))
        supplements = 1 if rng.random() < 0.06 else 2 if rng.random() < 0.01 else 0
        moment = transfer_at
        for _ in range(supplements):
            asked = self._later(moment, rng.uniform(1, 6), cal)
            if asked >= min(resolve_at, now):
                break
            step(asked, Action.REQUEST_SUPPLEMENT, officer, "Bổ sung bản sao giấy tờ tùy thân",
                 units=(agency, "Người nộp hồ sơ"))  # fmt: skip
            row["supplement_count"] += 1
            back = self._later(asked, rng.uniform(4, 24), cal)
            if back > now:
                row["paused_since"] = asked
                return row, events
            paused = calendar.working_time_between(asked, back, cal)
            row["appointment_at"] = calendar.add_working_time(row["appointment_at"], paused, cal)
            row["paused_seconds"] += int(paused.total_seconds())
            resolve_at = calendar.add_working_time(resolve_at, paused, cal)
            step(back, Action.SUPPLEMENT, receiver, units=("Người nộp hồ sơ", agency),
                 new_date=row["appointment_at"])  # fmt: skip
            moment = back
        if fate < 0.045 and moment < now:
            refuse_at = self._later(moment, 1, cal)
            if refuse_at <= now:
                step(refuse_at, Action.REFUSE, officer, "Không đủ điều kiện giải quyết")
                return row, events
        if resolve_at > row["appointment_at"] and rng.random() < 0.2:
            apology_at = self._later(moment, rng.uniform(0.5, 4), cal)
            if apology_at < min(row["appointment_at"], resolve_at, now):
                new_date = self._later(resolve_at, rng.uniform(0, 8), cal)
                if new_date > row["appointment_at"]:
                    row["apology_appointment_at"] = new_date
                    step(apology_at, Action.APOLOGISE, officer, "Cần xác minh thêm",
                         new_date=new_date)  # fmt: skip
        if resolve_at > now:
            return row, events
        step(resolve_at, Action.RESOLVE, officer, units=(agency, desk))
        row["resolved_at"] = resolve_at
        row["timeliness"] = (
            "late"
            if row["supplement_count"] > 1
            else calendar.timeliness(resolve_at, row["appointment_at"])
        )
        returner = rng.choice(staff.postal_workers or staff.officers)
        by_post = rng.random() < 0.25
        handover_at = self._later(resolve_at, rng.uniform(0.5, 30), cal)
        if handover_at > now or rng.random() < 0.01:
            return row, events
        satisfaction = rng.choices([5, 4, 3, 2, 1], weights=[45, 38, 12, 4, 1])[0]
        if by_post:
            step(handover_at, Action.SEND_BY_POST, returner, units=(desk, "Bưu điện"))
            delivered_at = self._later(handover_at, rng.uniform(4, 24), cal)
            if delivered_at > now:
                return row, events
            step(delivered_at, Action.DELIVERED, returner, units=("Bưu điện", "Người nộp hồ sơ"))
            row["return_method"] = ReturnMethod.POST.value
            row["returned_at"] = delivered_at
        else:
            step(handover_at, Action.RETURN, returner, counter_id=row["counter_id"],
                 units=(desk, "Người nộp hồ sơ"))  # fmt: skip
            row["return_method"] = ReturnMethod.COUNTER.value
            row["returned_at"] = handover_at
        row["returned_by_id"] = returner.pk
        row["satisfaction"] = satisfaction if rng.random() < 0.8 else None
        return row, events

    # --- writing ------------------------------------------------------------------------------

    def _codes(self, receipts) -> Iterator[tuple[str, dt.datetime, int]]:
        sequences = {
            (ward_id, day): number
            for ward_id, day, number in DossierSequence.objects.values_list(
                "ward_id", "day", "last_number"
            )
        }
        prefixes = {w.pk: w.unit_identifier for w in self.wards}
        for received_at, ward_id in receipts:
            day = received_at.astimezone(calendar.VIETNAM_TZ).date()
            number = sequences.get((ward_id, day), 0) + 1
            sequences[(ward_id, day)] = number
            yield f"{prefixes[ward_id]}-{day:%y%m%d}-{number:04d}", received_at, ward_id
        self.sequences = sequences

    def run(self) -> Stats:
        self._load()
        receipts = self._receipt_times()
        with transaction.atomic():
            first_id = (
                Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            ) + 1
            writer = _CopyWriter() if connection.vendor == "postgresql" else _BulkWriter()
            with writer:
                rows, events = [], []
                for offset, (code, received_at, ward_id) in enumerate(self._codes(receipts)):
                    row, row_events = self._dossier(first_id + offset, code, received_at, ward_id)
                    rows.append(row)
                    events.extend(row_events)
                    self._count(row, row_events)
                    if len(rows) >= self.chunk:
                        writer.put(rows, events)
                        self.progress(len(rows))
                        rows, events = [], []
                if rows:
                    writer.put(rows, events)
                    self.progress(len(rows))
            self._save_sequences()
            self._reset_id_sequence()
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load, or the planner believes the tables are empty.
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE intake_dossier, intake_dossierevent, intake_dossiersequence"
                )
        # The daily report figures, recomputed from what was just written (intake.figures).
        figures.rebuild()
        return self.stats

    def _count(self, row, events) -> None:
        self.stats.dossiers += 1
        self.stats.events += len(events)
        self.stats.by_status[row["status"]] += 1
        if row["timeliness"]:
            self.stats.resolved += 1
            self.stats.late += row["timeliness"] == "late"

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


class _BulkWriter:
    """SQLite: plain bulk inserts (one writer, no server process to overlap with)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def put(self, rows: list[dict], events: list[tuple]) -> None:
        Dossier.objects.bulk_create([Dossier(**r) for r in rows], batch_size=500)
        DossierEvent.objects.bulk_create(
            [DossierEvent(**dict(zip(EVENT_FIELDS, e, strict=True))) for e in events],
            batch_size=500,
        )


class _CopyWriter:
    """PostgreSQL: COPY each batch while the next one is generated.

    The server parses and indexes a COPY in its own process, so generating the next batch here
    and storing this one there overlap on two cores. The thread uses the same connection, hence
    the same transaction; the generating thread makes no query meanwhile, and `put` waits for
    the previous batch before handing over the next.
    """

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.pending: concurrent.futures.Future | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self._wait()
        finally:
            self.pool.shutdown()
        return False

    def put(self, rows: list[dict], events: list[tuple]) -> None:
        dossiers = _csv(_csv_dossier(r) for r in rows)
        dossier_events = _csv(_csv_event(e) for e in events)
        self._wait()
        self.pending = self.pool.submit(self._copy, dossiers, dossier_events)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def _copy(self, dossiers: io.StringIO, events: io.StringIO) -> None:
        with self.raw.cursor() as cursor:
            for table, columns, buffer in (
                ("intake_dossier", DOSSIER_COLUMNS, dossiers),
                ("intake_dossierevent", EVENT_COLUMNS, events),
            ):
                cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )


def _csv(rows) -> io.StringIO:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    buffer.seek(0)
    return buffer


DOSSIER_COLUMNS = [
    "id", "code", "ward_id", "counter_id", "procedure_id", "procedure_code", "procedure_name",
    "processing_days", "fee", "level", "resolving_agency", "channel", "applicant_name",
    "applicant_name_search", "applicant_id_number", "applicant_phone", "applicant_address",
    "applicant_email", "components", "sets", "received_at", "received_by_id", "receiver_kind",
    "appointment_at", "apology_appointment_at", "status", "national_status", "resolved_at",
    "timeliness", "returned_at", "returned_by_id", "return_method", "supplement_count",
    "paused_since", "paused_seconds", "satisfaction", "out_of_list", "notes", "lookup_pin_hash",
    "updated_at",
]  # fmt: skip
EVENT_FIELDS = [
    "dossier_id", "at", "actor_id", "actor_role", "action", "from_status", "to_status", "note",
    "counter_id", "from_unit", "to_unit", "appointment_at",
]  # fmt: skip
EVENT_COLUMNS = [*EVENT_FIELDS, "request_id"]


def _cell(value):
    if value is None:
        return r"\N"  # COPY's NULL marker here; an empty cell stays an empty string
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _csv_dossier(row: dict) -> list:
    return [_cell(row[c]) for c in DOSSIER_COLUMNS]


def _csv_event(event: tuple) -> list:
    return [*(_cell(v) for v in event), ""]
