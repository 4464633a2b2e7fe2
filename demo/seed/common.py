"""Helpers several demo steps share: an app's reference data, a moment of Vietnam wall-clock
time, a weighted draw, the pilot wards, their people and their postal counter."""

import csv
import datetime as dt
import random
from pathlib import Path

from django.apps import apps

from onestop.models import Role, User
from wards.calendar import VIETNAM_TZ
from wards.models import Counter, Ward


def app_csv(app_label: str, name: str) -> list[dict]:
    """The rows of a reference CSV in an app's data/ folder (its sources in data/README.md)."""
    path = Path(apps.get_app_config(app_label).path) / "data" / name
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def local_moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """`day` at hour:minute, Vietnam time."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM_TZ)


def weighted_pick(rng: random.Random, weighted):
    """One value of [(value, weight), ...], drawn by weight."""
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def pilot_wards():
    return Ward.objects.filter(active=True).exclude(pilot_phase=Ward.PilotPhase.NONE)


def chief_and_postal_workers(ward: Ward) -> tuple[User | None, list[User]]:
    """The ward's chief and its demo postal workers (postal.<slug> first)."""
    chief = User.objects.filter(ward=ward, role=Role.CHIEF, is_active=True).order_by("pk").first()
    workers = list(
        User.objects.filter(ward=ward, role=Role.POSTAL_WORKER, is_active=True).order_by("username")
    )
    workers.sort(key=lambda u: (not u.username.startswith("postal."), u.username))
    return chief, workers


def postal_counter(ward: Ward) -> Counter | None:
    """The ward's first active postal counter, where the roster's counter tasks take place."""
    return (
        Counter.objects.filter(ward=ward, active=True, kind=Counter.Kind.POSTAL)
        .order_by("number")
        .first()
    )
