"""Where a message goes out: one small interface, several channels, chosen per city.

A channel's `send(message)` returns the provider's id for the message, raises
`onestop.tasks.TemporaryFailure` when trying again later may work (a gateway that timed out or
answered 5xx, a mail server that cannot be reached) and `Refused` when it never will (an address
the provider rejects, a text too long for an SMS).

Settings: NOTIFY_CHANNELS maps the citizen's choice ("sms", "email") to a channel's dotted path;
NOTIFY_CITY_CHANNELS overrides it per city code. The SMS gateway is provider-neutral: NOTIFY_SMS_URL
receives a JSON POST (to, template_id, text, reference) with NOTIFY_SMS_TOKEN as a bearer token and
answers JSON with an `id`.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from notify.models import Message
from onestop.tasks import TemporaryFailure

logger = logging.getLogger(__name__)

SMS_MAX_CHARACTERS = 160


class Refused(Exception):
    """The message can never be delivered as it is: trying again would not help."""


class Channel:
    # Whether the channel carries only letters without diacritics (most SMS brandname templates).
    ascii_only = False
    max_characters: int | None = None

    def send(self, message: Message) -> str:
        raise NotImplementedError

    def check_length(self, message: Message) -> None:
        if self.max_characters is not None and len(message.text) > self.max_characters:
            raise Refused(
                _("Tin dài %(length)d ký tự, quá %(limit)d ký tự một tin nhắn cho phép.")
                % {"length": len(message.text), "limit": self.max_characters}
            )


class ConsoleChannel(Channel):
    """For development: the message is logged, and appended to NOTIFY_FILE when it is set."""

    def send(self, message: Message) -> str:
        line = f"[{message.channel} → {message.masked_recipient}] {message.text}"
        logger.info("Message %s: %s", message.pk, line)
        if settings.NOTIFY_FILE:
            with Path(settings.NOTIFY_FILE).open("a", encoding="utf-8") as out:
                out.write(line + "\n")
        return f"console-{message.pk}"


class SmsConsoleChannel(ConsoleChannel):
    """The console channel with the SMS channel's rules, to try texts in development."""

    ascii_only = True
    max_characters = SMS_MAX_CHARACTERS

    def send(self, message: Message) -> str:
        self.check_length(message)
        return super().send(message)


class EmailChannel(Channel):
    """Through Django's mail backend (EMAIL_BACKEND: SMTP in production)."""

    def send(self, message: Message) -> str:
        mail = EmailMessage(
            subject=_("Hồ sơ %(code)s") % {"code": message.dossier.code},
            body=message.text,
            to=[message.recipient],
            headers={"X-Onestop-Reference": message.key},
        )
        try:
            mail.send()
        except smtplib.SMTPRecipientsRefused as error:
            raise Refused(_("Máy chủ thư từ chối địa chỉ người nhận.")) from error
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"SMTP: {error}") from error
        return mail.extra_headers.get("Message-ID", "") or message.key


class SmsGatewayChannel(Channel):
    """An HTTP SMS gateway: JSON in, JSON out, the template id the provider registered."""

    ascii_only = True
    max_characters = SMS_MAX_CHARACTERS

    def send(self, message: Message) -> str:
        self.check_length(message)
        body = json.dumps(
            {
                "to": message.recipient,
                "template_id": message.template_id,
                "text": message.text,
                "reference": message.key,
            }
        ).encode()
        url = settings.NOTIFY_SMS_URL
        if not url.startswith(("https://", "http://")):
            raise Refused(_("Chưa cấu hình địa chỉ http(s) của cổng SMS (NOTIFY_SMS_URL)."))
        # The scheme is checked just above: only http(s), never file: or a custom one.
        request = urllib.request.Request(  # noqa: S310
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.NOTIFY_SMS_TOKEN}",
            },
        )
        try:
            timeout = settings.NOTIFY_SMS_TIMEOUT
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            if error.code >= 500 or error.code == 429:
                raise TemporaryFailure(f"SMS gateway answered {error.code}") from error
            raise Refused(
                _("Cổng SMS từ chối tin (mã %(status)d).") % {"status": error.code}
            ) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TemporaryFailure(f"SMS gateway unreachable: {error}") from error
        except ValueError as error:
            raise TemporaryFailure("SMS gateway answered something that is not JSON") from error
        return str(answer.get("id", ""))[:100]


def channel_for(channel: str, city_code: str) -> Channel:
    """The channel that carries `channel` ("sms", "email") for the city with `city_code`."""
    paths = {**settings.NOTIFY_CHANNELS, **settings.NOTIFY_CITY_CHANNELS.get(city_code, {})}
    return import_string(paths[channel])()
