"""The dossier lifecycle: which step may follow which, and who may take it.

This table is the only place that says so. Services consult it before every change, pages ask
it which buttons to show, and the tests walk it exhaustively.

Postal workers guide, receive, digitise and return; they never decide a dossier (Decision
468/QĐ-TTg): resolving, requesting a supplement and refusing once the dossier is being processed
belong to officers and the chief.

Some steps exist only under some editions of the rules (intake.editions): the stop-processing
notice (Mẫu 05 of the 2025 edition) only for dossiers received from 1/7/2025. `in_edition` says
so, next to the table, and both the services and the buttons ask it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.editions import edition_for
from intake.models import NationalStatus, Status
from onestop.models import Role


class Action(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận")
    TRANSFER = "transfer", _("Chuyển xử lý")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    SUPPLEMENT = "supplement", _("Đã bổ sung")
    RESOLVE = "resolve", _("Có kết quả")
    REFUSE = "refuse", _("Từ chối")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    RETURN = "return", _("Trả kết quả")
    APOLOGISE = "apologise", _("Xin lỗi, hẹn lại")
    SEND_BY_POST = "send_by_post", _("Gửi kết quả qua bưu điện")
    DELIVERED = "delivered", _("Đã phát kết quả")
    DELIVERY_FAILED = "delivery_failed", _("Phát không thành công")
    STOP = "stop", _("Dừng giải quyết")


@dataclass(frozen=True)
class Edge:
    target: Status
    roles: frozenset[str]
    national_status: NationalStatus


COUNTER_STAFF = frozenset({Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF})
DECIDERS = frozenset({Role.OFFICER, Role.CHIEF})

# {current status: {action: where it leads, who may take it}}.
TRANSITIONS: dict[Status, dict[Action, Edge]] = {
    Status.RECEIVED: {
        Action.TRANSFER: Edge(Status.PROCESSING, COUNTER_STAFF, NationalStatus.PROCESSING),
        # Refusing at the counter (incomplete dossier, wrong place) is part of intake, so the
        # postal worker may do it before the dossier is handed over.
        Action.REFUSE: Edge(Status.REFUSED, COUNTER_STAFF, NationalStatus.NOT_ACCEPTED),
        Action.WITHDRAW: Edge(Status.WITHDRAWN, COUNTER_STAFF, NationalStatus.WITHDRAWN),
        # The apology keeps the status: it only sets a new date (Mẫu 04), signed by the section.
        Action.APOLOGISE: Edge(Status.RECEIVED, DECIDERS, NationalStatus.ACCEPTED),
    },
    Status.PROCESSING: {
        Action.REQUEST_SUPPLEMENT: Edge(
            Status.NEEDS_SUPPLEMENT, DECIDERS, NationalStatus.SUPPLEMENT_REQUESTED
        ),
        Action.RESOLVE: Edge(Status.RESULT_READY, DECIDERS, NationalStatus.RESOLVED),
        # After transfer a refusal is a decision on the merits: officers only.
        Action.REFUSE: Edge(Status.REFUSED, DECIDERS, NationalStatus.STOPPED),
        Action.WITHDRAW: Edge(Status.WITHDRAWN, COUNTER_STAFF, NationalStatus.WITHDRAWN),
        Action.APOLOGISE: Edge(Status.PROCESSING, DECIDERS, NationalStatus.PROCESSING),
        # The stop-processing notice (2025 edition, Mẫu 05) closes the dossier like a refusal
        # after transfer; the event's action tells the two apart.
        Action.STOP: Edge(Status.REFUSED, DECIDERS, NationalStatus.STOPPED),
    },
    Status.NEEDS_SUPPLEMENT: {
        # The citizen brings the missing papers to the counter, whoever staffs it.
        Action.SUPPLEMENT: Edge(Status.PROCESSING, COUNTER_STAFF, NationalStatus.PROCESSING),
        Action.WITHDRAW: Edge(Status.WITHDRAWN, COUNTER_STAFF, NationalStatus.WITHDRAWN),
        Action.APOLOGISE: Edge(
            Status.NEEDS_SUPPLEMENT, DECIDERS, NationalStatus.SUPPLEMENT_REQUESTED
        ),
        Action.STOP: Edge(Status.REFUSED, DECIDERS, NationalStatus.STOPPED),
    },
    Status.RESULT_READY: {
        Action.RETURN: Edge(Status.RETURNED, COUNTER_STAFF, NationalStatus.RETURNED),
        Action.SEND_BY_POST: Edge(Status.IN_DELIVERY, COUNTER_STAFF, NationalStatus.RESOLVED),
    },
    Status.IN_DELIVERY: {
        Action.DELIVERED: Edge(Status.RETURNED, COUNTER_STAFF, NationalStatus.RETURNED),
        # A failed delivery brings the result back to the counter to be collected or re-sent.
        Action.DELIVERY_FAILED: Edge(Status.RESULT_READY, COUNTER_STAFF, NationalStatus.RESOLVED),
    },
    Status.RETURNED: {},
    Status.REFUSED: {},
    Status.WITHDRAWN: {},
}

# Steps that belong to a delivery by post and are taken through the delivery service.
POSTAL_ACTIONS = frozenset({Action.SEND_BY_POST, Action.DELIVERED, Action.DELIVERY_FAILED})


# Steps that only some editions of the rules have: action → the edition's flag that allows it.
EDITION_ACTIONS = {Action.STOP: "stop_notice"}


def in_edition(action: str, received_at: dt.datetime | None) -> bool:
    """True when the edition governing a dossier received at `received_at` has `action`.

    Without a receipt time (a page that lists actions in general) every step counts.
    """
    flag = EDITION_ACTIONS.get(Action(action))
    if flag is None or received_at is None:
        return True
    return bool(getattr(edition_for(received_at), flag))


def edge(status: str, action: str) -> Edge | None:
    """The edge `action` takes from `status`, or None when the state does not allow it."""
    return TRANSITIONS[Status(status)].get(Action(action))


def may_ever(role: str, action: str) -> bool:
    """True when `role` may take `action` from at least one state."""
    return any(action in edges and role in edges[action].roles for edges in TRANSITIONS.values())


def actions_for(role: str, status: str, received_at: dt.datetime | None = None) -> list[Action]:
    """The actions `role` may take now, in the table's order (the buttons a page shows).

    With the dossier's `received_at`, the steps its edition of the rules lacks are left out.
    """
    return [
        action
        for action, e in TRANSITIONS[Status(status)].items()
        if role in e.roles and in_edition(action, received_at)
    ]
