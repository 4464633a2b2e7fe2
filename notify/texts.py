"""What the messages say: templates with placeholders, and nothing personal beyond the dossier
code, the procedure's short name and dates (no name, no ID number, no address)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from notify.models import Message

# "đ" is a letter of its own in Unicode, not "d" plus a mark, so NFD alone keeps it.
_D = str.maketrans({"đ": "d", "Đ": "D"})
# The procedure's name is cut to this many characters, at a word, so the text stays short.
SHORT_NAME_CHARACTERS = 40

TEMPLATES = {
    Message.Kind.RESULT_READY: _(
        "Hồ sơ %(code)s (%(procedure)s) đã có kết quả. Mời ông/bà đến bộ phận một cửa nhận."
    ),
    Message.Kind.SUPPLEMENT: _(
        "Hồ sơ %(code)s (%(procedure)s) cần bổ sung giấy tờ. Mời ông/bà liên hệ bộ phận một cửa."
    ),
    Message.Kind.NEW_DATE: _(
        "Hồ sơ %(code)s (%(procedure)s) được hẹn lại ngày trả kết quả: %(date)s. Xin lỗi ông/bà."
    ),
    Message.Kind.DELIVERY_FAILED: _(
        "Bưu điện chưa phát được kết quả hồ sơ %(code)s. Mời ông/bà liên hệ bộ phận một cửa."
    ),
}


def short_name(name: str) -> str:
    if len(name) <= SHORT_NAME_CHARACTERS:
        return name
    cut = name[:SHORT_NAME_CHARACTERS].rsplit(" ", 1)[0]
    return f"{cut}…"


def without_diacritics(text: str) -> str:
    """`"Hồ sơ đã có kết quả"` → `"Ho so da co ket qua"`: case kept, marks dropped."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("…", "...")


def render(kind: str, *, code: str, procedure: str, date: dt.datetime | None, ascii_only: bool):
    """The message's text, always in Vietnamese, without diacritics when the channel says so."""
    with translation.override("vi"):
        text = gettext(str(TEMPLATES[Message.Kind(kind)])) % {
            "code": code,
            "procedure": short_name(procedure),
            "date": f"{timezone.localtime(date):%d/%m/%Y}" if date else "",
        }
    return without_diacritics(text) if ascii_only else text
