"""A hand-built month of counter work in Phú Hòa (March 2026), through the real services.

Every dossier sits on one side of a Biểu 06 boundary; the expected figures are written out in
tests/reports/test_reports.py. Times are local (Asia/Ho_Chi_Minh); a three-day procedure received
Monday 09:00 is due Thursday 09:00.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from intake.lifecycle import Action
from intake.models import Channel, Dossier
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from tests.intake.factories import ProcedureFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APPLICANT_ID = "074190001234"


def at(day: int, month: int, hour: int = 9, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, second, tzinfo=TZ)


@dataclass
class Scenario:
    world: object
    dossiers: dict[str, Dossier] = field(default_factory=dict)

    def receive(self, name, when, *, channel=Channel.DIRECT, user=None, ward_user=None):
        user = user or self.world.officer
        with clock.frozen_at(when):
            receipt = dossier_receive(
                user=user,
                procedure=self.procedure,
                channel=channel,
                applicant_name=f"Người nộp {name}",
                applicant_id_number=APPLICANT_ID,
                applicant_address="12 Yersin, Phú Hòa",
                applicant_phone="0912345678",
            )
        self.dossiers[name] = receipt.dossier
        return receipt.dossier

    def step(self, name, when, action, *, user=None, note="", **details):
        user = user or self.world.officer
        notes = (Action.REFUSE, Action.STOP, Action.REQUEST_SUPPLEMENT, Action.APOLOGISE)
        if action in notes and not note:
            note = "Ghi chú"
        with clock.frozen_at(when):
            dossier = dossier_step(
                user=user,
                code=self.dossiers[name].code,
                action=action,
                note=note,
                details=StepInput(**details),
            )
        self.dossiers[name] = dossier
        return dossier

    def resolve(self, name, when):
        self.step(name, when - dt.timedelta(minutes=1), Action.TRANSFER)
        return self.step(name, when, Action.RESOLVE)

    def refresh(self):
        for name, dossier in self.dossiers.items():
            self.dossiers[name] = Dossier.objects.get(pk=dossier.pk)


def build_march(world) -> Scenario:
    """The dossiers A…T; see the comments for where each one lands in March 2026."""
    s = Scenario(world)
    s.procedure = ProcedureFactory(processing_days=3, name="Chứng thực bản sao")
    pw = world.postal_worker
    # Finished before March: counted nowhere.
    s.receive("B", at(23, 2))  # due Thu 26/02 09:00
    s.resolve("B", at(26, 2, 10))
    s.receive("C", at(23, 2))
    s.step("C", at(23, 2, 9, 30), Action.REFUSE)
    # Carried over (received before 01/03, not finished at 00:00 on 01/03).
    s.receive("A", at(25, 2))  # due Mon 02/03 09:00
    s.resolve("A", at(2, 3, 14))  # on the appointment day: on time
    s.receive("D", at(26, 2))  # due Tue 03/03 09:00
    s.step("D", at(3, 3, 8), Action.WITHDRAW)  # withdrawn in March
    s.receive("E", at(26, 2))  # due Tue 03/03 09:00, never resolved: overdue at the end
    s.step("E", at(26, 2, 10), Action.TRANSFER)
    s.receive("F", at(28, 2, 23, 59))  # last minute of February; due Thu 05/03 07:00
    s.resolve("F", at(5, 3, 8))  # on time
    # Received in March.
    s.receive("G", at(1, 3, 0, 0), channel=Channel.ONLINE)  # first instant; due Thu 05/03 07:00
    s.resolve("G", at(4, 3, 10))  # the day before: early
    s.receive("H", at(2, 3), channel=Channel.POSTAL, user=pw)  # due Thu 05/03 09:00
    s.resolve("H", at(6, 3, 9))  # the day after: late
    s.receive("I", at(9, 3), user=pw)  # due Thu 12/03 09:00
    s.resolve("I", at(12, 3, 16))  # on the day, after the hour: on time
    s.step(
        "I",
        at(13, 3, 8),
        Action.RETURN,
        user=pw,
        collector_id_number=APPLICANT_ID,
        satisfaction=5,
    )
    s.receive("J", at(9, 3, 10))  # due Thu 12/03 10:00
    s.resolve("J", at(11, 3, 15))  # early
    s.receive("K", at(16, 3))  # due Thu 19/03 09:00, restarted by two completions
    s.step("K", at(16, 3, 9, 30), Action.TRANSFER)
    s.step("K", at(16, 3, 10), Action.REQUEST_SUPPLEMENT)
    s.step("K", at(17, 3, 10), Action.SUPPLEMENT)
    s.step("K", at(17, 3, 11), Action.REQUEST_SUPPLEMENT)
    s.step("K", at(17, 3, 14), Action.SUPPLEMENT)
    s.step("K", at(18, 3, 9), Action.RESOLVE)  # before its date, but two requests: late
    s.receive("L", at(30, 3))  # due Thu 02/04 09:00
    s.resolve("L", at(1, 4, 10))  # after the end: pending within the deadline at the end
    s.receive("M", at(23, 3))  # due Thu 26/03 09:00, never resolved: overdue
    s.receive("N", at(27, 3))  # due Wed 01/04 09:00
    s.resolve("N", at(31, 3, 23, 59, 59))  # last second of March: early
    s.receive("O", at(27, 3, 10))  # due Wed 01/04 10:00
    s.resolve("O", at(1, 4, 0, 0))  # first instant of April: still pending at the end
    s.receive("P", at(10, 3))
    s.step("P", at(10, 3, 9, 30), Action.REFUSE)  # refused in March
    s.receive("Q", at(31, 3, 10))  # due Fri 03/04 10:00
    s.step("Q", at(1, 4, 8), Action.REFUSE)  # refused in April: pending at the end
    s.receive("R", at(20, 3))
    s.step("R", at(25, 3), Action.WITHDRAW)  # withdrawn in March
    # Outside the row: received after the end, or in the neighbouring ward.
    s.receive("S", at(1, 4, 0, 0))
    s.receive("T", at(10, 3), user=world.other_officer)
    s.refresh()
    return s


# Biểu 06 of Phú Hòa for March 2026, counted by hand from the comments above.
EXPECTED_MARCH_ROW = {
    "total": 16,
    "carried_over": 4,  # A D E F
    "received": 12,
    "received_online": 1,  # G
    "received_direct_postal": 11,  # H I J K L M N O P Q R
    "resolved": 8,
    "resolved_early": 3,  # G J N
    "resolved_on_time": 3,  # A F I
    "resolved_late": 2,  # H K
    "pending": 5,
    "pending_within": 3,  # L O Q
    "pending_overdue": 2,  # E M
    "refused": 1,  # P
    "withdrawn": 2,  # D R
}
