"""Scoped reads of deliveries by post: every read starts from the user."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from intake.models import Dossier
from onestop.models import User
from onestop.text import fold
from postal.deliveries.models import (
    Delivery,
    DeliveryDirection,
    DeliveryRequest,
    DeliveryStatus,
    PostalTariff,
)
from wards.scope import visible_cities, visible_wards, working_ward_id


def deliveries_for_user(*, user: User) -> QuerySet[Delivery]:
    """Every delivery `user` may read: their ward's, or their city's wards' for a city admin."""
    return Delivery.objects.filter(ward__in=visible_wards(user).values("pk"))


def delivery_for_user(*, user: User, delivery_id: int) -> Delivery:
    """One delivery with what its page shows, or Delivery.DoesNotExist (404)."""
    return (
        deliveries_for_user(user=user)
        .select_related(
            "dossier",
            "ward__city",
            "tariff",
            "created_by",
            "handed_by",
            "in_transit_by",
            "delivered_by",
            "failed_by",
            "returned_by",
        )
        .get(pk=delivery_id)
    )


@dataclass(frozen=True)
class DeliveryFilters:
    status: str = ""
    direction: str = ""
    day: dt.date | None = None
    q: str = ""
    ward: str = ""


# Days a delivery can have been made on; beyond them the calendar arithmetic would overflow.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2999, 12, 31)


def _day_range(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    day = min(max(day, FIRST_DAY), LAST_DAY)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def delivery_list(*, user: User, filters: DeliveryFilters) -> QuerySet[Delivery]:
    """The deliveries `user` may read, newest first; `q` is a waybill or dossier code, or words
    of the recipient's name."""
    deliveries = deliveries_for_user(user=user)
    if filters.ward:
        deliveries = deliveries.filter(ward__slug=filters.ward)
    if filters.status:
        deliveries = deliveries.filter(status=filters.status)
    if filters.direction:
        deliveries = deliveries.filter(direction=filters.direction)
    if filters.day and not FIRST_DAY <= filters.day <= LAST_DAY:
        return Delivery.objects.none()
    if filters.day:
        start, end = _day_range(filters.day)
        deliveries = deliveries.filter(created_at__gte=start, created_at__lt=end)
    q = filters.q.strip()
    if q:
        upper = q.upper().replace(" ", "")
        if len(upper) == 13 and upper[:2].isalpha() and upper[2:11].isdigit():
            deliveries = deliveries.filter(waybill_code=upper)
        elif "-" in q:
            deliveries = deliveries.filter(dossier__code=q)
        else:
            for word in fold(q).split()[:6]:
                deliveries = deliveries.filter(dossier__applicant_name_search__contains=word)
    return deliveries.select_related("dossier", "ward", "created_by").order_by("-created_at", "-id")


def handover_deliveries(*, user: User, day: dt.date) -> QuerySet[Delivery]:
    """The results prepared for the post on `day` in the user's working ward: the lines of the
    hand-over list (bảng kê giao nhận), oldest first."""
    ward_id = working_ward_id(user)
    if ward_id is None or not FIRST_DAY <= day <= LAST_DAY:
        return Delivery.objects.none()
    start, end = _day_range(day)
    return (
        Delivery.objects.filter(
            ward_id=ward_id,
            direction=DeliveryDirection.OUTBOUND,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("dossier", "created_by", "handed_by")
        .order_by("created_at", "id")
    )


def failed_deliveries(*, user: User) -> QuerySet[Delivery]:
    """Results the post could not deliver and has not yet brought back: the counter must know."""
    return (
        deliveries_for_user(user=user)
        .filter(direction=DeliveryDirection.OUTBOUND, status=DeliveryStatus.FAILED)
        .select_related("dossier", "ward")
        .order_by("-failed_at", "-id")
    )


def dossier_deliveries(*, user: User, dossier: Dossier) -> QuerySet[Delivery]:
    """The deliveries of a dossier the caller already read through a selector."""
    return (
        deliveries_for_user(user=user)
        .filter(dossier=dossier)
        .select_related("created_by", "failed_by", "delivered_by")
        .order_by("created_at", "id")
    )


def delivery_request_for(*, user: User, dossier: Dossier) -> DeliveryRequest | None:
    """The citizen's request to receive the result by post, withdrawn or not, or None."""
    return (
        DeliveryRequest.objects.filter(
            dossier=dossier, dossier__ward__in=visible_wards(user).values("pk")
        )
        .select_related("requested_by")
        .first()
    )


def tariffs_for_user(*, user: User) -> QuerySet[PostalTariff]:
    """The tariff versions of the cities `user` may read, newest first."""
    return (
        PostalTariff.objects.filter(city__in=visible_cities(user).values("pk"))
        .select_related("city", "updated_by")
        .order_by("city__name", "-valid_from")
    )
