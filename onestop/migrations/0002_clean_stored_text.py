"""Rows stored before the policy for stored text (onestop.text) are cleaned: characters no
document can carry (U+FFFE, control characters…) and invisible ones (zero-width, BOM, soft
hyphen…) are removed from every text column of this app, each change logged (model, field,
row id). No row is deleted; nothing to undo."""

from django.db import migrations

from onestop.text import clean_app_text


def clean(apps, schema_editor):
    clean_app_text(apps, "onestop")


class Migration(migrations.Migration):
    dependencies = [("onestop", "0001_initial")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
