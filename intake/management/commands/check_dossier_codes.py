from django.core.management.base import BaseCommand, CommandError

from intake.integrity import dossier_code_gaps
from intake.models import Dossier


class Command(BaseCommand):
    help = (
        "Kiểm tra mã hồ sơ: mỗi phường, mỗi ngày đánh số liên tục 0001…N, không trùng, không bỏ số."
    )

    def handle(self, *args, **options):
        gaps = dossier_code_gaps()
        total = Dossier.objects.count()
        duplicates = total - Dossier.objects.values("code").distinct().count()
        for gap in gaps[:50]:
            self.stderr.write(
                f"phường {gap.ward_id}, ngày {gap.day}: {gap.numbers} hồ sơ, số lớn nhất "
                f"{gap.highest}, bộ đếm {gap.sequence}"
            )
        if gaps or duplicates:
            raise CommandError(
                f"{len(gaps)} ngày có mã bị bỏ số hoặc lệch bộ đếm; {duplicates} mã trùng."
            )
        self.stdout.write(
            self.style.SUCCESS(f"{total} hồ sơ: mã liên tục, không trùng, không bỏ số.")
        )
