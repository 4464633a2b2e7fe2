"""The data of the 1 July 2025 reorganisation (wards/data, sources in its README): the files
parse, every code is a 5-digit code, every one of the 14 wards is accounted for, a ward merged
whole sits in one new ward only, a split ward is split on every row, and each source named in
a row is described in the README. No database."""

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "wards" / "data"
CODE = re.compile(r"\d{5}")
# QCVN 102:2016/BTTTT: V1V2V3.Z1Z2.Y1Y2.MX1X2, e.g. 000.00.12.H13.
IDENTIFIER = re.compile(r"[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z]\d{2}")
NEW_WARDS = {
    "Thủ Dầu Một": "25747",
    "Phú Lợi": "25750",
    "Chánh Hiệp": "25771",
    "Bình Dương": "25760",
    "Phú An": "25768",
}
EFFECTIVE = dt.date(2025, 7, 1)


def read(name: str, header: list[str]) -> list[dict[str, str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text), f"{name} is not NFC"
    assert text.splitlines()[0] == ",".join(header)
    rows = list(csv.DictReader(text.splitlines()))
    assert rows, f"{name} has no rows"
    for row in rows:
        assert None not in row and None not in row.values(), f"{name}: a row has extra cells"
    return rows


OLD_WARDS = read("wards.csv", ["name", "admin_code", "pilot_phase", "source"])
PARTS = read(
    "reorganisation_2025.csv",
    [
        "new_ward",
        "new_admin_code",
        "old_ward",
        "old_type",
        "old_city",
        "old_admin_code",
        "extent",
        "clause",
        "note",
        "source",
    ],
)
AGENCIES = read(
    "agency_identifiers.csv",
    ["ward_name", "admin_code", "valid_from", "valid_to", "identifier", "source"],
)
HCMC = read("hcmc_units_2025.csv", ["admin_code", "name", "type", "province_code", "source"])


def old_key(row: dict[str, str]) -> tuple[str, str]:
    return row["old_ward"], row["old_admin_code"]


def test_every_code_has_five_digits():
    codes = [r["new_admin_code"] for r in PARTS] + [r["old_admin_code"] for r in PARTS]
    codes += [r["admin_code"] for r in AGENCIES] + [r["admin_code"] for r in HCMC]
    codes += [r["admin_code"] for r in OLD_WARDS]
    assert all(CODE.fullmatch(code) for code in codes), sorted(
        c for c in codes if not CODE.fullmatch(c)
    )


def test_the_five_new_wards_and_their_codes():
    assert {(r["new_ward"], r["new_admin_code"]) for r in PARTS} == set(NEW_WARDS.items())
    hcmc = {r["admin_code"]: r for r in HCMC}
    for name, code in NEW_WARDS.items():
        assert hcmc[code]["name"] == name
        assert hcmc[code]["type"] == "Phường"
        assert hcmc[code]["province_code"] == "79"


def test_every_old_ward_of_thu_dau_mot_is_in_the_reorganisation():
    assert len(OLD_WARDS) == 14
    named = {old_key(r) for r in PARTS if r["old_city"] == "Thủ Dầu Một"}
    assert named == {(w["name"], w["admin_code"]) for w in OLD_WARDS}


def test_a_ward_merged_whole_is_in_one_new_ward_and_a_split_ward_is_split_everywhere():
    rows_of = defaultdict(list)
    for row in PARTS:
        assert row["extent"] in {"whole", "part"}
        rows_of[old_key(row)].append(row)
    for key, rows in rows_of.items():
        extents = {r["extent"] for r in rows}
        assert len(extents) == 1, f"{key} is both whole and part"
        if extents == {"whole"}:
            assert len(rows) == 1, f"{key} is whole in more than one new ward"
        else:
            new_wards = [r["new_ward"] for r in rows]
            assert len(new_wards) >= 2, f"{key} is split but lands in one new ward only"
            assert len(set(new_wards)) == len(new_wards)
    split = {key[0] for key, rows in rows_of.items() if rows[0]["extent"] == "part"}
    assert split == {"Hiệp Thành", "Chánh Mỹ", "Hiệp An"}


def test_each_new_ward_is_one_clause_and_keeps_one_old_wards_code():
    by_new = defaultdict(list)
    for row in PARTS:
        by_new[row["new_ward"]].append(row)
    clauses = {name: {r["clause"] for r in rows} for name, rows in by_new.items()}
    assert all(len(c) == 1 for c in clauses.values()), clauses
    for name, rows in by_new.items():
        assert re.fullmatch(r"Điều 1 khoản \d+", rows[0]["clause"])
        # A merged commune carries the code of one of its members (README, "The codes after
        # 1 July 2025").
        assert NEW_WARDS[name] in {r["old_admin_code"] for r in rows}


def test_agency_periods_meet_at_the_effective_date_and_never_overlap_for_one_code():
    names = {w["name"] for w in OLD_WARDS} | set(NEW_WARDS)
    periods = defaultdict(list)
    for row in AGENCIES:
        assert row["ward_name"] in names
        start = dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else dt.date.min
        end = dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else dt.date.max
        assert start <= end
        assert start == EFFECTIVE or end == EFFECTIVE - dt.timedelta(days=1)
        assert not row["identifier"] or IDENTIFIER.fullmatch(row["identifier"])
        periods[row["admin_code"]].append((start, end, row["ward_name"]))
    assert len(AGENCIES) == 19
    for code, spans in periods.items():
        spans.sort()
        for (_, end, _), (start, _, _) in pairwise(spans):
            assert end < start, f"two committees hold {code} on the same day"
    identifiers = [r["identifier"] for r in AGENCIES if r["identifier"]]
    assert len(identifiers) == len(set(identifiers))


def test_hcmc_units_are_the_168_of_resolution_1685():
    assert len(HCMC) == 168
    assert len({r["admin_code"] for r in HCMC}) == 168
    assert Counter(r["type"] for r in HCMC) == {"Phường": 113, "Xã": 54, "Đặc khu": 1}


@pytest.mark.parametrize("rows", [PARTS, AGENCIES, HCMC], ids=["parts", "agencies", "hcmc"])
def test_every_source_named_in_a_row_is_described_in_the_readme(rows):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    described = set(re.findall(r"^\| ([^|]+?) \|", readme, flags=re.MULTILINE))
    for row in rows:
        for source in row["source"].split(";"):
            short = source.strip().split(" Điều")[0]
            if short == "identifier not found":
                assert not row["identifier"]
                continue
            assert short in described, f"source {short!r} is not in the README"
    for row in rows:
        for short in re.findall(r"\(([A-Z]+-\d{4}-\d{2}-\d{2})\)", row.get("note", "")):
            assert short in described
