"""The ward sees every message on the dossier's page, with its delivery state, and what could not
be delivered."""

import pytest
from django.urls import reverse

from intake.models import NotifyConsent
from notify.models import Message
from notify.selectors import undelivered_count
from tests.notify.test_outbox import receive, resolve


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.INTAKE_RULES = []


@pytest.mark.django_db
def test_the_dossier_page_lists_messages_with_their_state(world, client):
    dossier = resolve(world, receive(world, consent=NotifyConsent.SMS))
    Message.objects.update(
        state=Message.State.UNDELIVERABLE, attempts=5, last_error="SMS gateway answered 500"
    )
    client.force_login(world.chief)
    page = client.get(reverse("intake:dossier-detail", kwargs={"code": dossier.code}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thông báo cho công dân" in html
    assert "Đã có kết quả" in html
    assert "*******678" in html and "0912345678" not in html.split('data-testid="messages"')[1]
    assert "Không gửi được" in html and "5 lần gửi" in html
    assert "1 thông báo không gửi được" in html
    assert undelivered_count(user=world.chief) == 1
    assert undelivered_count(user=world.other_chief) == 0


@pytest.mark.django_db
def test_a_dossier_without_consent_says_so(world, client):
    dossier = receive(world, consent=NotifyConsent.NONE)
    client.force_login(world.officer)
    html = client.get(reverse("intake:dossier-detail", kwargs={"code": dossier.code})).content
    assert "Nhận thông báo qua: Không nhận" in " ".join(html.decode().split())
    assert "Chưa có thông báo nào." in html.decode()


@pytest.mark.django_db
def test_the_chiefs_dashboard_shows_what_could_not_be_delivered(world, client):
    dossier = resolve(world, receive(world, consent=NotifyConsent.SMS))
    client.force_login(world.chief)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="undelivered"' not in html
    Message.objects.update(state=Message.State.FAILED, last_error="Cổng SMS từ chối tin (mã 400).")
    html = client.get(reverse("home")).content.decode()
    assert "1 thông báo không gửi được" in html
    assert reverse("intake:dossier-detail", kwargs={"code": dossier.code}) in html
    client.force_login(world.other_chief)
    assert 'data-testid="undelivered"' not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_messages_cost_one_query_however_many(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    dossier = resolve(world, receive(world, consent=NotifyConsent.SMS))
    client.force_login(world.chief)
    url = reverse("intake:dossier-detail", kwargs={"code": dossier.code})

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    first = Message.objects.get()
    for number in range(5):
        Message.objects.create(
            dossier=dossier,
            event=first.event,
            kind=first.kind,
            channel=first.channel,
            recipient=first.recipient,
            template_id=first.template_id,
            text=first.text,
            key=f"more-{number}",
            created_at=first.created_at,
        )
    assert queries() == one
