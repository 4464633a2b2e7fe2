"""The hall's pages: devices and the citizen's ticket (devices.py), the counter's calling panel
(desk.py), the chief's settings (setup.py), the citizen's evaluation (evaluations.py), the
figures: the dashboard's panel and the ticket list (figures.py)."""

from hall.views.desk import (
    desk,
    desk_next,
    ticket_done_view,
    ticket_recall_view,
    ticket_skip_view,
    ticket_transfer_view,
)
from hall.views.devices import (
    device_link,
    display,
    display_state,
    kiosk,
    kiosk_issue,
    ticket_follow,
    ticket_print,
)
from hall.views.evaluations import (
    evaluation_list,
    invite,
    public_evaluation,
    tablet,
    tablet_state,
    tablet_submit,
)
from hall.views.figures import board, ticket_list
from hall.views.setup import (
    device_create_view,
    device_revoke_view,
    group_update_view,
    settings_page,
)

__all__ = [
    "board",
    "desk",
    "desk_next",
    "device_create_view",
    "device_link",
    "device_revoke_view",
    "display",
    "display_state",
    "evaluation_list",
    "group_update_view",
    "invite",
    "kiosk",
    "kiosk_issue",
    "public_evaluation",
    "settings_page",
    "tablet",
    "tablet_state",
    "tablet_submit",
    "ticket_done_view",
    "ticket_follow",
    "ticket_list",
    "ticket_print",
    "ticket_recall_view",
    "ticket_skip_view",
    "ticket_transfer_view",
]
