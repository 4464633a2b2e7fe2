"""Write operations of the postal back office; each module owns one part of it."""

from postal.services.accounts import (
    account_password_changed,
    postal_account_create,
    postal_account_deactivate,
    postal_account_reactivate,
    postal_account_reset_password,
    postal_account_token_revoke,
    postal_profile_update,
    ward_account_login_unlock,
)
from postal.services.authorisations import (
    authorisation_grant,
    authorisation_grant_outcome,
    authorisation_revoke,
)
from postal.services.counters import counter_create, counter_update
from postal.services.data_entry import (
    batch_close,
    batch_create,
    batch_update,
    data_entry_record,
)
from postal.services.guidance import guidance_log
from postal.services.reviews import out_of_list_review
from postal.services.roster import (
    assignment_cancel,
    assignment_create,
    assignment_update,
    week_copy,
)

__all__ = [
    "account_password_changed",
    "assignment_cancel",
    "assignment_create",
    "assignment_update",
    "authorisation_grant",
    "authorisation_grant_outcome",
    "authorisation_revoke",
    "batch_close",
    "batch_create",
    "batch_update",
    "counter_create",
    "counter_update",
    "data_entry_record",
    "guidance_log",
    "out_of_list_review",
    "postal_account_create",
    "postal_account_deactivate",
    "postal_account_reactivate",
    "postal_account_reset_password",
    "postal_account_token_revoke",
    "postal_profile_update",
    "ward_account_login_unlock",
    "week_copy",
]
