"""The canonical records that flow from sources into the engine.

``Post``: one post seen on (or published to) a social account.
``Item``: one thing said about the organisation (news article, mention).
``Finding``: one judgement the engine makes, with the reason a person reads.

All datetimes are timezone-aware UTC. Records are immutable so that a detector can never
alter what a source gave it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any


def as_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; a naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Post:
    account: str
    id: str
    created_at: datetime
    text: str
    reply_to: str | None = None          # id of the post this one answers
    reply_to_user: str | None = None     # handle being answered, when known
    client: str | None = None            # publishing app ("Twitter Web App", "Sprinklr"); None when unknown
    lang: str | None = None
    mentions: tuple[str, ...] = ()       # handles without '@', lower-cased
    urls: tuple[str, ...] = ()           # expanded URLs
    hashtags: tuple[str, ...] = ()       # without '#', as written
    media: tuple[str, ...] = ()          # media URLs or file names
    is_repost: bool = False
    is_quote: bool = False
    platform: str | None = None          # "x", "mastodon", "bluesky", "sandbox", ...
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "created_at", as_utc(self.created_at))

    def to_json(self) -> dict[str, Any]:
        """The canonical JSONL record (also Kawal's export format)."""
        data = asdict(self)
        data["created_at"] = self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        for key in ("mentions", "urls", "hashtags", "media"):
            data[key] = list(data[key])
        data["source"] = data.pop("client")
        extras = data.pop("extras")
        return {**extras, **data}


@dataclass(frozen=True, slots=True)
class Item:
    """A news article or a mention: something said about the organisation."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    source: str | None = None            # feed URL, platform name, "webhook", file name
    kind: str = "mention"                # "news" or "mention"
    author: str | None = None
    lang: str | None = None
    extras: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.published_at is not None:
            object.__setattr__(self, "published_at", as_utc(self.published_at))


SEVERITIES = ("info", "low", "medium", "high", "critical")


@dataclass(frozen=True, slots=True)
class Finding:
    """One judgement with its reason. Apps store these as JSON and never re-derive them."""

    kind: str                            # e.g. "leak.nik", "tone.hostile", "integrity.client"
    severity: str                        # one of SEVERITIES
    message: str                         # a sentence a person understands
    span: tuple[int, int] | None = None  # character span in the text it covers, [start, end)
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; expected one of {', '.join(SEVERITIES)}")

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "severity": self.severity, "span": list(self.span) if self.span else None,
                "message": self.message}
        if self.detail:
            data["detail"] = self.detail
        return data
