"""Reconcile one account: read its timeline and profile through its connector, store every post as an
observed post matched to the publish ledger, score it against the account's learned profile, and open an
incident for every unsanctioned post and every profile change.

Idempotent: an observed post is unique per (account, platform id) and an incident per dedup key, so the same
post never opens two incidents however often (or however concurrently) the sync runs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kawal.apps.audit.log import record
from kawal.apps.incidents.models import Kind
from kawal.apps.incidents.services import open_incident
from kawal.apps.integrity.models import IntegrityProfile, ObservedPost, ProfileSnapshot, Verdict
from kawal.apps.orgs.permissions import register_action
from kawal.apps.social.models import SocialAccount
from kawal.engine.profile import Assessment, Profile, fast_profile
from kawal.engine.profile.language import cheap_language
from kawal.engine.reconcile import LedgerEntry as LedgerView
from kawal.engine.reconcile import Reconciled, reconcile
from kawal.engine.records import Post
from kawal.sources.platforms.base import PlatformError
from kawal.sources.platforms.base import Profile as PlatformProfile

LEASE = timedelta(minutes=5)

# Reading an account costs platform API quota, so not everyone may trigger it; simulating a hijack on the
# sandbox is a drill for the people who respond to incidents.
register_action("integrity.sync", {"admin", "security", "publisher"})
register_action("integrity.simulate", {"admin", "security"})
TIMELINE_LIMIT = 200


class SyncError(Exception):
    """The account could not be read (the message names the account and the platform's reason)."""


class SyncBusy(SyncError):
    """Another worker is syncing this account right now."""


@dataclass
class SyncResult:
    account_id: int
    new_posts: int = 0
    incidents: list[int] = field(default_factory=list)
    profile_changes: list[str] = field(default_factory=list)


# --- the lease ------------------------------------------------------------------------------------------


def integrity_profile(account: SocialAccount) -> IntegrityProfile:
    found, _ = IntegrityProfile.objects.get_or_create(account=account)
    return found


def _claim(account: SocialAccount) -> IntegrityProfile:
    row = integrity_profile(account)
    now = timezone.now()
    free = IntegrityProfile.objects.filter(pk=row.pk).filter(lease_until__isnull=True) | \
        IntegrityProfile.objects.filter(pk=row.pk, lease_until__lt=now)
    if free.update(lease_until=now + LEASE) != 1:
        raise SyncBusy(f"{account} is being synced by another worker")
    row.refresh_from_db()
    return row


def _release(row: IntegrityProfile, error: str = "") -> None:
    fields: dict[str, Any] = {"lease_until": None, "last_error": error}
    if error:
        fields["last_error_at"] = timezone.now()
    IntegrityProfile.objects.filter(pk=row.pk).update(**fields)


# --- the learned profile --------------------------------------------------------------------------------


def load_profile(row: IntegrityProfile, account: SocialAccount) -> Profile:
    """The account's profile as last stored, or a fresh one (no model calls: the fast path)."""
    if row.state:
        return Profile.from_json(row.state, tone_scorer=None, detect_language=cheap_language)
    return fast_profile(account.handle, timezone=account.timezone or "UTC")


def _store_profile(row: IntegrityProfile, profile: Profile) -> None:
    row.state, row.posts_learned, row.updated_at = profile.to_json(), profile.n, timezone.now()
    IntegrityProfile.objects.filter(pk=row.pk).update(state=row.state, posts_learned=row.posts_learned,
                                                      updated_at=row.updated_at, kawal_clients=row.kawal_clients)


def learn_archive(account: SocialAccount, posts: Iterable[Post]) -> int:
    """Teach the account's profile an imported archive (oldest first); returns how many posts it learned."""
    row = _claim(account)
    try:
        profile = load_profile(row, account)
        ordered = sorted(posts, key=lambda p: p.created_at)
        for post in ordered:
            profile.learn(post)
        _store_profile(row, profile)
    finally:
        _release(row)
    record("integrity.archive_learned", actor="kawal", organization=account.organization_id, target=account,
           payload={"posts": len(ordered)})
    return len(ordered)


# --- the sync -------------------------------------------------------------------------------------------


def sync_account(account: SocialAccount, *, actor: Any = None) -> SyncResult:
    """Read, reconcile, score and raise incidents for one account. Raises SyncError when it cannot read."""
    row = _claim(account)
    connector = None
    try:
        connector = account.connector()
        result = SyncResult(account.pk)
        _sync_posts(account, row, connector, result)
        _sync_profile(account, connector.profile(), result)
    except PlatformError as exc:
        _release(row, f"{type(exc).__name__}: {exc}")
        raise SyncError(f"could not read {account}: {exc}") from None
    except BaseException:
        _release(row, "sync failed unexpectedly; see the worker log")
        raise
    finally:
        if connector is not None:
            connector.close()
    SocialAccount.objects.filter(pk=account.pk).update(last_synced_at=timezone.now())
    _release(row)
    if actor is not None:
        record("integrity.synced", actor=actor, organization=account.organization_id, target=account,
               payload={"new_posts": result.new_posts, "incidents": result.incidents})
    return result


def _sync_posts(account: SocialAccount, row: IntegrityProfile, connector: Any, result: SyncResult) -> None:
    seen = set(ObservedPost.objects.filter(account=account).values_list("platform_id", flat=True))
    fresh = [p for p in connector.timeline(limit=TIMELINE_LIMIT) if p.id not in seen]
    if not fresh:
        return
    fresh.sort(key=lambda p: (p.created_at, p.id))
    profile = load_profile(row, account)
    for judged in reconcile(fresh, _ledger_for(account, [p.id for p in fresh]), account.sanctioned_clients):
        _record_post(account, row, profile, judged, result)
    _store_profile(row, profile)


def _ledger_for(account: SocialAccount, ids: list[str]) -> list[LedgerView]:
    """Ledger entries of these posts, plus publishes claimed but not yet recorded (a worker mid-publish)."""
    from kawal.apps.publishing.models import LedgerEntry, Outbox, OutboxStatus

    entries = [LedgerView(text=e.text, claimed_at=e.published_at, platform_id=e.platform_id, ref=str(e.pk))
               for e in LedgerEntry.objects.filter(account=account, platform_id__in=ids)]
    claimed = Outbox.objects.filter(account=account, status=OutboxStatus.CLAIMED)
    entries += [LedgerView(text=o.text, claimed_at=o.first_claimed_at or o.claimed_at or o.created_at,
                           ref=f"outbox:{o.pk}") for o in claimed]
    return entries


def _record_post(account: SocialAccount, row: IntegrityProfile, profile: Profile, judged: Reconciled,
                 result: SyncResult) -> None:
    post = judged.post
    before_kawal = post.created_at < account.created_at
    verdict = Verdict.HISTORY if before_kawal and judged.unsanctioned else judged.status
    if verdict == Verdict.PUBLISHED_BY_KAWAL and post.client and post.client not in row.kawal_clients:
        row.kawal_clients = [*row.kawal_clients, post.client]
    # Kawal's own client is usually also listed as sanctioned; name each client once in the reasons.
    profile.sanctioned_clients = tuple(dict.fromkeys([*account.sanctioned_clients, *row.kawal_clients]))
    assessment = profile.score(post)
    ledger_pk = int(judged.ledger_ref) if judged.ledger_ref and judged.ledger_ref.isdigit() else None
    # The post and its incident land together: a crash between them must not leave a post seen but unreported.
    with transaction.atomic():
        try:
            with transaction.atomic():
                observed = ObservedPost.objects.create(
                    organization_id=account.organization_id, account=account, platform_id=post.id,
                    created_at=post.created_at, text=post.text, client=post.client or "",
                    url=str(post.extras.get("url") or "")[:500], record=post.to_json(), verdict=verdict,
                    reason=judged.reason[:500], ledger_id=ledger_pk, score=assessment.score,
                    flagged=assessment.flagged, learning=assessment.learning,
                    reasons=[r.to_json() for r in assessment.reasons])
        except IntegrityError:
            return  # a concurrent sync stored it first, and raised its incident
        if verdict == Verdict.UNSANCTIONED:
            result.incidents.append(_open_post_incident(account, observed, judged, assessment).pk)
    result.new_posts += 1
    if verdict != Verdict.UNSANCTIONED:
        # A hijacker's post must not teach the profile that hijacking is in character.
        profile.learn(post)


def _open_post_incident(account: SocialAccount, observed: ObservedPost, judged: Reconciled,
                        assessment: Assessment) -> Any:
    post = judged.post
    reasons = [r.to_json() for r in assessment.reasons]
    details = {"post_id": post.id, "url": observed.url, "text": post.text, "client": post.client,
               "created_at": post.created_at.strftime("%Y-%m-%d %H:%M UTC"), "score": round(assessment.score, 4),
               "flagged": assessment.flagged, "learning": assessment.learning, "reasons": reasons,
               "reconciliation": judged.reason, "observed_post": observed.pk}
    severity = "critical" if assessment.flagged else "high"
    incident, _ = open_incident(
        account.organization, kind=Kind.UNSANCTIONED_POST, account=account, severity=severity,
        title=f"Unsanctioned post on {account.handle}", summary=f"A post {judged.reason}.", details=details,
        dedup_key=f"post:{account.pk}:{post.id}")
    return incident


# --- the profile ----------------------------------------------------------------------------------------


def _sync_profile(account: SocialAccount, seen: PlatformProfile, result: SyncResult) -> None:
    now_fields = {"handle": seen.handle, "display_name": seen.display_name or "", "bio": seen.bio or "",
                  "avatar_url": seen.avatar_url or ""}
    last = ProfileSnapshot.objects.filter(account=account).first()
    SocialAccount.objects.filter(pk=account.pk).update(profile=now_fields)
    if last is None:
        ProfileSnapshot.objects.create(account=account, **now_fields)  # the baseline: nothing to compare yet
        return
    before = last.as_dict()
    changed = [name for name in ("handle", "display_name", "bio", "avatar_url") if before[name] != now_fields[name]]
    if not changed:
        return
    snapshot = ProfileSnapshot.objects.create(account=account, changes=changed, **now_fields)
    changes = [{"field": name, "before": before[name], "after": now_fields[name]} for name in changed]
    incident, _ = open_incident(
        account.organization, kind=Kind.PROFILE_CHANGE, account=account, severity="high",
        title=f"Profile of {account.handle} changed: {', '.join(changed)}",
        summary=f"The account's {', '.join(n.replace('_', ' ') for n in changed)} changed outside Kawal.",
        details={"changes": changes, "snapshot": snapshot.pk}, dedup_key=f"profile:{account.pk}:{snapshot.pk}")
    result.profile_changes = changed
    result.incidents.append(incident.pk)


# --- the schedule ---------------------------------------------------------------------------------------


def syncable_accounts() -> Any:
    return SocialAccount.objects.select_related("organization")
