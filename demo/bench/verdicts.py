"""The budgets of issue 7 and a page's verdict against them, in figures and in words (pure).

On a million dossiers:
- every back-office page and API list: p95 ≤ 50 ms, a median at most a tenth of the Django
  admin changelist's on the same data and filter (where the admin can filter the same way),
  and at most twice the time of its own SQL (all its queries);
- at most 10 SQL queries on every page;
- intake (form or API): p95 ≤ 100 ms; the city's Biểu 06 for a year ≤ 100 ms; the pilot
  report ≤ 150 ms (the city reports page shows both, so it has the pilot report's budget).
"""

from dataclasses import dataclass

MAX_QUERIES = 10


@dataclass(frozen=True)
class Budget:
    """What a page may cost; None: the rule does not apply to the page."""

    p95_ms: float | None = None
    max_queries: int | None = MAX_QUERIES
    admin_share: float | None = None  # median ≤ this share of its admin baseline's median
    sql_factor: float | None = None  # median ≤ this many times its own SQL's time


BACK_OFFICE = Budget(p95_ms=50, sql_factor=2)
BACK_OFFICE_LIST = Budget(p95_ms=50, admin_share=0.1, sql_factor=2)
INTAKE = Budget(p95_ms=100)
BIEU06 = Budget(p95_ms=100)
PILOT_REPORT = Budget(p95_ms=150)
PUBLIC = Budget()  # issue 7 sets only the query count for the citizens' page

# Verdicts, as the JSON writes them.
MET = "met"
NOT_MET = "not met"
UNCHECKED = "unchecked"  # no rule broken, but the admin baseline could not be measured
ERROR = "error"  # an answer was not the right page: nothing timed
UNAVAILABLE = "unavailable"  # not requested: no such page, user or dossier on this data
BASELINE = "baseline"  # an admin changelist, measured for comparison only


@dataclass(frozen=True)
class Check:
    """One rule of a budget: its limit, the measured value, and whether the value keeps it.

    `met` is None when the rule could not be checked (its admin baseline was not measured).
    """

    rule: str  # "p95", "queries", "admin", "sql"
    limit: float | None
    actual: float
    met: bool | None


def judge(
    *,
    budget: Budget,
    p50_ms: float,
    p95_ms: float,
    queries: int,
    sql_total_ms: float,
    admin_p50_ms: float | None,
) -> list[Check]:
    """The checks of `budget` against one page's figures (admin_p50_ms: its baseline's median)."""
    checks = []
    if budget.p95_ms is not None:
        checks.append(Check("p95", budget.p95_ms, p95_ms, p95_ms <= budget.p95_ms))
    if budget.max_queries is not None:
        checks.append(Check("queries", budget.max_queries, queries, queries <= budget.max_queries))
    if budget.admin_share is not None:
        if admin_p50_ms is None:
            checks.append(Check("admin", None, p50_ms, None))
        else:
            limit = round(admin_p50_ms * budget.admin_share, 2)
            checks.append(Check("admin", limit, p50_ms, p50_ms <= limit))
    if budget.sql_factor is not None:
        limit = round(sql_total_ms * budget.sql_factor, 2)
        checks.append(Check("sql", limit, p50_ms, p50_ms <= limit))
    return checks


def verdict(checks: list[Check]) -> str:
    """met, not met (some rule broken), or unchecked (none broken, some not checkable)."""
    if any(c.met is False for c in checks):
        return NOT_MET
    if any(c.met is None for c in checks):
        return UNCHECKED
    return MET


# --- words for the table (Vietnamese, as the command prints them) --------------------------


def broken_text(check: dict, budget: dict) -> str:
    """One broken rule in words, with the measured value and the limit it passed."""
    actual, limit = check["actual"], check["limit"]
    if check["rule"] == "p95":
        return f"p95 {actual:g} > {limit:g} ms"
    if check["rule"] == "queries":
        return f"{actual:g} truy vấn SQL > {limit:g}"
    if check["rule"] == "admin":
        share = budget["admin_share"]
        return f"trung vị {actual:g} > {limit:g} ms ({share:g} × trung vị trang admin)"
    return f"trung vị {actual:g} > {limit:g} ms ({budget['sql_factor']:g} × thời gian SQL)"


def verdict_text(row: dict) -> str:
    """A page's verdict in words: met, or which rules it broke and by how much."""
    state = row.get("verdict", "")
    if state == MET:
        return "đạt"
    if state == BASELINE:
        return "mốc so sánh"
    if state == ERROR:
        return f"LỖI: {row.get('problem', '')}"
    if state == UNAVAILABLE:
        return f"không đo: {row.get('problem', '')}"
    checks = row.get("checks", [])
    budget = row.get("budget") or {}
    broken = [broken_text(c, budget) for c in checks if c["met"] is False]
    if broken:
        return "KHÔNG ĐẠT: " + "; ".join(broken)
    if state == UNCHECKED:
        return f"chưa so được với {row.get('versus', 'trang admin')}; các quy tắc khác đạt"
    return state
