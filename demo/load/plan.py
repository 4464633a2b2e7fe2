"""Who the load test signs in as, and what each account may receive.

The locustfile runs outside Django, so before a run this module reads the database once and
writes a plan: every active counter account (postal worker, officer, chief) with its ward's
counter and the procedures it may receive. "May receive" is asked of the intake rules
themselves (settings.INTAKE_RULES, e.g. postal's authorisations), so the load never sends an
intake the service would refuse.

    DJANGO_SETTINGS_MODULE=onestop.settings python -m demo.load.plan plan.json
"""

import json
import os
import sys

PLAN_VERSION = 1


def receivable(user, procedures, at) -> list[str]:
    """Codes of `procedures` that `user` receives as a normal (not out-of-list) dossier."""
    from intake.services import IntakeRequest, intake_rules
    from onestop.errors import DomainError

    rules = intake_rules()
    codes = []
    for procedure in procedures:
        request = IntakeRequest(user=user, procedure=procedure, received_at=at)
        try:
            flagged = any([rule(request) for rule in rules])
        except DomainError:
            continue
        if not flagged:
            codes.append(procedure.code)
    return codes


def build_plan(*, password: str) -> dict:
    from intake.selectors import procedures_for_user
    from onestop import clock
    from onestop.models import WARD_ROLES, Role, User
    from wards.models import Counter

    now = clock.now()
    counters: dict[tuple[int, str], int] = {}
    for ward_id, kind, number in (
        Counter.objects.filter(active=True)
        .order_by("ward_id", "number")
        .values_list("ward_id", "kind", "number")
    ):
        counters.setdefault((ward_id, kind), number)
    staff = []
    users = (
        User.objects.filter(is_active=True, role__in=WARD_ROLES, ward__isnull=False)
        .select_related("ward")
        .order_by("ward__admin_code", "username")
    )
    for user in users:
        procedures = procedures_for_user(user=user).filter(processing_days__isnull=False)
        kind = Counter.Kind.POSTAL if user.role == Role.POSTAL_WORKER else Counter.Kind.OFFICER
        staff.append(
            {
                "username": user.username,
                "role": user.role,
                "ward": user.ward.slug,
                "counter": counters.get((user.ward_id, kind)),
                "procedures": receivable(user, procedures, now),
            }
        )
    return {"version": PLAN_VERSION, "password": password, "staff": staff}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m demo.load.plan OUT.json", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.settings")
    import django

    django.setup()
    from django.conf import settings

    plan = build_plan(password=settings.DEMO_PASSWORD)
    with open(argv[1], "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False, indent=1)
    by_role: dict[str, int] = {}
    for account in plan["staff"]:
        if account["procedures"]:
            by_role[account["role"]] = by_role.get(account["role"], 0) + 1
    print(
        f"plan: {len(plan['staff'])} counter accounts; able to receive: "
        + (", ".join(f"{n} {role}" for role, n in sorted(by_role.items())) or "none")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
