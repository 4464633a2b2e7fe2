"""Write operations of the public postal service; each module owns one part of it."""

from postal.deliveries.services._common import AddressInput
from postal.deliveries.services.inbound import delivery_record_inbound
from postal.deliveries.services.outbound import (
    STEP_ROLES,
    STEPS,
    HandOver,
    active_outbound,
    deliveries_hand_over,
    delivery_advance,
    delivery_send,
    next_steps,
)
from postal.deliveries.services.requests import (
    delivery_request_record,
    delivery_request_withdraw,
)
from postal.deliveries.services.tariff import (
    PILOT_TARIFF_FROM,
    TARIFF_FIELDS,
    Quote,
    delivery_quote,
    split_address,
    tariff_for,
    tariff_reference,
    tariff_set,
    zone_of,
)

__all__ = [
    "PILOT_TARIFF_FROM",
    "STEPS",
    "STEP_ROLES",
    "TARIFF_FIELDS",
    "AddressInput",
    "HandOver",
    "Quote",
    "active_outbound",
    "deliveries_hand_over",
    "delivery_advance",
    "delivery_quote",
    "delivery_record_inbound",
    "delivery_request_record",
    "delivery_request_withdraw",
    "delivery_send",
    "next_steps",
    "split_address",
    "tariff_for",
    "tariff_reference",
    "tariff_set",
    "zone_of",
]
