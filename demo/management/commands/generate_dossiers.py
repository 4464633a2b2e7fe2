import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo.generate.dossiers import DossierGenerator
from demo.generate.tickets import TicketHistory
from wards.models import Ward


class Command(BaseCommand):
    help = (
        "Sinh dữ liệu hồ sơ lớn, như thật, cho các phường đang có (để đo hiệu năng). "
        "Chạy seed_demo trước."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True, help="số hồ sơ")
        parser.add_argument("--years", type=float, default=5, help="trải trong bao nhiêu năm")
        parser.add_argument("--seed", type=int, default=1, help="hạt giống ngẫu nhiên")
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="số tiến trình sinh dữ liệu (mặc định: mỗi lõi một tiến trình khi sinh nhiều)",
        )
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")
        parser.add_argument(
            "--ticket-days",
            type=int,
            default=0,
            help="thêm số thứ tự xếp hàng của bao nhiêu ngày qua (365: một năm; mặc định 0: không)",
        )
        parser.add_argument(
            "--tickets-per-day",
            type=int,
            default=120,
            help="số thứ tự trung bình mỗi phường mỗi ngày",
        )
        parser.add_argument(
            "--ticket-ward",
            action="append",
            default=[],
            metavar="SLUG",
            help="chỉ sinh số thứ tự ở phường này (lặp lại được; mặc định: mọi phường có "
            "nhóm dịch vụ)",
        )

    def handle(self, *args, count, years, seed, processes, no_progress, **options):
        ticket_days, per_day = options["ticket_days"], options["tickets_per_day"]
        if count < 1:
            raise CommandError("--count phải lớn hơn 0.")
        if ticket_days < 0 or per_day < 1:
            raise CommandError("--ticket-days không được âm và --tickets-per-day phải lớn hơn 0.")
        ticket_wards = None
        if options["ticket_ward"]:
            ticket_wards = list(Ward.objects.filter(active=True, slug__in=options["ticket_ward"]))
            missing = set(options["ticket_ward"]) - {w.slug for w in ticket_wards}
            if missing:
                raise CommandError(f"Không có phường: {', '.join(sorted(missing))}.")
        if years <= 0:
            raise CommandError("--years phải lớn hơn 0.")
        if processes is not None and processes < 1:
            raise CommandError("--processes phải lớn hơn 0.")
        started = time.perf_counter()
        # No monitor thread: the generator forks its worker processes, and forking a process
        # that runs threads can deadlock the children.
        tqdm.monitor_interval = 0
        with tqdm(
            total=count, unit="hồ sơ", disable=no_progress, file=self.stderr._out, smoothing=0.1
        ) as bar:
            generator = DossierGenerator(
                count=count, years=years, seed=seed, processes=processes, progress=bar.update
            )
            try:
                stats = generator.run()
            except ValueError as error:
                raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        late_share = stats.late / stats.resolved if stats.resolved else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"{stats.dossiers} hồ sơ, {stats.events} sự kiện, {stats.deliveries} bưu gửi, "
                f"{stats.assignments} phân công trong {elapsed:.1f} giây "
                f"({stats.dossiers / elapsed:,.0f} hồ sơ/giây); trễ hạn {late_share:.1%}."
            )
        )
        for status, number in sorted(stats.by_status.items()):
            self.stdout.write(f"  {status:<18} {number:>9}")
        if ticket_days:
            started = time.perf_counter()
            tickets = TicketHistory(
                days=ticket_days,
                per_day=per_day,
                seed=seed,
                now=generator.now,
                wards=ticket_wards,
            ).run()
            self.stdout.write(
                self.style.SUCCESS(
                    f"{tickets.tickets} số thứ tự, {tickets.events} sự kiện, "
                    f"{tickets.figure_rows} dòng số liệu xếp hàng "
                    f"trong {time.perf_counter() - started:.1f} giây."
                )
            )
