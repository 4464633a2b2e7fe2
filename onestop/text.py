"""Vietnamese text helpers: search that ignores diacritics, alike on SQLite and PostgreSQL."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from onestop.errors import InvalidInput

# "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD alone keeps it.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case `text`, drop its diacritics and collapse white space.

    `fold("Đăng  ký khai sinh")` is `"dang ky khai sinh"`; a folded copy of each searchable
    column is stored beside it, so a search is a plain `LIKE` the database can index.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


# What no stored text may hold: control characters (C0, DEL, C1: NUL is refused by PostgreSQL,
# the others print as nothing or garble a slip), lone surrogates (not encodable as UTF-8), and the
# bidirectional controls that display text in another order than it is stored (U+202A–U+202E,
# U+2066–U+2069). Tab, line feed and carriage return are ordinary white space.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WHITE_SPACE = frozenset("\t\n\r")


def forbidden_character(text: str) -> str | None:
    """The first character of `text` that no stored text may hold, as "U+001F"; else None."""
    for ch in text:
        if ch in _WHITE_SPACE:
            continue
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs"):
            return f"U+{ord(ch):04X}"
    return None


def nfc(text: str) -> str:
    """`text` in Unicode NFC: "ế" typed as e + two combining marks is stored as the one letter.

    Keyboards and copied text send either form; one stored form keeps lengths, comparisons and
    exports alike (the W3C's recommendation for the web).
    """
    return unicodedata.normalize("NFC", text)


def forbidden_message(char: str) -> str:
    return _("Có ký tự điều khiển không hiển thị được (%(char)s); hãy gõ lại nội dung này.") % {
        "char": char
    }


def checked(text: str, *, field: str | None) -> str:
    """`text` in NFC; InvalidInput on `field` when it holds a character no text may hold.

    What services apply to every text they store: names, addresses, notes. Nothing else is
    changed, so HTML or SQL typed into a name is kept as typed (and escaped where it is shown).
    """
    char = forbidden_character(text)
    if char is not None:
        raise InvalidInput(forbidden_message(char), field=field)
    return nfc(text)


def validate_printable(value: str) -> None:
    """Form validator: the same refusal as `checked`, as a ValidationError."""
    char = forbidden_character(value) if isinstance(value, str) else None
    if char is not None:
        raise ValidationError(forbidden_message(char), code="control_character")
