"""Social media accounts that Kawal guards, with their credentials encrypted at rest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from kawal.apps.social.crypto import decrypt_json, encrypt_json

if TYPE_CHECKING:
    from kawal.sources.platforms.base import Platform


class PlatformName(models.TextChoices):
    X = "x", "X"
    MASTODON = "mastodon", "Mastodon"
    BLUESKY = "bluesky", "Bluesky"
    SANDBOX = "sandbox", _("Sandbox network")


class SocialAccount(models.Model):
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(_("platform"), max_length=20, choices=PlatformName.choices)
    handle = models.CharField(_("handle"), max_length=200)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    base_url = models.CharField(_("server URL"), max_length=500, blank=True,
                                help_text=_("The instance or API address, e.g. https://mastodon.social"))
    # Fernet ciphertext of a JSON dict; read and write it only through set_/get_credentials.
    credentials = models.TextField(blank=True, default="", editable=False)
    credentials_updated_at = models.DateTimeField(null=True, blank=True)
    sanctioned_clients = models.JSONField(_("sanctioned clients"), default=list, blank=True)
    is_executive = models.BooleanField(_("executive account"), default=False)
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="principal_accounts", verbose_name=_("principal"))
    paused = models.BooleanField(_("paused"), default=False)
    paused_reason = models.CharField(_("pause reason"), max_length=500, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Jakarta")
    last_synced_at = models.DateTimeField(null=True, blank=True)
    profile = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["organization", "platform", "handle"]
        constraints = [models.UniqueConstraint(fields=["organization", "platform", "base_url", "handle"],
                                               name="account_unique")]

    def __str__(self) -> str:
        return f"{self.handle} ({self.get_platform_display()})"

    def __repr__(self) -> str:
        # Never include credentials, not even their ciphertext.
        return f"<SocialAccount {self.pk} {self.platform}:{self.handle}>"

    def set_credentials(self, value: dict[str, Any]) -> None:
        """Encrypt and keep ``value`` (call save() afterwards)."""
        self.credentials = encrypt_json(value)
        self.credentials_updated_at = dj_timezone.now()

    def get_credentials(self) -> dict[str, Any]:
        return decrypt_json(self.credentials)

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials)

    def connector(self) -> Platform:
        """The platform connector for this account (``kawal.sources.platforms.connect``).

        A sandbox account without a server URL uses the sandbox network in the data directory.
        """
        from kawal.sources.platforms import connect

        return connect(self.platform, base_url=self.effective_base_url(), credentials=self.get_credentials(),
                       handle=self.handle, on_credentials_change=self.store_renewed_credentials)

    def store_renewed_credentials(self, value: dict[str, Any]) -> None:
        """Keep what a connector renewed (X's single-use refresh token, a reusable Bluesky session).

        Without this an X account must be reconnected at its second token expiry. Only the credential
        columns are written, so a concurrent edit of the account's other fields is not overwritten.
        """
        from kawal.apps.audit.log import record

        self.set_credentials(value)
        type(self).objects.filter(pk=self.pk).update(credentials=self.credentials,
                                                     credentials_updated_at=self.credentials_updated_at)
        record("account.credentials_renewed", actor="platform connector", organization=self.organization_id,
               target=self, payload={"platform": self.platform, "handle": self.handle})

    def effective_base_url(self) -> str:
        if self.platform == PlatformName.SANDBOX and not self.base_url:
            return str(sandbox_path())
        return self.base_url


def sandbox_path() -> Path:
    """The sandbox network's SQLite file, beside Kawal's own database in the data directory."""
    from kawal.server.env import data_dir

    return data_dir() / "sandbox.sqlite3"
