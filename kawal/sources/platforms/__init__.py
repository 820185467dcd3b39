"""Platform connectors: one module per platform behind :class:`kawal.sources.platforms.base.Platform`.

:func:`connect` is the one way the rest of Kawal gets a connector for an account; see ``docs/platforms.md``.
"""

from __future__ import annotations

from typing import Any

from kawal.sources.platforms.base import CredentialsCallback, Platform, PlatformError, Profile, Published
from kawal.sources.platforms.http import DEFAULT_TIMEOUT

PLATFORMS = ("x", "mastodon", "bluesky", "sandbox")
DEFAULT_BASE_URLS = {"x": "https://api.x.com", "bluesky": "https://bsky.social"}

__all__ = ["PLATFORMS", "Platform", "PlatformError", "Profile", "Published", "connect"]


def connect(platform: str, *, base_url: str | None, credentials: dict[str, Any], handle: str,
            timeout: float = DEFAULT_TIMEOUT, on_credentials_change: CredentialsCallback | None = None) -> Platform:
    """A connector for ``handle`` on ``platform``.

    ``base_url`` is the API root (``https://api.x.com``, the Mastodon instance, the Bluesky PDS, or a
    local test server); empty means the platform's public default where it has one. For the sandbox it
    is the path of its SQLite file (``/data/sandbox.sqlite3`` or ``sqlite:////data/sandbox.sqlite3``);
    empty means ``sandbox.sqlite3`` in Kawal's data directory.
    ``credentials`` is the decrypted dict stored for the account: ``access_token`` for X and Mastodon,
    ``identifier`` and ``app_password`` for Bluesky, nothing for the sandbox.

    ``on_credentials_change(new_credentials)`` is called when a connector renews what it was given (X's
    rotated refresh token, a Bluesky session worth reusing); store the dict, encrypted, in place of the
    old one. Without it, X cannot renew an expired token twice and Bluesky opens a session every run.
    """
    if not handle or not handle.strip().lstrip("@"):
        raise PlatformError(f"{platform}: an account handle is required", permanent=True)
    if not isinstance(credentials, dict):
        raise PlatformError(f"{platform}: credentials must be a dict", permanent=True)
    url = base_url or DEFAULT_BASE_URLS.get(platform)
    if platform == "x":
        from kawal.sources.platforms.x import XPlatform
        return XPlatform(credentials=credentials, handle=handle, base_url=str(url), timeout=timeout,
                         on_credentials_change=on_credentials_change)
    if platform == "mastodon":
        from kawal.sources.platforms.mastodon import MastodonPlatform
        if not url:
            raise PlatformError("mastodon: base_url must be the account's instance, e.g. https://mastodon.social",
                                permanent=True)
        return MastodonPlatform(credentials=credentials, handle=handle, base_url=url, timeout=timeout)
    if platform == "bluesky":
        from kawal.sources.platforms.bluesky import BlueskyPlatform
        return BlueskyPlatform(credentials=credentials, handle=handle, base_url=str(url), timeout=timeout,
                               on_credentials_change=on_credentials_change)
    if platform == "sandbox":
        from kawal.sources.platforms.sandbox import (
            SandboxError,
            SandboxNetwork,
            SandboxPlatform,
            default_path,
        )
        try:
            return SandboxPlatform(SandboxNetwork(url.removeprefix("sqlite:///") if url else default_path()), handle)
        except SandboxError as error:
            raise PlatformError(f"sandbox: {error}", permanent=True) from None
    raise PlatformError(f"unknown platform {platform!r}; expected one of {', '.join(PLATFORMS)}", permanent=True)
