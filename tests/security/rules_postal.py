"""The postal back office: the roster, authorisations, out-of-list review, data entry, guidance,
the chief's accounts and counters, and the password change."""

import datetime as dt

from django.utils import timezone

from intake.models import Dossier
from intake.services import dossier_receive
from onestop.models import ApiToken
from onestop.tokens import api_token_issue
from postal.models import Assignment, DataEntryBatch, GuidanceSession, ProcedureAuthorization
from tests.security.matrix import LOGIN, OTHER_WARD_STAFF, WARD_STAFF, Rule, everyone

CITY_ADMINS = {"city_admin": 403, "other_city_admin": 403}


def chief_only(status: int, *, other_chief: int = 404) -> dict:
    """Only the ward's chief; another ward's chief gets `other_chief`, everyone else 403."""
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(WARD_STAFF + OTHER_WARD_STAFF, 403),
        **CITY_ADMINS,
        "chief": status,
        "other_chief": other_chief,
    }


def ward_staff(status: int, *, other_ward: int = 404) -> dict:
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(WARD_STAFF, status),
        **dict.fromkeys(OTHER_WARD_STAFF, other_ward),
        **CITY_ADMINS,
    }


def extend(world):
    now = timezone.now()
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    world.assignment = Assignment.objects.create(
        ward=world.ward,
        worker=world.postal_worker,
        date=monday,
        shift="morning",
        task_type="intake",
        counter=world.postal_counter,
        assigned_by=world.chief,
        created_at=now,
        updated_at=now,
    )
    world.grant = ProcedureAuthorization.objects.create(
        ward=world.ward,
        worker=world.postal_worker,
        procedure=world.procedure,
        granted_at=now,
        granted_by=world.chief,
    )
    world.batch = DataEntryBatch.objects.create(
        ward=world.ward,
        title="Hồ sơ giấy tháng trước",
        paper_count=5,
        assigned_to=world.postal_worker,
        created_at=now,
        created_by=world.chief,
    )
    world.out_of_list_dossier = dossier_receive(
        user=world.postal_worker,
        procedure=world.procedure,
        channel=1,
        applicant_name="Trần Thị Hạnh",
        applicant_id_number="074190005678",
        applicant_address="4 Yersin, Phú Hòa",
    ).dossier
    Dossier.objects.filter(pk=world.out_of_list_dossier.pk).update(out_of_list=True)
    world.guidance = GuidanceSession.objects.create(
        ward=world.ward, worker=world.postal_worker, at=now, topic="Hỏi lệ phí", outcome="guided"
    )
    api_token_issue(user=world.postal_worker)
    world.api_token = ApiToken.objects.get(user=world.postal_worker)


def api_read(*, city: bool = True) -> dict:
    """An API object of the home ward: its ward and city read it; elsewhere it is absent."""
    return {
        "anonymous": 403,
        **dict.fromkeys(WARD_STAFF, 200),
        **dict.fromkeys(OTHER_WARD_STAFF, 404),
        "city_admin": 200 if city else 404,
        "other_city_admin": 404,
    }


EXTENSIONS = [extend]

RULES = [
    # -- the roster: every ward's staff read their own ward's week; the chief edits --
    Rule("postal:roster", ward_staff(200, other_ward=200)),
    Rule("postal:roster-slot", chief_only(200, other_chief=200)),
    Rule("postal:roster-copy", chief_only(302, other_chief=302), method="post"),
    Rule("postal:assignment", chief_only(200), kwargs=lambda w: {"pk": w.assignment.pk}),
    Rule(
        "postal:assignment-cancel",
        chief_only(200),
        kwargs=lambda w: {"pk": w.assignment.pk},
        method="post",
    ),
    # -- authorisations and out-of-list review: the chief's --
    Rule("postal:authorisations", chief_only(200, other_chief=200)),
    Rule("postal:authorisation-grant", chief_only(302, other_chief=302), method="post"),
    Rule(
        "postal:authorisation-revoke",
        chief_only(302),
        kwargs=lambda w: {"pk": w.grant.pk},
        method="post",
    ),
    Rule("postal:out-of-list", chief_only(200, other_chief=200)),
    Rule(
        "postal:out-of-list-review",
        chief_only(200),
        kwargs=lambda w: {"code": w.out_of_list_dossier.code},
        method="post",
    ),
    # -- data entry: the ward reads its batches; only the batch's worker enters --
    Rule("postal:batches", ward_staff(200, other_ward=200)),
    Rule("postal:batch", ward_staff(200), kwargs=lambda w: {"pk": w.batch.pk}),
    Rule("postal:batch-close", chief_only(302), kwargs=lambda w: {"pk": w.batch.pk}, method="post"),
    Rule(
        "postal:batch-entry",
        {**ward_staff(403), "postal_worker": 200},
        kwargs=lambda w: {"pk": w.batch.pk},
    ),
    Rule("postal:guidance", ward_staff(200, other_ward=200)),
    # -- the chief's people and desks --
    Rule("postal:accounts", chief_only(200, other_chief=200)),
    Rule("postal:account-create", chief_only(200, other_chief=200)),
    Rule("postal:account", chief_only(200), kwargs=lambda w: {"pk": w.postal_worker.pk}),
    Rule(
        "postal:account-deactivate",
        chief_only(302),
        kwargs=lambda w: {"pk": w.postal_worker.pk},
        method="post",
    ),
    Rule(
        "postal:account-reactivate",
        chief_only(302),
        kwargs=lambda w: {"pk": w.postal_worker.pk},
        method="post",
    ),
    Rule(
        "postal:account-reset-password",
        chief_only(302),
        kwargs=lambda w: {"pk": w.postal_worker.pk},
        method="post",
    ),
    Rule(
        "postal:account-login-unlock",
        chief_only(302),
        kwargs=lambda w: {"pk": w.postal_worker.pk},
        method="post",
    ),
    Rule(
        "postal:account-token-revoke",
        chief_only(302),
        kwargs=lambda w: {"pk": w.postal_worker.pk, "token_id": w.api_token.pk},
        method="post",
    ),
    Rule("postal:counters", chief_only(200, other_chief=200)),
    Rule("postal:counter", chief_only(200), kwargs=lambda w: {"pk": w.postal_counter.pk}),
    # -- the API: read in scope; writes by the chief (403 for other roles, 404 elsewhere) --
    Rule("assignment-list", everyone(200, anonymous=403)),
    Rule("assignment-detail", api_read(), kwargs=lambda w: {"pk": w.assignment.pk}),
    Rule("assignment-history", api_read(), kwargs=lambda w: {"pk": w.assignment.pk}),
    Rule("authorisation-list", everyone(200, anonymous=403)),
    Rule("authorisation-detail", api_read(), kwargs=lambda w: {"pk": w.grant.pk}),
    Rule("data-entry-batch-list", everyone(200, anonymous=403)),
    Rule("data-entry-batch-detail", api_read(), kwargs=lambda w: {"pk": w.batch.pk}),
    Rule("data-entry-batch-records", api_read(), kwargs=lambda w: {"pk": w.batch.pk}),
    Rule(
        "data-entry-batch-close",
        {**api_read(), "postal_worker": 403, "officer": 403, "city_admin": 403},
        kwargs=lambda w: {"pk": w.batch.pk},
        method="post",
    ),
    Rule("guidance-list", everyone(200, anonymous=403)),
    Rule("guidance-detail", api_read(), kwargs=lambda w: {"pk": w.guidance.pk}),
    # -- everyone signed in changes their own password --
    Rule("postal:password-change", everyone(200)),
    Rule("postal:password-change-done", everyone(200)),
]
