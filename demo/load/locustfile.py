"""The counters' working day as load: locust users that sign in and work as a ward's staff do.

    locust -f demo/load/locustfile.py --headless -u 20 -r 5 -t 60s --host http://127.0.0.1:PORT

Three kinds of user, mixed by weight:

* `Officer` (officers and chiefs of the demo wards): signs in through the login form, then
  opens today's page, the dossier list (plain, searched), a dossier's page, the API list,
  receives dossiers through the API (`POST /api/v1/dossiers/`, session and CSRF header), and
  walks one of its own dossiers to the citizen: transfer, resolve, return
  (`POST /api/v1/dossiers/{code}/transitions/`).
* `PostalWorker`: signs in, reads today's page, the list and dossiers, and receives the
  procedures the chief authorised it for (none until authorisations exist: then it only reads).
* `Citizen`: opens the public status page and looks a dossier up by the code and PIN that an
  intake of this run printed on its receipt.

Who signs in as whom, and which procedures each may receive, comes from a plan written by
`python -m demo.load.plan` (path in ONESTOP_LOAD_PLAN). ONESTOP_LOAD_WAIT="min,max" sets the
think time between tasks in seconds (default 0,0: as fast as the server answers).

Every response is checked (status code, and what the page must show); anything else is a
failure in locust's statistics, so "0 errors" means every step did what a counter expects.
"""

import collections
import itertools
import json
import os
import random
import re
import threading
import uuid
from urllib.parse import urlencode

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOSSIER_LINK = re.compile(r'href="/ho-so/([^/"?#]+)/"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Bùi", "Đặng", "Đỗ"]
MIDDLE = ["Thị", "Văn", "Ngọc", "Minh", "Thanh", "Hữu", "Thu", "Quốc", "Mỹ", "Đức"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hà", "Hạnh", "Hiếu", "Hoa", "Hùng", "Khánh", "Lan"]
STREETS = ["Yersin", "Cách Mạng Tháng Tám", "Đại lộ Bình Dương", "Phú Lợi", "Huỳnh Văn Lũy"]
SEARCHES = ["nguyen thi", "tran van", "le ngoc", "pham minh"]


def wait_from_env():
    low, _, high = os.environ.get("ONESTOP_LOAD_WAIT", "0,0").partition(",")
    return between(float(low), float(high or low))


def load_plan() -> dict:
    path = os.environ.get("ONESTOP_LOAD_PLAN", "")
    if not path:
        raise RuntimeError("ONESTOP_LOAD_PLAN names the plan from `python -m demo.load.plan`.")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


class Accounts:
    """Hands out the plan's accounts round-robin, one ward after another."""

    def __init__(self):
        self._plan: dict | None = None
        self._cycles: dict[str, itertools.cycle] = {}
        self._lock = threading.Lock()

    @property
    def plan(self) -> dict:
        if self._plan is None:
            self._plan = load_plan()
        return self._plan

    def next(self, kind: str) -> dict | None:
        with self._lock:
            if kind not in self._cycles:
                staff = self.plan["staff"]
                if kind == "officer":
                    chosen = [a for a in staff if a["role"] in ("officer", "chief")]
                    chosen = [a for a in chosen if a["procedures"]]
                    # Officers of every ward first, then chiefs: users spread over the wards.
                    chosen.sort(key=lambda a: (a["role"] != "officer", a["ward"]))
                else:
                    chosen = [a for a in staff if a["role"] == "postal_worker"]
                    chosen.sort(key=lambda a: (a["username"].startswith("postal2."), a["ward"]))
                self._cycles[kind] = itertools.cycle(chosen) if chosen else iter(())
            return next(self._cycles[kind], None)

    @property
    def password(self) -> str:
        return self.plan["password"]


ACCOUNTS = Accounts()
# Receipts printed during the run: (code, PIN), for citizens to look up.
RECEIPTS: collections.deque = collections.deque(maxlen=2000)


def citizen_id() -> str:
    """A CCCD number that intake accepts: Bình Dương (074), born 1950–1999."""
    return f"074{random.choice('01')}{random.randint(50, 99)}{random.randrange(10**6):06d}"


def applicant() -> dict:
    return {
        "applicant_name": f"{random.choice(FAMILY)} {random.choice(MIDDLE)} {random.choice(GIVEN)}",
        "applicant_id_number": citizen_id(),
        "applicant_phone": f"09{random.randrange(10**8):08d}",
        "applicant_address": f"{random.randint(1, 300)} {random.choice(STREETS)}, Thủ Dầu Một",
    }


def _excerpt(response) -> str:
    text = (response.text or "") if response.content else ""
    return " ".join(text.split())[:200]


def check(response, *statuses: int, contains: str | None = None) -> bool:
    """Mark the response a success only with an expected status (and text, when given)."""
    if response.status_code not in statuses:
        response.failure(f"HTTP {response.status_code}: {_excerpt(response)}")
        return False
    if contains is not None and contains not in (response.text or ""):
        response.failure(f"HTTP {response.status_code} without {contains!r}")
        return False
    response.success()
    return True


class CounterUser(FastHttpUser):
    """A ward's staff member at a counter: signs in once, then works."""

    abstract = True
    wait_time = wait_from_env()
    kind = ""

    def on_start(self):
        account = ACCOUNTS.next(self.kind)
        if account is None:
            self.stop()  # no such account in this database
            return
        self.begin(account)

    def begin(self, account: dict):
        """Take a seat as `account` and sign in."""
        self.account = account
        self.mine: collections.deque = collections.deque(maxlen=200)  # received, not returned
        self.seen: list[str] = []  # codes on the last list page
        self.log_in()

    def csrf_cookie(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def log_in(self):
        with self.client.get("/dang-nhap/", name="login: form", catch_response=True) as r:
            if not check(r, 200, contains="csrfmiddlewaretoken"):
                return
            token = CSRF_INPUT.search(r.text).group(1)
        form = {
            "csrfmiddlewaretoken": token,
            "username": self.account["username"],
            "password": ACCOUNTS.password,
        }
        with self.client.post(
            "/dang-nhap/",
            data=urlencode(form),
            headers=FORM,
            name="login: submit",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code == 302 and r.headers.get("Location", "").rstrip("/") in ("", "/"):
                r.success()
            else:
                r.failure(f"no sign-in: HTTP {r.status_code} {_excerpt(r)}")

    def api_headers(self) -> dict:
        return {"X-CSRFToken": self.csrf_cookie(), "Referer": self.host + "/"}

    # -- reading ------------------------------------------------------------------------------

    @task(2)
    def today(self):
        with self.client.get("/", name="today", catch_response=True) as r:
            check(r, 200)

    @task(2)
    def dossier_list(self):
        with self.client.get("/ho-so/", name="dossier list", catch_response=True) as r:
            if check(r, 200):
                self.seen = DOSSIER_LINK.findall(r.text)

    @task(1)
    def dossier_search(self):
        query = urlencode({"q": random.choice(SEARCHES)})
        with self.client.get(
            f"/ho-so/?{query}", name="dossier list: search", catch_response=True
        ) as r:
            check(r, 200)

    @task(3)
    def dossier_detail(self):
        pool = [code for code, _ in list(self.mine)[-20:]] + self.seen
        if not pool:
            return self.dossier_list()
        code = random.choice(pool)
        with self.client.get(f"/ho-so/{code}/", name="dossier detail", catch_response=True) as r:
            check(r, 200, contains=code)

    # -- intake -------------------------------------------------------------------------------

    def receive(self):
        procedures = self.account["procedures"]
        if not procedures:
            return self.dossier_list()
        body = {
            "procedure": random.choice(procedures),
            "channel": random.choices([1, 2, 3], weights=[8, 1, 1])[0],
            **applicant(),
        }
        if self.account.get("counter"):
            body["counter"] = self.account["counter"]
        headers = {**self.api_headers(), "Idempotency-Key": uuid.uuid4().hex}
        with self.client.post(
            "/api/v1/dossiers/", json=body, headers=headers, name="API intake", catch_response=True
        ) as r:
            if not check(r, 201):
                return
            receipt = r.json()
            if not receipt.get("lookup_pin"):
                r.failure("intake answered without a lookup PIN")
                return
        self.mine.append((receipt["code"], body["applicant_id_number"]))
        RECEIPTS.append((receipt["code"], receipt["lookup_pin"]))


class Officer(CounterUser):
    """An officer or chief: receives, reads, and takes dossiers through to the citizen."""

    weight = 12
    kind = "officer"

    @task(6)
    def intake(self):
        self.receive()

    @task(1)
    def api_list(self):
        with self.client.get(
            "/api/v1/dossiers/",
            name="API dossier list",
            headers={"Accept": "application/json"},
            catch_response=True,
        ) as r:
            check(r, 200, contains='"results"')

    @task(1)
    def return_result(self):
        """Transfer, resolve and return the oldest dossier this officer received."""
        if not self.mine:
            return self.receive()
        code, id_number = self.mine.popleft()
        steps = [
            ("transfer", {"action": "transfer"}),
            ("resolve", {"action": "resolve", "note": "Đã ký kết quả."}),
            (
                "return",
                {"action": "return", "collector_id_number": id_number, "satisfaction": 5},
            ),
        ]
        for name, body in steps:
            if self.account.get("counter"):
                body["counter"] = self.account["counter"]
            with self.client.post(
                f"/api/v1/dossiers/{code}/transitions/",
                json=body,
                headers=self.api_headers(),
                name=f"API step: {name}",
                catch_response=True,
            ) as r:
                if not check(r, 200):
                    return


class Intake(CounterUser):
    """An officer who only receives: `LOAD_CLASSES=Intake make load` measures intake alone.

    Locust gathers a class's tasks from its bases too, so its list is set after the class.
    """

    weight = 12
    kind = "officer"

    def intake(self):
        self.receive()


Intake.tasks = [Intake.intake]


class PostalWorker(CounterUser):
    """A postal worker: reads, and receives what the chief authorised."""

    weight = 5
    kind = "postal"

    @task(3)
    def intake(self):
        self.receive()


class Citizen(FastHttpUser):
    """A citizen checking a dossier on the public status page with the receipt's code and PIN."""

    weight = 3
    wait_time = wait_from_env()

    @task
    def look_up(self):
        with self.client.get("/tra-cuu/", name="status page: form", catch_response=True) as r:
            if not check(r, 200, contains="csrfmiddlewaretoken"):
                return
            token = CSRF_INPUT.search(r.text).group(1)
        if not RECEIPTS:
            return
        code, pin = random.choice(RECEIPTS)
        form = {"csrfmiddlewaretoken": token, "code": code, "pin": pin}
        with self.client.post(
            "/tra-cuu/",
            data=urlencode(form),
            headers={**FORM, "Referer": self.host + "/tra-cuu/"},
            name="status page: lookup",
            catch_response=True,
        ) as r:
            check(r, 200, contains='data-testid="public-status"')
