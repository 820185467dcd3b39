"""Incidents: what went wrong on an account, who owns it, everything done about it, and how it ended."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    UNSANCTIONED_POST = "unsanctioned_post", _("Unsanctioned post")
    PROFILE_CHANGE = "profile_change", _("Profile change")
    SURGE = "surge", _("Listening surge")
    OTHER = "other", _("Other")


# Incidents about the account itself: opening one pauses the account's scheduled posts.
INTEGRITY_KINDS = (Kind.UNSANCTIONED_POST, Kind.PROFILE_CHANGE)


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_ORDER = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    CONFIRMED_LEGITIMATE = "confirmed_legitimate", _("Confirmed legitimate")
    COMPROMISE = "compromise", _("Account compromise")
    ROGUE_INSIDER = "rogue_insider", _("Rogue insider")
    MISTAKE = "mistake", _("Mistake")
    FALSE_ALARM = "false_alarm", _("False alarm")
    OTHER = "other", _("Other")


class Incident(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="incidents")
    account = models.ForeignKey("social.SocialAccount", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="incidents")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.HIGH)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.OPEN, db_index=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    # The evidence: post id, text, client, time, score and reasons, or the profile fields that changed.
    details = models.JSONField(default=dict, blank=True)
    # What makes two reports the same incident ("post:<account>:<platform id>"); the database refuses twins.
    dedup_key = models.CharField(max_length=300, null=True, blank=True, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.CharField(max_length=24, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"incident #{self.pk}: {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.RESOLVED


class Action(models.TextChoices):
    OPENED = "opened", _("Opened")
    COMMENT = "comment", _("Comment")
    ASSIGNED = "assigned", _("Assigned")
    SEVERITY = "severity", _("Severity changed")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ESCALATED = "escalated", _("Escalated")
    NOTIFIED = "notified", _("Notification sent")
    NOTIFY_FAILED = "notify_failed", _("Notification failed")
    PAUSED = "paused", _("Account paused")
    RESUMED = "resumed", _("Account resumed")
    SANCTIONED = "sanctioned", _("Client sanctioned")
    RESOLVED = "resolved", _("Resolved")
    REOPENED = "reopened", _("Seen again")


class TimelineEntry(models.Model):
    """One thing done on an incident, by a person or by Kawal itself (``actor_label``)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_label = models.CharField(max_length=100, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    @property
    def who(self) -> str:
        return self.actor.get_username() if self.actor else (self.actor_label or "Kawal")
