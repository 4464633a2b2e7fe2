"""Procedure authorisations ("independent work, step by step"): the grants in scope, the
procedures a postal worker may receive, and the chief's matrix of workers × procedures."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from intake.models import Procedure
from onestop.models import User
from postal.models import ProcedureAuthorization
from postal.selectors.people import postal_workers_for_user
from wards.scope import visible_wards, working_ward_id


def authorisations_for_user(*, user: User) -> QuerySet[ProcedureAuthorization]:
    """Grants (standing and revoked) of the wards `user` may see."""
    return ProcedureAuthorization.objects.filter(
        ward__in=visible_wards(user).values("pk")
    ).select_related("worker", "procedure", "granted_by", "revoked_by")


def postal_procedures(*, user: User) -> QuerySet[Procedure]:
    """The postal-eligible procedures in force: what a chief may grant."""
    if not user.is_authenticated:
        return Procedure.objects.none()
    return Procedure.objects.filter(active=True, postal_eligible=True).order_by("field", "name")


@dataclass
class AuthorisationMatrix:
    workers: list[User]
    procedures: list[Procedure]
    grants: dict[tuple[int, int], ProcedureAuthorization]
    per_worker: dict[int, int] = field(default_factory=dict)
    per_procedure: dict[int, int] = field(default_factory=dict)

    def grant(self, worker_id: int, procedure_id: int) -> ProcedureAuthorization | None:
        return self.grants.get((worker_id, procedure_id))


def authorisation_matrix(*, user: User) -> AuthorisationMatrix:
    """Workers × postal-eligible procedures of the ward `user` works in (three queries)."""
    ward_id = working_ward_id(user)
    if ward_id is None:
        return AuthorisationMatrix(
            workers=[], procedures=[], grants={}, per_worker={}, per_procedure={}
        )
    workers = list(postal_workers_for_user(user=user).filter(ward_id=ward_id))
    procedures = list(postal_procedures(user=user))
    grants = {
        (g.worker_id, g.procedure_id): g
        for g in ProcedureAuthorization.objects.filter(
            ward_id=ward_id, revoked_at__isnull=True, worker__is_active=True
        )
    }
    per_worker: dict[int, int] = defaultdict(int)
    per_procedure: dict[int, int] = defaultdict(int)
    for worker_id, procedure_id in grants:
        per_worker[worker_id] += 1
        per_procedure[procedure_id] += 1
    return AuthorisationMatrix(
        workers=workers,
        procedures=procedures,
        grants=grants,
        per_worker=dict(per_worker),
        per_procedure=dict(per_procedure),
    )


def authorised_procedures(*, user: User) -> QuerySet[Procedure]:
    """What the postal worker `user` may receive on their own now."""
    if user.ward_id is None:
        return Procedure.objects.none()
    return Procedure.objects.filter(
        active=True,
        postal_eligible=True,
        authorizations__worker=user,
        authorizations__ward_id=user.ward_id,
        authorizations__revoked_at__isnull=True,
    ).order_by("field", "name")
