"""Organisations, their members and roles, per-account grants, API tokens and login attempts."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AUTHOR = "author", _("Author / ghostwriter")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    PUBLISHER = "publisher", _("Publisher")
    SECURITY = "security", _("Security")
    ADMIN = "admin", _("Admin")
    VIEWER = "viewer", _("Viewer")


ROLES: tuple[str, ...] = tuple(Role.values)
# Roles whose holders must use two-factor authentication (issue 4).
ROLES_REQUIRING_2FA: frozenset[str] = frozenset({Role.APPROVER, Role.PUBLISHER, Role.ADMIN})


def validate_roles(roles: object) -> list[str]:
    """The roles as a sorted list, or ValueError naming the first unknown one."""
    if not isinstance(roles, list | tuple | set | frozenset):
        raise ValueError(f"roles must be a list, got {type(roles).__name__}")
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"unknown role {unknown[0]!r}; known roles: {', '.join(ROLES)}")
    return sorted(set(roles))


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Jakarta")
    publishing_paused = models.BooleanField(_("publishing paused"), default=False)
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    paused_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Seeded by `kawal up --demo` on the sandbox network.")
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    roles = models.JSONField(default=list)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]
        ordering = ["organization", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({', '.join(self.roles)})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.roles = validate_roles(self.roles)
        super().save(*args, **kwargs)


class AccountGrant(models.Model):
    """Restricts a membership to some accounts: with any grant, it acts only on granted accounts."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants")
    account = models.ForeignKey("social.SocialAccount", on_delete=models.CASCADE, related_name="grants")
    roles = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["membership", "account"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.membership.user} on {self.account}: {', '.join(self.roles)}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.roles = validate_roles(self.roles)
        super().save(*args, **kwargs)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A personal API token bound to one organisation; only its SHA-256 is stored."""

    PREFIX = "kwl_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="First characters, to recognise the token in a list.")
    created_at = models.DateTimeField(default=dj_timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user: object, organization: Organization, name: str) -> tuple[ApiToken, str]:
        """A new token and its raw value, which is shown once and never stored."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, organization=organization, name=name,
                                   token_hash=hash_token(raw), hint=raw[:10])
        return token, raw

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class LoginAttempt(models.Model):
    """A failed login, kept for throttling (rows older than the window are pruned)."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=dj_timezone.now, db_index=True)
