"""`check_report_figures --rebuild --background`: the rebuild as a task, its progress by ward."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from intake.models import DailyFigures
from onestop.models import BackgroundTask
from tests.onestop.tasks_for_tests import drain
from tests.reports.scenario import build_march
from wards.models import Ward


@pytest.mark.django_db(transaction=True)
def test_the_rebuild_runs_in_the_background_and_puts_a_wrong_cell_right(world, settings, capsys):
    settings.INTAKE_RULES = []
    build_march(world)
    cell = DailyFigures.objects.filter(ward=world.ward, received_direct__gt=0).first()
    wrong = cell.received_direct + 7
    DailyFigures.objects.filter(pk=cell.pk).update(received_direct=wrong)

    call_command("check_report_figures", "--rebuild", "--background")
    record = BackgroundTask.objects.get()
    assert str(record.pk) in capsys.readouterr().out
    assert (record.state, record.city, record.requested_by) == ("queued", None, None)
    cell.refresh_from_db()
    assert cell.received_direct == wrong  # nothing rebuilt yet: the command only asked

    drain()
    record.refresh_from_db()
    wards = Ward.objects.count()
    assert (record.state, record.progress_done, record.progress_total) == ("done", wards, wards)
    cell.refresh_from_db()
    assert cell.received_direct == wrong - 7
    call_command("check_report_figures")
    assert "khớp" in capsys.readouterr().out


def test_background_goes_with_rebuild_only(db):
    with pytest.raises(CommandError, match="--rebuild"):
        call_command("check_report_figures", "--background")
