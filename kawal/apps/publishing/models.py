"""Drafts, versions, comments, approvals, pre-authorisations, the outbox, the publish ledger and forced
reviews.

Rows are the state: every decision is a row bound to the content hash of the exact version it was made
on, so an edit (a new version, a new hash) voids earlier approvals without touching them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApprovalPolicy(models.Model):
    """The approval steps of one account (see :mod:`kawal.apps.publishing.policy` for the document)."""

    account = models.OneToOneField("social.SocialAccount", on_delete=models.CASCADE,
                                   related_name="approval_policy")
    document = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"policy of {self.account}"


class DraftStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the text may still be edited (a new version).
EDITABLE = (DraftStatus.DRAFT, DraftStatus.IN_REVIEW, DraftStatus.SCHEDULED, DraftStatus.REJECTED,
            DraftStatus.FAILED, DraftStatus.WITHDRAWN)


class Draft(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="drafts")
    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=DraftStatus.choices, default=DraftStatus.DRAFT,
                              db_index=True)
    current_version = models.ForeignKey("DraftVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    break_glass = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title or f"draft #{self.pk}"


class DraftVersion(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    media = models.JSONField(default=list, blank=True)  # [{"sha256", "name", "type", "size", "alt"}] in order
    scheduled_at = models.DateTimeField(null=True, blank=True)
    # What this version answers: the platform post id (connector form) and the answered post's text as
    # pasted, which screening reads as the reply's context. Both empty for a post that answers nothing.
    reply_to = models.CharField(max_length=600, blank=True, default="")
    reply_to_text = models.TextField(blank=True, default="")
    content_hash = models.CharField(max_length=64, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screening = models.JSONField(default=dict, blank=True)
    verdict = models.CharField(max_length=10, default="ok")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="version_number_unique")]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"

    @property
    def media_hashes(self) -> list[str]:
        return [m["sha256"] for m in self.media]


class Comment(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(DraftVersion, null=True, on_delete=models.SET_NULL, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class DecisionKind(models.TextChoices):
    APPROVAL = "approval", _("Approval")
    SIGNOFF = "signoff", _("Principal sign-off")
    REJECTION = "rejection", _("Rejection")


class Decision(models.Model):
    """An approval, a principal sign-off or a rejection, bound to one version's content hash."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="decisions")
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="decisions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    step = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        # The database itself refuses a second approval or sign-off by one person of one version, so two
        # clicks (or two tabs) never count twice.
        constraints = [models.UniqueConstraint(fields=["version", "user", "kind"], name="decision_once",
                                               condition=Q(kind__in=["approval", "signoff"]))]


class PreAuthorization(models.Model):
    """A principal's standing permission to publish on their account without a per-post sign-off."""

    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="preauths")
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(blank=True)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def is_active(self, now: object = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CLAIMED = "claimed", _("Publishing")
    DONE = "done", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Outbox(models.Model):
    """One publish to do, exactly once. Claimed by a worker with a conditional UPDATE."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="outbox")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="outbox")
    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="+")
    content_hash = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=100, unique=True)
    text = models.TextField()
    status = models.CharField(max_length=12, choices=OutboxStatus.choices, default=OutboxStatus.PENDING,
                              db_index=True)
    not_before = models.DateTimeField(default=timezone.now, db_index=True)
    claim_token = models.CharField(max_length=64, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    platform_id = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500, blank=True)
    last_error = models.TextField(blank=True)
    break_glass = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["not_before", "pk"]

    def __str__(self) -> str:
        return f"outbox #{self.pk} ({self.status})"


class LedgerEntry(models.Model):
    """Every post Kawal published: what reconciliation matches an account's timeline against."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="ledger")
    platform_id = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64)
    text = models.TextField()
    published_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=100, unique=True)
    outbox = models.OneToOneField(Outbox, null=True, on_delete=models.SET_NULL, related_name="ledger")
    draft = models.ForeignKey(Draft, null=True, on_delete=models.SET_NULL, related_name="+")
    break_glass = models.BooleanField(default=False)
    recovered = models.BooleanField(default=False, help_text="Found on the timeline after a worker crash.")

    class Meta:
        ordering = ["-published_at"]
        constraints = [models.UniqueConstraint(fields=["account", "platform_id"], name="ledger_post_once")]

    def __str__(self) -> str:
        return f"{self.account} {self.platform_id}"


class ForcedReview(models.Model):
    """A break-glass publish that someone other than its publisher must acknowledge afterwards."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="forced_review")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    incident_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class MediaUpload(models.Model):
    """Which organisation uploaded which stored image. The bytes live once in the content-addressed store,
    but a draft may attach only images its own organisation uploaded: knowing another organisation's
    hash must not be enough to publish its picture."""

    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "sha256"], name="media_upload_once")]
