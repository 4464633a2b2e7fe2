"""Independent work, step by step: the chief grants a worker a procedure, or takes it back."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Procedure
from onestop import clock
from onestop.errors import Conflict, InvalidInput
from onestop.models import User
from postal.models import ProcedureAuthorization
from postal.services._common import clean_text, require_chief, require_worker_of

NOTE_LIMIT = 300


def authorisation_grant(
    *, user: User, worker: User, procedure: Procedure, note: str = ""
) -> ProcedureAuthorization:
    """Let `worker` receive `procedure` on their own. Granting what is already granted returns
    the standing grant unchanged (a double click)."""
    grant, _created = authorisation_grant_outcome(
        user=user, worker=worker, procedure=procedure, note=note
    )
    return grant


def authorisation_grant_outcome(
    *, user: User, worker: User, procedure: Procedure, note: str = ""
) -> tuple[ProcedureAuthorization, bool]:
    """As `authorisation_grant`, and whether this call wrote the grant: decided under the lock,
    so of two identical grants posted at once exactly one is told it created it."""
    ward_id = require_chief(user)
    require_worker_of(ward_id, worker)
    if not procedure.active:
        raise InvalidInput(_("Thủ tục này đã ngừng áp dụng."), field="procedure")
    if not procedure.postal_eligible:
        raise InvalidInput(
            _(
                "Thủ tục “%(name)s” không thuộc danh mục tiếp nhận qua bưu điện; chỉ giao được "
                "các thủ tục trong danh mục."
            )
            % {"name": procedure.name},
            field="procedure",
        )
    if procedure.processing_days is None:
        raise InvalidInput(
            _(
                "Thủ tục “%(name)s” chưa có thời hạn giải quyết đã xác minh nên chưa tiếp nhận "
                "được; chỉ giao sau khi quản trị thành phố cập nhật danh mục."
            )
            % {"name": procedure.name},
            field="procedure",
        )
    now = clock.now()
    with transaction.atomic():
        type(worker).objects.select_for_update().filter(pk=worker.pk).first()
        standing = ProcedureAuthorization.objects.filter(
            worker=worker, procedure=procedure, revoked_at__isnull=True
        ).first()
        if standing is not None:
            return standing, False
        try:
            with transaction.atomic():
                created = ProcedureAuthorization.objects.create(
                    ward_id=ward_id,
                    worker=worker,
                    procedure=procedure,
                    granted_at=now,
                    granted_by=user,
                    grant_note=clean_text(note, limit=NOTE_LIMIT),
                )
            return created, True
        except IntegrityError:
            standing = ProcedureAuthorization.objects.get(
                worker=worker, procedure=procedure, revoked_at__isnull=True
            )
            return standing, False


def authorisation_revoke(
    *, user: User, authorisation_id: int, note: str = ""
) -> ProcedureAuthorization:
    """Take a grant back; the row stays, with who revoked it, when and why.

    Raises ProcedureAuthorization.DoesNotExist (a 404) outside the chief's ward.
    """
    ward_id = require_chief(user)
    now = clock.now()
    with transaction.atomic():
        grant = (
            ProcedureAuthorization.objects.select_for_update(of=("self",))
            .select_related("worker", "procedure")
            .get(pk=authorisation_id, ward_id=ward_id)
        )
        if grant.revoked_at is not None:
            raise Conflict(
                _("Quyền tiếp nhận thủ tục này đã được thu hồi lúc %(at)s.")
                % {"at": f"{timezone.localtime(grant.revoked_at):%H:%M %d/%m/%Y}"}
            )
        grant.revoked_at = now
        grant.revoked_by = user
        grant.revoke_note = clean_text(note, limit=NOTE_LIMIT)
        grant.save(update_fields=["revoked_at", "revoked_by", "revoke_note"])
    return grant
