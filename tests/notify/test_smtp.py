"""E-mail to a real SMTP server on this machine (aiosmtpd): the message arrives once, and a
recipient the server refuses makes the message "failed", with the reason, without retries."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from intake.models import NotifyConsent
from notify.models import Message
from tests.notify.test_outbox import EMAIL, receive, resolve
from tests.onestop.tasks_for_tests import drain

REFUSED = "khong-ton-tai@example.vn"


class Mailbox:
    def __init__(self):
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "email": "notify.channels.EmailChannel"}
    yield mailbox
    controller.stop()


@pytest.mark.django_db(transaction=True)
def test_the_smtp_server_receives_the_message_once(world, smtp_server):
    dossier = resolve(world, receive(world, consent=NotifyConsent.EMAIL))
    drain()
    message = Message.objects.get()
    assert message.state == Message.State.SENT
    assert len(smtp_server.envelopes) == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == [EMAIL]
    body = envelope.content.decode()
    assert dossier.code in body
    assert f"X-Onestop-Reference: {message.key}" in body


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_fails_the_message_without_retrying(world, smtp_server):
    resolve(world, receive(world, consent=NotifyConsent.EMAIL, email=REFUSED))
    drain()
    message = Message.objects.get()
    assert message.state == Message.State.FAILED
    assert message.last_error == "Máy chủ thư từ chối địa chỉ người nhận."
    assert message.attempts == 1
    assert not smtp_server.envelopes
