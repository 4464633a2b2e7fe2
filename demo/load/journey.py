"""Walk the load test's journey once, step by step, and say which step fails.

    ONESTOP_LOAD_PLAN=plan.json python -m demo.load.journey http://127.0.0.1:PORT

One officer, one postal worker and one citizen from the locustfile each take every task once,
in a fixed order (sign in, today, list, search, detail, API list, intake, transfer / resolve /
return, status page). Prints one line per request and exits 1 when any failed, so a missing
page or a server error shows before a long load run, and the test suite can run the journey
without depending on chance. Runs in its own process: importing locust patches the standard
library for gevent.
"""

import sys


def walk(host: str) -> list[dict]:
    from locust.env import Environment

    from demo.load import locustfile as lf

    records: list[dict] = []

    def on_request(request_type, name, response_time, response=None, exception=None, **kw):
        records.append(
            {
                "method": request_type,
                "name": name,
                "status": getattr(response, "status_code", None),
                "ms": round(response_time or 0, 1),
                "error": str(exception) if exception else "",
            }
        )

    classes = [lf.Officer, lf.PostalWorker, lf.Citizen]
    for user_class in classes:
        user_class.host = host  # what locust's --host does
    env = Environment(user_classes=classes, host=host)
    env.events.request.add_listener(on_request)

    account = lf.ACCOUNTS.next("officer")
    if account is None:
        raise SystemExit("the plan has no officer or chief able to receive a dossier")
    officer = lf.Officer(env)
    officer.begin(account)
    for step in (
        officer.today,
        officer.dossier_list,
        officer.dossier_search,
        officer.api_list,
        officer.intake,
        officer.dossier_detail,
        officer.return_result,
        officer.intake,
    ):
        step()

    account = lf.ACCOUNTS.next("postal")
    if account is not None:
        postal = lf.PostalWorker(env)
        postal.begin(account)
        for step in (postal.today, postal.dossier_list, postal.dossier_detail, postal.intake):
            step()

    lf.Citizen(env).look_up()
    return records


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(
            "usage: ONESTOP_LOAD_PLAN=plan.json python -m demo.load.journey HOST", file=sys.stderr
        )
        return 2
    records = walk(argv[1])
    failed = [r for r in records if r["error"]]
    for r in records:
        mark = "FAIL" if r["error"] else "ok"
        print(
            f"{mark:<4} {r['method']:<5} {r['name']:<24} {r['status']} {r['ms']:>8} ms {r['error']}"
        )
    print(f"journey: {len(records)} requests, {len(failed)} failed")
    return 1 if failed or not records else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
