"""Nothing rewritten, nothing hard-deleted.

Dossier events are immutable in the model (save/delete raise), the admin (no add, change or
delete) and the API (no update or delete route); on PostgreSQL a trigger refuses UPDATE and
DELETE (tests/intake/test_postgresql.py). Dossiers, users, procedures, counters and assignments
(and every record in settings.PROTECTED_FROM_DELETE) refuse to be deleted whatever the path:
`instance.delete()`, `queryset.delete()`, the admin and the API.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.sites import site
from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils.deprecation import RemovedInDjango2028Warning
from rest_framework.test import APIClient

from intake.models import Dossier, DossierEvent, Procedure
from intake.services import dossier_receive
from onestop.models import User
from onestop.signals import HardDeleteRefused
from postal.models import Assignment
from tests.intake.factories import DossierFactory, ProcedureFactory
from tests.onestop.factories import UserFactory
from tests.postal.factories import AssignmentFactory
from tests.security.matrix import api_methods
from tests.wards.factories import CounterFactory, WardFactory
from wards.models import Counter

# The five the trust properties name; the others of PROTECTED_FROM_DELETE are checked below.
NAMED = ["dossier", "user", "procedure", "counter", "assignment"]


@pytest.fixture
def records(world):
    """One of each, referenced by nothing: the foreign keys' own PROTECT would not stop their
    deletion, so only the guard does."""
    return {
        "dossier": DossierFactory(ward=world.ward),
        "user": UserFactory(officer=True, ward=world.ward),
        "procedure": ProcedureFactory(),
        "counter": CounterFactory(ward=world.ward, number=9),
        "assignment": AssignmentFactory(
            ward=world.ward,
            worker=world.postal_worker,
            counter=world.postal_counter,
            assigned_by=world.chief,
        ),
    }


@pytest.fixture
def received(world):
    """A dossier as the counter receives it, with its first event."""
    return dossier_receive(
        user=world.officer,
        procedure=ProcedureFactory(),
        channel=1,
        applicant_name="Nguyễn Thị Mai",
        applicant_id_number="074190001234",
        applicant_address="12 Yersin, Phú Hòa",
        counter=world.officer_counter,
    ).dossier


def _still_there(record) -> bool:
    return type(record).objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", NAMED)
def test_deleting_an_instance_is_refused(records, kind):
    record = records[kind]
    with pytest.raises(HardDeleteRefused, match="never deleted"), transaction.atomic():
        record.delete()
    assert _still_there(record)


@pytest.mark.parametrize("kind", NAMED)
def test_deleting_a_queryset_is_refused(records, kind):
    record = records[kind]
    model = type(record)
    with pytest.raises(HardDeleteRefused), transaction.atomic():
        model.objects.filter(pk=record.pk).delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        model.objects.all().delete()
    assert _still_there(record)


def test_the_refusal_is_a_protected_error_naming_the_record(records):
    with pytest.raises(ProtectedError) as refused, transaction.atomic():
        records["procedure"].delete()
    assert refused.value.protected_objects == {records["procedure"]}
    assert "intake.Procedure" in str(refused.value)


def test_a_ward_with_nothing_in_it_is_not_deleted_either(db):
    ward = WardFactory()
    with pytest.raises(HardDeleteRefused), transaction.atomic():
        ward.delete()
    assert _still_there(ward)


@pytest.mark.parametrize("label", settings.PROTECTED_FROM_DELETE)
def test_every_protected_model_has_the_guard(label):
    model = apps.get_model(label)
    assert pre_delete.has_listeners(model), label


def test_the_named_records_are_protected():
    protected = {apps.get_model(label) for label in settings.PROTECTED_FROM_DELETE}
    assert {Dossier, DossierEvent, User, Procedure, Counter, Assignment} <= protected


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(superuser=True))
    return client


@pytest.mark.parametrize("kind", NAMED)
def test_the_admin_deletes_nothing(records, superuser_client, kind):
    record = records[kind]
    model = type(record)
    meta = model._meta
    name = f"admin:{meta.app_label}_{meta.model_name}"
    if model not in site._registry:
        # Not in the admin at all: there is no page that could delete it.
        with pytest.raises(NoReverseMatch):
            reverse(f"{name}_delete", args=[record.pk])
        return
    response = superuser_client.post(reverse(f"{name}_delete", args=[record.pk]), {"post": "yes"})
    assert response.status_code == 403
    changelist = superuser_client.get(reverse(f"{name}_changelist"))
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    bulk = superuser_client.post(
        reverse(f"{name}_changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert _still_there(record)


def test_no_admin_page_may_delete(rf, db):
    request = rf.get("/")
    request.user = UserFactory(superuser=True)
    for model, admin in site._registry.items():
        if model._meta.app_label not in ("wards", "onestop", "intake", "postal"):
            continue  # Django's groups, API tokens, django-axes' lockout records
        assert not admin.has_delete_permission(request), model
        assert "delete_selected" not in admin.get_actions(request), model


def test_the_admin_asks_for_actions_the_current_way(records, superuser_client, recwarn):
    """get_actions takes the action location (Django 6.1): the old signature warned on every
    change list."""
    for record in records.values():
        meta = type(record)._meta
        if type(record) in site._registry:
            name = f"admin:{meta.app_label}_{meta.model_name}"
            assert superuser_client.get(reverse(f"{name}_changelist")).status_code == 200
            change = superuser_client.get(reverse(f"{name}_change", args=[record.pk]))
            assert change.status_code == 200
    assert [w.message for w in recwarn if issubclass(w.category, RemovedInDjango2028Warning)] == []


def test_the_admin_never_changes_an_event(received, superuser_client):
    event = received.events.get()
    name = "admin:intake_dossierevent"
    assert superuser_client.get(reverse(f"{name}_change", args=[event.pk])).status_code == 200
    changed = superuser_client.post(
        reverse(f"{name}_change", args=[event.pk]), {"note": "Sửa lại", "action": "receive"}
    )
    assert changed.status_code == 403
    assert superuser_client.post(reverse(f"{name}_add"), {}).status_code == 403
    deleted = superuser_client.post(reverse(f"{name}_delete", args=[event.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    assert DossierEvent.objects.get(pk=event.pk).note == ""


# --- the API ----------------------------------------------------------------------------------


def _api_paths() -> dict[str, str]:
    """Every API route by name, reversed with "1" for each argument."""
    resolver = get_resolver()
    paths = {}
    for name in resolver.reverse_dict:
        if not isinstance(name, str):
            continue
        params = resolver.reverse_dict.getlist(name)[0][0][0][1]
        try:
            path = reverse(name, kwargs=dict.fromkeys(params, "1"))
        except NoReverseMatch:  # a page keyed by a UUID (a background task), not the API
            continue
        if path.startswith("/api/v1/"):
            paths[name] = path
    return paths


# Routes whose DELETE keeps the row and records why: a cancelled assignment, a revoked grant.
DELETE_KEEPS_THE_ROW = {"assignment-detail", "authorisation-detail"}


def test_no_api_route_deletes_except_cancelling_and_revoking():
    paths = _api_paths()
    assert {"dossier-detail", "assignment-detail", "delivery-detail"} <= set(paths)
    deleting = {name for name, path in paths.items() if "delete" in api_methods(path)}
    assert deleting == DELETE_KEEPS_THE_ROW


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("dossier", lambda r: reverse("dossier-detail", args=[r["dossier"].code])),
        ("procedure", lambda r: reverse("procedure-detail", args=[r["procedure"].code])),
        ("user", lambda r: reverse("api-me")),
    ],
)
def test_api_delete_of_a_record_is_not_a_route(world, records, kind, url):
    api = APIClient()
    api.force_authenticate(world.chief if kind != "user" else records["user"])
    assert api.delete(url(records)).status_code == 405
    assert _still_there(records[kind])


def test_api_delete_of_an_assignment_cancels_it_and_keeps_it(world, records):
    api = APIClient()
    api.force_authenticate(world.chief)
    assignment = records["assignment"]
    url = reverse("assignment-detail", args=[assignment.pk])
    response = api.delete(url, {"note": "Nghỉ phép"}, format="json")
    assert response.status_code == 200
    assert response.json()["cancelled"] is True
    assignment.refresh_from_db()
    assert assignment.cancelled_at is not None
    assert assignment.cancel_note == "Nghỉ phép"


def test_no_api_route_rewrites_an_event(world, received):
    api = APIClient()
    api.force_authenticate(world.chief)
    code = received.code
    url = reverse("dossier-events", args=[code])
    assert api.get(url).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        assert getattr(api, method)(url, {"note": "x"}, format="json").status_code == 405, method
    assert api_methods(url) == {"get"}
    assert received.events.get().note == ""


def test_the_api_has_no_counter_or_user_route():
    names = set(_api_paths())
    assert not {n for n in names if n.startswith(("counter", "user"))}


def test_a_received_dossier_is_protected_by_its_events_and_the_guard(received):
    with pytest.raises(ProtectedError), transaction.atomic():
        received.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        received.events.all().delete()
    assert received.events.count() == 1
