"""The QR code on the chip citizen ID card (CCCD), as a 2D scanner types it at the counter.

The payload is `|`-separated: 12-digit ID | old 9-digit ID (may be empty) | full name |
birth date ddmmyyyy | Nam/Nữ | permanent address | issue date ddmmyyyy, and newer cards add
further fields, possibly empty (sources in intake/data/README.md). `read_card` parses it and
checks its parts against each other; nothing here touches the database, and the raw payload is
never kept: only the fields the counter needs leave this module.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from intake.validators import citizen_id_birth, validate_citizen_id

SEPARATOR = "|"
MIN_PARTS = 7
MALE, FEMALE = "Nam", "Nữ"


class NotACard(ValueError):
    """What was scanned is not a CCCD QR payload; `message` says why, in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Card:
    """The fields of one card's QR code, and what in them disagrees (empty when all agree)."""

    id_number: str
    old_id_number: str
    name: str
    birth_date: date | None
    sex: str  # MALE, FEMALE, or "" when the payload has neither
    address: str
    issue_date: date | None
    problems: list[str] = field(default_factory=list)

    @property
    def birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else None


def looks_like_card(text: str) -> bool:
    """True when `text` holds something a scanner typed from a card, to be read and checked.

    Any `|` after 12 digits counts, so that a damaged payload is reported rather than saved.
    """
    return bool(re.search(r"[0-9]{12}\s*\|", text or ""))


def _date(value: str) -> date | None:
    if not re.fullmatch(r"[0-9]{8}", value):
        return None
    try:
        return date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        return None


def _sex(value: str) -> str:
    folded = unicodedata.normalize("NFC", value).strip().casefold()
    return {MALE.casefold(): MALE, FEMALE.casefold(): FEMALE}.get(folded, "")


def _split(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", (text or "").strip())
    if SEPARATOR not in text:
        raise NotACard(
            _("Dữ liệu quét được không phải mã QR của thẻ CCCD: không có dấu “|” ngăn cách.")
        )
    parts = [part.strip() for part in text.split(SEPARATOR)]
    if len(parts) < MIN_PARTS:
        raise NotACard(
            _(
                "Dữ liệu quét được không phải mã QR của thẻ CCCD: chỉ có %(count)s phần, "
                "mã QR của thẻ CCCD có ít nhất %(minimum)s phần."
            )
            % {"count": len(parts), "minimum": MIN_PARTS}
        )
    if not re.fullmatch(r"[0-9]{12}", parts[0]):
        raise NotACard(
            _(
                "Dữ liệu quét được không phải mã QR của thẻ CCCD: phần đầu tiên phải là "
                "số CCCD gồm 12 chữ số."
            )
        )
    return parts


def read_card(text: str, *, today: date) -> Card:
    """Parse a scanned payload and check its parts against each other and against `today`.

    Raises NotACard when the text is not a CCCD payload at all; a payload that is one but whose
    parts disagree comes back with `problems`, one Vietnamese sentence for each disagreement.
    """
    parts = _split(text)
    id_number, old_id, name, birth_raw, sex_raw, address, issue_raw = parts[:MIN_PARTS]
    birth, issue, sex = _date(birth_raw), _date(issue_raw), _sex(sex_raw)
    name = " ".join(name.split())
    problems = []
    try:
        validate_citizen_id(id_number)
    except ValidationError as error:
        problems.extend(error.messages)
    if old_id and not re.fullmatch(r"[0-9]{9}|[0-9]{12}", old_id):
        problems.append(_("Số CMND cũ trong mã QR phải gồm 9 chữ số."))
    if not name:
        problems.append(_("Mã QR không có họ và tên."))
    if not address:
        problems.append(_("Mã QR không có địa chỉ."))
    if birth is None:
        problems.append(
            _("Ngày sinh trong mã QR (%(value)s) không phải ngày hợp lệ.") % {"value": birth_raw}
        )
    elif birth > today:
        problems.append(_("Ngày sinh trong mã QR ở tương lai."))
    if issue is None:
        problems.append(
            _("Ngày cấp trong mã QR (%(value)s) không phải ngày hợp lệ.") % {"value": issue_raw}
        )
    elif issue > today:
        problems.append(_("Ngày cấp thẻ trong mã QR ở tương lai."))
    elif birth is not None and issue < birth:
        problems.append(_("Ngày cấp thẻ trong mã QR trước ngày sinh."))
    if not sex:
        problems.append(
            _("Giới tính trong mã QR (%(value)s) phải là “Nam” hoặc “Nữ”.") % {"value": sex_raw}
        )
    id_year, id_female = citizen_id_birth(id_number)
    id_sex = FEMALE if id_female else MALE
    if sex and sex != id_sex:
        problems.append(
            _(
                "Giới tính không khớp: chữ số thứ tư của số CCCD là %(digit)s (giới tính "
                "%(id_sex)s) nhưng mã QR ghi giới tính %(sex)s."
            )
            % {"digit": id_number[3], "id_sex": id_sex, "sex": sex}
        )
    if birth is not None and birth.year != id_year:
        problems.append(
            _(
                "Năm sinh không khớp: chữ số thứ tư đến thứ sáu của số CCCD (%(digits)s) cho "
                "năm sinh %(id_year)s nhưng mã QR ghi ngày sinh %(birth)s."
            )
            % {
                "digits": id_number[3:6],
                "id_year": id_year,
                "birth": birth.strftime("%d/%m/%Y"),
            }
        )
    return Card(
        id_number=id_number,
        old_id_number=old_id,
        name=name,
        birth_date=birth,
        sex=sex,
        address=" ".join(address.split()),
        issue_date=issue,
        problems=problems,
    )
