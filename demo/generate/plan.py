"""What a run draws from: the reference data (demand, names, streets, hours) and the plan,
built once in the main process and shared with the chunk processes."""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from demo.generate.clock import DAY, HOUR, WorkingClock
from demo.generate.parts import GeneratorPart
from demo.generate.pins import PinHashes
from demo.generate.writers import CONSTANT_COLUMNS, copy_cell, copy_text
from intake.editions import editions
from intake.lifecycle import TRANSITIONS
from intake.models import Channel, Procedure, ReceiverKind
from onestop.text import fold
from wards.models import Ward

if TYPE_CHECKING:
    from demo.generate.dossiers import DossierGenerator

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

# A receipt is (local seconds << WARD_BITS) | ward index.
WARD_BITS = 12


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
    desks: list[tuple[int, str]]  # (first local day as an ordinal, the desk), oldest first
    agency: str  # when the procedure names none
    address_suffix: str
    clock: WorkingClock
    ward: Ward

    def desk(self, received_at: int) -> str:
        """The desk's name for a dossier received at `received_at` (local seconds): the unit
        of the edition of the rules in force that day, as intake.services' desk_name says."""
        day = received_at // DAY
        chosen = self.desks[0][1]
        for first, desk in self.desks:
            if first <= day:
                chosen = desk
        return chosen


@dataclass
class ProcedurePlan:
    id: int
    days: int
    unit: str
    window: int | None
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
    pins: PinHashes
    edges: dict[tuple[str, str], tuple[str, int]]
    time_text: list[str] = field(default_factory=list)

    def ts(self, seconds: int) -> str:
        return self.day_text[seconds // DAY] + self.time_text[seconds % DAY]


def lifecycle_edges() -> dict[tuple[str, str], tuple[str, int]]:
    """(status, action) → (status reached, national status), from intake.lifecycle's table."""
    return {
        (status.value, action.value): (edge.target.value, int(edge.national_status))
        for status, edges in TRANSITIONS.items()
        for action, edge in edges.items()
    }


def plan_build(
    generator: "DossierGenerator", receipts: list[int], numbers: list[int], *, text: bool
) -> Plan:
    """The run's plan from what the generator loaded: per ward and procedure, the values every
    chunk copies (as COPY text on PostgreSQL, `text`)."""
    ward_plans = []
    for index, ward in enumerate(generator.wards):
        staff = generator.staff[ward.pk]
        desks = [
            (edition.effective_from.toordinal(), edition.unit_name(ward)) for edition in editions()
        ]
        suffix = f"{ward}, {ward.city}"
        ward_plans.append(
            WardPlan(
                index=index,
                id=ward.pk,
                name=str(ward),
                city_id=ward.city_id,
                prefix=ward.unit_identifier,
                is_pilot=ward.is_pilot,
                pilot_start=ward.pilot_started_on.toordinal() if ward.pilot_started_on else None,
                postal_workers=[(u.pk, u.role) for u in staff["postal_workers"]],
                officers=[(u.pk, u.role) for u in staff["officers"]],
                postal_counter=staff["postal_counter"].pk if staff["postal_counter"] else None,
                officer_counter=(staff["officer_counter"].pk if staff["officer_counter"] else None),
                desks=[(first, copy_text(desk) if text else desk) for first, desk in desks],
                agency=copy_text(f"UBND {ward}") if text else f"UBND {ward}",
                address_suffix=copy_text(suffix) if text else suffix,
                clock=generator.clocks[ward.city_id],
                ward=ward,
                rostered=ward.pk in generator.rostered,
            )
        )
    procedure_plans = [
        ProcedurePlan(
            id=p.pk,
            days=p.processing_days,
            unit=p.term_unit,
            window=p.supplement_window_days,
            fee=p.fee,
            agency=(copy_text(p.resolving_agency) if text else p.resolving_agency) or None,
            procedure=p,
        )
        for p in generator.procedures
    ]
    cumulative, total = [], 0
    for weight in generator.procedure_weights:
        total += weight
        cumulative.append(total)
    constants = {}
    for w in ward_plans:
        for index, p in enumerate(generator.procedures):
            values = {
                "ward_id": w.id,
                "procedure_id": p.pk,
                "procedure_code": p.code,
                "procedure_name": p.name,
                "processing_days": p.processing_days,
                "term_unit": p.term_unit,
                "supplement_window_days": p.supplement_window_days,
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
                "\t".join(copy_cell(values[c]) for c in CONSTANT_COLUMNS) if text else values
            )
    days = range(generator.first_day.toordinal(), generator.last_day.toordinal() + 1)
    plan = Plan(
        seed=generator.seed,
        text=text,
        first_id=generator.first_id,
        now=generator.now_seconds,
        chunk=generator.chunk,
        count=generator.count,
        receipts=receipts,
        numbers=numbers,
        wards=ward_plans,
        procedures=procedure_plans,
        procedure_weights=cumulative,
        constants=constants,
        day_text={o: f"{dt.date.fromordinal(o):%Y-%m-%d} " for o in days},
        yymmdd={o: f"{dt.date.fromordinal(o):%y%m%d}" for o in days},
        on_duty=generator.on_duty,
        parts=generator.parts,
        pins=PinHashes(generator.seed),
        edges=lifecycle_edges(),
    )
    if text:
        plan.time_text = [f"{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}+07" for s in range(DAY)]
    return plan
