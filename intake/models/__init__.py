"""The procedure catalogue and the dossiers received against it; each module owns one family."""

from intake.models.catalogue import Procedure
from intake.models.dossiers import (
    FINISHED,
    OPEN,
    RESOLVED,
    Channel,
    Dossier,
    DossierSequence,
    NationalStatus,
    NotifyConsent,
    ReceiverKind,
    ReturnMethod,
    Satisfaction,
    Status,
    Timeliness,
)
from intake.models.events import DossierEvent
from intake.models.figures import DailyFigures, DailyProcedureFigures, FigureColumns
from intake.models.files import DossierFile
from intake.models.privacy import PersonalDataAccess

__all__ = [
    "FINISHED",
    "OPEN",
    "RESOLVED",
    "Channel",
    "DailyFigures",
    "DailyProcedureFigures",
    "Dossier",
    "DossierEvent",
    "DossierFile",
    "DossierSequence",
    "FigureColumns",
    "NationalStatus",
    "NotifyConsent",
    "PersonalDataAccess",
    "Procedure",
    "ReceiverKind",
    "ReturnMethod",
    "Satisfaction",
    "Status",
    "Timeliness",
]
