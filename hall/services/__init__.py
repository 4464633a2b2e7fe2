"""Writes of the counter hall: each in one transaction, each ticket change with its event."""

from hall.services.calls import (
    ticket_call_next,
    ticket_done,
    ticket_link,
    ticket_recall,
    ticket_skip,
    ticket_transfer,
)
from hall.services.evaluations import evaluation_invite, evaluation_submit
from hall.services.setup import (
    device_create,
    device_revoke,
    group_create,
    group_update,
    groups_seed,
)
from hall.services.tickets import ticket_issue

__all__ = [
    "device_create",
    "device_revoke",
    "evaluation_invite",
    "evaluation_submit",
    "group_create",
    "group_update",
    "groups_seed",
    "ticket_call_next",
    "ticket_done",
    "ticket_issue",
    "ticket_link",
    "ticket_recall",
    "ticket_skip",
    "ticket_transfer",
]
