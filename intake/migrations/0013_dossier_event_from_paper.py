"""DossierEvent.from_paper: the step was taken on paper before the dossier was entered.

Schema only. A boolean column with a constant database default: PostgreSQL 11 and later add
it without rewriting the event log (and the append-only trigger, which guards updates and
deletes, is not involved); every existing event reads False. postal 0005 then marks the steps
it records for old paper dossiers.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0012_supplement_restart_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossierevent",
            name="from_paper",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="theo hồ sơ giấy"
            ),
        ),
    ]
