"""fold(): the search key that lets "dang ky khai sinh" find "Đăng ký khai sinh"."""

import unicodedata

import pytest

from onestop.text import fold

# Every Vietnamese vowel with each of the six tones (none, huyền, sắc, hỏi, ngã, nặng),
# written out precomposed (NFC) rather than generated, so the table is independent of fold().
VOWELS = [
    ("aàáảãạ", "a"),
    ("ăằắẳẵặ", "a"),
    ("âầấẩẫậ", "a"),
    ("eèéẻẽẹ", "e"),
    ("êềếểễệ", "e"),
    ("iìíỉĩị", "i"),
    ("oòóỏõọ", "o"),
    ("ôồốổỗộ", "o"),
    ("ơờớởỡợ", "o"),
    ("uùúủũụ", "u"),
    ("ưừứửữự", "u"),
    ("yỳýỷỹỵ", "y"),
]


def test_the_vowel_table_is_complete():
    letters = "".join(forms for forms, _ in VOWELS)
    assert len(letters) == len(set(letters)) == 72
    assert all(unicodedata.is_normalized("NFC", ch) and len(ch) == 1 for ch in letters)


@pytest.mark.parametrize(("forms", "bare"), VOWELS, ids=[forms[0] for forms, _ in VOWELS])
def test_every_tone_of_a_lower_case_vowel_folds_to_the_bare_letter(forms, bare):
    assert [fold(ch) for ch in forms] == [bare] * 6


@pytest.mark.parametrize(("forms", "bare"), VOWELS, ids=[forms[0] for forms, _ in VOWELS])
def test_every_tone_of_an_upper_case_vowel_folds_to_the_bare_letter(forms, bare):
    assert [fold(ch.upper()) for ch in forms] == [bare] * 6


@pytest.mark.parametrize("letter", ["đ", "Đ"])
def test_d_with_stroke_folds_to_d(letter):
    assert fold(letter) == "d"


def test_a_procedure_name_folds_to_plain_ascii():
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("Chứng thực bản sao từ bản chính") == "chung thuc ban sao tu ban chinh"


def test_a_ward_name_folds_with_its_capitals():
    assert fold("Tương Bình Hiệp") == "tuong binh hiep"
    assert fold("ĐỊNH HÒA") == "dinh hoa"


def test_consonants_digits_and_punctuation_are_kept():
    assert fold("Mẫu 01/2018-TT") == "mau 01/2018-tt"


def test_white_space_is_collapsed_and_trimmed():
    assert fold("  Đăng\tký \n khai\u00a0 sinh  ") == "dang ky khai sinh"


def test_blank_text_folds_to_empty():
    assert fold("") == ""
    assert fold(" \t\n") == ""


@pytest.mark.parametrize(
    "text",
    [
        "Đăng ký khai sinh",
        "Cấp bản sao trích lục hộ tịch",
        "Phú Lợi, Phú Mỹ, Phú Thọ, Định Hòa",
        "".join(forms for forms, _ in VOWELS),
    ],
)
def test_decomposed_input_folds_like_precomposed(text):
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text  # the marks really are separate code points
    assert fold(decomposed) == fold(text)


def test_tone_mark_typed_before_the_vowel_mark_still_folds():
    # Some keyboards emit "ê" + tone, others "e" + tone + circumflex; both mean "ế".
    assert fold("e\u0301\u0302") == fold("ế") == "e"


def test_fold_is_idempotent():
    once = fold("  Đăng KÝ   khai SINH ")
    assert fold(once) == once
