"""The supplement restart (Decree 61/2018 Art. 19, kept by Decree 118/2025): what this migration
did to the data already stored — nothing, on purpose, and why.

Until now a completed supplement moved the appointment by the working time the dossier waited
for the citizen (`paused_seconds`); from now on it restarts the full term from the completion
(intake.services.steps). This migration rewrites no row:

* Dossiers completed before it keep the appointment they were given then: it is what their
  receipt, their events (the SUPPLEMENT event's `appointment_at`) and the reports already said,
  and history is never rewritten. Their `paused_seconds` stays as the record of the wait.
* Dossiers waiting for the citizen now (status needs_supplement, `paused_since` set) keep their
  pause; when the citizen completes them, the new rule gives them the full term from that moment.
* 0011 gave every procedure and dossier the term unit "working_days", which is what every
  appointment stored so far was computed in, and an empty supplement window (the edition's).

Because no appointment changes, the daily figures (intake.figures) stay equal to their
recomputation and need no rebuild; `manage.py check_report_figures` proves it after migrating,
and `manage.py check_report_figures --rebuild` would rewrite them if it ever did not.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "0011_procedure_term_unit_and_supplement_window")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
