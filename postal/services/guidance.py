"""The guidance log: one line per citizen guided at the counter."""

from django.db import transaction
from django.utils.translation import gettext as _

from intake.models import Procedure
from onestop import clock
from onestop.errors import InvalidInput
from onestop.models import User
from postal.models import GuidanceSession
from postal.services._common import clean_text, require_ward_staff
from postal.signals import guidance_logged
from wards.models import Counter

TOPIC_LIMIT = 200


def guidance_log(
    *,
    user: User,
    topic: str,
    outcome: str,
    procedure: Procedure | None = None,
    counter: Counter | None = None,
) -> GuidanceSession:
    """Record that `user` guided a citizen now; the topic may be the procedure's name."""
    ward_id = require_ward_staff(user)
    topic = clean_text(topic, limit=TOPIC_LIMIT)
    if not topic and procedure is not None:
        topic = procedure.name[:TOPIC_LIMIT]
    if not topic:
        raise InvalidInput(_("Ghi nội dung hướng dẫn (hoặc chọn thủ tục)."), field="topic")
    if outcome not in GuidanceSession.Outcome.values:
        raise InvalidInput(_("Chọn kết quả hướng dẫn."), field="outcome")
    if counter is not None and counter.ward_id != ward_id:
        raise InvalidInput(_("Quầy không thuộc phường của bạn."), field="counter")
    with transaction.atomic():
        session = GuidanceSession.objects.create(
            ward_id=ward_id,
            worker=user,
            at=clock.now(),
            procedure=procedure,
            topic=topic,
            outcome=outcome,
            counter=counter,
        )
        guidance_logged.send(sender=GuidanceSession, session=session, user=user)
    return session
