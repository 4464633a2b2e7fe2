"""Scoped reads of the postal back office: every read starts from the user; each module owns one
part of it.

Ward staff read their ward's roster, grants, batches and guidance; city admins read those of
their city's wards; a chief's management pages read only the ward they run. Anything else is
absent from the querysets (a 404 for the caller).
"""

from intake.worklist import DOSSIER_ROW_FIELDS, Head
from postal.selectors.authorisations import (
    AuthorisationMatrix,
    authorisation_matrix,
    authorisations_for_user,
    authorised_procedures,
    postal_procedures,
)
from postal.selectors.data_entry import batch_records, batches_for_user
from postal.selectors.guidance import guidance_for_user
from postal.selectors.home import (
    Dashboard,
    Today,
    WorkloadRow,
    chief_dashboard,
    due_soon_limit,
    today_for_worker,
)
from postal.selectors.people import (
    LoginLockout,
    account_events,
    counters_for_chief,
    login_lockouts_for_chief,
    managed_ward_id,
    postal_accounts_for_chief,
    postal_workers_for_user,
    ward_counters,
)
from postal.selectors.reviews import out_of_list_dossiers, out_of_list_queue
from postal.selectors.roster import (
    Day,
    Slot,
    WeekRoster,
    WorkerRow,
    assignment_for_chief,
    assignment_history,
    assignments_for_user,
    slot_for_chief,
    todays_assignments,
    week_roster,
)

__all__ = [
    "DOSSIER_ROW_FIELDS",
    "AuthorisationMatrix",
    "Dashboard",
    "Day",
    "Head",
    "LoginLockout",
    "Slot",
    "Today",
    "WeekRoster",
    "WorkerRow",
    "WorkloadRow",
    "account_events",
    "assignment_for_chief",
    "assignment_history",
    "assignments_for_user",
    "authorisation_matrix",
    "authorisations_for_user",
    "authorised_procedures",
    "batch_records",
    "batches_for_user",
    "chief_dashboard",
    "counters_for_chief",
    "due_soon_limit",
    "guidance_for_user",
    "login_lockouts_for_chief",
    "managed_ward_id",
    "out_of_list_dossiers",
    "out_of_list_queue",
    "postal_accounts_for_chief",
    "postal_procedures",
    "postal_workers_for_user",
    "slot_for_chief",
    "today_for_worker",
    "todays_assignments",
    "ward_counters",
    "week_roster",
]
