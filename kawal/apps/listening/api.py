"""Listening API (mounted at /api/listening/): stories with their stored classification, surge alerts, and
feeds. Every role reads; only admins add or remove feeds (``listening.configure``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from kawal.apps.audit.log import record
from kawal.apps.listening.models import Feed, ListenItem, SurgeAlert
from kawal.apps.orgs.api_auth import require

router = Router()
MAX_LIMIT = 500


class ItemOut(Schema):
    id: int
    source: str
    external_id: str
    kind: str
    title: str
    text: str
    url: str
    author: str
    at: datetime
    published_at: datetime | None
    lang: str
    sentiment: str
    topics: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    reasons: list[str]
    classified: bool
    copies: int


class ItemFilters(Schema):
    topic: str | None = None
    sentiment: str | None = None
    lang: str | None = None
    since: datetime | None = None
    limit: int = 100


class SurgeOut(Schema):
    id: int
    series: str
    started_at: datetime
    at: datetime
    observed: float
    usual: float | None
    ratio: float | None
    peak_score: float
    explanation: str
    incident_id: int | None
    incident_note: str


class FeedOut(Schema):
    id: int
    url: str
    title: str
    enabled: bool
    interval_minutes: int
    full_text: bool
    last_fetched_at: datetime | None
    last_status: str
    last_error: str


class FeedIn(Schema):
    url: str
    title: str = ""
    interval_minutes: int = 15
    full_text: bool = False


def _item_out(row: ListenItem) -> dict[str, Any]:
    return {"id": row.pk, "source": row.source, "external_id": row.external_id, "kind": row.kind,
            "title": row.title, "text": row.text, "url": row.url, "author": row.author, "at": row.at,
            "published_at": row.published_at, "lang": row.lang, "sentiment": row.sentiment,
            "topics": row.topics, "entities": row.entities, "reasons": row.reasons,
            "classified": row.classified_at is not None, "copies": row.copy_count}


@router.get("/items", response=list[ItemOut])
def items(request: HttpRequest, filters: Query[ItemFilters]) -> list[dict[str, Any]]:
    """Stories (each syndicated story once), newest first, with the stored classification."""
    org = require(request, "listening.view")
    if not 1 <= filters.limit <= MAX_LIMIT:
        raise HttpError(400, f"limit must be between 1 and {MAX_LIMIT}, not {filters.limit}")
    rows = ListenItem.objects.filter(organization=org, duplicate_of__isnull=True).annotate(copy_count=Count("copies"))
    if filters.topic:
        rows = rows.filter(topic_tags__contains=f",{filters.topic},")
    if filters.sentiment:
        rows = rows.filter(sentiment=filters.sentiment)
    if filters.lang:
        rows = rows.filter(lang=filters.lang)
    if filters.since:
        rows = rows.filter(at__gte=filters.since)
    return [_item_out(row) for row in rows[:filters.limit]]


@router.get("/surges", response=list[SurgeOut])
def surges(request: HttpRequest) -> list[SurgeAlert]:
    org = require(request, "listening.view")
    return list(SurgeAlert.objects.filter(organization=org)[:200])


@router.get("/feeds", response=list[FeedOut])
def feeds(request: HttpRequest) -> list[Feed]:
    org = require(request, "listening.view")
    return list(Feed.objects.filter(organization=org))


@router.post("/feeds", response={201: FeedOut})
def add_feed(request: HttpRequest, data: FeedIn) -> tuple[int, Feed]:
    org = require(request, "listening.configure")
    if not data.url.lower().startswith(("http://", "https://")):
        raise HttpError(400, "a feed address must start with http:// or https://")
    if not 1 <= data.interval_minutes <= 1440:
        raise HttpError(400, "interval_minutes must be between 1 and 1440")
    if Feed.objects.filter(organization=org, url=data.url).exists():
        raise HttpError(409, "this feed is already watched")
    feed = Feed.objects.create(organization=org, url=data.url, title=data.title[:200],
                               interval_minutes=data.interval_minutes, full_text=data.full_text)
    record("listening.feed.added", actor=request.user, organization=org, target=feed, payload={"url": feed.url})
    return 201, feed


@router.delete("/feeds/{feed_id}", response={204: None})
def remove_feed(request: HttpRequest, feed_id: int) -> tuple[int, None]:
    org = require(request, "listening.configure")
    feed = Feed.objects.filter(organization=org, pk=feed_id).first()
    if feed is None:
        raise HttpError(404, "no such feed in this organisation")
    record("listening.feed.removed", actor=request.user, organization=org, target=feed, payload={"url": feed.url})
    feed.delete()
    return 204, None
