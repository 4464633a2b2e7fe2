from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from demo.seed import STEPS
from demo.seed.accounts import demo_accounts


class Command(BaseCommand):
    help = "Nạp dữ liệu demo (phường, quầy, thủ tục, tài khoản, hồ sơ). Chạy lại an toàn."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Cho phép chạy khi DEBUG tắt (không dùng trên hệ thống thật).",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo tạo tài khoản với mật khẩu demo; chỉ chạy khi DEBUG bật, "
                "hoặc thêm --force nếu chắc chắn đây không phải hệ thống thật."
            )
        for step in STEPS:
            self.stdout.write(f"{step}…")
            with transaction.atomic():
                import_string(step)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Dữ liệu demo đã sẵn sàng."))
        self.stdout.write(f"Mật khẩu mọi tài khoản demo: {settings.DEMO_PASSWORD}")
        for account in demo_accounts():
            place = account.get("ward") or account.get("city")
            self.stdout.write(f"  {account['username']:<28} {account['role'].label:<26} {place}")
