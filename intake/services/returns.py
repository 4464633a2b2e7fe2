"""Returning the result: at the counter to the applicant or their collector, or by post."""

from django.utils.translation import gettext as _

from intake.models import ReturnMethod, Satisfaction
from intake.services._common import require_note
from onestop.errors import InvalidInput


def returned_at_counter(user, dossier, note, details, now) -> list[str]:
    """The result handed over at the counter, to the applicant or to someone they authorised."""
    collector = details.collector_id_number.strip()
    if not collector:
        raise InvalidInput(_("Nhập số CCCD của người nhận kết quả."), field="collector_id_number")
    if collector != dossier.applicant_id_number:
        # Someone else collecting must carry the applicant's written authorisation.
        require_note(
            note,
            _(
                "Số CCCD không khớp người nộp hồ sơ. Nếu nhận thay, ghi họ tên người nhận "
                "và giấy ủy quyền vào ghi chú."
            ),
        )
    return _returned(user, dossier, details, ReturnMethod.COUNTER, now)


def returned_by_post(user, dossier, details, now) -> list[str]:
    """The result delivered by the post to the applicant's address."""
    return _returned(user, dossier, details, ReturnMethod.POST, now)


def _returned(user, dossier, details, method, now) -> list[str]:
    if details.satisfaction is not None and details.satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Mức độ hài lòng phải từ 1 đến 5."), field="satisfaction")
    dossier.returned_at = now
    dossier.returned_by = user
    dossier.return_method = method
    dossier.satisfaction = details.satisfaction
    return ["returned_at", "returned_by", "return_method", "satisfaction"]
