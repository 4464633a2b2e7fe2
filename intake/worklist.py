"""The officer's home: the ward's work list, and the short-list reads the home pages share.

An officer's work is the ward's dossiers, which the app does not divide by field or person:
those handed to processing, those due soon, and those waiting for the citizen's supplement.
Each is a count and its first rows, linking to the dossier list filtered the same way.
"""

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce
from operator import attrgetter

from django.db.models import BooleanField, Count, Expression, ExpressionWrapper, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from intake.models import OPEN, Status
from intake.selectors import dossiers_for_user
from onestop import clock
from onestop.models import User
from wards import calendar
from wards.scope import working_ward
from wards.selectors import working_calendar

# "Due soon": within this many working days, as the dossier list's filter.
DUE_SOON_WORKING_DAYS = 2


@dataclass
class Head:
    """The first rows of a list and how many rows the whole list holds."""

    rows: list
    count: int


def list_heads(
    queryset: QuerySet, lists: dict[str, tuple[Q, tuple[str, ...]]], limit: int
) -> dict[str, Head]:
    """The first `limit` rows of each named list and each list's size, in one query.

    `lists` names a condition on `queryset` and an order for each list; a row may belong to
    several lists. Window functions number and count the rows that meet each condition
    (ROW_NUMBER and COUNT over a partition by the condition), so the database returns only
    the rows shown, each with its list's size, whatever the lists hold.
    """
    annotations: dict[str, Expression] = {}
    shown = Q()
    for name, (condition, order) in lists.items():
        member = ExpressionWrapper(condition, output_field=BooleanField())
        annotations[f"in_{name}"] = member
        annotations[f"rank_{name}"] = Window(RowNumber(), partition_by=[member], order_by=order)
        annotations[f"size_{name}"] = Window(Count("pk"), partition_by=[member])
        shown |= Q(**{f"in_{name}": True, f"rank_{name}__lte": limit})
    in_any = reduce(operator.or_, (condition for condition, _ in lists.values()))
    rows = list(queryset.filter(in_any).annotate(**annotations).filter(shown).order_by())
    heads = {}
    for name in lists:
        members = sorted(
            (row for row in rows if getattr(row, f"in_{name}")),
            key=attrgetter(f"rank_{name}"),
        )
        heads[name] = Head(
            rows=members[:limit], count=getattr(members[0], f"size_{name}") if members else 0
        )
    return heads


# What a dossier row of the home pages shows (postal/_dossier_rows.html): no personal data.
DOSSIER_ROW_FIELDS = (
    "code",
    "procedure_name",
    "appointment_at",
    "apology_appointment_at",
    "received_by__first_name",
    "received_by__last_name",
)


@dataclass
class WorkList:
    now: dt.datetime
    to_process: Head
    due_soon: Head
    awaiting_supplement: Head


def officer_worklist(*, user: User, limit: int = 8) -> WorkList:
    """The officer's work in their ward: in processing, due soon, awaiting a supplement.

    Two queries whatever the ward holds: the city's calendar (for "due soon") and the three
    lists with their counts. The conditions are those of the dossier list's filters
    (intake.selectors.dossier_list), so each count equals the list its link opens.
    """
    now = clock.now()
    ward = working_ward(user)
    cal = working_calendar(city_id=ward.city_id)
    limit_at = calendar.add_working_time(now, DUE_SOON_WORKING_DAYS * calendar.WORKING_DAY, cal)
    heads = list_heads(
        dossiers_for_user(user=user)
        .filter(ward_id=ward.pk)
        .select_related("received_by")
        .only(*DOSSIER_ROW_FIELDS, "status", "received_at"),
        {
            "to_process": (Q(status=Status.PROCESSING), ("appointment_at", "id")),
            "due_soon": (
                Q(status__in=OPEN, appointment_at__gte=now, appointment_at__lte=limit_at),
                ("appointment_at", "id"),
            ),
            "awaiting_supplement": (
                Q(status=Status.NEEDS_SUPPLEMENT),
                ("appointment_at", "id"),
            ),
        },
        limit,
    )
    return WorkList(
        now=now,
        to_process=heads["to_process"],
        due_soon=heads["due_soon"],
        awaiting_supplement=heads["awaiting_supplement"],
    )
