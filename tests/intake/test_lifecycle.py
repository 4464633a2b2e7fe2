"""The transition table, walked: every status × every action × every role, on real dossiers."""

import datetime as dt
import itertools

import pytest
from django.forms.models import model_to_dict

from intake.lifecycle import (
    POSTAL_ACTIONS,
    TRANSITIONS,
    Action,
    actions_for,
    edge,
    in_edition,
    may_ever,
)
from intake.models import Dossier, DossierEvent, NationalStatus, Status
from intake.services import StepInput, dossier_receive, dossier_step
from onestop import clock
from onestop.errors import Conflict, InvalidInput, NotAllowed
from onestop.models import Role
from tests.intake.factories import ProcedureFactory
from wards.calendar import VIETNAM_TZ

# Tuesday 10 March 2026, 09:00: every step below happens within working hours. A dossier
# received then is under the 2025 edition of the rules, which has every step of the table.
MOMENT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM_TZ)
# Monday 30 June 2025, 09:00: the last working day of the 2018 edition.
MOMENT_2018 = dt.datetime(2025, 6, 30, 9, 0, tzinfo=VIETNAM_TZ)

PW, OFF, CHF = Role.POSTAL_WORKER, Role.OFFICER, Role.CHIEF
STAFF = {PW, OFF, CHF}
DECIDERS = {OFF, CHF}
ROLES = [PW, OFF, CHF, Role.CITY_ADMIN]
STEP_ACTIONS = [a for a in Action if a != Action.RECEIVE]

# The lifecycle of DESIGN.md, written out independently of intake.lifecycle:
# (from, action) → (to, national status code, roles that may).
EXPECTED = {
    (Status.RECEIVED, Action.TRANSFER): (Status.PROCESSING, 4, STAFF),
    (Status.RECEIVED, Action.REFUSE): (Status.REFUSED, 3, STAFF),
    (Status.RECEIVED, Action.WITHDRAW): (Status.WITHDRAWN, 7, STAFF),
    (Status.RECEIVED, Action.APOLOGISE): (Status.RECEIVED, 2, DECIDERS),
    (Status.PROCESSING, Action.REQUEST_SUPPLEMENT): (Status.NEEDS_SUPPLEMENT, 5, DECIDERS),
    (Status.PROCESSING, Action.RESOLVE): (Status.RESULT_READY, 9, DECIDERS),
    (Status.PROCESSING, Action.REFUSE): (Status.REFUSED, 8, DECIDERS),
    (Status.PROCESSING, Action.WITHDRAW): (Status.WITHDRAWN, 7, STAFF),
    (Status.PROCESSING, Action.APOLOGISE): (Status.PROCESSING, 4, DECIDERS),
    # The stop-processing notice (2025 edition): closes like a refusal, national status 8.
    (Status.PROCESSING, Action.STOP): (Status.REFUSED, 8, DECIDERS),
    (Status.NEEDS_SUPPLEMENT, Action.SUPPLEMENT): (Status.PROCESSING, 4, STAFF),
    (Status.NEEDS_SUPPLEMENT, Action.WITHDRAW): (Status.WITHDRAWN, 7, STAFF),
    (Status.NEEDS_SUPPLEMENT, Action.APOLOGISE): (Status.NEEDS_SUPPLEMENT, 5, DECIDERS),
    (Status.NEEDS_SUPPLEMENT, Action.STOP): (Status.REFUSED, 8, DECIDERS),
    (Status.RESULT_READY, Action.RETURN): (Status.RETURNED, 10, STAFF),
    (Status.RESULT_READY, Action.SEND_BY_POST): (Status.IN_DELIVERY, 9, STAFF),
    (Status.IN_DELIVERY, Action.DELIVERED): (Status.RETURNED, 10, STAFF),
    (Status.IN_DELIVERY, Action.DELIVERY_FAILED): (Status.RESULT_READY, 9, STAFF),
}

# How a dossier reaches each status through the services (officer's steps after the receipt).
PATHS = {
    Status.RECEIVED: [],
    Status.PROCESSING: [Action.TRANSFER],
    Status.NEEDS_SUPPLEMENT: [Action.TRANSFER, Action.REQUEST_SUPPLEMENT],
    Status.RESULT_READY: [Action.TRANSFER, Action.RESOLVE],
    Status.IN_DELIVERY: [Action.TRANSFER, Action.RESOLVE, Action.SEND_BY_POST],
    Status.RETURNED: [Action.TRANSFER, Action.RESOLVE, Action.RETURN],
    Status.REFUSED: [Action.REFUSE],
    Status.WITHDRAWN: [Action.WITHDRAW],
}

APPLICANT_ID = "074190001234"


@pytest.fixture(autouse=True)
def intake_rules_of_intake_only(settings):
    # Who may receive what at a postal counter is postal's rule, tested with postal; here any
    # ward staff member receives, so the dossier core is tested on its own.
    settings.INTAKE_RULES = []


def valid_details(dossier: Dossier) -> StepInput:
    """Details that satisfy every action's own checks, so only the table decides."""
    return StepInput(
        new_appointment_at=dossier.appointment_at + dt.timedelta(days=7),
        collector_id_number=APPLICANT_ID,
        satisfaction=5,
    )


def step(user, dossier, action, **kwargs):
    return dossier_step(
        user=user,
        code=dossier.code,
        action=action,
        note=kwargs.pop("note", "Ghi chú của bước"),
        details=kwargs.pop("details", valid_details(dossier)),
        from_delivery=kwargs.pop("from_delivery", action in POSTAL_ACTIONS),
        **kwargs,
    )


def dossier_in(world, status: Status, moment: dt.datetime = MOMENT) -> Dossier:
    with clock.frozen_at(moment):
        dossier = dossier_receive(
            user=world.postal_worker,
            procedure=ProcedureFactory(processing_days=5),
            channel=1,
            applicant_name="Nguyễn Thị Mai",
            applicant_id_number=APPLICANT_ID,
            applicant_address="12 Yersin, Phú Hòa",
        ).dossier
    for number, action in enumerate(PATHS[status], start=1):
        with clock.frozen_at(moment + dt.timedelta(minutes=10 * number)):
            dossier = step(world.officer, dossier, action)
    assert dossier.status == status
    return Dossier.objects.get(pk=dossier.pk)


def snapshot(dossier: Dossier) -> tuple[dict, int]:
    fresh = Dossier.objects.get(pk=dossier.pk)
    return model_to_dict(fresh) | {"updated_at": fresh.updated_at}, fresh.events.count()


def test_the_table_is_the_one_the_design_describes():
    table = {
        (status, action): (e.target, int(e.national_status), set(e.roles))
        for status, edges in TRANSITIONS.items()
        for action, e in edges.items()
    }
    assert table == EXPECTED
    assert set(TRANSITIONS) == set(Status)


def test_every_status_is_reachable_and_finished_states_are_final():
    reachable = {Status.RECEIVED} | {target for target, _, _ in EXPECTED.values()}
    assert reachable == set(Status)
    for status in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN):
        assert TRANSITIONS[status] == {}


def test_postal_workers_never_decide():
    assert not may_ever(PW, Action.RESOLVE)
    assert not may_ever(PW, Action.REQUEST_SUPPLEMENT)
    assert not may_ever(PW, Action.APOLOGISE)
    assert PW not in edge(Status.PROCESSING, Action.REFUSE).roles
    assert PW in edge(Status.RECEIVED, Action.REFUSE).roles
    assert not any(may_ever(Role.CITY_ADMIN, action) for action in Action)


def test_actions_for_lists_the_buttons_in_table_order():
    assert actions_for(PW, Status.RECEIVED) == [Action.TRANSFER, Action.REFUSE, Action.WITHDRAW]
    assert actions_for(OFF, Status.PROCESSING) == [
        Action.REQUEST_SUPPLEMENT,
        Action.RESOLVE,
        Action.REFUSE,
        Action.WITHDRAW,
        Action.APOLOGISE,
        Action.STOP,
    ]
    assert actions_for(PW, Status.PROCESSING) == [Action.WITHDRAW]
    assert actions_for(OFF, Status.NEEDS_SUPPLEMENT) == [
        Action.SUPPLEMENT,
        Action.WITHDRAW,
        Action.APOLOGISE,
        Action.STOP,
    ]
    assert actions_for(Role.CITY_ADMIN, Status.RECEIVED) == []
    assert actions_for(CHF, Status.RETURNED) == []


def test_edge_is_none_for_a_step_the_state_does_not_allow():
    assert edge(Status.RECEIVED, Action.RESOLVE) is None
    assert edge("returned", "return") is None
    assert edge("processing", "resolve").target == Status.RESULT_READY


def expected_outcome(status, action, role):
    """'ok', NotAllowed or Conflict, derived from EXPECTED (not from the module under test)."""
    allowed = EXPECTED.get((status, action))
    if allowed is not None:
        return "ok" if role in allowed[2] else NotAllowed
    ever = any(role in roles for (_, a), (_, _, roles) in EXPECTED.items() if a == action)
    return Conflict if ever else NotAllowed


CASES = list(itertools.product(list(Status), STEP_ACTIONS, [PW, OFF, CHF]))


@pytest.mark.parametrize(
    ("status", "action", "role"), CASES, ids=[f"{s}-{a}-{r}" for s, a, r in CASES]
)
def test_walk(world, status, action, role):
    dossier = dossier_in(world, status)
    user = {PW: world.postal_worker, OFF: world.officer, CHF: world.chief}[role]
    before, events_before = snapshot(dossier)
    outcome = expected_outcome(status, action, role)
    moment = MOMENT + dt.timedelta(hours=2)

    if outcome == "ok":
        with clock.frozen_at(moment):
            result = step(user, dossier, action)
        target, national, _ = EXPECTED[(status, action)]
        fresh = Dossier.objects.get(pk=dossier.pk)
        assert result.status == fresh.status == target
        assert fresh.national_status == national
        assert NationalStatus(national)  # a code of the national vocabulary
        new_events = list(fresh.events.order_by("id")[events_before:])
        assert len(new_events) == 1
        event = new_events[0]
        assert (event.action, event.from_status, event.to_status) == (action, status, target)
        assert (event.actor, event.actor_role) == (user, role)
        assert event.at == moment
        assert event.note == "Ghi chú của bước"
    else:
        with pytest.raises(outcome) as raised, clock.frozen_at(moment):
            step(user, dossier, action)
        assert raised.value.message
        assert snapshot(dossier) == (before, events_before)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", STEP_ACTIONS)
def test_city_admins_act_nowhere(world, status, action):
    dossier = dossier_in(world, status)
    before = snapshot(dossier)
    with pytest.raises(Dossier.DoesNotExist):
        step(world.city_admin, dossier, action)
    assert snapshot(dossier) == before


@pytest.mark.parametrize("role", [PW, OFF, CHF])
def test_staff_of_another_ward_find_nothing(world, role):
    dossier = dossier_in(world, Status.PROCESSING)
    user = {PW: world.other_postal_worker, OFF: world.other_officer, CHF: world.other_chief}[role]
    before = snapshot(dossier)
    with pytest.raises(Dossier.DoesNotExist):
        step(user, dossier, Action.WITHDRAW)
    assert snapshot(dossier) == before


@pytest.mark.parametrize("action", sorted(POSTAL_ACTIONS))
def test_postal_delivery_steps_only_come_from_a_delivery(world, action):
    status = {
        Action.SEND_BY_POST: Status.RESULT_READY,
        Action.DELIVERED: Status.IN_DELIVERY,
        Action.DELIVERY_FAILED: Status.IN_DELIVERY,
    }[action]
    dossier = dossier_in(world, status)
    before = snapshot(dossier)
    with pytest.raises(InvalidInput) as raised:
        step(world.officer, dossier, action, from_delivery=False)
    assert raised.value.field == "action"
    assert snapshot(dossier) == before


def test_receive_is_not_a_step(world):
    dossier = dossier_in(world, Status.RECEIVED)
    with pytest.raises(InvalidInput):
        step(world.officer, dossier, Action.RECEIVE)


def test_an_unknown_action_is_invalid_input(world):
    dossier = dossier_in(world, Status.RECEIVED)
    before = snapshot(dossier)
    with pytest.raises(InvalidInput) as raised:
        step(world.officer, dossier, "publish")
    assert raised.value.field == "action"
    assert snapshot(dossier) == before


def test_a_full_life_leaves_a_complete_control_sheet(world):
    dossier = dossier_in(world, Status.RETURNED)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
    assert [e.action for e in events] == ["receive", "transfer", "resolve", "return"]
    assert [e.to_status for e in events] == ["received", "processing", "result_ready", "returned"]
    assert [e.from_status for e in events[1:]] == [e.to_status for e in events[:-1]]
    # Every hand-off names who gave the dossier and who took it (Mẫu 05).
    assert all(e.from_unit and e.to_unit for e in events)


# --- steps that depend on the edition of the rules ----------------------------------------


@pytest.mark.parametrize(
    ("received_at", "has_stop"),
    [
        (dt.datetime(2025, 6, 30, 23, 59, tzinfo=VIETNAM_TZ), False),
        (dt.datetime(2025, 7, 1, 0, 0, tzinfo=VIETNAM_TZ), True),
        (None, True),  # no dossier: every step of the table
    ],
)
def test_the_stop_notice_belongs_to_the_2025_edition(received_at, has_stop):
    assert in_edition(Action.STOP, received_at) is has_stop
    assert (Action.STOP in actions_for(OFF, Status.PROCESSING, received_at)) is has_stop
    assert (Action.STOP in actions_for(CHF, Status.NEEDS_SUPPLEMENT, received_at)) is has_stop
    # Steps every edition has are never left out.
    assert in_edition(Action.REFUSE, received_at)
    assert Action.REFUSE in actions_for(OFF, Status.PROCESSING, received_at)


CASES_2018 = list(itertools.product(list(Status), [PW, OFF, CHF]))


@pytest.mark.parametrize(("status", "role"), CASES_2018, ids=[f"{s}-{r}" for s, r in CASES_2018])
def test_walk_stop_under_the_2018_edition(world, status, role):
    """A dossier received before 1/7/2025 never takes the stop step: the table's own answer
    (not allowed for the role, or not from this state) or, where the table allows it, a
    conflict that names the edition's decree. Nothing changes."""
    dossier = dossier_in(world, status, MOMENT_2018)
    user = {PW: world.postal_worker, OFF: world.officer, CHF: world.chief}[role]
    before = snapshot(dossier)
    outcome = expected_outcome(status, Action.STOP, role)
    if outcome == "ok":
        outcome = Conflict
    with pytest.raises(outcome) as raised, clock.frozen_at(MOMENT_2018 + dt.timedelta(hours=2)):
        step(user, dossier, Action.STOP)
    if (status, Action.STOP) in EXPECTED and role in DECIDERS:
        assert "Nghị định 61/2018/NĐ-CP" in raised.value.message
    assert snapshot(dossier) == before


@pytest.mark.parametrize("status", [Status.PROCESSING, Status.NEEDS_SUPPLEMENT])
def test_stop_under_the_2025_edition_needs_a_reason(world, status):
    dossier = dossier_in(world, status)
    before = snapshot(dossier)
    with pytest.raises(InvalidInput) as raised, clock.frozen_at(MOMENT + dt.timedelta(hours=2)):
        step(world.officer, dossier, Action.STOP, note="  ")
    assert raised.value.field == "note"
    assert snapshot(dossier) == before


def test_stop_closes_the_dossier_with_its_own_event(world):
    dossier = dossier_in(world, Status.NEEDS_SUPPLEMENT)
    with clock.frozen_at(MOMENT + dt.timedelta(hours=2)):
        step(world.chief, dossier, Action.STOP, note="Người nộp không bổ sung hồ sơ.")
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.status, fresh.national_status) == (Status.REFUSED, NationalStatus.STOPPED)
    assert fresh.paused_since is None  # the supplement pause is closed
    event = fresh.events.order_by("id").last()
    assert (event.action, event.from_status, event.to_status) == (
        "stop",
        Status.NEEDS_SUPPLEMENT,
        Status.REFUSED,
    )
    assert (event.from_unit, event.to_unit) == (fresh.resolving_agency, "Người nộp hồ sơ")
