"""Demo users of every role, with stable names (README, "Tài khoản demo")."""

from django.conf import settings
from django.contrib.auth.hashers import make_password

from onestop.models import Role, User
from wards.models import City, Ward

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi", "Đặng"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Thanh", "Hữu", "Thu", "Quốc", "Mỹ", "Đức"]
GIVEN = [
    "Anh", "Bình", "Châu", "Dung", "Hà", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan", "Linh",
    "Long", "Mai", "Nam", "Ngân", "Nhung", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Thắng", "Trang", "Tuấn", "Uyên", "Vy", "Xuân", "Yến",
]  # fmt: skip


def demo_name(index: int) -> tuple[str, str]:
    """A stable Vietnamese (last name, first name) pair for the index-th demo account."""
    family = FAMILY[index % len(FAMILY)]
    middle = MIDDLE[(index * 3) % len(MIDDLE)]
    given = GIVEN[(index * 7) % len(GIVEN)]
    return f"{family} {middle}", given


def demo_accounts() -> list[dict]:
    """Every demo account: username, role, ward or city."""
    accounts = []
    for ward in Ward.objects.order_by("admin_code"):
        accounts += [
            {"username": f"postal.{ward.slug}", "role": Role.POSTAL_WORKER, "ward": ward},
            {"username": f"officer.{ward.slug}", "role": Role.OFFICER, "ward": ward},
            {"username": f"chief.{ward.slug}", "role": Role.CHIEF, "ward": ward},
        ]
        if ward.is_pilot:
            accounts.append(
                {"username": f"postal2.{ward.slug}", "role": Role.POSTAL_WORKER, "ward": ward}
            )
    for city in City.objects.order_by("code"):
        accounts.append({"username": f"admin.{city.slug}", "role": Role.CITY_ADMIN, "city": city})
    return accounts


def seed(stdout=None) -> None:
    # One hash for every demo account: hashing 60 passwords one by one would take many seconds.
    password = make_password(settings.DEMO_PASSWORD)
    created = 0
    for index, account in enumerate(demo_accounts()):
        last, first = demo_name(index)
        _user, was_created = User.objects.get_or_create(
            username=account["username"],
            defaults={
                "role": account["role"],
                "ward": account.get("ward"),
                "city": account.get("city"),
                "last_name": last,
                "first_name": first,
                "password": password,
                "employee_code": f"NV{index + 1:04d}",
                "phone": f"09{index:08d}",
            },
        )
        created += was_created
    if stdout:
        stdout.write(f"  {created} tài khoản mới, {User.objects.count()} tài khoản tất cả")
