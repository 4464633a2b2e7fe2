import pytest
from django.core.management import CommandError, call_command

from intake.integrity import dossier_code_gaps
from intake.models import DossierSequence
from intake.services import dossier_receive
from tests.intake.factories import ProcedureFactory


def receive(world, procedure, n):
    for i in range(n):
        dossier_receive(
            user=world.officer,
            procedure=procedure,
            channel=1,
            applicant_name=f"Lê Thị Hoa {i}",
            applicant_id_number="074190001234",
            applicant_address="3 Yersin",
        )


def test_codes_numbered_by_the_services_have_no_gaps(world, capsys):
    receive(world, ProcedureFactory(), 3)
    assert dossier_code_gaps() == []
    call_command("check_dossier_codes")
    assert "3 hồ sơ" in capsys.readouterr().out


def test_a_skipped_number_is_reported(world):
    receive(world, ProcedureFactory(), 2)
    sequence = DossierSequence.objects.get()
    sequence.last_number = 5
    sequence.save()
    [gap] = dossier_code_gaps()
    assert (gap.ward_id, gap.numbers, gap.highest, gap.sequence) == (world.ward.pk, 2, 2, 5)
    with pytest.raises(CommandError, match="1 ngày"):
        call_command("check_dossier_codes")
