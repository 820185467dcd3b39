"""Notification channels per organisation and one notification row per channel per event."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kawal.apps.social.crypto import decrypt_json, encrypt_json


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Generic webhook (signed JSON)")
    SLACK = "slack", _("Slack-compatible webhook")
    TELEGRAM = "telegram", _("Telegram bot")


class Channel(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE,
                                     related_name="notification_channels")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    # Fernet ciphertext of the transport's JSON config: URLs, webhook secrets and bot tokens are secrets.
    config = models.TextField(blank=True, default="", editable=False)
    min_severity = models.CharField(_("minimum severity"), max_length=10, default="low")
    escalations_only = models.BooleanField(
        _("escalations only"), default=False,
        help_text=_("A security channel: receives only incidents left unacknowledged too long."))
    enabled = models.BooleanField(_("enabled"), default=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organization", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def set_config(self, value: dict[str, Any]) -> None:
        self.config = encrypt_json(value)

    def get_config(self) -> dict[str, Any]:
        return decrypt_json(self.config) if self.config else {}


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One event for one channel; the worker delivers it and retries with backoff."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="notifications")
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="notifications")
    event = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, default="info")
    subject = models.CharField(max_length=300)
    text = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.event} to {self.channel} ({self.status})"
