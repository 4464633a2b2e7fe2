"""Postal workers' work at the counter: profiles, the roster, authorisations, out-of-list review,
data-entry batches and the guidance log, one module per family; the deliveries by post live in
postal/deliveries/models.py. Importing this package registers every model of the postal app.

Nothing here is ever deleted. An assignment is cancelled, an authorisation revoked, an account
deactivated, a batch closed; every change leaves a row behind.
"""

from postal.deliveries.models import (
    Delivery,
    DeliveryDirection,
    DeliveryRequest,
    DeliveryStatus,
    PostalTariff,
    Zone,
    s10_check_digit,
    validate_s10,
)
from postal.models._base import AppendOnly, HistoryEntry
from postal.models.authorisations import OutOfListReview, ProcedureAuthorization
from postal.models.data_entry import DataEntryBatch, DataEntryRecord
from postal.models.guidance import GuidanceSession
from postal.models.roster import (
    COUNTER_TASKS,
    MORNING_ENDS,
    Assignment,
    AssignmentChange,
    AssignmentQuerySet,
    Shift,
    TaskType,
    shift_in_progress,
    shift_of,
)
from postal.models.staff import AccountEvent, CounterChange, PostalWorkerProfile

__all__ = [
    "COUNTER_TASKS",
    "MORNING_ENDS",
    "AccountEvent",
    "AppendOnly",
    "Assignment",
    "AssignmentChange",
    "AssignmentQuerySet",
    "CounterChange",
    "DataEntryBatch",
    "DataEntryRecord",
    "Delivery",
    "DeliveryDirection",
    "DeliveryRequest",
    "DeliveryStatus",
    "GuidanceSession",
    "HistoryEntry",
    "OutOfListReview",
    "PostalTariff",
    "PostalWorkerProfile",
    "ProcedureAuthorization",
    "Shift",
    "TaskType",
    "Zone",
    "s10_check_digit",
    "shift_in_progress",
    "shift_of",
    "validate_s10",
]
