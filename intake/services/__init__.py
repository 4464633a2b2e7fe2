"""Write operations on dossiers: intake and every lifecycle step; each module owns one part.

Each step follows one recipe: one transaction; the dossier row locked; an early return when the
same request was already applied (a double click); the change; exactly one event in the same
transaction. Refusals raise onestop.errors (NotAllowed → 403, Conflict → 409, InvalidInput → 400)
and change nothing.
"""

from intake.services._common import calendar_for, calendars_cached
from intake.services.deadlines import closed_step_reason
from intake.services.paper import (
    PAPER_STEPS,
    PaperState,
    dossier_paper_history,
    paper_dates_check,
    paper_dates_errors,
)
from intake.services.pins import (
    LOOKUP_PIN_DIGITS,
    lookup_keys,
    lookup_pin_digest,
    lookup_pin_matches,
)
from intake.services.rating import RATE_ACTION, RATE_LABEL, dossier_rate
from intake.services.receive import (
    EARLIEST_RECEIPT,
    IntakeRequest,
    Receipt,
    dossier_receive,
    intake_rules,
)
from intake.services.steps import (
    APPLICANT,
    POST_OFFICE,
    PROXY_COLLECTOR,
    StepInput,
    dossier_step,
)

__all__ = [
    "APPLICANT",
    "EARLIEST_RECEIPT",
    "LOOKUP_PIN_DIGITS",
    "PAPER_STEPS",
    "POST_OFFICE",
    "PROXY_COLLECTOR",
    "RATE_ACTION",
    "RATE_LABEL",
    "IntakeRequest",
    "PaperState",
    "Receipt",
    "StepInput",
    "calendar_for",
    "calendars_cached",
    "closed_step_reason",
    "dossier_paper_history",
    "dossier_rate",
    "dossier_receive",
    "dossier_step",
    "intake_rules",
    "lookup_keys",
    "lookup_pin_digest",
    "lookup_pin_matches",
    "paper_dates_check",
    "paper_dates_errors",
]
