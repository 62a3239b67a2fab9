"""Notifiers: how supervision reminders (督办) leave the app. One protocol, `send(recipients, subject, body)`.

Settings read by get_notifier():
    LEITAI_NOTIFIER      "email" (default), "webhook", "none", or the dotted path of a site's own class.
    DEFAULT_FROM_EMAIL   the sender of e-mail reminders; EMAIL_BACKEND / EMAIL_HOST… as Django documents.
    LEITAI_WEBHOOK_URL   for a chat-group webhook (an intranet robot address), used by WebhookNotifier.
    LEITAI_SMS_GATEWAY   for an SMS gateway (an intranet address), used by SmsNotifier.
E-mail (Django's mail backends) and a chat-group webhook (a JSON POST to the intranet robot address, in the
{"msgtype": "text", "text": {"content", "mentioned_list"}} shape that group-chat robots accept) ship as real
implementations; an SMS gateway is site-specific: subclass GatewayNotifier and implement `deliver`.
"""

from __future__ import annotations

import json
import urllib.request
from abc import ABC, abstractmethod
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail


class Notifier(Protocol):
    """Anything that can deliver a reminder to a list of recipients (e-mail addresses, phone numbers…)."""

    name: str

    def send(self, recipients: list[str], subject: str, body: str) -> None: ...


class NullNotifier:
    """Sends nothing: reminders are only shown in the app (LEITAI_NOTIFIER=none)."""

    name = "none"

    def send(self, recipients: list[str], subject: str, body: str) -> None:
        return None


class EmailNotifier:
    """E-mail through Django's configured mail backend (SMTP, file, console or locmem in tests)."""

    name = "email"

    def __init__(self, from_email: str | None = None):
        self.from_email = from_email or settings.DEFAULT_FROM_EMAIL

    def send(self, recipients: list[str], subject: str, body: str) -> None:
        if recipients:
            send_mail(subject, body, self.from_email, list(recipients), fail_silently=False)


class GatewayNotifier(ABC):
    """The interface for a site's own gateway: `deliver(address, recipients, text)` posts the message."""

    name = "gateway"
    setting = ""

    def __init__(self, address: str | None = None):
        self.address = address or getattr(settings, self.setting, "")
        if not self.address:
            raise ValueError(f"{self.setting} is not set")

    def send(self, recipients: list[str], subject: str, body: str) -> None:
        if recipients:
            self.deliver(self.address, list(recipients), f"{subject}\n{body}")

    @abstractmethod
    def deliver(self, address: str, recipients: list[str], text: str) -> None:
        """Post `text` for `recipients` to the gateway at `address`."""


class WebhookNotifier(GatewayNotifier):
    """A chat-group robot (reads LEITAI_WEBHOOK_URL): recipients are the members to mention."""

    name = "webhook"
    setting = "LEITAI_WEBHOOK_URL"
    timeout = 10

    def deliver(self, address: str, recipients: list[str], text: str) -> None:
        body = json.dumps({"msgtype": "text", "text": {"content": text, "mentioned_list": recipients}},
                          ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(address, data=body, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
            if response.status >= 300:
                raise OSError(f"webhook answered HTTP {response.status}")


class SmsNotifier(GatewayNotifier):
    """An SMS gateway (reads LEITAI_SMS_GATEWAY): recipients are phone numbers."""

    name = "sms"
    setting = "LEITAI_SMS_GATEWAY"


NOTIFIERS = {"email": EmailNotifier, "none": NullNotifier, "webhook": WebhookNotifier}


def get_notifier() -> Notifier:
    """The notifier named by LEITAI_NOTIFIER (e-mail by default)."""
    name = getattr(settings, "LEITAI_NOTIFIER", "email") or "email"
    if "." in name:  # a site's own class, e.g. an SmsNotifier subclass: "myoffice.notify.Sms"
        from django.utils.module_loading import import_string

        return import_string(name)()
    if name not in NOTIFIERS:
        raise ValueError(f"LEITAI_NOTIFIER={name!r}: expected one of {', '.join(NOTIFIERS)} or a dotted path")
    return NOTIFIERS[name]()
