"""What a citizen writes on the form: citizen ID (CCCD) and Vietnamese phone numbers."""

import pytest
from django.core.exceptions import ValidationError

from intake.validators import PROVINCE_CODES, normalize_phone, validate_citizen_id

# (value, birth year given on the form, result or the error code)
CITIZEN_IDS = [
    # Bình Dương (074), male born 1985.
    ("074085001234", None, "074085001234"),
    ("074085001234", 1985, "074085001234"),
    # Female born 1990 in Hồ Chí Minh City (079): century digit 1.
    ("079190004321", 1990, "079190004321"),
    # Male born 2005 in Hà Nội (001): century digit 2; female born 2001: 3.
    ("001205000111", 2005, "001205000111"),
    ("001301000111", 2001, "001301000111"),
    # Spaces and dots as people type them.
    (" 074 085 001 234 ", None, "074085001234"),
    ("074.085.001.234", None, "074085001234"),
    # Length and characters.
    ("07408500123", None, "format"),
    ("0740850012345", None, "format"),
    ("07408500123a", None, "format"),
    ("", None, "format"),
    ("０７４０８５００１２３４", None, "format"),  # full-width digits
    ("٠٧٤٠٨٥٠٠١٢٣٤", None, "format"),  # Arabic-Indic digits
    # 000, 003 and 099 are not provinces; 074 is, 078 is not.
    ("000085001234", None, "province"),
    ("003085001234", None, "province"),
    ("078085001234", None, "province"),
    ("099085001234", None, "province"),
    # Century digit against the birth year.
    ("074085001234", 1986, "birth_year"),
    ("074085001234", 2085, "birth_year"),
    ("074205001234", 1985, "birth_year"),  # says 2005
    ("074190001234", 1990, "074190001234"),
    # A birth year in the future is impossible, birth year given or not.
    ("074299001234", None, "century"),  # 2099
    ("074485001234", None, "century"),  # 2185
    ("074885001234", None, "century"),  # digit 8 encodes no century in use
    ("074985001234", None, "century"),
]


@pytest.mark.parametrize(("value", "birth_year", "expected"), CITIZEN_IDS)
def test_citizen_id(value, birth_year, expected):
    if expected.isdigit():
        assert validate_citizen_id(value, birth_year) == expected
    else:
        with pytest.raises(ValidationError) as raised:
            validate_citizen_id(value, birth_year)
        assert raised.value.code == expected
        assert raised.value.messages[0]


def test_there_are_63_province_codes_and_binh_duong_is_one():
    assert len(PROVINCE_CODES) == 63
    assert {"001", "074", "079", "096"} <= PROVINCE_CODES
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)


PHONES = [
    # Mobile networks' prefixes.
    ("0912345678", "0912345678"),  # Vinaphone
    ("0389123456", "0389123456"),  # Viettel 03x
    ("0868123456", "0868123456"),  # Viettel 086
    ("0703123456", "0703123456"),  # Mobifone 070
    ("0789123456", "0789123456"),  # Mobifone 078
    ("0523123456", "0523123456"),  # Vietnamobile 052
    ("0593123456", "0593123456"),  # Gmobile 059
    ("0813123456", "0813123456"),  # Vinaphone 081
    # Written with spaces, dots, dashes, brackets, or the country code.
    ("091 234 5678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("(+84) 912 345 678", "0912345678"),
    ("+84 0912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    # Landlines: 02 + area code, 11 digits (Bình Dương 0274, Hà Nội 024, TP.HCM 028).
    ("0274 3822 123", "02743822123"),
    ("024 3825 1234", "02438251234"),
    ("+84 28 3829 1234", "02838291234"),
    # Wrong prefixes and lengths.
    ("0112345678", None),  # 01x is no longer a mobile prefix
    ("0312345678", None),  # 031 is not allocated
    ("0412345678", None),
    ("0512345678", None),
    ("0612345678", None),
    ("0712345678", None),
    ("0802345678", None),
    ("091234567", None),  # nine digits
    ("09123456789", None),  # eleven digits, not a landline
    ("0274382212", None),  # a landline one digit short
    ("912345678", None),  # the leading zero missing
    ("0912a45678", None),
    ("０９１２３４５６７８", None),  # full-width digits
    ("", None),
]


@pytest.mark.parametrize(("value", "expected"), PHONES)
def test_phone(value, expected):
    if expected is not None:
        assert normalize_phone(value) == expected
    else:
        with pytest.raises(ValidationError) as raised:
            normalize_phone(value)
        assert raised.value.code == "phone"
