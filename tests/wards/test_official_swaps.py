"""The Government's day swaps shipped as data: every row in every city's calendar, deadlines
across them, the loader (idempotent, a newer row replaces, nothing deleted), the calendar page
("Theo văn bản") and what a city admin may not do with them."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from intake import figures
from onestop.errors import InvalidInput
from reports.periods import month_period
from reports.selectors import report as reports
from tests.intake.factories import ProcedureFactory
from tests.reports.scenario import Scenario
from tests.wards.factories import CityFactory
from wards import calendar_admin
from wards.calendar import (
    VIETNAM_TZ,
    WORKING_DAY,
    WorkingCalendar,
    add_working_time,
    appointment_at,
    working_time_between,
)
from wards.models import CalendarException, City, OfficialSwap
from wards.official_swaps import (
    COLUMNS,
    DATA_FILE,
    current_rows,
    official_swaps_load,
    read_official_swaps,
)
from wards.selectors import national_calendar, working_calendar
from wards.signals import calendar_changed

ROWS = read_official_swaps()
CURRENT = current_rows(ROWS)
# The calendar the data file describes, with no database: what every deadline must follow.
SHIPPED = WorkingCalendar(
    official_days_off=frozenset(d for d, r in CURRENT.items() if r.kind == "day_off"),
    official_working_days=frozenset(d for d, r in CURRENT.items() if r.kind == "working_day"),
)
LIBRARY_ONLY = WorkingCalendar()


def at(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIETNAM_TZ)


# --- the data file ----------------------------------------------------------------------------


def test_the_data_file_is_utf8_with_its_header_and_complete_rows():
    text = DATA_FILE.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert ROWS, "the file ships rows"
    keys = [(r.date, r.kind, r.document) for r in ROWS]
    assert len(keys) == len(set(keys))
    for row in ROWS:
        assert row.date >= dt.date(2024, 1, 1)
        assert row.document and row.note
        assert row.document_date is None or row.document_date <= row.date + dt.timedelta(days=1)
        # A swap moves a weekday off and a Saturday to work.
        weekday = row.date.weekday()
        assert weekday < 5 if row.kind == "day_off" else weekday == 5


def test_the_new_year_2026_swap_is_in_the_file():
    assert CURRENT[dt.date(2026, 1, 2)].kind == "day_off"
    assert CURRENT[dt.date(2026, 1, 10)].kind == "working_day"
    assert "12729/VPCP-KGVX" in CURRENT[dt.date(2026, 1, 2)].document
    # What the `holidays` library alone says: the reason the file exists.
    assert LIBRARY_ONLY.is_working_day(dt.date(2026, 1, 2))
    assert not LIBRARY_ONLY.is_working_day(dt.date(2026, 1, 10))


def test_a_bad_row_is_refused_with_its_line(tmp_path):
    path = tmp_path / "swaps.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n2026-01-02,holiday,Công văn 1/VPCP,2025-12-25,x\n", "utf-8"
    )
    with pytest.raises(ValueError, match="line 2"):
        read_official_swaps(path)
    path.write_text("date,kind\n", "utf-8")
    with pytest.raises(ValueError, match="header"):
        read_official_swaps(path)


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.date}-{r.kind}")
def test_every_row_is_in_the_computed_calendar_of_every_city(world, row):
    in_force = CURRENT[row.date]
    for city in (world.city, world.other_city):
        cal = working_calendar(city_id=city.pk)
        assert cal.is_working_day(row.date) is (in_force.kind == "working_day"), city
    assert national_calendar().is_working_day(row.date) is (in_force.kind == "working_day")
    # A city created after the load has it too: the table is national.
    late = CityFactory(name="Mới", slug=f"moi{row.date:%Y%m%d}", code=f"9{row.date:%m%d}")
    assert working_calendar(city_id=late.pk).is_working_day(row.date) is (
        in_force.kind == "working_day"
    )


# --- deadlines across the swaps ---------------------------------------------------------------

DEADLINES = [
    # Wednesday 31/12/2025 16:00 + 2: Thu 1/1 holiday, Fri 2/1 swapped off, weekend
    # -> Mon 5/1 (1), Tue 6/1 16:00 (the library alone: Mon 5/1)
    (at(2025, 12, 31, 16), 2, at(2026, 1, 6, 16)),
    # Wednesday 31/12/2025 09:00 + 1 -> Mon 5/1/2026 09:00
    (at(2025, 12, 31, 9), 1, at(2026, 1, 5, 9)),
    # Same-day procedure received Wednesday 31/12/2025 16:00 (after 15:00) -> Mon 5/1 17:00
    (at(2025, 12, 31, 16), 0, at(2026, 1, 5, 17)),
    # Received on the swapped-off Friday 2/1/2026 09:00 (counts from Mon 07:00) + 0
    # -> Mon 5/1 17:00
    (at(2026, 1, 2, 9), 0, at(2026, 1, 5, 17)),
    # Thursday 8/1/2026 15:00 + 2 -> Fri 9/1 (1), make-up Saturday 10/1 15:00
    (at(2026, 1, 8, 15), 2, at(2026, 1, 10, 15)),
    # Received on the make-up Saturday 10/1/2026 09:00 + 0 -> Sat 10/1 17:00
    (at(2026, 1, 10, 9), 0, at(2026, 1, 10, 17)),
    # Friday 26/4/2024 10:00 + 1: Mon 29/4 swapped off, 30/4 and 1/5 holidays -> Thu 2/5
    (at(2024, 4, 26, 10), 1, at(2024, 5, 2, 10)),
    # Friday 3/5/2024 10:00 + 1 -> make-up Saturday 4/5/2024 10:00
    (at(2024, 5, 3, 10), 1, at(2024, 5, 4, 10)),
    # Friday 25/4/2025 10:00 + 1 -> make-up Saturday 26/4/2025 10:00
    (at(2025, 4, 25, 10), 1, at(2025, 4, 26, 10)),
    # Tuesday 29/4/2025 10:00 + 1: 30/4, 1/5 holidays, Fri 2/5 swapped off -> Mon 5/5
    (at(2025, 4, 29, 10), 1, at(2025, 5, 5, 10)),
    # Friday 21/8/2026 10:00 + 1 -> make-up Saturday 22/8/2026 10:00
    (at(2026, 8, 21, 10), 1, at(2026, 8, 22, 10)),
    # Friday 28/8/2026 10:00 + 1: Mon 31/8 swapped off, 1/9 and 2/9 holidays -> Thu 3/9
    (at(2026, 8, 28, 10), 1, at(2026, 9, 3, 10)),
]  # fmt: skip


@pytest.mark.parametrize(("received", "days", "expected"), DEADLINES)
def test_appointments_follow_the_swaps(received, days, expected):
    assert appointment_at(received, days, SHIPPED) == expected
    if days:
        assert add_working_time(received, days * WORKING_DAY, SHIPPED) == expected
        assert working_time_between(received, expected, SHIPPED) == days * WORKING_DAY


def test_without_the_swap_the_new_year_deadline_would_be_a_day_early():
    assert appointment_at(at(2025, 12, 31, 16), 2, LIBRARY_ONLY) == at(2026, 1, 5, 16)


@pytest.mark.django_db
def test_the_stored_calendar_gives_the_same_deadlines(world):
    cal = working_calendar(city_id=world.city.pk)
    for received, days, expected in DEADLINES:
        assert appointment_at(received, days, cal) == expected


@pytest.mark.django_db
def test_the_generator_clock_follows_the_swaps(world):
    from demo.generate.clock import WorkingClock, aware, local_seconds

    cal = working_calendar(city_id=world.city.pk)
    clock = WorkingClock(cal, dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    for received, days, expected in DEADLINES:
        assert aware(clock.appointment(local_seconds(received), days)) == expected
    assert not clock.is_working_day(dt.date(2026, 1, 2).toordinal())
    assert clock.is_working_day(dt.date(2026, 1, 10).toordinal())


@pytest.mark.django_db
def test_the_calendar_is_one_query_whatever_the_swaps(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        working_calendar(city_id=world.city.pk)
    with django_assert_num_queries(1):
        national_calendar()


# --- the loader -------------------------------------------------------------------------------


def write_file(path: Path, extra: str = "") -> Path:
    path.write_text(DATA_FILE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return path


@pytest.fixture
def cities_told():
    told = []

    def receiver(sender, *, city, **kwargs):
        told.append(city.pk)

    calendar_changed.connect(receiver, dispatch_uid="test.swaps_told")
    yield told
    calendar_changed.disconnect(dispatch_uid="test.swaps_told")


@pytest.mark.django_db
def test_migrate_loaded_the_file_and_loading_again_changes_nothing(world, cities_told):
    # The test database was made by `migrate`: post_migrate loaded the file.
    assert OfficialSwap.objects.count() == len(ROWS)
    assert set(
        OfficialSwap.objects.filter(superseded_at__isnull=True).values_list("date", "kind")
    ) == {(d, r.kind) for d, r in CURRENT.items()}
    assert official_swaps_load() == 0
    assert official_swaps_load() == 0
    assert OfficialSwap.objects.count() == len(ROWS)
    assert cities_told == []  # nothing changed, nobody recounts


@pytest.mark.django_db
def test_a_newer_row_replaces_the_older_one_which_is_kept(world, tmp_path, cities_told):
    day = dt.date(2026, 1, 10)
    older = OfficialSwap.objects.get(date=day, superseded_at__isnull=True)
    path = write_file(
        tmp_path / "swaps.csv",
        "2026-01-10,day_off,Công văn 99999/VPCP-KGVX (thử),2026-01-05,Thử: bỏ ngày làm bù\n",
    )
    assert working_calendar(city_id=world.city.pk).is_working_day(day)
    assert official_swaps_load(path=path) == 2  # the new row, the replaced one
    newer = OfficialSwap.objects.get(date=day, superseded_at__isnull=True)
    assert newer.document == "Công văn 99999/VPCP-KGVX (thử)"
    older.refresh_from_db()
    assert older.superseded_by == newer and older.superseded_at is not None
    assert OfficialSwap.objects.count() == len(ROWS) + 1  # nothing deleted
    assert not working_calendar(city_id=world.city.pk).is_working_day(day)
    assert not working_calendar(city_id=world.other_city.pk).is_working_day(day)
    assert sorted(cities_told) == sorted(City.objects.values_list("pk", flat=True))
    cities_told.clear()
    assert official_swaps_load(path=path) == 0  # idempotent
    assert cities_told == []


@pytest.mark.django_db
def test_a_row_met_first_with_its_replacement_is_stored_replaced(world, tmp_path):
    path = tmp_path / "swaps.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n"
        "2027-05-03,day_off,Công văn 1/VPCP-KGVX (thử),2027-04-01,cũ\n"
        "2027-05-03,working_day,Công văn 2/VPCP-KGVX (thử),2027-04-10,mới\n",
        encoding="utf-8",
    )
    assert official_swaps_load(path=path) == 2
    old = OfficialSwap.objects.get(date=dt.date(2027, 5, 3), kind="day_off")
    new = OfficialSwap.objects.get(date=dt.date(2027, 5, 3), kind="working_day")
    assert old.superseded_by == new and new.superseded_at is None
    assert official_swaps_load(path=path) == 0


@pytest.mark.django_db
def test_loading_a_swap_recounts_the_report_figures(world, settings, tmp_path):
    """A result's working days follow the swap once it is loaded, as migrate loads it."""
    settings.INTAKE_RULES = []
    s = Scenario(world)
    s.procedure = ProcedureFactory(processing_days=5)
    # Received Wed 31/12/2025, resolved Tue 6/1/2026: 31/12 and 5/1 (2/1 swapped off).
    s.receive("A", at(2025, 12, 31, 9))
    s.resolve("A", at(2026, 1, 6, 10))
    # Received Thu 8/1/2026, resolved Mon 12/1: 8/1, 9/1 and the make-up Saturday 10/1.
    s.receive("B", at(2026, 1, 8, 9))
    s.resolve("B", at(2026, 1, 12, 10))
    january = month_period(2026, 1)

    def mean_days():
        report = reports.ward_report(user=world.city_admin, period=january)
        return next(r for r in report.rows if r.ward == world.ward).values["mean_processing_days"]

    assert figures.differences() == []
    assert mean_days() == 2.5  # (2 + 3) / 2
    path = write_file(
        tmp_path / "swaps.csv",
        "2026-01-10,day_off,Công văn 99999/VPCP-KGVX (thử),2026-01-05,Thử: bỏ ngày làm bù\n",
    )
    official_swaps_load(path=path)
    assert figures.differences() == []  # what check_report_figures proves
    assert mean_days() == 2.0  # (2 + 2) / 2


# --- the city admin ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_calendar_page_lists_the_swaps_of_the_year_apart(client, world):
    client.force_login(world.city_admin)
    CalendarException.objects.create(
        city=world.city, date=dt.date(2026, 12, 24), kind="day_off", note="Riêng thành phố"
    )
    page = client.get(reverse("wards:calendar"), {"year": 2026}).content.decode()
    assert "Theo văn bản" in page
    official = page[page.index('data-testid="official-swaps-table"') :]
    official = official[: official.index("</table>")]
    assert "02/01/2026" in official and "10/01/2026" in official
    assert "12729/VPCP-KGVX" in official and "ngày 25/12/2025" in official
    assert "Làm bù" in official and "Nghỉ" in official
    assert "Riêng thành phố" not in official  # the city's own days stay in their table
    assert "calendar-revoke" not in official and "Huỷ ngày này" not in official
    days = working_calendar(city_id=world.city.pk).working_days_between(
        dt.date(2026, 1, 1), dt.date(2027, 1, 1)
    )
    assert f"có {days} ngày làm việc" in page
    page_2024 = client.get(reverse("wards:calendar"), {"year": 2024}).content.decode()
    assert "2450/VPCP-KGVX" in page_2024 and "12729/VPCP-KGVX" not in page_2024
    # A year out of range or not a number shows this year, never an error.
    assert client.get(reverse("wards:calendar"), {"year": "abc"}).status_code == 200
    assert client.get(reverse("wards:calendar"), {"year": 99999}).status_code == 200


@pytest.mark.django_db
def test_the_page_reads_a_constant_number_of_queries(client, world, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.city_admin)
    url = reverse("wards:calendar")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"year": 2027})
    extra = "".join(
        f"2027-0{m}-0{d},day_off,Công văn {m}{d}/VPCP-KGVX (thử),2027-01-01,thử\n"
        for m in range(3, 7)
        for d in range(1, 3)
    )
    official_swaps_load(path=write_file(tmp_path / "swaps.csv", extra))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, {"year": 2027}).content.decode()
    assert page.count("(thử)") == 8
    assert len(many) == len(few)


@pytest.mark.django_db
def test_a_city_admin_cannot_revoke_or_override_an_official_swap(client, world):
    swap = OfficialSwap.objects.get(date=dt.date(2026, 1, 2), superseded_at__isnull=True)
    client.force_login(world.city_admin)
    response = client.post(reverse("wards:calendar-revoke", args=[swap.pk]), {"note": "Bỏ"})
    assert response.status_code == 404
    swap.refresh_from_db()
    assert swap.superseded_at is None
    assert not working_calendar(city_id=world.city.pk).is_working_day(swap.date)
    # Nor by a city exception on that date, either way.
    for kind in ("working_day", "day_off"):
        with pytest.raises(InvalidInput, match="12729/VPCP-KGVX"):
            calendar_admin.calendar_exception_add(user=world.city_admin, date=swap.date, kind=kind)
    with pytest.raises(InvalidInput, match="12729/VPCP-KGVX"):
        calendar_admin.calendar_exception_preview(
            user=world.city_admin, date=swap.date, kind="working_day", procedure=ProcedureFactory()
        )
    page = client.post(
        reverse("wards:calendar"),
        {"date": "10/01/2026", "kind": "day_off", "note": "", "add": "1"},
    ).content.decode()
    assert "đã được điều chỉnh theo văn bản" in page
    assert not CalendarException.objects.exists()
    # The city's own exceptions work as before.
    calendar_admin.calendar_exception_add(
        user=world.city_admin, date=dt.date(2026, 1, 9), kind="day_off"
    )
    assert not working_calendar(city_id=world.city.pk).is_working_day(dt.date(2026, 1, 9))
    assert working_calendar(city_id=world.other_city.pk).is_working_day(dt.date(2026, 1, 9))


@pytest.mark.django_db
def test_the_django_admin_shows_the_swaps_read_only(client, world):
    from tests.onestop.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True, username="root"))
    swap = OfficialSwap.objects.first()
    assert client.get(reverse("admin:wards_officialswap_changelist")).status_code == 200
    assert client.get(reverse("admin:wards_officialswap_add")).status_code == 403
    change = client.post(
        reverse("admin:wards_officialswap_change", args=[swap.pk]), {"kind": "working_day"}
    )
    assert change.status_code == 403
    swap.refresh_from_db()
    assert swap.kind == CURRENT[swap.date].kind
    assert client.get(reverse("admin:wards_officialswap_delete", args=[swap.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["postal_worker", "officer", "chief", "other_city_admin"])
def test_scope_is_unchanged(client, world, role):
    client.force_login(getattr(world, role))
    response = client.get(reverse("wards:calendar"), {"year": 2026})
    if role == "other_city_admin":
        # Another city's admin sees their own city's page, with the same national swaps.
        assert response.status_code == 200
        assert "12729/VPCP-KGVX" in response.content.decode()
        assert str(world.other_city.name) in response.content.decode()
    else:
        assert response.status_code == 404
