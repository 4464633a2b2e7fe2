"""The dossier lifecycle: which step may follow which, and who may take it.

This table is the only place that says so. Services consult it before every change, pages ask
it which buttons to show, and the tests walk it exhaustively.

Postal workers guide, receive, digitise and return; they never decide a dossier (Decision
468/QĐ-TTg): resolving, requesting a supplement and refusing once the dossier is being processed
belong to officers and the chief.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

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
    },
    Status.NEEDS_SUPPLEMENT: {
        # The citizen brings the missing papers to the counter, whoever staffs it.
        Action.SUPPLEMENT: Edge(Status.PROCESSING, COUNTER_STAFF, NationalStatus.PROCESSING),
        Action.WITHDRAW: Edge(Status.WITHDRAWN, COUNTER_STAFF, NationalStatus.WITHDRAWN),
        Action.APOLOGISE: Edge(
            Status.NEEDS_SUPPLEMENT, DECIDERS, NationalStatus.SUPPLEMENT_REQUESTED
        ),
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


def edge(status: str, action: str) -> Edge | None:
    """The edge `action` takes from `status`, or None when the state does not allow it."""
    return TRANSITIONS[Status(status)].get(Action(action))


def may_ever(role: str, action: str) -> bool:
    """True when `role` may take `action` from at least one state."""
    return any(action in edges and role in edges[action].roles for edges in TRANSITIONS.values())


def actions_for(role: str, status: str) -> list[Action]:
    """The actions `role` may take now, in the table's order (the buttons a page shows)."""
    return [action for action, e in TRANSITIONS[Status(status)].items() if role in e.roles]
