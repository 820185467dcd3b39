"""Exactly-once publishing from the outbox.

1. **Claim** one due row with a conditional UPDATE (``pending`` → ``claimed`` with a fresh claim token) that
   must change exactly one row; on PostgreSQL the candidate is first picked with
   ``SELECT ... FOR UPDATE SKIP LOCKED`` so concurrent workers take different rows. A ``claimed`` row whose
   lease ran out (its worker died) is claimable again the same way.
2. **Re-check** before posting: not paused, the approved hash is still the draft's current one and still
   cleared by the policy, screening does not block it now.
3. **Look before retrying**: a row that was claimed before asks the platform (``find_published``) whether
   the post already went out; if it did, that post is recorded instead of posting again.
4. **Publish, then finish in one transaction**: mark the row done with the platform id (conditional on
   still holding the claim), write the ledger row, mark the draft published, audit.

The lease (``KAWAL_PUBLISH_LEASE_SECONDS``, default 120 s) must exceed the connectors' HTTP timeout, so a
live worker's claim never expires under it.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kawal.apps.audit.log import record
from kawal.apps.publishing import media, screening
from kawal.apps.publishing.control import paused_reason
from kawal.apps.publishing.models import Draft, DraftStatus, DraftVersion, LedgerEntry, Outbox, OutboxStatus
from kawal.apps.publishing.policy import evaluate
from kawal.apps.publishing.services import situation_for
from kawal.server.env import envint
from kawal.sources.platforms.base import PlatformError, Published

log = logging.getLogger("kawal.publishing")

MAX_ATTEMPTS = 8


def lease() -> timedelta:
    return timedelta(seconds=envint("KAWAL_PUBLISH_LEASE_SECONDS", 120))


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"[:200]


def _due(now: datetime) -> Any:
    open_rows = Outbox.objects.filter(organization__publishing_paused=False, account__paused=False)
    return open_rows.filter(Q(status=OutboxStatus.PENDING, not_before__lte=now)
                            | Q(status=OutboxStatus.CLAIMED, claimed_at__lt=now - lease()))


def claim_next(now: datetime | None = None) -> tuple[Outbox, str] | None:
    """Claim one due row; returns it with the claim token, or None when there is nothing to do."""
    now = now or timezone.now()
    with transaction.atomic():
        candidates = _due(now).order_by("not_before", "pk")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True, of=("self",))
        row = candidates.first()
        if row is None:
            return None
        token = uuid.uuid4().hex
        changed = Outbox.objects.filter(pk=row.pk, status=row.status, claim_token=row.claim_token).update(
            status=OutboxStatus.CLAIMED, claim_token=token, claimed_by=worker_id(), claimed_at=now,
            first_claimed_at=Coalesce(F("first_claimed_at"), now), attempts=F("attempts") + 1)
        if changed != 1:
            return None  # another worker won the race for this row
        Draft.objects.filter(pk=row.draft_id).update(status=DraftStatus.PUBLISHING)
    row.refresh_from_db()
    if row.attempts > 1:
        log.warning("outbox #%s claimed again (attempt %d; previous claim by %s lapsed or failed)",
                    row.pk, row.attempts, row.claimed_by)
    return row, token


def publish_next() -> bool:
    """The worker job: publish one due post. True when it did something."""
    claimed = claim_next()
    if claimed is None:
        return False
    process(*claimed)
    return True


def process(row: Outbox, token: str) -> None:
    account = row.account
    blocked = paused_reason(account)
    if blocked:
        _release(row, token, f"held: {blocked}", delay=timedelta(0))
        return
    refusal = _refusal(row)
    if refusal:
        _fail(row, token, refusal)
        return
    try:
        version = approved_version(row)
        images = approved_images(version)
    except media.MediaError as exc:
        _fail(row, token, f"media: {exc}")
        return
    try:
        connector = connector_for(account)
    except (LookupError, ValueError, PlatformError) as exc:
        _fail(row, token, f"cannot connect to {account}: {exc}")
        return
    try:
        _publish_once(row, token, connector, images, reply_to=version.reply_to or None)
    except BaseException:
        forget_connector(account)
        raise


_local = threading.local()
CONNECTOR_MAX_AGE = 600.0  # seconds a worker thread reuses a connector (and its platform session)


def connector_for(account: Any) -> Any:
    """The account's connector (``SocialAccount.connector``), reused by this thread for a while so that
    each publish does not open a new platform session (Bluesky limits createSession calls)."""
    cache: dict[Any, tuple[float, Any]] = getattr(_local, "connectors", None) or {}
    _local.connectors = cache
    key = (account.pk, account.platform, account.base_url, account.credentials_updated_at)
    now = time.monotonic()
    cached = cache.get(key)
    if cached and now - cached[0] < CONNECTOR_MAX_AGE:
        return cached[1]
    for stale_key in [k for k in cache if k[0] == account.pk]:
        getattr(cache.pop(stale_key)[1], "close", lambda: None)()
    connector = account.connector()
    cache[key] = (now, connector)
    return connector


def forget_connector(account: Any) -> None:
    """Drop the cached connector after an error, so the next attempt starts a fresh session."""
    cache = getattr(_local, "connectors", None) or {}
    for key in [k for k in cache if k[0] == account.pk]:
        getattr(cache.pop(key)[1], "close", lambda: None)()


def approved_version(row: Outbox) -> DraftVersion:
    """The version the row was queued from, whose content hash covers its images and what it answers."""
    version = DraftVersion.objects.only("media", "content_hash", "reply_to").get(pk=row.version_id)
    if version.content_hash != row.content_hash:
        raise media.MediaError("the queued version's content hash differs from the approved one")
    return version


def approved_images(version: DraftVersion) -> tuple[bytes, ...]:
    """The bytes of the approved version's images, in order, each checked against its hash again
    (a file missing or changed on disk raises MediaError)."""
    return tuple(media.read_verified(item["sha256"]) for item in version.media)


def _publish_once(row: Outbox, token: str, connector: Any, images: tuple[bytes, ...] = (), *,
                  reply_to: str | None = None) -> None:
    try:
        if row.attempts > 1:
            found = connector.find_published(row.text, since=row.first_claimed_at or row.created_at,
                                             idempotency_key=row.idempotency_key)
            if found is not None:
                log.warning("outbox #%s: post already on %s as %s; recording it, not posting again",
                            row.pk, row.account, found.platform_id)
                _finish(row, token, found, recovered=True)
                return
        # Alt text is kept on the version but not sent: Platform.publish takes bytes only (see docs).
        published = connector.publish(row.text, idempotency_key=row.idempotency_key, media=images,
                                      reply_to=reply_to)
    except PlatformError as exc:
        forget_connector(row.account)
        if exc.permanent or row.attempts >= MAX_ATTEMPTS:
            _fail(row, token, f"{exc}")
        else:
            delay = timedelta(seconds=exc.retry_after or min(600, 15 * 2 ** row.attempts))
            _release(row, token, f"{exc}", delay=delay)
        return
    _finish(row, token, published, recovered=False)


def _refusal(row: Outbox) -> str | None:
    """Why this row must not publish now (re-checked at publish time), or None."""
    queued = DraftVersion.objects.only("reply_to_text").get(pk=row.version_id)
    fresh = screening.run(row.text, reply_to_text=queued.reply_to_text or None)
    if fresh.verdict == "block":
        return "screening now blocks this text"
    if row.break_glass:
        return None
    draft = Draft.objects.select_related("current_version", "account").get(pk=row.draft_id)
    version = draft.current_version
    if version.content_hash != row.content_hash:
        return "the draft was edited after it was approved"
    verdict = screening.worse(version.verdict, fresh.verdict)
    ev = evaluate(situation_for(draft, version, verdict=verdict))
    if not ev.cleared:
        return "no longer approved: " + "; ".join(ev.reasons)
    return None


def _finish(row: Outbox, token: str, published: Published, *, recovered: bool) -> None:
    now = timezone.now()
    with transaction.atomic():
        changed = Outbox.objects.filter(pk=row.pk, status=OutboxStatus.CLAIMED, claim_token=token).update(
            status=OutboxStatus.DONE, platform_id=published.platform_id, url=published.url or "", done_at=now,
            last_error="")
        if changed != 1:
            # Our claim lapsed and another worker holds the row; it will find this post before retrying.
            log.error("outbox #%s: published as %s but the claim was lost", row.pk, published.platform_id)
            return
        LedgerEntry.objects.create(
            organization_id=row.organization_id, account_id=row.account_id, platform_id=published.platform_id,
            url=published.url or "", content_hash=row.content_hash, text=row.text,
            published_at=published.created_at or now, idempotency_key=row.idempotency_key, outbox=row,
            draft_id=row.draft_id, break_glass=row.break_glass, recovered=recovered)
        Draft.objects.filter(pk=row.draft_id).update(status=DraftStatus.PUBLISHED, updated_at=now)
        record("publishing.published", organization=row.organization_id, target=row.draft,
               actor="worker " + worker_id(),
               payload={"account": row.account_id, "platform_id": published.platform_id,
                        "content_hash": row.content_hash, "idempotency_key": row.idempotency_key,
                        "attempts": row.attempts, "recovered": recovered, "break_glass": row.break_glass})


def _release(row: Outbox, token: str, error: str, *, delay: timedelta) -> None:
    with transaction.atomic():
        changed = Outbox.objects.filter(pk=row.pk, status=OutboxStatus.CLAIMED, claim_token=token).update(
            status=OutboxStatus.PENDING, claim_token="", last_error=error[:2000],
            not_before=timezone.now() + delay)
        if changed == 1:
            Draft.objects.filter(pk=row.draft_id, status=DraftStatus.PUBLISHING).update(
                status=DraftStatus.SCHEDULED)
    log.info("outbox #%s released: %s", row.pk, error)


def _fail(row: Outbox, token: str, error: str) -> None:
    with transaction.atomic():
        changed = Outbox.objects.filter(pk=row.pk, status=OutboxStatus.CLAIMED, claim_token=token).update(
            status=OutboxStatus.FAILED, last_error=error[:2000], done_at=timezone.now())
        if changed != 1:
            return
        Draft.objects.filter(pk=row.draft_id).update(status=DraftStatus.FAILED, updated_at=timezone.now())
        record("publishing.failed", organization=row.organization_id, target=row.draft,
               actor="worker " + worker_id(),
               payload={"account": row.account_id, "error": error[:500], "attempts": row.attempts,
                        "idempotency_key": row.idempotency_key})
    log.warning("outbox #%s failed: %s", row.pk, error)
