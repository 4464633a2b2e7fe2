"""The hall's data: tickets.py (service groups, devices, tickets and their events) and
evaluations.py (the citizen's evaluation, the settings' history)."""

from hall.models.evaluations import (
    COMMENT_LIMIT,
    FULL_SCORE,
    INDICATOR_NAMES,
    INDICATORS,
    Evaluation,
    EvaluationChannel,
    HallLog,
)
from hall.models.tickets import (
    Device,
    GroupKind,
    ServiceGroup,
    Ticket,
    TicketEvent,
    TicketSequence,
    TicketStatus,
)

__all__ = [
    "COMMENT_LIMIT",
    "FULL_SCORE",
    "INDICATORS",
    "INDICATOR_NAMES",
    "Device",
    "Evaluation",
    "EvaluationChannel",
    "GroupKind",
    "HallLog",
    "ServiceGroup",
    "Ticket",
    "TicketEvent",
    "TicketSequence",
    "TicketStatus",
]
