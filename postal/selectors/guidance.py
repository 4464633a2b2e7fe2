"""The guidance log of the wards in scope."""

from django.db.models import QuerySet

from onestop.models import User
from postal.models import GuidanceSession
from wards.scope import visible_wards


def guidance_for_user(*, user: User) -> QuerySet[GuidanceSession]:
    return GuidanceSession.objects.filter(ward__in=visible_wards(user).values("pk")).select_related(
        "worker", "procedure", "counter"
    )
