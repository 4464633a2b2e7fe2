"""Pages of the counter: intake and receipts, the dossier list and detail, result return,
and the citizens' public status page."""

from django.urls import path  # noqa: F401

app_name = "intake"

urlpatterns: list = [
    # -- intake form, receipt, public status page --
    # -- dossier list, detail, lifecycle steps, slips, result return --
]
