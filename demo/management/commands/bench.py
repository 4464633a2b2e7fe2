import json

from django.core.management.base import BaseCommand, CommandError

from demo.bench.measure import Bench
from demo.bench.measure import explain as explain_plan
from demo.bench.report import as_json, compare
from demo.bench.verdicts import verdict_text

NAME_WIDTH = 46
# The verdicts as the JSON writes them, in words.
VERDICTS = {
    "met": "đạt",
    "not met": "không đạt",
    "unchecked": "chưa so được",
    "error": "lỗi",
    "unavailable": "không đo",
    "baseline": "mốc so sánh",
}


def _number(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _percent(value) -> str:
    return "" if value is None else f" ({value:+.0f}%)"


class Command(BaseCommand):
    help = (
        "Đo thời gian phía máy chủ của các trang chính (trung vị, p95, số truy vấn SQL, truy vấn "
        "chính, tổng thời gian SQL), so với trang danh sách của Django admin và đánh giá theo "
        "ngân sách hiệu năng; --compare so hai lần đo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="số lần đo mỗi trang")
        parser.add_argument("--json", dest="json_path", help="ghi kết quả ra tệp JSON")
        parser.add_argument("--seed", type=int, default=1, help="--seed đã dùng khi sinh dữ liệu")
        parser.add_argument(
            "--explain",
            metavar="TXT",
            help="ghi kế hoạch thực thi (EXPLAIN ANALYZE) của truy vấn chính mỗi trang ra tệp",
        )
        parser.add_argument(
            "--compare",
            nargs="+",
            metavar="JSON",
            help=(
                "so với một lần đo trước (tệp JSON của --json); với hai tệp CŨ MỚI: chỉ so hai "
                "tệp, không đo"
            ),
        )

    def handle(self, *args, repeat, json_path, seed, compare, explain, **options):
        if compare and len(compare) > 2:
            raise CommandError("--compare nhận một tệp (so với lần đo này) hoặc hai tệp CŨ MỚI.")
        if compare and len(compare) == 2:
            self._compare(compare[0], self._read(compare[0]), self._read(compare[1]))
            return
        old = self._read(compare[0]) if compare else None
        if repeat < 1:
            raise CommandError("--repeat phải lớn hơn 0.")
        bench = Bench(repeat=repeat, seed=seed)
        try:
            results = bench.run(progress=lambda name: self.stderr.write(f"… {name}"))
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = as_json(results, repeat)
        self._table(report)
        if json_path:
            with open(json_path, "w", encoding="utf-8") as f:
                json.dump(report, f, ensure_ascii=False, indent=2)
            self.stdout.write(f"JSON: {json_path}")
        if explain:
            self._explain(explain, bench)
        if old is not None:
            self._compare(compare[0], old, report)

    def _explain(self, path: str, bench: Bench) -> None:
        with open(path, "w", encoding="utf-8") as f:
            for name, sql in bench.main_queries.items():
                plan = explain_plan(sql)
                if plan:
                    f.write(f"== {name}\n{sql}\n\n{plan}\n\n")
        self.stdout.write(f"EXPLAIN: {path}")

    def _read(self, path: str) -> dict:
        try:
            with open(path, encoding="utf-8") as f:
                report = json.load(f)
        except (OSError, ValueError) as error:
            raise CommandError(f"Không đọc được {path}: {error}") from error
        if not isinstance(report, dict) or not isinstance(report.get("pages"), list):
            raise CommandError(f"{path} không phải kết quả của bench --json.")
        return report

    def _table(self, report: dict) -> None:
        data = report["data"]
        self.stdout.write(
            f"{data['dossiers']:,} hồ sơ, {data['events']:,} sự kiện, {data['wards']} phường; "
            f"{report['repeat']} lần đo mỗi trang; {report['machine']['database']}"
        )
        header = (
            f"{'trang':<{NAME_WIDTH}} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4} "
            f"{'SQL chính ms':>13} {'SQL tổng ms':>12} {'HTTP':>5}  đánh giá"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in [*report["pages"], *report["admin_baseline"]]:
            name = row["name"] + (" (admin)" if row["baseline"] else "")
            self.stdout.write(
                f"{name:<{NAME_WIDTH}} {_number(row['p50_ms']):>8} {_number(row['p95_ms']):>8} "
                f"{_number(row['queries'], 0):>4} {_number(row['sql_ms']):>13} "
                f"{_number(row['sql_total_ms']):>12} {_number(row['status'], 0):>5}  "
                f"{verdict_text(row)}"
            )
        counts = report["summary"]
        self.stdout.write(
            f"Ngân sách: {counts['met']} trang đạt, {counts['not_met']} không đạt, "
            f"{counts['unchecked']} chưa so được, {counts['error']} lỗi, "
            f"{counts['unavailable']} không đo."
        )

    def _compare(self, old_path: str, old: dict, new: dict) -> None:
        when = old.get("machine", {}).get("at", "?")
        size = old.get("data", {}).get("dossiers")
        size_text = f"{size:,} hồ sơ" if isinstance(size, int) else "?"
        self.stdout.write(f"So với {old_path} ({when}, {size_text}):")
        header = (
            f"{'trang':<{NAME_WIDTH}} {'p50 cũ → mới ms':>26} {'p95 cũ → mới ms':>26} "
            f"{'SQL cũ → mới':>13}  đánh giá cũ → mới"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for change in compare(old, new):
            p50 = (
                f"{_number(change.old_p50_ms)} → {_number(change.new_p50_ms)}"
                f"{_percent(change.p50_change)}"
            )
            p95 = (
                f"{_number(change.old_p95_ms)} → {_number(change.new_p95_ms)}"
                f"{_percent(change.p95_change)}"
            )
            queries = f"{_number(change.old_queries, 0)} → {_number(change.new_queries, 0)}"
            verdicts = " → ".join(
                VERDICTS.get(v, v) or "—" for v in (change.old_verdict, change.new_verdict)
            )
            self.stdout.write(
                f"{change.name:<{NAME_WIDTH}} {p50:>26} {p95:>26} {queries:>13}  {verdicts}"
            )
