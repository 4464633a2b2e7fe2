"""The hall's data: tickets.py (service groups, devices, tickets and their events) and
evaluations.py (the citizen's evaluation, the settings' history); tickets.py also holds the
hall's daily figures (DailyHallFigures)."""

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
    BUCKET_BOUNDS,
    BUCKETS,
    MEASURES,
    DailyHallFigures,
    Device,
    GroupKind,
    ServiceGroup,
    Ticket,
    TicketEvent,
    TicketSequence,
    TicketStatus,
    bucket_column,
)

__all__ = [
    "BUCKETS",
    "BUCKET_BOUNDS",
    "COMMENT_LIMIT",
    "FULL_SCORE",
    "INDICATORS",
    "INDICATOR_NAMES",
    "MEASURES",
    "DailyHallFigures",
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
    "bucket_column",
]
