"""The national table of the Government's day swaps (wards.OfficialSwap).

Schema only. Its rows come from wards/data/official_swaps.csv, loaded after every `migrate` by
the post_migrate receiver in WardsConfig (wards.official_swaps.load_after_migrate), which also
tells every city's calendar change so the report figures recount their working days.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wards", "0003_clean_stored_text"),
    ]

    operations = [
        migrations.CreateModel(
            name="OfficialSwap",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("date", models.DateField(verbose_name="ngày")),
                (
                    "kind",
                    models.CharField(
                        choices=[("day_off", "Nghỉ"), ("working_day", "Làm bù")],
                        max_length=12,
                        verbose_name="loại",
                    ),
                ),
                ("document", models.CharField(max_length=200, verbose_name="văn bản")),
                (
                    "document_date",
                    models.DateField(blank=True, null=True, verbose_name="ngày văn bản"),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="ghi chú")),
                ("loaded_at", models.DateTimeField(auto_now_add=True, verbose_name="nạp lúc")),
                (
                    "superseded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="bị thay lúc"),
                ),
                (
                    "superseded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wards.officialswap",
                        verbose_name="thay bằng",
                    ),
                ),
            ],
            options={
                "verbose_name": "ngày hoán đổi theo văn bản",
                "verbose_name_plural": "ngày hoán đổi theo văn bản",
                "ordering": ["date"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("superseded_at__isnull", True)),
                        fields=("date",),
                        name="official_swap_one_current_per_day",
                    ),
                    models.UniqueConstraint(
                        fields=("date", "kind", "document"), name="official_swap_unique_row"
                    ),
                ],
            },
        ),
    ]
