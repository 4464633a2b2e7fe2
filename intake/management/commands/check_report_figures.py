import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from intake import figures
from intake.models import DailyFigures, DailyProcedureFigures
from intake.tasks import figures_rebuild
from onestop.tasks import task_enqueue


class Command(BaseCommand):
    help = (
        "Kiểm tra bảng số liệu báo cáo theo ngày: mỗi ô phải bằng số liệu tính lại từ hồ sơ "
        "và sự kiện. --rebuild ghi lại bảng từ hồ sơ (sau khi nạp dữ liệu hàng loạt)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="tính lại và ghi đè bảng số liệu theo ngày"
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="với --rebuild: giao việc cho tiến trình nền (xem trang Tác vụ nền) rồi thoát",
        )

    def handle(self, *args, rebuild, background, **options):
        started = time.perf_counter()
        if background and not rebuild:
            raise CommandError("--background chỉ dùng cùng --rebuild.")
        if background:
            with transaction.atomic():
                record = task_enqueue(
                    figures_rebuild, key=f"intake.figures-rebuild:{uuid.uuid4().hex}"
                )
            self.stdout.write(f"Đã giao việc tính lại cho tiến trình nền: tác vụ {record.pk}.")
            return
        if rebuild:
            rows = figures.rebuild()
            self.stdout.write(
                f"Đã tính lại {rows} dòng của hai bảng số liệu theo ngày "
                f"trong {time.perf_counter() - started:.1f} giây."
            )
            for kept in figures.registered():
                self.stdout.write(f"{kept.name}: đã tính lại {kept.rebuild()} dòng.")
            return
        wrong_elsewhere = 0
        for kept in figures.registered():
            others = kept.differences()
            for *key, column, have, want in others[:50]:
                where = ", ".join(str(value) for value in key)
                self.stderr.write(
                    f"{kept.name}: {where}, {column}: bảng ghi {have}, tính lại {want}"
                )
            if not others:
                self.stdout.write(f"{kept.name}: khớp số liệu tính lại.")
            wrong_elsewhere += len(others)
        wrong = figures.differences()
        for table, *key, day, column, have, want in wrong[:50]:
            where = ", ".join(
                f"{name} {value}" for name, value in zip(("phường", "thủ tục"), key, strict=False)
            )
            self.stderr.write(
                f"{table}: {where}, ngày {day:%d/%m/%Y}, {column}: bảng ghi {have}, tính lại {want}"
            )
        if wrong or wrong_elsewhere:
            raise CommandError(
                f"{len(wrong) + wrong_elsewhere} ô của bảng số liệu theo ngày khác số liệu "
                "tính lại từ hồ sơ; "
                "chạy lại với --rebuild để sửa."
            )
        rows = DailyFigures.objects.count()
        by_procedure = DailyProcedureFigures.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{rows} dòng (phường × ngày) và {by_procedure} dòng (phường × thủ tục × ngày) "
                "khớp số liệu tính lại từ hồ sơ "
                f"({time.perf_counter() - started:.1f} giây)."
            )
        )
