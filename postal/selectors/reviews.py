"""Out-of-list intakes: the dossiers a postal worker received outside their authorisations, and
the chief's queue of those still to review."""

from django.db.models import QuerySet

from intake.models import Dossier
from intake.selectors import dossiers_for_user
from onestop.models import User


def out_of_list_dossiers(*, user: User) -> QuerySet[Dossier]:
    """Out-of-list dossiers `user` may read, with their review when there is one."""
    return (
        dossiers_for_user(user=user)
        .filter(out_of_list=True)
        .select_related("received_by", "out_of_list_review__reviewed_by", "ward")
        .order_by("-received_at", "-id")
    )


def out_of_list_queue(*, user: User) -> QuerySet[Dossier]:
    """Out-of-list dossiers still awaiting the chief's review, oldest first."""
    return (
        out_of_list_dossiers(user=user)
        .filter(out_of_list_review__isnull=True)
        .order_by("received_at", "id")
    )
