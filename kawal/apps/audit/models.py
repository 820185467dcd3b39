"""The hash-chained audit log.

Entry n stores ``hash = sha256(prev_hash + canonical JSON of entry n)``. References to users and
organisations are kept as plain ids plus a label, without database constraints, so deleting a user never
rewrites (and so never breaks) the chain. ``AuditHead`` holds the last seq and hash: it is the lock that
serialises appends and lets verification notice entries deleted from the end.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

GENESIS = "0" * 64


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING,
                              db_constraint=False, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    organization = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.DO_NOTHING,
                                     db_constraint=False, related_name="+")
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=100, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """One row (pk=1): the newest entry's seq and hash."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)
