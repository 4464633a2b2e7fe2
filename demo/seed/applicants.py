"""The citizens who file the demo dossiers: Vietnamese names as common as they are in Bình
Dương, identity cards issued where its people come from, phones and addresses in Thủ Dầu Một."""

import random

from demo.seed.common import weighted_pick

FAMILY_NAMES = [
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 5), ("Hoàng", 3),
    ("Võ", 4), ("Phan", 3), ("Trương", 2), ("Bùi", 2), ("Đặng", 2), ("Đỗ", 2), ("Ngô", 1.5),
    ("Hồ", 1.5), ("Dương", 1), ("Lý", 1), ("Đinh", 1), ("Lâm", 1), ("Mai", 0.5), ("Tô", 0.5),
]  # fmt: skip
MALE_MIDDLE = ["Văn", "Văn", "Minh", "Quốc", "Hữu", "Thanh", "Đức", "Công", "Hoàng", "Tấn"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Thu", "Mỹ", "Kim", "Hồng", "Bảo"]
MALE_GIVEN = [
    "Anh", "Bảo", "Bình", "Cường", "Danh", "Duy", "Dũng", "Đạt", "Hải", "Hiếu", "Hòa", "Hùng",
    "Huy", "Khang", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Nhân",
    "Phát", "Phong", "Phúc", "Quang", "Sang", "Sơn", "Tài", "Tâm", "Thành", "Thắng", "Thịnh",
    "Tiến", "Toàn", "Trí", "Trung", "Tuấn", "Việt", "Vinh",
]  # fmt: skip
FEMALE_GIVEN = [
    "An", "Anh", "Cúc", "Diễm", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nhi",
    "Nhung", "Oanh", "Phương", "Quyên", "Thảo", "Thủy", "Trang", "Trinh", "Tuyết", "Uyên",
    "Vân", "Vy", "Xuân", "Yến",
]  # fmt: skip
# Streets of Thủ Dầu Một.
STREETS = [
    "Cách Mạng Tháng Tám", "Yersin", "Đại lộ Bình Dương", "Phú Lợi", "Huỳnh Văn Lũy",
    "Lê Hồng Phong", "Nguyễn Chí Thanh", "Bạch Đằng", "Đinh Bộ Lĩnh", "Ngô Quyền",
    "Trừ Văn Thố", "Văn Công Khai", "Hùng Vương", "Lý Thường Kiệt", "Đoàn Trần Nghiệp",
    "Nguyễn Thái Học", "Thích Quảng Đức", "Nguyễn Tri Phương", "Bùi Quốc Khánh", "Lò Chén",
    "Hoàng Hoa Thám", "Lê Thị Trung", "Phan Đăng Lưu", "Huỳnh Văn Nghệ", "Mỹ Phước – Tân Vạn",
    "Nguyễn Du", "Trần Hưng Đạo", "Quang Trung", "Phạm Ngũ Lão", "Nguyễn Văn Trỗi",
]  # fmt: skip
# Where the citizens' identity cards were issued: mostly Bình Dương, then the provinces its
# industrial workers come from.
BIRTH_PROVINCES = [
    ("074", 70), ("079", 5), ("075", 3), ("070", 3), ("072", 2), ("038", 3), ("040", 3),
    ("042", 1.5), ("036", 1.5), ("034", 1), ("052", 1), ("087", 1.5), ("089", 1.5),
    ("083", 1), ("094", 1), ("096", 1),
]  # fmt: skip
MOBILE_PREFIXES = [
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
    "081", "082", "083", "084", "085", "088", "091", "094",
    "070", "076", "077", "078", "079", "089", "090", "093",
    "052", "056", "058", "092", "059", "099",
]  # fmt: skip


class Applicant:
    """A citizen filing a demo dossier: name, identity card, phone and address in the ward."""

    def __init__(self, rng: random.Random, ward):
        female = rng.random() < 0.55  # women file more civil-status dossiers
        family = weighted_pick(rng, FAMILY_NAMES)
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        self.name = f"{family} {middle} {given}"
        self.birth_year = rng.randint(1950, 2006)
        century = (self.birth_year // 100 - 19) * 2 + int(female)
        province = weighted_pick(rng, BIRTH_PROVINCES)
        self.id_number = f"{province}{century}{self.birth_year % 100:02d}{rng.randrange(10**6):06d}"
        self.phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
        self.address = (
            f"{rng.randint(1, 450)}/{rng.randint(1, 40)} {rng.choice(STREETS)}, "
            f"khu phố {rng.randint(1, 9)}, {ward}, thành phố Thủ Dầu Một, tỉnh Bình Dương"
        )
