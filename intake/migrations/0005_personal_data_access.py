"""The personal-data access log; on PostgreSQL its table refuses UPDATE and DELETE, as the
dossier events' table does (0003), whatever the code path."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARD = [
    """
    CREATE OR REPLACE FUNCTION intake_personaldataaccess_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'intake_personaldataaccess is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS personaldataaccess_append_only ON intake_personaldataaccess",
    "CREATE TRIGGER personaldataaccess_append_only BEFORE UPDATE OR DELETE "
    "ON intake_personaldataaccess FOR EACH ROW "
    "EXECUTE FUNCTION intake_personaldataaccess_append_only()",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS personaldataaccess_append_only ON intake_personaldataaccess",
    "DROP FUNCTION IF EXISTS intake_personaldataaccess_append_only()",
]


def _run(schema_editor, statements):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A plain cursor: the function body's "%" must reach PostgreSQL unformatted.
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_dossier_files"),
        ("wards", "0002_calendar_exception_revocation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonalDataAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="thời điểm")),
                ("role", models.CharField(blank=True, max_length=20, verbose_name="vai trò")),
                ("export", models.CharField(blank=True, max_length=60, verbose_name="tệp xuất")),
                ("params", models.JSONField(blank=True, default=dict, verbose_name="tham số")),
                (
                    "city",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wards.city",
                        verbose_name="thành phố",
                    ),
                ),
                (
                    "dossier",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="intake.dossier",
                        verbose_name="hồ sơ",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="người xem",
                    ),
                ),
                (
                    "ward",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="wards.ward",
                        verbose_name="phường",
                    ),
                ),
            ],
            options={
                "verbose_name": "lần truy cập dữ liệu cá nhân",
                "verbose_name_plural": "nhật ký truy cập dữ liệu cá nhân",
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["ward", "-at", "-id"], name="pda_ward_at"),
                    models.Index(fields=["city", "-at", "-id"], name="pda_city_at"),
                    models.Index(fields=["dossier", "-at"], name="pda_dossier_at"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("dossier__isnull", False),
                            models.Q(("export", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="pda_names_dossier_or_export",
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
