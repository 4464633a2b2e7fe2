"""Vietnamese text helpers: search that ignores diacritics, alike on SQLite and PostgreSQL, and
the one policy for stored text.

The policy (details and the exact character sets beside `_unstorable` and `_invisible`):

- what no document can carry — control characters but tab, line feed and carriage return,
  lone surrogates, Unicode's non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF…), bidi controls —
  is refused in every text, with a Vietnamese message (forms) or a 400 naming the field (API);
- invisible characters — zero-width space and joiners, word joiner, BOM, soft hyphen, other
  format characters, private use, Hangul fillers — are refused the same way in names, ID
  numbers and codes (`checked(…, exact=True)`, `validate_exact`, the forms' default), and
  silently dropped from free text: addresses, notes, a paper's name (`checked`, the forms'
  `free_text_fields`);
- every stored text is in NFC.

Services apply it with `checked`, forms through `onestop.forms.PrintableTextMixin`, the admin
through `onestop.admin_base.NoDeleteAdmin`; rows stored before it were cleaned by each app's
`*_clean_stored_text` data migration (`clean_app_text`), which logs every change.
"""

import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from onestop.errors import InvalidInput

logger = logging.getLogger(__name__)

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


# --- the policy for stored text ---------------------------------------------------------------
#
# Two kinds of characters are kept out of the database, because every document the project
# writes (receipts and slips as PDF, workbooks as XML, CSV, JSON) must be able to carry
# what it stores, and a clerk must be able to see what is there:
#
# 1. Characters no document can carry — refused in every text, with a message naming the
#    character: control characters (C0 except tab, line feed and carriage return; DEL; C1; NUL
#    is refused by PostgreSQL, the others print as nothing or garble a slip), lone surrogates
#    (not encodable as UTF-8), Unicode's non-characters (U+FDD0–U+FDEF and the last two code
#    points of every plane, U+FFFE, U+FFFF, U+1FFFE…: XML 1.0 forbids U+FFFE and U+FFFF, and
#    an .xlsx holding one does not open), and the bidirectional controls that display text in
#    another order than it is stored (U+202A–U+202E, U+2066–U+2069).
# 2. Invisible characters — zero-width space and joiners (U+200B–U+200D), word joiner and the
#    invisible operators (U+2060–U+2064), the byte-order mark (U+FEFF), soft hyphen (U+00AD),
#    the other format characters (left-to-right and right-to-left marks, U+180E…), private use
#    areas, and the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0) that look like a blank. In a
#    name, an ID number or a code they make two equal-looking values differ (a search, a
#    duplicate check or a lookup by code fails without a visible reason): refused there
#    (`checked(…, exact=True)`, `validate_exact`). In free text (an address, a note) they are
#    only noise pasted from another program: silently removed (`checked`, the forms' text
#    fields). Tab, line feed and carriage return are ordinary white space.
#
# Rows stored before this policy were cleaned by the data migrations named *_clean_stored_text
# (`clean_rows`), which log every change.

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_WHITE_SPACE = frozenset("\t\n\r")
_HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
REPLACEMENT = "\ufffd"


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _unstorable(ch: str) -> bool:
    if ch in _WHITE_SPACE:
        return False
    return (
        ch in _BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs") or _noncharacter(ord(ch))
    )


def _invisible(ch: str) -> bool:
    # Format characters (Cf) besides the bidi controls above: zero-width space and joiners,
    # LRM/RLM, word joiner, BOM, soft hyphen…; private use (Co); Hangul fillers (Lo, yet blank).
    return (ch in _HANGUL_FILLERS or unicodedata.category(ch) in ("Cf", "Co")) and not _unstorable(
        ch
    )


def forbidden_character(text: str) -> str | None:
    """The first character of `text` that no stored text may hold, as "U+001F"; else None."""
    for ch in text:
        if _unstorable(ch):
            return f"U+{ord(ch):04X}"
    return None


def invisible_character(text: str) -> str | None:
    """The first invisible character of `text` (zero-width, BOM, soft hyphen, private use,
    Hangul filler…), as "U+200B"; else None."""
    for ch in text:
        if _invisible(ch):
            return f"U+{ord(ch):04X}"
    return None


def without_invisible(text: str) -> str:
    """`text` without its invisible characters (the rule for free text)."""
    return "".join(ch for ch in text if not _invisible(ch))


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


def invisible_message(char: str) -> str:
    return _(
        "Có ký tự vô hình (%(char)s), thường do sao chép từ nơi khác; hãy gõ lại nội dung này."
    ) % {"char": char}


def checked(text: str, *, field: str | None, exact: bool = False) -> str:
    """`text` in NFC, by the policy above; InvalidInput on `field` when it holds a character no
    text may hold, or — with `exact`, for names, ID numbers and codes — an invisible one.
    Free text (`exact` False) loses its invisible characters.

    What services apply to every text they store: names, addresses, notes. Nothing else is
    changed, so HTML or SQL typed into a name is kept as typed (and escaped where it is shown).
    """
    char = forbidden_character(text)
    if char is not None:
        raise InvalidInput(forbidden_message(char), field=field)
    if exact:
        char = invisible_character(text)
        if char is not None:
            raise InvalidInput(invisible_message(char), field=field)
        return nfc(text)
    return nfc(without_invisible(text))


def validate_printable(value: str) -> None:
    """Form validator: what no text may hold refused, as a ValidationError."""
    char = forbidden_character(value) if isinstance(value, str) else None
    if char is not None:
        raise ValidationError(forbidden_message(char), code="control_character")


def validate_exact(value: str) -> None:
    """Form validator for names, ID numbers and codes: also invisible characters refused."""
    validate_printable(value)
    char = invisible_character(value) if isinstance(value, str) else None
    if char is not None:
        raise ValidationError(invisible_message(char), code="invisible_character")


def cleaned(text: str) -> str:
    """`text` with every character the policy keeps out removed (what the data migrations
    store); a text made only of them becomes U+FFFD, so a reader sees something was there."""
    kept = "".join(ch for ch in text if not (_unstorable(ch) or _invisible(ch)))
    if kept != text and not kept.strip():
        return REPLACEMENT
    return kept


def clean_rows(model, fields: list[str], *, log=None) -> int:
    """Data migrations: rewrite the rows of `model` (a historical model) whose `fields` hold a
    character the policy keeps out, through `cleaned`, logging model, field and row id of each
    change; no row is deleted. Returns how many rows changed. Reads in chunks (a million
    dossiers pass in constant memory) and saves only the changed fields of the changed rows.
    """
    log = log or logger.warning
    label = f"{model._meta.app_label}.{model.__name__}"
    changed_rows = 0
    rows = model._base_manager.order_by("pk").values_list("pk", *fields)
    for pk, *values in rows.iterator(chunk_size=2000):
        changes = {}
        for field, value in zip(fields, values, strict=True):
            if isinstance(value, str) and value and cleaned(value) != value:
                changes[field] = cleaned(value)
        if changes:
            model._base_manager.filter(pk=pk).update(**changes)
            changed_rows += 1
            for field in changes:
                log(f"clean_stored_text: {label}.{field} of row {pk} cleaned")
    return changed_rows


def clean_app_text(apps, app_label: str, *, log=None) -> int:
    """Data migrations: `clean_rows` over every text column (CharField, TextField, without
    choices; passwords aside) of every model of `app_label` as the migration state has it."""
    from django.db import models

    log = log or logger.warning
    changed = 0
    for model in apps.get_app_config(app_label).get_models():
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not field.choices
            and field.name != "password"
        ]
        if fields:
            changed += clean_rows(model, fields, log=log)
    if changed:
        log(f"clean_stored_text: {app_label}: {changed} rows cleaned")
    return changed
