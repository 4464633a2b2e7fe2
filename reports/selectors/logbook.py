"""The logbook (Mẫu 06, Sổ theo dõi hồ sơ) of a ward and period."""

from __future__ import annotations

from django.db.models import QuerySet

from intake.lifecycle import Action
from intake.models import (
    Dossier,
    DossierEvent,
)
from onestop.models import User
from reports.periods import Period
from wards.models import Ward


def logbook_entries(*, user: User, ward: Ward, period: Period) -> QuerySet[Dossier]:
    """The dossiers received by `ward` in the period, oldest first, as Sổ theo dõi lists them.

    `ward` must come from `report_ward` (the caller's scope). Each row carries `transferred_at`,
    the time it was handed to the resolving agency, read in the same query.
    """
    from django.db.models import OuterRef, Subquery

    transfer = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=Action.TRANSFER)
        .order_by("at")
        .values("at")[:1]
    )
    return (
        Dossier.objects.filter(ward=ward, received_at__gte=period.start, received_at__lt=period.end)
        .annotate(transferred_at=Subquery(transfer))
        .order_by("received_at", "id")
        .only(
            "code",
            "procedure_code",
            "procedure_name",
            "sets",
            "applicant_name",
            "applicant_address",
            "applicant_phone",
            "resolving_agency",
            "received_at",
            "appointment_at",
            "apology_appointment_at",
            "resolved_at",
            "returned_at",
            "return_method",
            "status",
            "timeliness",
            "notes",
        )
    )
