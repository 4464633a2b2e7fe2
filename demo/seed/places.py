"""Demo data: Thủ Dầu Một, its 14 wards and their counters (sources in wards/data/README.md)."""

import datetime as dt

from demo.seed.common import app_csv
from onestop.text import fold
from wards.models import City, Counter, Ward
from wards.official_swaps import official_swaps_load

PILOT_STARTS = {1: dt.date(2018, 12, 1), 2: dt.date(2019, 7, 1)}
DEMO_COUNTERS = [
    (1, "Quầy Bưu điện", Counter.Kind.POSTAL),
    (2, "Quầy Tư pháp – Hộ tịch", Counter.Kind.OFFICER),
    (3, "Quầy Địa chính – Xây dựng", Counter.Kind.OFFICER),
]


def ward_slug(name: str) -> str:
    """ASCII slug of a ward's name: "Phú Hòa" → "phuhoa", "Tương Bình Hiệp" → "tuongbinhhiep"."""
    return fold(name).replace(" ", "")


def seed_official_swaps(stdout=None) -> None:
    """The rows of wards/data/official_swaps.csv (nothing changes when they are loaded)."""
    official_swaps_load()


def seed(stdout=None) -> None:
    units = {row["code"]: row for row in app_csv("wards", "units.csv")}
    city_row = units["718"]
    province_row = units[city_row["parent_code"]]
    city, _ = City.objects.update_or_create(
        code=city_row["code"],
        defaults={
            "name": city_row["name"],
            "slug": ward_slug(city_row["name"]),
            "kind": city_row["type"],
            "province_name": province_row["name"],
            "province_code": province_row["code"],
        },
    )
    for row in app_csv("wards", "wards.csv"):
        phase = int(row["pilot_phase"] or 0)
        ward, _ = Ward.objects.update_or_create(
            admin_code=row["admin_code"],
            defaults={
                "city": city,
                "name": row["name"],
                "slug": ward_slug(row["name"]),
                "pilot_phase": phase,
                "pilot_started_on": PILOT_STARTS.get(phase),
            },
        )
        if not ward.unit_identifier:
            ward.unit_identifier = ward.admin_code
            ward.save(update_fields=["unit_identifier"])
        for number, name, kind in DEMO_COUNTERS:
            Counter.objects.get_or_create(
                ward=ward, number=number, defaults={"name": name, "kind": kind}
            )
    if stdout:
        stdout.write(f"  {city}: {Ward.objects.filter(city=city).count()} phường")
