"""The citizen's own rating of a returned dossier, written by whatever records the evaluation
(the hall's tablet, the receipt's QR page, the API): intake keeps the satisfaction and its daily
figures, so the reports' satisfaction share has one source."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from intake import figures
from intake.models import Dossier, DossierEvent, Satisfaction, Status
from onestop.errors import Conflict, InvalidInput
from onestop.models import User
from wards.models import Counter

RATE_ACTION = "citizen_rating"
RATE_LABEL = gettext_lazy("Công dân đánh giá")


def dossier_rate(
    *,
    dossier_id: int,
    satisfaction: int,
    at: dt.datetime,
    note: str = "",
    counter: Counter | None = None,
    actor: User | None = None,
) -> Dossier:
    """Set the returned dossier's satisfaction to the citizen's rating and log it on its timeline.

    The citizen's own rating replaces one the counter typed at the return (the event keeps the
    earlier value in its note). Runs in the caller's transaction when there is one, with the
    dossier row locked; Conflict when the dossier is not returned.
    """
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Mức độ hài lòng phải từ 1 đến 5."), field="satisfaction")
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("ward").get(pk=dossier_id)
        if dossier.status != Status.RETURNED:
            raise Conflict(
                _("Hồ sơ %(code)s chưa trả kết quả nên chưa đánh giá được.")
                % {"code": dossier.code}
            )
        before = figures.Facts.of(dossier)
        lines = [_("Mức độ hài lòng: %(level)s") % {"level": Satisfaction(satisfaction).label}]
        if dossier.satisfaction is not None and dossier.satisfaction != satisfaction:
            lines.append(
                _("(thay mức ghi khi trả kết quả: %(level)s)")
                % {"level": Satisfaction(dossier.satisfaction).label}
            )
        if note:
            lines.append(note)
        dossier.satisfaction = satisfaction
        dossier.save(update_fields=["satisfaction", "updated_at"])
        DossierEvent.objects.create(
            dossier=dossier,
            at=at,
            actor=actor,
            actor_role=actor.role if actor is not None else "",
            action=RATE_ACTION,
            from_status=dossier.status,
            to_status=dossier.status,
            note="\n".join(lines),
            counter=counter,
        )
        figures.record_change(before, figures.Facts.of(dossier))
    return dossier
