"""A term reads the same everywhere it is shown: "trong ngày" for a same-day procedure, never
"0 ngày làm việc"; "15 ngày" for a term in calendar days."""

import pytest
from django.urls import reverse

from intake.models.catalogue import term_text
from tests.intake.factories import DossierFactory, ProcedureFactory


@pytest.mark.parametrize(
    ("days", "unit", "text"),
    [
        (0, "working_days", "trong ngày"),
        (0, "calendar_days", "trong ngày"),
        (3, "working_days", "3 ngày làm việc"),
        (15, "calendar_days", "15 ngày"),
    ],
)
def test_the_one_rendering(days, unit, text):
    assert term_text(days, unit) == text


def test_a_same_day_procedure_reads_in_the_day_on_every_page(client, world):
    same_day = ProcedureFactory(processing_days=0, code="1.000002", name="Chứng thực bản sao")
    dossier = DossierFactory(ward=world.ward, procedure=same_day, processing_days=0)
    pages = {}
    client.force_login(world.officer)
    pages["detail"] = client.get(reverse("intake:dossier-detail", args=[dossier.code]))
    client.force_login(world.city_admin)
    pages["catalogue"] = client.get(reverse("catalogue:list"))
    pages["calendar preview"] = client.post(
        reverse("wards:calendar"),
        {
            "date": "11/12/2026",
            "kind": "day_off",
            "note": "",
            "sample_procedure": same_day.code,
            "sample_received_at": "09/12/2026 09:00",
            "preview": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    for name, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, name
        assert "trong ngày" in html, name
        assert "0 ngày làm việc" not in html, name


def test_the_calendar_preview_names_a_term_in_calendar_days_as_such(client, world):
    procedure = ProcedureFactory(processing_days=15, term_unit="calendar_days", code="1.000003")
    client.force_login(world.city_admin)
    html = client.post(
        reverse("wards:calendar"),
        {
            "date": "11/12/2026",
            "kind": "day_off",
            "note": "",
            "sample_procedure": procedure.code,
            "sample_received_at": "09/12/2026 09:00",
            "preview": "1",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "(thời hạn 15 ngày)" in html
    assert "ngày làm việc)" not in html
