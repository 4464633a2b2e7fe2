"""Every export writes text typed by people as text, never as a formula (OWASP CSV injection).

Names, addresses, procedure and field names, ward and city names start with each of OWASP's
formula prefixes (also after spaces, and in their full-width forms); each export is read back
and no cell is a formula, no CSV cell starts (after trimming) with an unescaped prefix.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from intake.services import dossier_receive
from onestop import clock
from onestop.spreadsheets import FORMULA_PREFIXES, csv_value, looks_like_formula
from tests.intake.factories import ProcedureFactory
from tests.reports.scenario import APPLICANT_ID, at

pytestmark = pytest.mark.django_db

MARCH = "?period=month&year=2026&month=3"
# OWASP's list (=, +, -, @, tab, carriage return) and the full-width forms.
PREFIXES = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]


@pytest.fixture
def hostile(world, settings):
    """A ward, a city and, for each prefix, a procedure (name and field) and a dossier
    (applicant's name and address) whose text starts like a formula."""
    settings.INTAKE_RULES = []
    world.ward.name = '=HYPERLINK("http://x.example","Phú Hòa")'
    world.ward.save()
    world.city.name = " @SUM(1+1)*cmd|' /C calc'!A0"
    world.city.save()
    texts = [world.ward.name, world.city.name.strip()]
    for day, prefix in enumerate(PREFIXES, start=2):
        procedure = ProcedureFactory(
            name=f"{prefix}SUM(1;2) chứng thực {day}",
            # Half of them after a space: a spreadsheet may trim it before reading the cell.
            field=f"{' ' * (day % 2)}{prefix}1+1 lĩnh vực {day}",
        )
        with clock.frozen_at(at(day, 3)):
            dossier_receive(
                user=world.officer,
                procedure=procedure,
                channel=1,
                applicant_name=f"{prefix}HYPERLINK(1) Mai {day}",
                applicant_id_number=APPLICANT_ID,
                applicant_address=f"{prefix}2+3 Yersin, {prefix}Phú Hòa",
                applicant_phone="0912345678",
            )
        texts += [procedure.name.strip(), procedure.field.strip()]
    return texts


def _no_formula_in_workbook(content: bytes) -> list[str]:
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [f"{c.coordinate}: {c.value!r}" for c in cells if c.data_type == "f"]
    assert not formulas, formulas
    return [c.value for c in cells if isinstance(c.value, str)]


def _no_formula_in_csv(content: bytes) -> list[str]:
    cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    unescaped = [cell for cell in cells if looks_like_formula(cell)]
    assert not unescaped, unescaped
    return cells


def _appears(texts: list[str], cells: list[str]) -> set[str]:
    return {text for text in texts if any(text in cell for cell in cells)}


def test_city_reports_write_names_as_text(client, world, hostile):
    client.force_login(world.city_admin)
    for name in ("reports:bieu06-xlsx", "reports:pilot-xlsx"):
        response = client.get(reverse(name) + MARCH)
        assert response.status_code == 200
        cells = _no_formula_in_workbook(response.content)
        # The ward's and the city's names, as typed (a string cell, not a formula).
        assert _appears(hostile[:2], cells) == set(hostile[:2]), name
    for name in ("reports:bieu06-csv", "reports:pilot-csv"):
        response = client.get(reverse(name) + MARCH)
        cells = _no_formula_in_csv(response.content)
        assert _appears(hostile[:1], cells) == set(hostile[:1]), name  # the ward's name


def test_ward_reports_and_the_logbook_write_user_text_as_text(client, world, hostile):
    client.force_login(world.chief)
    fields = client.get(reverse("reports:ward-fields-xlsx", args=[world.ward.slug]) + MARCH)
    cells = _no_formula_in_workbook(fields.content)
    field_names = hostile[3::2]
    assert _appears(field_names, cells) == set(field_names)

    logbook = client.get(reverse("reports:logbook-xlsx", args=[world.ward.slug]) + MARCH)
    assert logbook.status_code == 200
    cells = _no_formula_in_workbook(logbook.content)
    procedures = hostile[2::2]
    assert _appears(procedures, cells) == set(procedures)
    names = [c for c in cells if "HYPERLINK(1) Mai" in c]
    assert len(names) == len(PREFIXES)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_csv_rule_quotes_every_prefix_also_after_spaces(prefix):
    for text in (f"{prefix}1+1", f"  {prefix}1+1"):
        assert csv_value(text) == "'" + text
    assert prefix in FORMULA_PREFIXES
    assert csv_value("Nguyễn Thị Mai") == "Nguyễn Thị Mai"
    assert csv_value(-3) == -3  # numbers stay numbers
