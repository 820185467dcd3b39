"""Read the organisation's sources: RSS/Atom feeds with conditional GET, and mention searches through the
connectors of its own accounts. Each feed or query is claimed with a conditional UPDATE of its next run
time, so two workers never read the same one at once; a failure is stored on the row, in words."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import httpx
from django.utils import timezone

from kawal.apps.listening.ingest import StoreResult, store_items
from kawal.apps.listening.models import Feed, ListenItem, MentionQuery
from kawal.engine.records import Item
from kawal.sources.feeds import FeedError, FeedState, Limits, fetch_feed, make_client, with_article_text
from kawal.sources.platforms.base import PlatformError

log = logging.getLogger(__name__)
MENTION_LIMIT = 200


def claim_feed(feed: Feed, now: datetime) -> bool:
    later = now + timedelta(minutes=max(1, feed.interval_minutes))
    return Feed.objects.filter(pk=feed.pk, next_fetch_at=feed.next_fetch_at).update(next_fetch_at=later) == 1


def read_feed(feed: Feed, client: httpx.Client, limits: Limits | None = None) -> StoreResult | None:
    """Fetch one feed and store what is new; the outcome is written on the feed row."""
    now = timezone.now()
    state = FeedState(etag=feed.etag or None, last_modified=feed.last_modified or None)
    try:
        result = fetch_feed(feed.url, client=client, state=state, limits=limits or Limits())
    except FeedError as exc:
        Feed.objects.filter(pk=feed.pk).update(last_fetched_at=now, last_error=str(exc)[:2000],
                                               last_status="failed")
        return None
    if result.not_modified:
        Feed.objects.filter(pk=feed.pk).update(last_fetched_at=now, last_error="", last_status="not modified")
        return StoreResult()
    items, problems = result.items, list(result.problems)
    if feed.full_text:
        items, more = with_articles(feed, items, client, limits or Limits())
        problems += more
    stored = store_items(feed.organization, items, source=feed.url, feed=feed)
    Feed.objects.filter(pk=feed.pk).update(
        last_fetched_at=now, etag=(result.state.etag or "")[:500],
        last_modified=(result.state.last_modified or "")[:100],
        last_status=stored.summary()[:300], last_error="; ".join(problems)[:2000])
    return stored


def with_articles(feed: Feed, items: list[Item], client: httpx.Client, limits: Limits) -> tuple[list[Item], list[str]]:
    """New entries with their article page's text (the feed summary kept when that fails, and said so).
    Entries already stored are not fetched again."""
    known = set(ListenItem.objects.filter(organization=feed.organization, external_id__in=[i.id for i in items])
                .values_list("source", "external_id"))
    out, problems = [], []
    for item in items:
        if ((item.source or feed.url), item.id) in known:
            out.append(item)
            continue
        full, problem = with_article_text(item, client=client, limits=limits)
        out.append(full)
        if problem:
            problems.append(problem)
    return out, problems


def fetch_due_feeds(now: datetime | None = None, client: httpx.Client | None = None) -> bool:
    """Read every enabled feed whose time has come; True when any was read."""
    now = now or timezone.now()
    due = list(Feed.objects.filter(enabled=True, next_fetch_at__lte=now).select_related("organization"))
    if not due:
        return False
    own = client is None
    client = client or make_client()
    try:
        for feed in due:
            if claim_feed(feed, now):
                read_feed(feed, client)
    finally:
        if own:
            client.close()
    return True


def claim_query(query: MentionQuery, now: datetime) -> bool:
    later = now + timedelta(minutes=max(1, query.interval_minutes))
    return MentionQuery.objects.filter(pk=query.pk, next_run_at=query.next_run_at).update(next_run_at=later) == 1


def run_query(query: MentionQuery) -> StoreResult | None:
    """Search mentions through the account's connector, from where the last search stopped."""
    now = timezone.now()
    account = query.account
    try:
        found = list(account.connector().mentions(query.query, since_id=query.since_id or None,
                                                  limit=MENTION_LIMIT))
    except (PlatformError, ValueError, OSError) as exc:
        MentionQuery.objects.filter(pk=query.pk).update(
            last_run_at=now, last_status="failed",
            last_error=f"{account.get_platform_display()} {account.handle}: {exc}"[:2000])
        return None
    stored = store_items(query.organization, found, source=account.platform, query=query)
    newest = newest_id([item.id for item in found], query.since_id)
    MentionQuery.objects.filter(pk=query.pk).update(last_run_at=now, last_error="", since_id=newest[:200],
                                                    last_status=stored.summary()[:300])
    return stored


def newest_id(ids: list[str], previous: str) -> str:
    """The newest id seen (numeric ids compare as numbers; others keep the first, newest-first order)."""
    if not ids:
        return previous
    if all(i.isdigit() for i in ids) and (not previous or previous.isdigit()):
        return str(max([int(i) for i in ids] + ([int(previous)] if previous else [])))
    return ids[0]


def run_due_queries(now: datetime | None = None) -> bool:
    now = now or timezone.now()
    due = list(MentionQuery.objects.filter(enabled=True, next_run_at__lte=now)
               .select_related("organization", "account"))
    for query in due:
        if claim_query(query, now):
            run_query(query)
    return bool(due)
