"""Where the demo's postal items go and who receives them: addresses in the ward, the city, the
province and beyond, and the recipients' names and phones."""

import random

from wards.models import Ward

TDM_WARDS = [
    "Phú Cường", "Hiệp Thành", "Phú Hòa", "Phú Lợi", "Phú Mỹ", "Phú Thọ", "Chánh Nghĩa",
    "Định Hòa", "Hòa Phú", "Phú Tân", "Tân An", "Hiệp An", "Tương Bình Hiệp", "Chánh Mỹ",
]  # fmt: skip
TDM_STREETS = [
    "Cách Mạng Tháng Tám", "Yersin", "Đại lộ Bình Dương", "Phú Lợi", "Huỳnh Văn Lũy",
    "Lê Hồng Phong", "Nguyễn Chí Thanh", "Bạch Đằng", "Đinh Bộ Lĩnh", "Ngô Quyền",
    "Trừ Văn Thố", "Văn Công Khai", "Hùng Vương", "Lý Thường Kiệt", "Nguyễn Thái Học",
    "Huỳnh Văn Nghệ", "Lê Thị Trung", "Phan Đăng Lưu", "Nguyễn Du", "Trần Hưng Đạo",
]  # fmt: skip
# Elsewhere in Bình Dương: (city, [(ward, [streets])]).
PROVINCE_PLACES = [
    ("Thành phố Thuận An", [("Phường Lái Thiêu", ["Nguyễn Văn Tiết", "Phan Đình Phùng"]),
                            ("Phường An Phú", ["ĐT743", "Đường số 9"]),
                            ("Phường Bình Chuẩn", ["Bình Chuẩn 62", "Nguyễn Thị Minh Khai"])]),
    ("Thành phố Dĩ An", [("Phường Dĩ An", ["Trần Hưng Đạo", "Lý Thường Kiệt"]),
                         ("Phường Tân Đông Hiệp", ["Nguyễn Thị Minh Khai", "ĐT743"]),
                         ("Phường Đông Hòa", ["Đường số 1", "Tân Lập"])]),
    ("Thị xã Bến Cát", [("Phường Mỹ Phước", ["Đường NE8", "Hùng Vương"]),
                        ("Phường Thới Hòa", ["Quốc lộ 13", "Đường D2"])]),
    ("Thị xã Tân Uyên", [("Phường Uyên Hưng", ["ĐT746", "Nguyễn Khuyến"]),
                         ("Phường Tân Phước Khánh", ["ĐT747", "Tân Phước Khánh 12"])]),
    ("Huyện Bàu Bàng", [("Xã Lai Uyên", ["Quốc lộ 13", "Đường N1"])]),
    ("Huyện Dầu Tiếng", [("Thị trấn Dầu Tiếng", ["Hùng Vương", "Độc Lập"])]),
    ("Huyện Phú Giáo", [("Thị trấn Phước Vĩnh", ["ĐT741", "Trần Quang Diệu"])]),
]  # fmt: skip
OTHER_PLACES = [
    ("Thành phố Hồ Chí Minh", "Thành phố Thủ Đức", "Phường Linh Trung", "Hoàng Diệu 2"),
    ("Thành phố Hồ Chí Minh", "Quận 12", "Phường Thạnh Lộc", "Hà Huy Giáp"),
    ("Đồng Nai", "Thành phố Biên Hòa", "Phường Tân Hiệp", "Đồng Khởi"),
    ("Bình Phước", "Thành phố Đồng Xoài", "Phường Tân Phú", "Phú Riềng Đỏ"),
    ("Tây Ninh", "Thành phố Tây Ninh", "Phường 3", "Cách Mạng Tháng Tám"),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Thanh", "Hữu", "Thu", "Quốc", "Mỹ", "Kim"]
GIVEN = [
    "An", "Bình", "Châu", "Dũng", "Hà", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan", "Linh",
    "Long", "Mai", "Nam", "Ngân", "Nhung", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
    "Thắng", "Trang", "Tuấn", "Uyên", "Vy", "Xuân", "Yến",
]  # fmt: skip
MOBILE = ["032", "034", "035", "036", "038", "039", "086", "090", "091", "093", "094", "096",
          "097", "098", "070", "077", "079", "081", "083", "085", "088", "056", "058"]  # fmt: skip


def random_recipient(rng: random.Random) -> tuple[str, str]:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return name, f"{rng.choice(MOBILE)}{rng.randrange(10**7):07d}"


def random_address(rng: random.Random, ward: Ward) -> dict:
    """Mostly the ward itself or its city, some elsewhere in the province, a few farther."""
    where = rng.random()
    number = f"{rng.randint(1, 400)}/{rng.randint(1, 30)}"
    if where < 0.7:
        ward_name = ward.name if rng.random() < 0.7 else rng.choice(TDM_WARDS)
        return {
            "street": f"{number} {rng.choice(TDM_STREETS)}, khu phố {rng.randint(1, 9)}",
            "ward_name": f"Phường {ward_name}",
            "city_name": f"{ward.city.kind} {ward.city.name}",
            "province_name": ward.city.province_name,
        }
    if where < 0.92:
        city, wards = rng.choice(PROVINCE_PLACES)
        ward_name, streets = rng.choice(wards)
        return {
            "street": f"{number} {rng.choice(streets)}",
            "ward_name": ward_name,
            "city_name": city,
            "province_name": ward.city.province_name,
        }
    province, city, ward_name, street = rng.choice(OTHER_PLACES)
    return {
        "street": f"{number} {street}",
        "ward_name": ward_name,
        "city_name": city,
        "province_name": province,
    }


def address_line(parts: dict) -> str:
    return ", ".join(parts[k] for k in ("street", "ward_name", "city_name", "province_name"))
