"""The edition of the rules is chosen by the dossier's receipt time."""

import datetime as dt

import pytest

from intake import editions
from wards.calendar import VIETNAM_TZ


@pytest.mark.parametrize(
    ("received_at", "key"),
    [
        # The last minute of 30/6/2025, local time, is still under the 2018 edition.
        (dt.datetime(2025, 6, 30, 23, 59, tzinfo=VIETNAM_TZ), "2018"),
        (dt.datetime(2025, 7, 1, 0, 0, tzinfo=VIETNAM_TZ), "2025"),
        # 17:30 UTC on 30/6 is 00:30 on 1/7 in Vietnam.
        (dt.datetime(2025, 6, 30, 17, 30, tzinfo=dt.UTC), "2025"),
        (dt.datetime(2019, 1, 2, 8, 0, tzinfo=VIETNAM_TZ), "2018"),
        # Before the first edition the first one applies (data entered from older paper).
        (dt.datetime(2017, 5, 2, 8, 0, tzinfo=VIETNAM_TZ), "2018"),
    ],
)
def test_edition_for_receipt_time(received_at, key):
    assert editions.edition_for(received_at).key == key


def test_editions_are_ordered_and_distinct():
    found = editions.editions()
    assert [e.key for e in found] == ["2018", "2025"]
    assert found[0].effective_from < found[1].effective_from


def test_unit_name_follows_the_edition():
    old, new = editions.editions()
    assert new.unit_name("phường Phú Lợi") == "Trung tâm phục vụ hành chính công phường Phú Lợi"
    assert "phường Phú Lợi" in old.unit_name("phường Phú Lợi")
