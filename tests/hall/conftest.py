import datetime as dt

import pytest

from onestop import clock
from tests.hall.factories import ServiceGroupFactory, make_device
from wards.calendar import VIETNAM_TZ

# A Tuesday morning in the ward's hall.
MORNING = dt.datetime(2026, 3, 10, 8, 0, tzinfo=VIETNAM_TZ)


@pytest.fixture
def hall(world):
    """The home ward's hall: intake served by the postal counter, return by the officer's."""
    world.intake = ServiceGroupFactory(
        ward=world.ward, name="Tiếp nhận hồ sơ", counters=[world.postal_counter]
    )
    world.returns = ServiceGroupFactory(
        ward=world.ward, name="Trả kết quả", result_return=True, counters=[world.officer_counter]
    )
    world.other_group = ServiceGroupFactory(
        ward=world.other_ward, name="Tiếp nhận hồ sơ", counters=[world.other_counter]
    )
    world.kiosk = make_device(world.chief)
    world.display = make_device(world.chief, kind="display", name="Màn hình sảnh")
    return world


@pytest.fixture
def morning():
    with clock.frozen_at(MORNING):
        yield MORNING
