"""The chief's review of dossiers a postal worker received outside their list."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import DossierEvent
from intake.selectors import dossiers_in_working_ward
from onestop import clock
from onestop.errors import Conflict, InvalidInput
from onestop.models import User
from postal.models import OutOfListReview
from postal.services._common import require_chief

REVIEW_ACTION = "review_out_of_list"


def out_of_list_review(*, user: User, code: str, comment: str) -> OutOfListReview:
    """Mark the out-of-list dossier `code` reviewed, with the chief's comment.

    The dossier's status does not change; its control sheet gains one line. Raises
    Dossier.DoesNotExist (a 404) outside the chief's ward.
    """
    require_chief(user)
    comment = (comment or "").strip()
    now = clock.now()
    with transaction.atomic():
        dossier = dossiers_in_working_ward(user=user).select_for_update().get(code=code)
        if not comment:
            raise InvalidInput(_("Ghi nhận xét khi xem xét hồ sơ."), field="comment")
        if not dossier.out_of_list:
            raise Conflict(
                _("Hồ sơ %(code)s không phải hồ sơ tiếp nhận ngoài danh mục.") % {"code": code}
            )
        earlier = OutOfListReview.objects.filter(dossier=dossier).select_related("reviewed_by")
        if (review := earlier.first()) is not None:
            if review.reviewed_by_id == user.pk and review.comment == comment:
                return review  # the same review sent twice
            raise Conflict(
                _("Hồ sơ %(code)s đã được %(name)s xem xét lúc %(at)s.")
                % {
                    "code": code,
                    "name": review.reviewed_by.get_full_name(),
                    "at": f"{timezone.localtime(review.reviewed_at):%H:%M %d/%m/%Y}",
                }
            )
        review = OutOfListReview.objects.create(
            dossier=dossier, reviewed_at=now, reviewed_by=user, comment=comment
        )
        DossierEvent.objects.create(
            dossier=dossier,
            at=now,
            actor=user,
            actor_role=user.role,
            action=REVIEW_ACTION,
            from_status=dossier.status,
            to_status=dossier.status,
            note=comment,
        )
    return review
