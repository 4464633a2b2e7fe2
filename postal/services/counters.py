"""The ward's counters, managed by its chief: opened, changed, closed — never deleted."""

from django.db import transaction
from django.utils.translation import gettext as _

from onestop import clock
from onestop.errors import Conflict, InvalidInput
from onestop.models import User
from postal.models import Assignment, CounterChange
from postal.services._common import clean_text, require_chief
from postal.weeks import today
from wards.models import Counter

FIELDS = ("number", "name", "kind", "has_computer", "has_signage", "active")


def _values(counter: Counter) -> dict:
    return {name: getattr(counter, name) for name in FIELDS}


def _check(ward_id: int, counter: Counter) -> None:
    if not counter.number or counter.number < 1 or counter.number > 999:
        raise InvalidInput(_("Số quầy từ 1 đến 999."), field="number")
    if not counter.name:
        raise InvalidInput(_("Nhập tên quầy."), field="name")
    if counter.kind not in Counter.Kind.values:
        raise InvalidInput(_("Loại quầy không hợp lệ."), field="kind")
    taken = Counter.objects.filter(ward_id=ward_id, number=counter.number).exclude(pk=counter.pk)
    if taken.exists():
        raise Conflict(
            _("Phường đã có quầy số %(number)s.") % {"number": counter.number}, field="number"
        )


def counter_create(
    *,
    user: User,
    number: int,
    name: str,
    kind: str,
    has_computer: bool = True,
    has_signage: bool = True,
) -> Counter:
    ward_id = require_chief(user)
    counter = Counter(
        ward_id=ward_id,
        number=number,
        name=clean_text(name, limit=100),
        kind=kind,
        has_computer=has_computer,
        has_signage=has_signage,
        active=True,
    )
    with transaction.atomic():
        _check(ward_id, counter)
        counter.save()
        CounterChange.objects.create(
            counter=counter, at=clock.now(), actor=user, after=_values(counter)
        )
    return counter


def counter_update(
    *,
    user: User,
    counter_id: int,
    number: int,
    name: str,
    kind: str,
    has_computer: bool,
    has_signage: bool,
    active: bool,
) -> Counter:
    """Change a counter of the chief's ward (Counter.DoesNotExist, a 404, elsewhere).

    A counter with live assignments from today on cannot close: they would point at a desk
    nobody staffs.
    """
    ward_id = require_chief(user)
    with transaction.atomic():
        counter = Counter.objects.select_for_update().get(pk=counter_id, ward_id=ward_id)
        before = _values(counter)
        counter.number = number
        counter.name = clean_text(name, limit=100)
        counter.kind = kind
        counter.has_computer = has_computer
        counter.has_signage = has_signage
        counter.active = active
        _check(ward_id, counter)
        if before["active"] and not active:
            upcoming = Assignment.objects.active().filter(counter=counter, date__gte=today())
            if count := upcoming.count():
                raise Conflict(
                    _(
                        "Quầy còn %(count)s phân công từ hôm nay trở đi; hãy đổi quầy hoặc huỷ "
                        "các phân công đó trước khi ngừng hoạt động."
                    )
                    % {"count": count},
                    field="active",
                )
        after = _values(counter)
        if after == before:
            return counter
        counter.save()
        CounterChange.objects.create(
            counter=counter, at=clock.now(), actor=user, before=before, after=after
        )
    return counter
