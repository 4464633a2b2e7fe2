"""Checks on what a citizen writes on the form: citizen ID (CCCD) and Vietnamese phone numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# First three digits of a CCCD: the province of birth registration (GSO province codes, 63).
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
# The fourth digit encodes century of birth and sex: 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s…,
# even for men, odd for women (Circular 07/2016/TT-BCA Art. 7; intake/data/README.md).
CENTURY_BY_DIGIT = {d: 1900 + 100 * (d // 2) for d in range(10)}

MOBILE = re.compile(r"0(3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-9])[0-9]{7}")
LANDLINE = re.compile(r"02[0-9]{9}")


def validate_citizen_id(value: str, birth_year: int | None = None) -> str:
    """Return the 12-digit citizen ID, or raise ValidationError saying what is wrong.

    Digits 4-6 encode the holder's birth year (century and sex, then its last two digits), so
    a number whose birth year lies in the future is wrong whether or not `birth_year` is given.
    """
    digits = value.strip().replace(" ", "").replace(".", "")
    # [0-9], not \d: full-width or other scripts' digits are not a citizen ID.
    if not re.fullmatch(r"[0-9]{12}", digits):
        raise ValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), code="format")
    if digits[:3] not in PROVINCE_CODES:
        raise ValidationError(
            _("Ba số đầu của CCCD (%(code)s) không phải mã tỉnh, thành phố nào.")
            % {"code": digits[:3]},
            code="province",
        )
    year, _female = citizen_id_birth(digits)
    if year > timezone.localdate().year:
        raise ValidationError(
            _("Số thứ tư đến thứ sáu của CCCD (giới tính, năm sinh) không hợp lệ."),
            code="century",
        )
    if birth_year is not None and year != birth_year:
        raise ValidationError(
            _("Số CCCD cho năm sinh %(year)s, không khớp năm sinh %(birth)s đã nhập.")
            % {"year": year, "birth": birth_year},
            code="birth_year",
        )
    return digits


def citizen_id_birth(digits: str) -> tuple[int, bool]:
    """The birth year and sex (True for female) that a well-formed 12-digit citizen ID encodes."""
    century_digit = int(digits[3])
    return CENTURY_BY_DIGIT[century_digit] + int(digits[4:6]), century_digit % 2 == 1


def normalize_phone(value: str) -> str:
    """Return a Vietnamese phone number as 0xxxxxxxxx, or raise ValidationError."""
    digits = re.sub(r"[\s.\-()]", "", value.strip())
    if digits.startswith("+84"):
        # "+84 0912…" is written too: the trunk zero after the country code is redundant.
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits):
        return digits
    raise ValidationError(
        _(
            "Số điện thoại không hợp lệ: di động gồm 10 chữ số (ví dụ 0912345678), "
            "cố định gồm 11 chữ số bắt đầu bằng 02."
        ),
        code="phone",
    )
