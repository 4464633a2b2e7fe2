"""The outbox: a message written with the step that owes it, sent once by a task over real
channels (Django's mail backend, an HTTP SMS gateway on this machine), retried with backoff,
undeliverable after its last attempt."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from intake.models import Dossier, NotifyConsent
from intake.services import dossier_receive, dossier_step
from notify.channels import Refused, SmsGatewayChannel
from notify.models import Message
from onestop import clock
from onestop.errors import InvalidInput
from onestop.models import BackgroundTask
from tests.intake.factories import ProcedureFactory
from tests.onestop.tasks_for_tests import drain
from wards.calendar import VIETNAM_TZ

# Tuesday 10 March 2026, 09:00: within working hours, under the 2025 edition of the rules.
MOMENT = dt.datetime(2026, 3, 10, 9, 0, tzinfo=VIETNAM_TZ)
PHONE = "0912345678"
EMAIL = "mai.nguyen@example.vn"
NAME = "Nguyễn Thị Mai"


@pytest.fixture(autouse=True)
def _rules(settings):
    settings.INTAKE_RULES = []


def receive(world, consent=NotifyConsent.SMS, **kwargs) -> Dossier:
    with clock.frozen_at(MOMENT):
        return dossier_receive(
            user=world.postal_worker,
            procedure=ProcedureFactory(
                processing_days=5, name="Đăng ký khai sinh cho trẻ em sinh ra tại Việt Nam"
            ),
            channel=1,
            applicant_name=NAME,
            applicant_id_number="074190001234",
            applicant_address="12 Yersin, Phú Hòa",
            applicant_phone=kwargs.pop("phone", PHONE),
            applicant_email=kwargs.pop("email", EMAIL),
            notify_consent=consent,
        ).dossier


def resolve(world, dossier: Dossier) -> Dossier:
    for minutes, action in ((10, "transfer"), (20, "resolve")):
        with clock.frozen_at(MOMENT + dt.timedelta(minutes=minutes)):
            dossier = dossier_step(user=world.officer, code=dossier.code, action=action)
    return dossier


def make_due() -> None:
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_a_result_ready_writes_one_sms_without_personal_data(world):
    dossier = resolve(world, receive(world))
    message = Message.objects.get()
    assert (message.kind, message.channel, message.state) == ("result_ready", "sms", "waiting")
    assert message.recipient == PHONE
    assert message.masked_recipient == "*******678"
    assert dossier.code in message.text
    assert message.text.isascii() and len(message.text) <= 160
    assert "Ho so" in message.text and "da co ket qua" in message.text
    for personal in ("Nguyen", "Mai", "074190001234", "Yersin", PHONE):
        assert personal not in message.text
    assert BackgroundTask.objects.filter(key=f"notify:{message.pk}").count() == 1


@pytest.mark.django_db(transaction=True)
def test_no_consent_no_message_and_consent_needs_the_address(world):
    resolve(world, receive(world, consent=NotifyConsent.NONE))
    assert not Message.objects.exists()
    with pytest.raises(InvalidInput) as refused:
        receive(world, consent=NotifyConsent.SMS, phone="")
    assert refused.value.field == "applicant_phone"
    with pytest.raises(InvalidInput):
        receive(world, consent="zalo")


@pytest.mark.django_db(transaction=True)
def test_a_step_that_rolls_back_sends_nothing(world):
    dossier = receive(world)
    with clock.frozen_at(MOMENT + dt.timedelta(minutes=10)):
        dossier_step(user=world.officer, code=dossier.code, action="transfer")
    with pytest.raises(RuntimeError), transaction.atomic():
        with clock.frozen_at(MOMENT + dt.timedelta(minutes=20)):
            dossier_step(user=world.officer, code=dossier.code, action="resolve")
        raise RuntimeError("the step failed after the signal")
    assert not Message.objects.exists()
    assert not BackgroundTask.objects.filter(key__startswith="notify:").exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_email_is_sent_once_through_the_mail_backend(world, settings):
    # The test runner puts Django's locmem mail backend in place of SMTP.
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "email": "notify.channels.EmailChannel"}
    dossier = resolve(world, receive(world, consent=NotifyConsent.EMAIL))
    drain()
    message = Message.objects.get()
    assert message.state == Message.State.SENT and message.sent_at is not None
    assert message.text.startswith("Hồ sơ")  # e-mail keeps the diacritics
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    assert dossier.code in mail.outbox[0].subject
    # The same work handed to the queue again: the message is not sent again.
    from notify.tasks import message_send

    message_send.enqueue(f"notify:{message.pk}", message_id=message.pk)
    drain()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_an_apology_tells_the_new_date(world, settings):
    dossier = receive(world)
    with clock.frozen_at(MOMENT + dt.timedelta(minutes=10)):
        dossier_step(user=world.officer, code=dossier.code, action="transfer")
    from intake.services import StepInput

    new_date = dossier.appointment_at + dt.timedelta(days=7)
    with clock.frozen_at(MOMENT + dt.timedelta(minutes=20)):
        dossier_step(
            user=world.officer,
            code=dossier.code,
            action="apologise",
            note="Cần xác minh thêm",
            details=StepInput(new_appointment_at=new_date),
        )
    message = Message.objects.get()
    assert message.kind == "new_date"
    assert f"{timezone.localtime(new_date):%d/%m/%Y}" in message.text


class Gateway:
    """An SMS gateway on this machine that answers as scripted: a status, or "slow" (nothing
    within the client's timeout), then 200 for everything after the script."""

    def __init__(self, script: list):
        self.script = list(script)
        self.received: list[dict] = []
        self.accepted: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                gateway.received.append(body)
                answer = gateway.script.pop(0) if gateway.script else 200
                if answer == "slow":
                    # Longer than the client waits; the client is gone when it answers.
                    time.sleep(1.5)
                    return
                self.send_response(answer)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                if answer == 200:
                    gateway.accepted.append(body)
                    self.wfile.write(json.dumps({"id": f"gw-{len(gateway.accepted)}"}).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway_settings(settings):
    settings.NOTIFY_CHANNELS = {**settings.NOTIFY_CHANNELS, "sms": "notify.channels.ConsoleChannel"}
    # The city of the tests sends its SMS through the gateway: the channel is chosen per city.
    settings.NOTIFY_CITY_CHANNELS = {"718": {"sms": "notify.channels.SmsGatewayChannel"}}
    settings.NOTIFY_SMS_TIMEOUT = 0.5
    settings.NOTIFY_SMS_TOKEN = "bi-mat"
    settings.TASK_RETRY_SECONDS = 30
    settings.TASK_RETRY_MAX_SECONDS = 600
    return settings


@pytest.mark.django_db(transaction=True)
def test_the_gateway_failing_is_retried_with_backoff_and_sends_once(world, gateway_settings):
    gateway = Gateway([500, "slow"])
    gateway_settings.NOTIFY_SMS_URL = gateway.url
    try:
        resolve(world, receive(world))
        message = Message.objects.get()
        record = BackgroundTask.objects.get(key=f"notify:{message.pk}")
        drain()
        message.refresh_from_db()
        record.refresh_from_db()
        assert (message.state, message.attempts) == ("waiting", 1)
        assert "500" in message.last_error
        first_wait = record.next_attempt_at - timezone.now()
        assert dt.timedelta(seconds=28) < first_wait <= dt.timedelta(seconds=30)
        drain()  # not due yet
        assert len(gateway.received) == 1

        make_due()
        drain()
        message.refresh_from_db()
        record.refresh_from_db()
        assert (message.state, message.attempts) == ("waiting", 2)
        assert "unreachable" in message.last_error  # the client gave up waiting
        second_wait = record.next_attempt_at - timezone.now()
        assert dt.timedelta(seconds=58) < second_wait <= dt.timedelta(seconds=60)

        make_due()
        drain()
        message.refresh_from_db()
        assert (message.state, message.attempts) == ("sent", 3)
        assert message.provider_id == "gw-1"
        assert message.last_error == ""
        assert len(gateway.accepted) == 1
        # Every attempt carries the message's own reference (a provider drops duplicates by it).
        assert {body["reference"] for body in gateway.received} == {message.key}
        assert gateway.received[-1]["template_id"] == "result_ready"
        assert gateway.received[-1]["text"] == message.text

        # Run again (a duplicate delivery from the queue): nothing more reaches the gateway.
        from notify.tasks import message_send

        message_send.enqueue(record.key, message_id=message.pk)
        drain()
        assert len(gateway.received) == 3
    finally:
        gateway.close()


@pytest.mark.django_db(transaction=True)
def test_undeliverable_after_the_last_attempt(world, gateway_settings):
    gateway_settings.TASK_ATTEMPTS = 3
    gateway = Gateway([500, 503, 500, 500])
    gateway_settings.NOTIFY_SMS_URL = gateway.url
    try:
        resolve(world, receive(world))
        for _attempt in range(4):
            make_due()
            drain()
        message = Message.objects.get()
        assert (message.state, message.attempts) == ("undeliverable", 3)
        assert len(gateway.received) == 3
        assert not gateway.accepted
        record = BackgroundTask.objects.get(key=f"notify:{message.pk}")
        assert record.state == BackgroundTask.State.FAILED
    finally:
        gateway.close()


@pytest.mark.django_db(transaction=True)
def test_a_refusal_is_not_retried(world, gateway_settings):
    gateway = Gateway([400])
    gateway_settings.NOTIFY_SMS_URL = gateway.url
    try:
        resolve(world, receive(world))
        drain()
        make_due()
        drain()
        message = Message.objects.get()
        assert message.state == "failed"
        assert "từ chối" in message.last_error and "400" in message.last_error
        assert len(gateway.received) == 1
    finally:
        gateway.close()


def test_a_text_longer_than_an_sms_is_refused_clearly():
    message = Message(text="a" * 161, recipient=PHONE, key="k")
    with pytest.raises(Refused, match="161 ký tự, quá 160"):
        SmsGatewayChannel().send(message)


@pytest.mark.django_db(transaction=True)
def test_a_failed_delivery_by_post_is_told_too(world):
    dossier = resolve(world, receive(world))
    for minutes, action in ((30, "send_by_post"), (40, "delivery_failed")):
        with clock.frozen_at(MOMENT + dt.timedelta(minutes=minutes)):
            dossier_step(
                user=world.postal_worker,
                code=dossier.code,
                action=action,
                note="Vắng nhà 3 lần",
                from_delivery=True,
            )
    kinds = list(Message.objects.values_list("kind", flat=True))
    assert kinds == ["result_ready", "delivery_failed"]
    text = Message.objects.get(kind="delivery_failed").text
    assert dossier.code in text and "Vang nha" not in text  # the step's note is not sent


@pytest.mark.parametrize("kind", list(Message.Kind))
def test_every_sms_fits_in_160_characters_with_the_longest_code_and_name(kind):
    from notify.texts import render

    text = render(
        kind,
        code="000.00.12.H13-260310-9999",
        procedure="Thủ tục đăng ký kết hôn có yếu tố nước ngoài tại Ủy ban nhân dân cấp xã",
        date=MOMENT,
        ascii_only=True,
    )
    assert text.isascii()
    assert len(text) <= 160, text
    assert "Thu tuc dang ky ket hon co yeu to nuoc" in text or kind == "delivery_failed"
