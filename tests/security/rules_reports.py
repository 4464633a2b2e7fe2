"""Reports (chiefs: their ward; city admins: their city) and the city admin's own pages."""

from tests.security.matrix import LOGIN, Rule
from tests.wards.factories import CalendarExceptionFactory

READERS = {"anonymous": LOGIN, "chief": 200, "city_admin": 200}
# The city-wide addresses answer every reader with their own scope.
SCOPED = {**READERS, "other_chief": 200, "other_city_admin": 200}
CITY_ADMINS = {"anonymous": LOGIN, "city_admin": 200, "other_city_admin": 200}


def ward(world):
    return {"slug": world.ward.slug}


def add_calendar_exception(world):
    world.calendar_exception = CalendarExceptionFactory(city=world.city)


EXTENSIONS = [add_calendar_exception]

RULES = [
    Rule(
        "reports:reports",
        {**SCOPED, "chief": 302, "other_chief": 302},
    ),
    Rule("reports:bieu06-xlsx", SCOPED),
    Rule("reports:bieu06-csv", SCOPED),
    Rule("reports:pilot-xlsx", SCOPED),
    Rule("reports:pilot-csv", SCOPED),
    Rule("reports:ward-report", READERS, kwargs=ward),
    Rule("reports:ward-fields-xlsx", READERS, kwargs=ward),
    Rule("reports:logbook", READERS, kwargs=ward),
    Rule("reports:logbook-xlsx", READERS, kwargs=ward),
    Rule(
        "reports:logbook-export",
        {"anonymous": LOGIN, "chief": 302, "city_admin": 302},
        method="post",
        kwargs=ward,
    ),
    Rule("wards:calendar", CITY_ADMINS),
    Rule(
        "wards:calendar-revoke",
        {"anonymous": LOGIN, "city_admin": 302},
        method="post",
        kwargs=lambda w: {"pk": w.calendar_exception.pk},
        data=lambda w: {"note": "Nhầm ngày"},
    ),
    Rule("wards:ward-admin-list", CITY_ADMINS),
    Rule("wards:ward-admin-edit", {"anonymous": LOGIN, "city_admin": 200}, kwargs=ward),
    Rule("catalogue:list", CITY_ADMINS),
    Rule("catalogue:import", CITY_ADMINS),
    Rule("catalogue:import-job", {"anonymous": LOGIN}, kwargs=lambda w: {"job_id": "khong-co"}),
    Rule(
        "catalogue:import-step",
        {"anonymous": LOGIN},
        method="post",
        kwargs=lambda w: {"job_id": "khong-co"},
    ),
    Rule("catalogue:edit", CITY_ADMINS, kwargs=lambda w: {"code": w.procedure.code}),
    Rule(
        "catalogue:toggle",
        {"anonymous": LOGIN, "city_admin": 302, "other_city_admin": 302},
        method="post",
        kwargs=lambda w: {"code": w.procedure.code},
    ),
]

API_READERS = {
    "anonymous": 403,
    "postal_worker": 403,
    "officer": 403,
    "chief": 200,
    "city_admin": 200,
    "other_postal_worker": 403,
    "other_officer": 403,
    "other_chief": 200,
    "other_city_admin": 200,
}
RULES += [
    Rule("api-report-bieu06", API_READERS, query="?from=2026-03-01&to=2026-03-31"),
    Rule("api-report-pilot", API_READERS, query="?from=2026-03-01&to=2026-03-31"),
]
