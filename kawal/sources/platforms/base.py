"""The one interface every platform connector implements.

A connector speaks a platform's documented HTTP API (X API v2, Mastodon, Bluesky/AT Protocol) or the
built-in sandbox. It never logs tokens. Errors are :class:`PlatformError`; ``permanent`` says whether a
retry could help, ``retry_after`` carries a rate-limit reset when the platform gave one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from kawal.engine.records import Item, Post


class PlatformError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.status = status


@dataclass(frozen=True, slots=True)
class Profile:
    handle: str
    display_name: str
    bio: str
    avatar_url: str | None = None

    def changes_from(self, other: Profile) -> list[str]:
        """Names of the fields that differ from ``other`` (what a profile-change incident reports)."""
        return [name for name in ("handle", "display_name", "bio", "avatar_url")
                if getattr(self, name) != getattr(other, name)]


@dataclass(frozen=True, slots=True)
class Published:
    """What a platform returned for a publish: its id, URL and time."""

    platform_id: str
    url: str | None
    created_at: datetime


class Platform(ABC):
    """A connection to one account on one platform."""

    name: str  # "x", "mastodon", "bluesky", "sandbox"

    @abstractmethod
    def publish(self, text: str, *, idempotency_key: str, reply_to: str | None = None,
                media: tuple[bytes, ...] = ()) -> Published: ...

    @abstractmethod
    def delete(self, platform_id: str) -> None: ...

    @abstractmethod
    def timeline(self, *, since_id: str | None = None, limit: int = 200) -> Iterator[Post]:
        """The account's own posts, newest first, following the platform's pagination."""

    @abstractmethod
    def profile(self) -> Profile: ...

    def mentions(self, query: str, *, since_id: str | None = None, limit: int = 200) -> Iterator[Item]:
        """Posts by others that match ``query`` (listening). Platforms without search raise PlatformError."""
        raise PlatformError(f"{self.name} does not offer mention search", permanent=True)
