import json

from django.core.management.base import BaseCommand, CommandError

from onestop.bench import Bench, as_json


class Command(BaseCommand):
    help = (
        "Đo thời gian phía máy chủ của các trang chính (trung vị, p95, số truy vấn SQL, "
        "truy vấn chính) và so với trang danh sách của Django admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=30, help="số lần đo mỗi trang")
        parser.add_argument("--json", dest="json_path", help="ghi kết quả ra tệp JSON")
        parser.add_argument("--seed", type=int, default=1, help="--seed đã dùng khi sinh dữ liệu")

    def handle(self, *args, repeat, json_path, seed, **options):
        if repeat < 1:
            raise CommandError("--repeat phải lớn hơn 0.")
        bench = Bench(repeat=repeat, seed=seed)
        try:
            results = bench.run(progress=lambda name: self.stderr.write(f"… {name}"))
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = as_json(results, repeat)
        data = report["data"]
        self.stdout.write(
            f"{data['dossiers']:,} hồ sơ, {data['events']:,} sự kiện, {data['wards']} phường; "
            f"{repeat} lần đo mỗi trang; {report['machine']['database']}"
        )
        header = (
            f"{'trang':<38} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4} {'SQL chính ms':>13} {'HTTP':>5}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for r in results:
            mark = " (admin)" if r.baseline else ""
            if r.note:
                self.stdout.write(f"{r.name + mark:<38} {r.note}")
                continue
            self.stdout.write(
                f"{r.name + mark:<38} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.queries:>4} "
                f"{r.sql_ms:>13.1f} {r.status:>5}"
            )
        if json_path:
            with open(json_path, "w", encoding="utf-8") as f:
                json.dump(report, f, ensure_ascii=False, indent=2)
            self.stdout.write(f"JSON: {json_path}")
