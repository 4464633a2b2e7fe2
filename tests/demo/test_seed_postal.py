"""The postal demo steps: realistic, through the rules, and safe to run again."""

import datetime as dt

import pytest
from django.db.models import Count, Min
from django.utils import timezone

from demo.seed import accounts as onestop_demo
from demo.seed import catalogue as intake_demo
from demo.seed import grants as grants_demo
from demo.seed import places as wards_demo
from demo.seed import postal as demo
from intake.models import Dossier, DossierEvent
from onestop.models import Role, User
from postal.models import (
    Assignment,
    DataEntryBatch,
    DataEntryRecord,
    GuidanceSession,
    OutOfListReview,
    PostalWorkerProfile,
    ProcedureAuthorization,
)
from wards.models import Ward

pytestmark = pytest.mark.intake_rules


@pytest.fixture
def seeded(db):
    wards_demo.seed()
    onestop_demo.seed()
    intake_demo.seed()
    grants_demo.seed_authorisations()
    demo.seed()


def counts():
    models = (
        PostalWorkerProfile,
        ProcedureAuthorization,
        Assignment,
        DataEntryBatch,
        DataEntryRecord,
        GuidanceSession,
        OutOfListReview,
        Dossier,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_is_realistic_and_seeding_again_adds_nothing(seeded):
    ward = Ward.objects.get(slug="phuhoa")
    # Every postal worker has a profile.
    workers = User.objects.filter(role=Role.POSTAL_WORKER)
    assert PostalWorkerProfile.objects.count() == workers.count()

    # Grants widen over the year, and one was revoked and given back.
    worker = User.objects.get(username="postal.phuhoa")
    grants = ProcedureAuthorization.objects.filter(worker=worker, revoked_at__isnull=True)
    year_ago = grants.filter(granted_at__lte=timezone.now() - dt.timedelta(days=365)).count()
    assert 0 < year_ago < grants.count()
    assert ProcedureAuthorization.objects.filter(revoked_at__isnull=False).exists()

    # Five weeks of roster with every task, and a cancelled sick day.
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    live = Assignment.objects.active().filter(ward=ward)
    assert live.aggregate(first=Min("date"))["first"] == monday - dt.timedelta(weeks=4)
    tasks = dict(live.values_list("task_type").annotate(n=Count("id")))
    assert set(tasks) == {"intake", "result_return", "data_entry", "guidance", "out_of_list_intake"}
    assert Assignment.objects.filter(ward=ward, cancelled_at__isnull=False).count() == 1

    # Out-of-list dossiers went through the rule; most, not all, were reviewed.
    flagged = Dossier.objects.filter(out_of_list=True)
    assert flagged.exists()
    assert not flagged.filter(procedure__postal_eligible=True).exists()
    assert 0 < OutOfListReview.objects.count() < flagged.count()

    # A batch done, one in progress; guidance logged.
    batches = DataEntryBatch.objects.filter(ward=ward).annotate(entered=Count("records"))
    assert {(b.status, b.entered < b.paper_count) for b in batches} == {
        ("done", False),
        ("open", True),
    }
    assert GuidanceSession.objects.filter(ward=ward).count() > 20
    # Paper dossiers in the state their paper showed: mostly finished, a few still in hand, and
    # none of the finished ones overdue.
    paper = Dossier.objects.filter(data_entry__isnull=False)
    states = set(paper.values_list("status", flat=True))
    assert "returned" in states and len(states) >= 3
    assert paper.filter(status="returned").count() > paper.count() // 2
    # Every step of theirs was taken on paper, at the paper's dates.
    assert not DossierEvent.objects.filter(dossier__in=paper, from_paper=False).exists()

    before = counts()
    grants_demo.seed_authorisations()
    demo.seed()
    assert counts() == before
