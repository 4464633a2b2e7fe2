"""The demo city (seed_demo, a few dossiers per ward) and each role's main pages and forms in it,
for the Chromium checks of the layout and of accessibility."""

from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from intake.models import Dossier, Procedure
from onestop.models import User

ROLES = ["postal_worker", "officer", "chief", "city_admin"]
USERNAMES = {
    "postal_worker": "postal.phuhoa",
    "officer": "officer.phuhoa",
    "chief": "chief.phuhoa",
    "city_admin": "admin.thudaumot",
}


@dataclass(frozen=True)
class DemoPage:
    name: str
    url: str


def seed_demo_city() -> None:
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def intake_procedure() -> Procedure:
    """A procedure every counter may receive now (a verified processing time), as in the demo."""
    return (
        Procedure.objects.filter(
            active=True, processing_days__isnull=False, code="1.001193"
        ).first()
        or Procedure.objects.filter(active=True, processing_days__isnull=False)
        .order_by("code")
        .first()
    )


def pages_for(role: str) -> list[DemoPage]:
    """The role's main pages and forms, as far as the role has them."""
    user = User.objects.get(username=USERNAMES[role])
    pages = [
        DemoPage("home", reverse("home")),
        DemoPage("dossiers", reverse("intake:dossier-list")),
    ]
    if user.ward_id:
        dossier = Dossier.objects.filter(ward_id=user.ward_id).order_by("-received_at").first()
        procedure = intake_procedure()
        pages += [
            DemoPage("intake", reverse("intake:receive") + f"?procedure={procedure.code}"),
            DemoPage("detail", reverse("intake:dossier-detail", args=[dossier.code])),
            DemoPage("return", reverse("intake:return")),
            DemoPage("deliveries", reverse("deliveries:list")),
        ]
    if role in ("postal_worker", "chief"):
        pages += [
            DemoPage("roster", reverse("postal:roster")),
            DemoPage("batches", reverse("postal:batches")),
        ]
    if role == "postal_worker":
        pages.append(DemoPage("guidance", reverse("postal:guidance")))
    if role == "chief":
        ward = user.ward
        pages += [
            DemoPage("report-ward", reverse("reports:ward-report", args=[ward.slug])),
            DemoPage("accounts", reverse("postal:accounts")),
            DemoPage("account-new", reverse("postal:account-create")),
            DemoPage("authorisations", reverse("postal:authorisations")),
            DemoPage("hall-settings", reverse("hall:settings")),
        ]
    if role == "city_admin":
        procedure = intake_procedure()
        pages += [
            DemoPage("report-city", reverse("reports:reports")),
            DemoPage("report-ward", reverse("reports:ward-report", args=["phuhoa"])),
            DemoPage("catalogue", reverse("catalogue:list")),
            DemoPage("procedure-edit", reverse("catalogue:edit", args=[procedure.code])),
            DemoPage("calendar", reverse("wards:calendar")),
            DemoPage("wards", reverse("wards:ward-admin-list")),
        ]
    return pages


def sign_in(page, role: str):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(USERNAMES[role])
    page.get_by_label("Mật khẩu").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    return page
