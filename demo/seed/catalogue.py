"""Demo data for intake: the procedure catalogue (sources in intake/data/README.md)."""

from collections import defaultdict

from demo.seed.common import app_csv
from intake.models import Procedure

# Who resolves a procedure above ward level, by field (Bình Dương, 2019).
AGENCIES = {
    ("district", None): "UBND thành phố Thủ Dầu Một",
    ("province", "Đất đai"): "Văn phòng Đăng ký đất đai tỉnh Bình Dương – Chi nhánh Thủ Dầu Một",
    ("province", "Lý lịch tư pháp"): "Sở Tư pháp tỉnh Bình Dương",
    ("province", "Người có công"): "Sở Lao động – Thương binh và Xã hội tỉnh Bình Dương",
}


def _int_or_none(value: str) -> int | None:
    # An empty cell in the reference data means "not verified", never zero.
    return int(value) if value.strip() else None


def seed_catalogue() -> int:
    """Load the catalogue; idempotent (procedures are matched by code)."""
    components = defaultdict(list)
    for row in app_csv("intake", "procedure_components.csv"):
        components[row["code"]].append(
            {"name": row["name"], "originals": int(row["originals"]), "copies": int(row["copies"])}
        )
    local_number = 0
    for row in app_csv("intake", "procedures.csv"):
        code = row["code"].strip()
        is_national = bool(code)
        if not is_national:
            local_number += 1
            code = f"TDM.{local_number:02d}"
        level = row["level"]
        agency = AGENCIES.get((level, row["field"])) or AGENCIES.get((level, None), "")
        procedure = Procedure.objects.filter(code=code).first() or Procedure(code=code)
        procedure.code_is_national = is_national
        procedure.name = row["name"]
        procedure.field = row["field"]
        procedure.level = level
        procedure.resolving_agency = agency
        procedure.processing_days = _int_or_none(row["processing_days"])
        # The CSV says which terms the law states in calendar days (intake/data/README.md).
        procedure.term_unit = row["term_unit"] or Procedure.TermUnit.WORKING_DAYS
        procedure.fee = _int_or_none(row["fee_vnd"])
        procedure.postal_eligible = row["postal_eligible"] == "true"
        procedure.components = components.get(code, [])
        procedure.notes = row["notes"]
        procedure.source = row["source"][:300]
        procedure.save()
    return Procedure.objects.count()


def seed(stdout=None) -> None:
    count = seed_catalogue()
    if stdout:
        stdout.write(f"  {count} thủ tục hành chính")
