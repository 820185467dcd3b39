"""The one interface every platform connector implements.

A connector speaks a platform's documented HTTP API (X API v2, Mastodon, Bluesky/AT Protocol) or the
built-in sandbox. It never logs tokens. Errors are :class:`PlatformError`; ``permanent`` says whether a
retry could help, ``retry_after`` carries a rate-limit reset when the platform gave one.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kawal.engine.records import Item, Post, as_utc
from kawal.sources.platforms.text import normalise

# How far before ``since`` find_published still looks: the platform's clock and ours may disagree.
CLOCK_SKEW = timedelta(minutes=5)

# Called with the whole new credentials dict when a connector renewed them (a rotated X refresh token,
# a new Bluesky session), so that the caller can store them, encrypted, for the next run.
CredentialsCallback = Callable[[dict[str, Any]], None]


def report_credentials(callback: CredentialsCallback | None, credentials: dict[str, Any], platform: str) -> None:
    """Hand renewed credentials to the caller; a failure to store them is logged, never raised.

    By the time credentials are renewed the platform has already accepted them, and a publish may be
    half done: failing now would only make the worker retry something that succeeded.
    """
    if callback is None:
        return
    try:
        callback(dict(credentials))
    except Exception as exc:  # noqa: BLE001 - the caller's storage must not break the platform call
        logging.getLogger("kawal.sources.platforms").warning(
            "%s: renewed credentials could not be stored (%s); the next run will log in again",
            platform, type(exc).__name__)


class PlatformError(Exception):
    """``code`` is the platform's own machine-readable error name when it gives one (Bluesky's
    ``ExpiredToken``, ``RateLimitExceeded``); the message never contains a token."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None,
                 status: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.status = status
        self.code = code


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

    def find_published(self, text: str, *, since: datetime, idempotency_key: str | None = None,
                       limit: int = 200) -> Published | None:
        """The post with exactly ``text`` made on this account since ``since``, if there is one.

        The publish worker asks this after a crash, before it retries a claimed publish: if the post
        already went out, it records it instead of posting twice. The base implementation walks the
        timeline (newest first) back to ``since`` minus :data:`CLOCK_SKEW`, comparing normalised text;
        connectors whose platform can look a post up by key override it.
        """
        wanted = normalise(text)
        oldest = as_utc(since) - CLOCK_SKEW
        for post in self.timeline(limit=limit):
            if post.created_at < oldest:
                return None
            if not post.is_repost and normalise(post.text) == wanted:
                return Published(post.id, post.extras.get("url"), post.created_at)
        return None

    def close(self) -> None:
        """Release network connections (connectors that hold none need not override this)."""
        return None
