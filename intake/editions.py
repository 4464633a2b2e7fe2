"""Which edition of the rules governs a dossier, and what that edition says.

An edition is chosen by the dossier's receipt time, never by today: a dossier received on
30/6/2025 prints and computes under the 2018 edition for its whole life, one received on
1/7/2025 under the 2025 edition. The editions are data (intake/data/editions.toml, sources in
intake/data/README.md); adding one is adding a table there.
"""

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from wards.calendar import VIETNAM_TZ

DATA_FILE = Path(__file__).resolve().parent / "data" / "editions.toml"


@dataclass(frozen=True)
class Edition:
    key: str
    effective_from: dt.date
    decree: str
    forms_circular: str
    unit_title: str
    supplement_window_working_days: int
    supplement_restarts_term: bool
    apology_limit: int
    apology_latest_working_days_before_due: int
    stop_notice: bool

    def unit_name(self, ward) -> str:
        """The receiving unit as printed on the edition's documents."""
        return self.unit_title.format(ward=ward)


@functools.cache
def editions() -> tuple[Edition, ...]:
    """Every edition, oldest first."""
    with DATA_FILE.open("rb") as data:
        rows = tomllib.load(data)["edition"]
    found = tuple(sorted((Edition(**row) for row in rows), key=lambda e: e.effective_from))
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
