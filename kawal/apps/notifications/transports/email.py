"""E-mail through Django's configured mail backend (SMTP by default, see KAWAL_EMAIL_*)."""

from __future__ import annotations

import smtplib

from django.core.mail import send_mail

from kawal.apps.notifications.transports import base


class Transport(base.Transport):
    required = ("to",)

    def recipients(self) -> list[str]:
        value = self.config["to"]
        items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
        return [item.strip() for item in items if item.strip()]

    def notify(self, message: base.Message) -> None:
        subject = f"[Kawal] [{message.severity.upper()}] {message.subject}"
        try:
            send_mail(subject, message.plain(), None, self.recipients())
        except smtplib.SMTPRecipientsRefused as exc:
            raise base.TransportError(f"mail server refused the recipients: {exc}", permanent=True) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise base.TransportError(f"could not send e-mail: {exc}") from None
