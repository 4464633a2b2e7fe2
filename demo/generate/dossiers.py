"""A large, realistic history of dossiers for measuring onestop at the scale of a city.

The generator writes rows directly (PostgreSQL COPY, or bulk inserts on SQLite) instead of
calling the services one dossier at a time, but it follows the same calendar arithmetic and the
same lifecycle table, so what it writes is what the counter would have written: codes numbered
per ward and day in order of receipt, appointments from working hours, events coherent with the
final status.

How a million dossiers fit in minutes on two cores:

* Receipt times and codes are drawn first, in one pass (here); the dossiers themselves are
  generated in chunks (`history`), each from its own seed (the run's seed and the chunk's
  number), so chunks can be built in parallel processes (`workers`) and a run is the same for a
  given seed whatever the number of processes.
* Times are whole seconds of local wall-clock time (Asia/Ho_Chi_Minh has kept UTC+7 since
  1975), and working-time arithmetic runs on a table of the city's working days built from
  `wards.calendar` (`clock.WorkingClock`; the tests compare the two).
* On PostgreSQL the rows go in by COPY in text format. A load that is large for the tables
  drops their non-unique indexes and rebuilds them from their own definitions afterwards, and
  when it can be shown to be safe, the load skips the per-row foreign-key triggers (see
  `writers.CopyWriter`).

Other apps add their share of the history (postal: deliveries by post, the roster) as a
`parts.GeneratorPart` listed in `parts.PARTS`.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from random import Random

from django.db import connection, transaction
from django.utils import timezone

from demo.generate.clock import DAY, UTC_OFFSET, WorkingClock, local_seconds
from demo.generate.history import Stats
from demo.generate.parts import history_parts
from demo.generate.plan import AFTERNOON, DEMAND, MORNING, OTHER_DEMAND, WARD_BITS, plan_build
from demo.generate.workers import chunk_results
from demo.generate.writers import DOSSIER_COLUMNS, EVENT_COLUMNS, BulkWriter, CopyWriter
from intake import figures
from intake.models import Dossier, DossierEvent, DossierSequence, Procedure
from onestop.models import Role, User
from wards import calendar
from wards.models import Counter, Ward
from wards.selectors import national_calendar, working_calendar

INDEX_REBUILD_MIN = 50_000


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
        cal = national_calendar()
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
            plan = plan_build(self, receipts, numbers, text=postgresql)
            tables = [
                ("intake_dossier", DOSSIER_COLUMNS, Dossier),
                ("intake_dossierevent", EVENT_COLUMNS, DossierEvent),
                *((t.name, t.columns, t.model) for p in self.parts for t in p.tables),
            ]
            writer = (
                CopyWriter(
                    tables,
                    self.referenced(),
                    also_written=[name for part in self.parts for name in part.analyze],
                    rebuild_indexes=self._rebuild_indexes(),
                )
                if postgresql
                else BulkWriter(tables)
            )
            with writer:
                for result in chunk_results(plan, processes=self.processes, parallel=postgresql):
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
