"""The dossier API and the appointment endpoint in the access matrix.

Anonymous callers get 403 (the API never redirects to the login page). A dossier outside the
caller's ward or city is 404, as on the pages; city admins read their city's dossiers but may not
take a step (403). The step rule posts an action that does not exist, so every caller allowed
through scope and role reaches validation (400) and the dossier stays as it is for the next one;
real steps are tested in tests/intake/test_api_dossiers.py.
"""

from tests.security.matrix import OTHER_WARD_STAFF, WARD_STAFF, Rule, everyone


def _dossier(world) -> dict:
    return {"code": world.dossier.code}


READERS = {
    "anonymous": 403,
    **dict.fromkeys(WARD_STAFF, 200),
    "city_admin": 200,
    **dict.fromkeys(OTHER_WARD_STAFF, 404),
    "other_city_admin": 404,
}

RULES = [
    Rule(
        "procedure-appointment",
        everyone(200, anonymous=403),
        kwargs=lambda w: {"code": w.procedure.code},
        query="?received_at=2026-03-16T09:00:00%2B07:00",
    ),
    # Everyone signed in may list; the list holds only their scope (tested with the API).
    Rule("dossier-list", everyone(200, anonymous=403)),
    Rule("dossier-detail", READERS, kwargs=_dossier),
    Rule("dossier-events", READERS, kwargs=_dossier),
    Rule(
        "dossier-transitions",
        {**READERS, **dict.fromkeys(WARD_STAFF, 400), "city_admin": 403},
        kwargs=_dossier,
        method="post",
        data=lambda w: {"action": "fly"},
    ),
]
