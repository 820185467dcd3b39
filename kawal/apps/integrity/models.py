"""What reconciliation saw on each account: observed posts, profile snapshots and the learned profile."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    PUBLISHED_BY_KAWAL = "published_by_kawal", _("Published by Kawal")
    SANCTIONED_CLIENT = "sanctioned_client", _("Sanctioned client")
    UNSANCTIONED = "unsanctioned", _("Unsanctioned")
    HISTORY = "history", _("Before Kawal")


class ObservedPost(models.Model):
    """One post seen on an account's own timeline, with how it was reconciled and how odd it looked."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="observed_posts")
    platform_id = models.CharField(max_length=200)
    created_at = models.DateTimeField(db_index=True)
    text = models.TextField(blank=True)
    client = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500, blank=True)
    record = models.JSONField(default=dict, blank=True)  # the canonical Post JSON, for re-scoring and export
    verdict = models.CharField(max_length=24, choices=Verdict.choices)
    reason = models.CharField(max_length=500, blank=True)
    ledger = models.ForeignKey("publishing.LedgerEntry", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    score = models.FloatField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    learning = models.BooleanField(default=False)
    reasons = models.JSONField(default=list, blank=True)  # [{signal, detail, weight}] from kawal.engine.profile
    observed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["account", "platform_id"], name="observed_post_once")]

    def __str__(self) -> str:
        return f"{self.account} {self.platform_id} ({self.verdict})"


class ProfileSnapshot(models.Model):
    """The account's public profile as last read; a new row each time it changes."""

    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="profile_snapshots")
    handle = models.CharField(max_length=200)
    display_name = models.CharField(max_length=500, blank=True)
    bio = models.TextField(blank=True)
    avatar_url = models.CharField(max_length=1000, blank=True)
    changes = models.JSONField(default=list, blank=True)  # fields that differ from the previous snapshot
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def as_dict(self) -> dict[str, str]:
        return {"handle": self.handle, "display_name": self.display_name, "bio": self.bio,
                "avatar_url": self.avatar_url}


class IntegrityProfile(models.Model):
    """The account's learned habits (``kawal.engine.profile.Profile.to_json``) and its sync lease."""

    account = models.OneToOneField("social.SocialAccount", on_delete=models.CASCADE,
                                   related_name="integrity_profile")
    state = models.JSONField(default=dict, blank=True)
    posts_learned = models.PositiveIntegerField(default=0)
    kawal_clients = models.JSONField(default=list, blank=True)  # client names Kawal's own posts carry
    updated_at = models.DateTimeField(default=timezone.now)
    # A worker claims a sync with a conditional UPDATE of this lease; an expired lease may be taken over.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"integrity profile of {self.account}"
