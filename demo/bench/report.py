"""What a bench run reports: the machine and the data it ran on, the results as JSON, and two
runs compared page by page (pure)."""

import datetime as dt
import os
import platform
from dataclasses import asdict, dataclass

from django.db import connection

from demo.bench.measure import Result
from demo.bench.verdicts import BASELINE, ERROR, MET, NOT_MET, UNAVAILABLE, UNCHECKED
from intake.models import Dossier, DossierEvent
from wards.models import Ward


def machine() -> dict:
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            memory = f.readline().split(":")[1].strip()
    except OSError:
        pass
    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "database": version,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def data_size() -> dict:
    return {
        "dossiers": Dossier.objects.count(),
        "events": DossierEvent.objects.count(),
        "wards": Ward.objects.count(),
    }


def summary(results: list[Result]) -> dict:
    """How many pages met their budgets, missed them, or could not be judged."""
    counts = {MET: 0, NOT_MET: 0, UNCHECKED: 0, ERROR: 0, UNAVAILABLE: 0}
    for r in results:
        if not r.baseline:
            counts[r.verdict] += 1
    return {key.replace(" ", "_"): value for key, value in counts.items()}


def as_json(results: list[Result], repeat: int) -> dict:
    return {
        "machine": machine(),
        "data": data_size(),
        "repeat": repeat,
        "summary": summary(results),
        "pages": [asdict(r) for r in results if not r.baseline],
        "admin_baseline": [asdict(r) for r in results if r.baseline],
    }


@dataclass(frozen=True)
class Change:
    """One page in two runs; None where a run did not measure it."""

    name: str
    old_p50_ms: float | None
    new_p50_ms: float | None
    old_p95_ms: float | None
    new_p95_ms: float | None
    old_queries: int | None
    new_queries: int | None
    old_verdict: str
    new_verdict: str

    @staticmethod
    def _percent(old: float | None, new: float | None) -> float | None:
        if old is None or new is None or old == 0:
            return None
        return round((new - old) / old * 100, 1)

    @property
    def p50_change(self) -> float | None:
        """The median's change in percent of the old one."""
        return self._percent(self.old_p50_ms, self.new_p50_ms)

    @property
    def p95_change(self) -> float | None:
        return self._percent(self.old_p95_ms, self.new_p95_ms)


def compare(old: dict, new: dict) -> list[Change]:
    """Every page of two bench JSON reports, in the new report's order, then pages it dropped."""

    def rows(report: dict) -> dict[str, dict]:
        listed = [*report.get("pages", []), *report.get("admin_baseline", [])]
        return {row["name"]: row for row in listed}

    before, after = rows(old), rows(new)
    names = list(after) + [name for name in before if name not in after]
    changes = []
    for name in names:
        a, b = before.get(name, {}), after.get(name, {})
        changes.append(
            Change(
                name=name,
                old_p50_ms=a.get("p50_ms"),
                new_p50_ms=b.get("p50_ms"),
                old_p95_ms=a.get("p95_ms"),
                new_p95_ms=b.get("p95_ms"),
                old_queries=a.get("queries"),
                new_queries=b.get("queries"),
                old_verdict=_verdict_of(a),
                new_verdict=_verdict_of(b),
            )
        )
    return changes


def _verdict_of(row: dict) -> str:
    if not row:
        return ""
    if row.get("baseline"):
        return BASELINE
    # Reports written before verdicts existed carry none.
    return row.get("verdict", "")
