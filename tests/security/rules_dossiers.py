"""Access rules for the dossier list, detail, steps, slips (supplement, refusal, stop, apology,
control sheet, hand-over) and the result return page."""

import datetime as dt

from intake.services import StepInput, dossier_receive, dossier_step
from tests.security.matrix import LOGIN, WARD_STAFF, Rule, everyone

IN_WARD = {"anonymous": LOGIN, **dict.fromkeys((*WARD_STAFF, "city_admin"), 200)}
STEP_REQUEST = "6f1d2c1e-2b7a-4f0e-9a53-0d5b8c1f7a10"


def _slip_dossiers(world):
    """A dossier with a supplement request and an apology, a refused one, a stopped one."""
    officer = world.officer
    later = dossier_receive(
        user=officer,
        procedure=world.procedure,
        channel=1,
        applicant_name="Trần Văn Bình",
        applicant_id_number="074088004321",
        applicant_address="5 Lê Hồng Phong, Phú Hòa",
    ).dossier
    dossier_step(user=officer, code=later.code, action="transfer")
    dossier_step(
        user=officer,
        code=later.code,
        action="apologise",
        note="Chờ xác minh của Công an phường.",
        details=StepInput(new_appointment_at=later.appointment_at + dt.timedelta(days=7)),
    )
    dossier_step(user=officer, code=later.code, action="request_supplement", note="Bản sao CCCD")
    world.slip_dossier = later
    refused = dossier_receive(
        user=officer,
        procedure=world.procedure,
        channel=1,
        applicant_name="Lê Thị Cúc",
        applicant_id_number="074190005678",
        applicant_address="9 Yersin, Phú Hòa",
    ).dossier
    dossier_step(
        user=world.postal_worker, code=refused.code, action="refuse", note="Không thuộc thẩm quyền."
    )
    world.refused_dossier = refused
    returned = dossier_receive(
        user=officer,
        procedure=world.procedure,
        channel=1,
        applicant_name="Võ Minh Khang",
        applicant_id_number="074090002468",
        applicant_address="2 Yersin, Phú Hòa",
    ).dossier
    for action in ("transfer", "resolve"):
        dossier_step(user=officer, code=returned.code, action=action)
    dossier_step(
        user=officer,
        code=returned.code,
        action="return",
        details=StepInput(collector_id_number="074090002468"),
    )
    world.returned_dossier = returned
    # Received today, under the 2025 edition: stopped with its notice (Mẫu 05).
    stopped = dossier_receive(
        user=officer,
        procedure=world.procedure,
        channel=1,
        applicant_name="Phạm Văn Dũng",
        applicant_id_number="074190006789",
        applicant_address="11 Yersin, Phú Hòa",
    ).dossier
    dossier_step(user=officer, code=stopped.code, action="transfer")
    dossier_step(user=officer, code=stopped.code, action="stop", note="Người nộp đề nghị dừng.")
    world.stopped_dossier = stopped


EXTENSIONS = [_slip_dossiers]

RULES = [
    Rule("intake:dossier-list", everyone(200)),
    Rule("intake:dossier-detail", IN_WARD, kwargs=lambda w: {"code": w.dossier.code}),
    Rule(
        "intake:dossier-step",
        # The same request id: the first worker transfers, the next ones repeat it harmlessly.
        {"anonymous": LOGIN, **dict.fromkeys(WARD_STAFF, 302)},
        kwargs=lambda w: {"code": w.dossier.code},
        method="post",
        data=lambda w: {"action": "transfer", "request_id": STEP_REQUEST, "note": ""},
    ),
    Rule(
        "intake:dossier-supplement-slip",
        IN_WARD,
        kwargs=lambda w: {"code": w.slip_dossier.code},
    ),
    Rule(
        "intake:dossier-refusal-slip",
        IN_WARD,
        kwargs=lambda w: {"code": w.refused_dossier.code},
    ),
    Rule(
        "intake:dossier-stop-slip",
        IN_WARD,
        kwargs=lambda w: {"code": w.stopped_dossier.code},
    ),
    Rule(
        "intake:dossier-apology-slip",
        IN_WARD,
        kwargs=lambda w: {"code": w.slip_dossier.code},
    ),
    Rule("intake:dossier-control-sheet", IN_WARD, kwargs=lambda w: {"code": w.dossier.code}),
    Rule(
        "intake:dossier-handover-slip",
        IN_WARD,
        kwargs=lambda w: {"code": w.returned_dossier.code},
    ),
    Rule(
        "intake:return",
        {**everyone(200), "city_admin": 403, "other_city_admin": 403},
    ),
]
