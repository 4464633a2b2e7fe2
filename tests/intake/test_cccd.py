"""The CCCD QR payload: parsing and the checks of its parts against each other (a table)."""

import datetime as dt

import pytest

from intake.cccd import FEMALE, MALE, NotACard, looks_like_card, read_card

TODAY = dt.date(2026, 3, 16)
ADDRESS = "12 Yersin, khu phố 3, phường Phú Hòa, Thủ Dầu Một, Bình Dương"
# An older chip card: old 9-digit ID, seven parts. 074 Bình Dương, 0 = 1900s male, 90 = 1990.
OLD_CARD = f"074090001234|280123456|Nguyễn Văn An|15041990|Nam|{ADDRESS}|20052021"
# A newer card: no old ID, further empty parts. 3 = 2000s female, 05 = 2005.
NEW_CARD = "074305001234||Trần Thị Bình|02012005|Nữ|Khu phố 1, phường Phú Lợi|10072024||"


def test_an_older_card_gives_every_field():
    card = read_card(OLD_CARD, today=TODAY)
    assert card.problems == []
    assert card.id_number == "074090001234"
    assert card.old_id_number == "280123456"
    assert card.name == "Nguyễn Văn An"
    assert card.birth_date == dt.date(1990, 4, 15) and card.birth_year == 1990
    assert card.sex == MALE
    assert card.address == ADDRESS
    assert card.issue_date == dt.date(2021, 5, 20)


def test_a_newer_card_with_further_empty_parts_and_no_old_id():
    card = read_card(NEW_CARD, today=TODAY)
    assert card.problems == []
    assert (card.id_number, card.old_id_number, card.sex) == ("074305001234", "", FEMALE)
    assert card.birth_date == dt.date(2005, 1, 2)
    assert card.issue_date == dt.date(2024, 7, 10)


def test_decomposed_diacritics_and_the_scanners_line_end_are_read_alike():
    import unicodedata

    card = read_card(unicodedata.normalize("NFD", NEW_CARD) + "\r\n", today=TODAY)
    assert card.problems == [] and card.sex == FEMALE and card.name == "Trần Thị Bình"


def _with(**parts) -> str:
    fields = dict(
        id="074090001234",
        old="280123456",
        name="Nguyễn Văn An",
        birth="15041990",
        sex="Nam",
        address=ADDRESS,
        issued="20052021",
    )
    fields.update(parts)
    return "|".join(fields.values())


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        # 4th digit 1 = a woman born in the 1900s, but the card says Nam.
        (_with(id="074190001234"), ["Giới tính không khớp", "là 1", "giới tính Nữ"]),
        # 4th digit 3 = a woman born in the 2000s: wrong sex and, with 1990, wrong century.
        (_with(id="074390001234"), ["Giới tính không khớp", "năm sinh 2090", "15/04/1990"]),
        # 4th digit 2 = a man born in 2000-2099: 2090 has not come yet, and 1990 ≠ 2090.
        (_with(id="074290001234"), ["không hợp lệ", "Năm sinh không khớp", "(290)"]),
        # Digits 5-6 say 1991, the birth date says 1990.
        (_with(id="074091001234"), ["Năm sinh không khớp", "năm sinh 1991", "15/04/1990"]),
        # 31 February does not exist.
        (_with(birth="31021990"), ["Ngày sinh trong mã QR (31021990) không phải ngày hợp lệ"]),
        (_with(issued="20052031"), ["Ngày cấp thẻ trong mã QR ở tương lai"]),
        (_with(issued="01011980"), ["Ngày cấp thẻ trong mã QR trước ngày sinh"]),
        (_with(issued="2005202"), ["Ngày cấp trong mã QR (2005202) không phải ngày hợp lệ"]),
        (_with(sex="Khác"), ["Giới tính trong mã QR (Khác) phải là “Nam” hoặc “Nữ”"]),
        (_with(name=""), ["Mã QR không có họ và tên"]),
        (_with(address=" "), ["Mã QR không có địa chỉ"]),
        (_with(old="2801234"), ["Số CMND cũ trong mã QR phải gồm 9 chữ số"]),
        # 999 is no province's code.
        (_with(id="999090001234"), ["Ba số đầu của CCCD (999)"]),
    ],
)
def test_parts_that_disagree_are_named(payload, expected):
    card = read_card(payload, today=TODAY)
    said = " ".join(card.problems)
    for words in expected:
        assert words in said


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        # No separators at all: a payload run together, or a plain ID.
        ("074090001234280123456Nguyễn Văn An15041990Nam", "không có dấu “|”"),
        ("074090001234", "không có dấu “|”"),
        ("", "không có dấu “|”"),
        # Too few parts.
        ("074090001234|280123456|Nguyễn Văn An", "chỉ có 3 phần"),
        # Seven parts, but the first is no 12-digit ID (an old 9-digit card's QR does not exist).
        (_with(id="28012345"), "phần đầu tiên phải là số CCCD gồm 12 chữ số"),
        ("a|b|c|d|e|f|g", "phần đầu tiên phải là số CCCD gồm 12 chữ số"),
    ],
)
def test_what_is_not_a_card_is_refused_with_a_reason(payload, expected):
    with pytest.raises(NotACard) as caught:
        read_card(payload, today=TODAY)
    assert "không phải mã QR của thẻ CCCD" in caught.value.message
    assert expected in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (OLD_CARD, True),
        (NEW_CARD, True),
        ("074090001234 | 280123456", True),  # damaged, but a scan: reported, not saved
        ("074090001234", False),
        ("Nguyễn Văn An", False),
        ("Nhà 3 | hẻm 12", False),
    ],
)
def test_what_counts_as_a_scan_in_the_id_field(text, expected):
    assert looks_like_card(text) is expected
