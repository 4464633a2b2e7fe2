"""Demo grants of the postal back office, before the year of demo dossiers is replayed: each
pilot ward's chief grants its postal workers procedures in waves over the past year (independent
work, step by step), so the replayed intakes meet the grants that existed at their moment; one
grant is revoked and given again, so the history shows a revocation. A ward that already has
grants is skipped, so seeding again changes nothing.
"""

import datetime as dt

from django.utils import timezone

from demo.seed.common import chief_and_postal_workers, local_moment, pilot_wards
from intake.models import Procedure
from onestop import clock
from postal.models import ProcedureAuthorization
from postal.services import authorisation_grant, authorisation_revoke

# Fields granted first: the everyday counter work, then what needs more experience.
FIELD_ORDER = [
    "Chứng thực",
    "Hộ tịch",
    "Hộ kinh doanh",
    "Bảo trợ xã hội",
    "Xây dựng",
    "Đất đai",
    "Người có công",
    "Lý lịch tư pháp",
]
# (days ago, share of the postal-eligible catalogue granted by then): the first postal worker
# starts before the replayed year; the second, who joined later, a wave behind.
WAVES = {
    0: [(400, 0.30), (270, 0.45), (180, 0.60), (90, 0.75), (30, 0.85)],
    1: [(270, 0.20), (180, 0.35), (90, 0.50), (30, 0.60)],
}


def _grant_order() -> list[Procedure]:
    procedures = Procedure.objects.filter(active=True, postal_eligible=True)

    def rank(p: Procedure):
        field = FIELD_ORDER.index(p.field) if p.field in FIELD_ORDER else len(FIELD_ORDER)
        return (field, p.processing_days is None, p.code)

    return sorted(procedures, key=rank)


def seed_authorisations(stdout=None) -> None:
    """Grants that widen over the past year, in each pilot ward (skipped where some exist)."""
    order = _grant_order()
    now = clock.now()
    made = 0
    for ward in pilot_wards().order_by("admin_code"):
        if ProcedureAuthorization.objects.filter(ward=ward).exists():
            continue
        chief, workers = chief_and_postal_workers(ward)
        if chief is None:
            continue
        grants = []
        for index, worker in enumerate(workers[:2]):
            granted = 0
            for days_ago, share in WAVES[index]:
                upto = round(len(order) * share)
                moment = local_moment(timezone.localdate(now) - dt.timedelta(days=days_ago), 8, 0)
                grants += [
                    ProcedureAuthorization(
                        ward=ward,
                        worker=worker,
                        procedure=procedure,
                        granted_at=moment,
                        granted_by=chief,
                        grant_note="Đã kèm cặp, giao tiếp nhận độc lập",
                    )
                    for procedure in order[granted:upto]
                ]
                granted = upto
        # Written at once for speed; the database checks them as it would any grant.
        ProcedureAuthorization.objects.bulk_create(grants)
        made += len(grants)
        # One step back and forth, so the history shows a revocation.
        if len(workers) > 1 and order:
            grant = ProcedureAuthorization.objects.filter(
                worker=workers[1], procedure=order[0], revoked_at__isnull=True
            ).first()
            if grant is not None:
                with clock.frozen_at(
                    local_moment(timezone.localdate(now) - dt.timedelta(days=60), 9)
                ):
                    authorisation_revoke(
                        user=chief,
                        authorisation_id=grant.pk,
                        note="Sai sót khi đối chiếu bản chính; kèm cặp lại",
                    )
                with clock.frozen_at(
                    local_moment(timezone.localdate(now) - dt.timedelta(days=40), 9)
                ):
                    authorisation_grant(
                        user=chief, worker=workers[1], procedure=order[0], note="Giao lại"
                    )
    if stdout:
        stdout.write(f"  {made} lượt giao thủ tục cho nhân viên bưu điện")
