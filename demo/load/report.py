"""Summaries for the load and soak runs: locust's statistics and the workers' memory.

    python -m demo.load.report load RUN_DIR/locust_stats.csv [--history H.csv] [--json OUT]
    python -m demo.load.report memory RUN_DIR/rss.csv
    python -m demo.load.report cpu RUN_DIR/summary.json CPU_S_BEFORE CPU_S_AFTER

`load` prints requests/s, p50/p95/p99 per endpoint and overall, failures and intakes/s, and
exits 1 when any request failed. `memory` prints each worker's first, last and largest
resident memory from the samples (elapsed_s,pid,rss_kb), so a growing worker is visible.
Standard library only: it runs without Django and without locust.
"""

import argparse
import csv
import json
import sys
from dataclasses import asdict, dataclass

INTAKE = "API intake"
AGGREGATED = "Aggregated"
LOGIN = "login: submit"


@dataclass
class Row:
    name: str
    method: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    max: float


def _number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):  # "N/A" when an endpoint saw no request
        return 0.0


def read_stats(path: str) -> list[Row]:
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            rows.append(
                Row(
                    name=record["Name"],
                    method=record["Type"],
                    requests=int(_number(record["Request Count"])),
                    failures=int(_number(record["Failure Count"])),
                    rps=_number(record["Requests/s"]),
                    p50=_number(record["50%"]),
                    p95=_number(record["95%"]),
                    p99=_number(record["99%"]),
                    max=_number(record["Max Response Time"]),
                )
            )
    return rows


def summary(rows: list[Row]) -> dict:
    total = next((r for r in rows if r.name == AGGREGATED), None)
    intake = next((r for r in rows if r.name == INTAKE), None)
    return {
        "requests": total.requests if total else 0,
        "failures": total.failures if total else 0,
        "requests_per_s": total.rps if total else 0.0,
        "intakes": intake.requests if intake else 0,
        "intakes_per_s": intake.rps if intake else 0.0,
        "endpoints": [asdict(r) for r in rows],
    }


def steady_rates(path: str) -> dict | None:
    """Rates once every user has started and signed in, from locust's history.

    The history (--csv-full-history) holds, every second or so, each endpoint's running total;
    the rate is the growth of that total between the first row at full strength and the last.
    """
    totals: dict[str, list[tuple[int, int, int]]] = {}
    peak = 0
    with open(path, newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            users = int(_number(record["User Count"]))
            peak = max(peak, users)
            totals.setdefault(record["Name"], []).append(
                (int(record["Timestamp"]), users, int(_number(record["Total Request Count"])))
            )
    window = [row for row in totals.get(AGGREGATED, []) if row[1] == peak]
    logins = totals.get(LOGIN, [])
    if logins:  # and every one of them signed in
        signed_in = next(row[0] for row in logins if row[2] == logins[-1][2])
        window = [row for row in window if row[0] >= signed_in]
    if peak == 0 or len(window) < 2 or window[-1][0] <= window[0][0]:
        return None
    start, end = window[0][0], window[-1][0]

    def rate(name: str) -> float:
        rows = [row for row in totals.get(name, []) if start <= row[0] <= end]
        if len(rows) < 2:
            return 0.0
        return (rows[-1][2] - rows[0][2]) / (end - start)

    return {
        "users": peak,
        "seconds": end - start,
        "requests_per_s": round(rate(AGGREGATED), 1),
        "intakes_per_s": round(rate(INTAKE), 1),
    }


def format_table(rows: list[Row]) -> str:
    header = (
        f"{'endpoint':<28} {'method':<6} {'requests':>9} {'req/s':>8} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        if r.name == AGGREGATED:
            lines.append("-" * len(header))
        lines.append(
            f"{r.name:<28} {r.method:<6} {r.requests:>9} {r.rps:>8.1f} {r.p50:>7.0f} "
            f"{r.p95:>7.0f} {r.p99:>7.0f} {r.max:>7.0f} {r.failures:>6}"
        )
    return "\n".join(lines)


def load_report(path: str, json_path: str | None, history: str | None = None) -> int:
    rows = read_stats(path)
    facts = summary(rows)
    print(format_table(rows))
    print(
        f"\n{facts['requests']} requests, {facts['requests_per_s']:.1f} requests/s, "
        f"{facts['intakes']} intakes ({facts['intakes_per_s']:.1f} intakes/s), "
        f"{facts['failures']} errors"
    )
    steady = steady_rates(history) if history else None
    if steady:
        facts["steady"] = steady
        print(
            f"with all {steady['users']} users signed in and working ({steady['seconds']} s): "
            f"{steady['requests_per_s']:.1f} requests/s, {steady['intakes_per_s']:.1f} intakes/s"
        )
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(facts, f, ensure_ascii=False, indent=1)
    if not facts["requests"]:
        print("no request was made", file=sys.stderr)
        return 1
    return 1 if facts["failures"] else 0


def read_memory(path: str) -> dict[str, list[tuple[float, int]]]:
    samples: dict[str, list[tuple[float, int]]] = {}
    with open(path, newline="", encoding="utf-8") as f:
        for record in csv.DictReader(f):
            samples.setdefault(record["pid"], []).append(
                (float(record["elapsed_s"]), int(record["rss_kb"]))
            )
    return samples


def memory_report(path: str) -> int:
    samples = read_memory(path)
    if not samples:
        print("no memory sample", file=sys.stderr)
        return 1
    print(f"{'worker pid':>10} {'samples':>8} {'first MB':>9} {'last MB':>8} {'max MB':>7}")
    for pid, values in sorted(samples.items()):
        rss = [kb for _, kb in sorted(values)]
        print(
            f"{pid:>10} {len(rss):>8} {rss[0] / 1024:>9.1f} {rss[-1] / 1024:>8.1f} "
            f"{max(rss) / 1024:>7.1f}"
        )
    return 0


def cpu_report(summary_path: str, before: float, after: float) -> int:
    """The workers' CPU per request: a cost that does not depend on how busy the machine is."""
    with open(summary_path, encoding="utf-8") as f:
        facts = json.load(f)
    seconds = after - before
    requests = facts.get("requests", 0)
    per_request = 1000 * seconds / requests if requests else 0.0
    facts["worker_cpu_s"] = round(seconds, 2)
    facts["worker_cpu_ms_per_request"] = round(per_request, 1)
    with open(summary_path, "w", encoding="utf-8") as f:
        json.dump(facts, f, ensure_ascii=False, indent=1)
    print(
        f"gunicorn workers: {seconds:.1f} CPU-seconds for {requests} requests "
        f"({per_request:.1f} ms of CPU per request; PostgreSQL's not included)"
    )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.load.report")
    sub = parser.add_subparsers(dest="what", required=True)
    load = sub.add_parser("load", help="locust's *_stats.csv")
    load.add_argument("stats")
    load.add_argument("--json", dest="json_path")
    load.add_argument("--history", help="locust's *_stats_history.csv (--csv-full-history)")
    memory = sub.add_parser("memory", help="RSS samples: elapsed_s,pid,rss_kb")
    memory.add_argument("samples")
    cpu = sub.add_parser("cpu", help="workers' CPU seconds before and after the run")
    cpu.add_argument("summary")
    cpu.add_argument("before", type=float)
    cpu.add_argument("after", type=float)
    args = parser.parse_args(argv)
    if args.what == "cpu":
        return cpu_report(args.summary, args.before, args.after)
    if args.what == "load":
        return load_report(args.stats, args.json_path, args.history)
    return memory_report(args.samples)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
