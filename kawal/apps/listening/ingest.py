"""Store heard items once: the same source and id is not stored again, and a syndicated copy (same
canonical URL, same title, near-identical long text) is kept linked to its first item, neither classified
again nor counted. The keys are those of :mod:`kawal.sources.dedupe`, persisted so they hold across runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from kawal.apps.listening.models import Feed, ListenItem, MentionQuery
from kawal.apps.orgs.models import Organization
from kawal.engine.records import Item
from kawal.sources.dedupe import (
    MIN_JACCARD,
    MIN_TEXT_WORDS,
    MIN_TITLE_WORDS,
    canonical_url,
    minhash,
    normalise_title,
    similarity,
    words,
)

NEAR_WINDOW = timedelta(days=14)   # near-identical text is compared with stories of the last two weeks
NEAR_LIMIT = 1000                  # at most this many of them, newest first
FUTURE_SLACK = timedelta(minutes=5)


@dataclass
class StoreResult:
    new: int = 0                  # new stories
    duplicates: int = 0           # copies of a story already stored (kept, linked, not counted)
    seen: int = 0                 # the same source and id again: nothing stored
    items: list[ListenItem] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.new} new, {self.duplicates} duplicate(s) of known stories, {self.seen} already seen"


@dataclass(frozen=True)
class Keys:
    url: str
    title: str
    fingerprint: list[int] | None


def keys_of(item: Item) -> Keys:
    title = normalise_title(item.title) if item.title else ""
    if len(title.split()) < MIN_TITLE_WORDS:
        title = ""
    tokens = words(item.text)
    fingerprint = list(minhash(tokens)) if len(tokens) >= MIN_TEXT_WORDS else None
    return Keys(canonical_url(item.url) if item.url else "", title[:1000], fingerprint)


def find_original(org: Organization, keys: Keys, now: datetime) -> tuple[ListenItem | None, str]:
    """The first item of the same story, and why, or (None, '')."""
    stories = ListenItem.objects.filter(organization=org, duplicate_of__isnull=True)
    if keys.url and (hit := stories.filter(url_key=keys.url).order_by("pk").first()):
        return hit, f"same article URL ({keys.url})"
    if keys.title and (hit := stories.filter(title_key=keys.title).order_by("pk").first()):
        return hit, "same title"
    if keys.fingerprint is not None:
        recent = (stories.filter(fingerprint__isnull=False, received_at__gte=now - NEAR_WINDOW)
                  .order_by("-pk").only("pk", "fingerprint")[:NEAR_LIMIT])
        mine = tuple(keys.fingerprint)
        for other in recent:
            if (score := similarity(tuple(other.fingerprint), mine)) >= MIN_JACCARD:
                return other, f"near-identical text (about {score:.0%} of word sequences shared)"
    return None, ""


def said_at(item: Item, now: datetime) -> datetime:
    """When it was said: the published time unless missing or in the future (a wrong clock)."""
    if item.published_at is not None and item.published_at <= now + FUTURE_SLACK:
        return item.published_at
    return now


def store_item(org: Organization, item: Item, *, source: str, feed: Feed | None = None,
               query: MentionQuery | None = None, now: datetime | None = None) -> tuple[ListenItem | None, str]:
    """Store one item; returns (row, 'new' | 'duplicate') or (None, 'seen')."""
    now = now or timezone.now()
    source, external_id = (item.source or source)[:1000], item.id[:500]
    if ListenItem.objects.filter(organization=org, source=source, external_id=external_id).exists():
        return None, "seen"
    keys = keys_of(item)
    original, why = find_original(org, keys, now)
    row = ListenItem(organization=org, source=source, external_id=external_id, kind=item.kind,
                     title=item.title or "", text=item.text, url=item.url or "", author=item.author or "",
                     published_at=item.published_at, received_at=now, at=said_at(item, now), feed=feed,
                     query=query, extras=item.extras, url_key=keys.url[:2000], title_key=keys.title,
                     fingerprint=keys.fingerprint, duplicate_of=original, duplicate_reason=why[:300],
                     lang=item.lang if item.lang in ("id", "en") else "")
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None, "seen"   # another worker stored the same source and id a moment ago
    return row, "duplicate" if original is not None else "new"


def store_items(org: Organization, items: list[Item], *, source: str, feed: Feed | None = None,
                query: MentionQuery | None = None) -> StoreResult:
    result = StoreResult()
    now = timezone.now()
    for item in items:
        row, outcome = store_item(org, item, source=source, feed=feed, query=query, now=now)
        if row is None:
            result.seen += 1
            continue
        result.items.append(row)
        if outcome == "new":
            result.new += 1
        else:
            result.duplicates += 1
    return result
