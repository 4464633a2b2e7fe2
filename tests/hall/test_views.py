"""The hall's pages: device links and cookies, the kiosk, the ticket, the display, the counter's
panel and the chief's settings."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from hall.devices import link_token
from hall.models import Device, ServiceGroup, Ticket, TicketEvent
from hall.services import device_revoke, ticket_issue


def on_device(device) -> Client:
    client = Client()
    response = client.get(reverse("hall:device-link", args=[link_token(device)]))
    assert response.status_code == 302
    return client


def test_a_kiosk_link_sets_the_cookie_and_opens_the_kiosk(hall):
    client = on_device(hall.kiosk)
    page = client.get(reverse("hall:kiosk"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Lấy số thứ tự" in body and "Tiếp nhận hồ sơ" in body and "Trả kết quả" in body


def test_a_device_without_key_or_with_a_forged_link_gets_the_refusal(hall):
    assert Client().get(reverse("hall:kiosk")).status_code == 403
    forged = Client().get(reverse("hall:device-link", args=["not-signed"]))
    assert forged.status_code == 403
    assert "chưa được đăng ký" in forged.content.decode()


def test_pressing_a_group_prints_a_ticket(hall):
    client = on_device(hall.kiosk)
    response = client.post(reverse("hall:kiosk-issue"), {"group": hall.intake.pk}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    ticket = Ticket.objects.get()
    assert 'data-testid="ticket-number">1001<' in body
    assert "Phú Hòa" in body and "Tiếp nhận hồ sơ" in body
    assert "Trước bạn còn 0 người" in body
    assert "data:image/svg+xml" in body  # the QR, drawn here
    follow = re.search(r"/xep-hang/theo-doi/[^\"<]+/", body).group(0)
    page = Client().get(follow).content.decode()
    assert "1001" in page and "Tiếp nhận hồ sơ" in page and ticket.ward.name not in page


def test_a_revoked_kiosk_shows_a_clear_page_and_issues_nothing(hall):
    client = on_device(hall.kiosk)
    device_revoke(user=hall.chief, device_id=hall.kiosk.pk)
    page = client.get(reverse("hall:kiosk"))
    assert page.status_code == 403
    assert "đã bị thu hồi" in page.content.decode()
    press = client.post(reverse("hall:kiosk-issue"), {"group": hall.intake.pk})
    assert press.status_code == 403
    assert not Ticket.objects.exists()
    # The link itself no longer sets a cookie.
    assert (
        Client().get(reverse("hall:device-link", args=[link_token(hall.kiosk)])).status_code == 403
    )


def test_a_group_without_counter_is_refused_on_the_kiosk_in_vietnamese(hall):
    closed = ServiceGroup.objects.create(ward=hall.ward, kind="guidance", name="Hướng dẫn")
    client = on_device(hall.kiosk)
    response = client.post(reverse("hall:kiosk-issue"), {"group": closed.pk})
    assert response.status_code == 409
    assert "chưa có quầy nào phục vụ" in response.content.decode()
    bad = client.post(reverse("hall:kiosk-issue"), {"group": "x"})
    assert bad.status_code == 400
    assert not Ticket.objects.exists()


def test_the_kiosk_key_does_not_open_the_display(hall):
    client = on_device(hall.kiosk)
    assert client.get(reverse("hall:display")).status_code == 403


def test_the_display_shows_calls_and_queues_in_constant_queries(hall, django_assert_num_queries):
    client = on_device(hall.display)
    for _ in range(3):
        ticket_issue(group=hall.intake, device=hall.kiosk)
    ticket_issue(group=hall.returns, device=hall.kiosk)
    from hall.services import ticket_call_next

    ticket_call_next(user=hall.postal_worker, counter=hall.postal_counter)
    with django_assert_num_queries(7):
        fragment = client.get(reverse("hall:display-state"))
    body = fragment.content.decode()
    assert 'data-number="1001"' in body and 'data-counter="1"' in body
    for _ in range(20):
        ticket_issue(group=hall.intake, device=hall.kiosk)
    with django_assert_num_queries(7):
        client.get(reverse("hall:display-state"))
    assert client.get(reverse("hall:display")).status_code == 200


def test_a_revoked_display_reloads_to_its_refusal(hall):
    client = on_device(hall.display)
    device_revoke(user=hall.chief, device_id=hall.display.pk)
    response = client.get(reverse("hall:display-state"), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"


@pytest.fixture
def worker(hall):
    client = Client()
    client.force_login(hall.postal_worker)
    return client


def test_the_worker_chooses_a_counter_and_calls_next(hall, worker):
    ticket_issue(group=hall.intake, device=hall.kiosk)
    panel = worker.get(reverse("hall:desk"))
    assert "Bạn đang ngồi ở quầy" in panel.content.decode()
    worker.get(reverse("hall:desk"), {"counter": hall.postal_counter.pk})
    response = worker.post(reverse("hall:desk-next"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="desk-number">1001<' in body
    ticket = Ticket.objects.get()
    assert ticket.status == "called"
    worker.post(reverse("hall:ticket-recall", args=[ticket.pk]), HTTP_HX_REQUEST="true")
    worker.post(
        reverse("hall:ticket-transfer", args=[ticket.pk]),
        {"group": hall.returns.pk},
        HTTP_HX_REQUEST="true",
    )
    assert list(TicketEvent.objects.values_list("action", flat=True)) == [
        "issued",
        "called",
        "recalled",
        "transferred",
    ]


def test_the_panel_is_on_the_workers_pages(hall, worker):
    for name in ("home", "intake:receive", "intake:return"):
        body = worker.get(reverse(name)).content.decode()
        assert reverse("hall:desk") in body, name


def test_another_wards_ticket_is_404_on_the_panel(hall):
    ticket = ticket_issue(group=hall.intake, device=hall.kiosk)
    client = Client()
    client.force_login(hall.other_postal_worker)
    for name in (
        "hall:ticket-recall",
        "hall:ticket-skip",
        "hall:ticket-done",
        "hall:ticket-transfer",
    ):
        assert client.post(reverse(name, args=[ticket.pk])).status_code == 404


def test_the_chief_sets_groups_and_devices(hall):
    chief = Client()
    chief.force_login(hall.chief)
    page = chief.get(reverse("hall:settings"))
    assert page.status_code == 200 and "Tiếp nhận hồ sơ" in page.content.decode()
    created = chief.post(
        reverse("hall:settings"),
        {
            "kind": "intake",
            "name": "Chứng thực",
            "field": "Chứng thực",
            "first_number": 5001,
            "counters": [hall.postal_counter.pk],
        },
    )
    assert created.status_code == 302
    group = ServiceGroup.objects.get(name="Chứng thực")
    assert list(group.counters.all()) == [hall.postal_counter]
    duplicate = chief.post(
        reverse("hall:settings"), {"kind": "intake", "name": "Chứng thực", "first_number": 1}
    )
    assert duplicate.status_code == 400 and "đã có nhóm" in duplicate.content.decode()
    chief.post(
        reverse("hall:group", args=[group.pk]),
        {f"g{group.pk}-counters": [hall.officer_counter.pk], f"g{group.pk}-active": "on"},
    )
    assert list(group.counters.all()) == [hall.officer_counter]
    chief.post(reverse("hall:device-create"), {"kind": "kiosk", "name": "Máy tầng 2"})
    device = Device.objects.get(name="Máy tầng 2")
    assert (
        device.digest and link_token(device) in chief.get(reverse("hall:settings")).content.decode()
    )
    chief.post(reverse("hall:device-revoke", args=[device.pk]))
    device.refresh_from_db()
    assert device.revoked_by == hall.chief


def test_another_chief_cannot_revoke(hall):
    chief = Client()
    chief.force_login(hall.other_chief)
    assert chief.post(reverse("hall:device-revoke", args=[hall.kiosk.pk])).status_code == 404
    hall.kiosk.refresh_from_db()
    assert hall.kiosk.live


def test_an_unchanged_hall_answers_the_display_with_204_and_two_queries(
    hall, django_assert_num_queries
):
    client = on_device(hall.display)
    ticket_issue(group=hall.intake, device=hall.kiosk)
    body = client.get(reverse("hall:display-state")).content.decode()
    since = re.search(r"since=(\d+)", body).group(1)
    with django_assert_num_queries(2):  # the device, and "anything newer?"
        unchanged = client.get(reverse("hall:display-state"), {"since": since})
    assert unchanged.status_code == 204 and unchanged.content == b""
    ticket_issue(group=hall.intake, device=hall.kiosk)
    changed = client.get(reverse("hall:display-state"), {"since": since})
    assert changed.status_code == 200 and "since=" in changed.content.decode()


def test_without_htmx_the_panel_comes_back_to_its_page_only_on_this_site(hall, worker):
    ticket_issue(group=hall.intake, device=hall.kiosk)
    worker.get(reverse("hall:desk"), {"counter": hall.postal_counter.pk})
    response = worker.post(reverse("hall:desk-next"), {"next": "/tiep-nhan/"})
    assert response.status_code == 302 and response["Location"] == "/tiep-nhan/"
    away = worker.post(reverse("hall:desk-next"), {"next": "https://example.com/"})
    assert away["Location"] == reverse("home")
    panel = worker.get(
        reverse("hall:desk"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/tra-ket-qua/?ma=1",
    )
    assert 'value="/tra-ket-qua/?ma=1"' in panel.content.decode()


def test_the_follow_page_refreshes_itself_until_the_ticket_is_done(hall, morning):
    from hall.services import ticket_call_next, ticket_done, ticket_issue
    from hall.views.devices import ticket_token

    ticket = ticket_issue(group=hall.intake, device=hall.kiosk)
    url = reverse("hall:follow", args=[ticket_token(ticket)])
    page = Client().get(url).content.decode()
    assert 'hx-trigger="every 5s"' in page and "Trước bạn còn 0 người" in page
    fragment = Client().get(url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith("<main")  # the box alone, no page
    ticket_call_next(user=hall.postal_worker, counter=hall.postal_counter)
    called = Client().get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Đã đến lượt bạn" in called and "hx-trigger" in called
    ticket_done(user=hall.postal_worker, ticket_id=ticket.pk)
    done = Client().get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'data-status="done"' in done and "hx-trigger" not in done


def test_the_kiosk_says_a_group_has_no_open_counter_before_printing(hall, morning):
    ServiceGroup.objects.create(ward=hall.ward, kind="guidance", name="Hướng dẫn")
    hall.postal_counter.active = False
    hall.postal_counter.save(update_fields=["active"])
    page = on_device(hall.kiosk).get(reverse("hall:kiosk")).content.decode()
    buttons = re.findall(
        r'<button type="submit" class="kiosk-button"[^>]*>.*?</button>', page, re.S
    )
    by_name = {re.search(r'kiosk-name">([^<]+)<', b).group(1): b for b in buttons}
    # No counter at all, and a counter closed: both say so, and neither can be pressed.
    for name in ("Hướng dẫn", "Tiếp nhận hồ sơ"):
        assert "disabled" in by_name[name] and "Chưa có quầy phục vụ" in by_name[name]
    assert "disabled" not in by_name["Trả kết quả"]


def test_calling_next_redraws_the_panel_from_what_it_read(
    hall, worker, django_assert_max_num_queries
):
    """The call (finish the served ticket, call the next, their events and figures) and the panel
    it redraws: the counter is looked up once and the transfer form reuses the panel's lists."""
    for _ in range(3):
        ticket_issue(group=hall.intake, device=hall.kiosk)
    worker.get(reverse("hall:desk"), {"counter": hall.postal_counter.pk})
    worker.post(reverse("hall:desk-next"), HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(18):
        response = worker.post(reverse("hall:desk-next"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-testid="desk-number">1002<' in body
    assert f'<option value="{hall.returns.pk}">' in body
    assert f'<option value="{hall.officer_counter.pk}">' in body
