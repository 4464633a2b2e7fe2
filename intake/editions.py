"""Which edition of the rules governs a dossier, and what that edition says.

An edition is chosen by the dossier's receipt time, never by today: a dossier received on
30/6/2025 prints and computes under the 2018 edition for its whole life, one received on
1/7/2025 under the 2025 edition. The editions are data (intake/data/editions.toml, sources in
intake/data/README.md); adding one is adding a table there.
"""

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from wards.calendar import VIETNAM_TZ

DATA_FILE = Path(__file__).resolve().parent / "data" / "editions.toml"

# The printed documents an edition has forms for. Every edition has all of them but "stop",
# which only an edition with a stop notice has.
FORM_KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control_sheet", "logbook")


@dataclass(frozen=True)
class Form:
    """One form of an edition: its number in the forms circular and its title."""

    kind: str
    number: str
    title: str


@dataclass(frozen=True)
class Edition:
    key: str
    effective_from: dt.date
    decree: str
    forms_circular: str
    unit_title: str
    form_unit_title: str
    form_heading: str
    supplement_window_working_days: int
    supplement_restarts_term: bool
    apology_limit: int
    apology_latest_working_days_before_due: int
    apology_requests_extension: bool
    stop_notice: bool
    forms: dict[str, Form] = field(default_factory=dict, compare=False, hash=False)

    def unit_name(self, ward) -> str:
        """The receiving unit as the dossier's history and status page name it."""
        return self.unit_title.format(ward=ward)

    def form_unit_name(self, ward) -> str:
        """The receiving unit as the body of the edition's forms names it."""
        return self.form_unit_title.format(ward=ward)

    def form(self, kind: str) -> Form:
        """The edition's form of `kind`; KeyError when the edition has none (stop in 2018)."""
        return self.forms[kind]


def _edition(row: dict) -> Edition:
    forms = row.pop("forms", {})
    unknown = set(forms) - set(FORM_KINDS)
    missing = set(FORM_KINDS) - {"stop"} - set(forms)
    if unknown or missing:
        raise ValueError(f"{DATA_FILE}: edition {row.get('key')}: forms {unknown or missing}")
    if ("stop" in forms) != row.get("stop_notice"):
        raise ValueError(f"{DATA_FILE}: edition {row.get('key')}: stop_notice without its form")
    return Edition(**row, forms={kind: Form(kind=kind, **form) for kind, form in forms.items()})


@functools.cache
def editions() -> tuple[Edition, ...]:
    """Every edition, oldest first."""
    with DATA_FILE.open("rb") as data:
        rows = tomllib.load(data)["edition"]
    found = tuple(sorted((_edition(row) for row in rows), key=lambda e: e.effective_from))
    if len({e.effective_from for e in found}) != len(found):
        raise ValueError(f"{DATA_FILE}: two editions take effect on the same day")
    return found


def edition_on(day: dt.date) -> Edition:
    """The edition in force on the local `day` (the earliest one for days before it)."""
    chosen = editions()[0]
    for edition in editions():
        if edition.effective_from <= day:
            chosen = edition
    return chosen


def edition_for(received_at: dt.datetime) -> Edition:
    """The edition that governs a dossier received at `received_at`, for its whole life."""
    return edition_on(timezone.localtime(received_at, VIETNAM_TZ).date())
