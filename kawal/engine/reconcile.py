"""Reconciliation: which posts seen on an account did Kawal (or a sanctioned client) not make?

A pure function of (publish ledger, observed timeline, sanctioned clients), so it is easy to test and the
same judgement runs in the worker, the CLI and the tests.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kawal.engine.records import Post

PUBLISHED_BY_KAWAL = "published_by_kawal"
SANCTIONED_CLIENT = "sanctioned_client"
UNSANCTIONED = "unsanctioned"

# A ledger entry without a platform id (the worker died before storing it) still matches a post with the
# same text published within this long after the entry was claimed.
TEXT_MATCH_WINDOW = timedelta(hours=6)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One post Kawal published (or claimed to publish) on the account."""

    text: str
    claimed_at: datetime
    platform_id: str | None = None
    ref: str | None = None  # the app's own key for the entry (outbox id, idempotency key)


@dataclass(frozen=True, slots=True)
class Reconciled:
    post: Post
    status: str           # PUBLISHED_BY_KAWAL, SANCTIONED_CLIENT or UNSANCTIONED
    reason: str
    ledger_ref: str | None = None

    @property
    def unsanctioned(self) -> bool:
        return self.status == UNSANCTIONED


def normalise_client(name: str | None) -> str:
    """Client names compare without case, surrounding space or Unicode compatibility differences."""
    return " ".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def normalise_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def reconcile(observed: Iterable[Post], ledger: Iterable[LedgerEntry],
              sanctioned_clients: Collection[str]) -> list[Reconciled]:
    """Classify every observed post; each ledger entry accounts for at most one post."""
    entries = list(ledger)
    by_id = {e.platform_id: e for e in entries if e.platform_id}
    pending = [e for e in entries if not e.platform_id]
    sanctioned = {normalise_client(c) for c in sanctioned_clients if normalise_client(c)}
    return [_classify(post, by_id, pending, sanctioned) for post in observed]


def _classify(post: Post, by_id: dict[str, LedgerEntry], pending: list[LedgerEntry],
              sanctioned: set[str]) -> Reconciled:
    entry = by_id.pop(post.id, None) or _take_text_match(post, pending)
    if entry is not None:
        return Reconciled(post, PUBLISHED_BY_KAWAL, "published by Kawal", entry.ref)
    client = normalise_client(post.client)
    if client and client in sanctioned:
        return Reconciled(post, SANCTIONED_CLIENT, f"posted from sanctioned client {post.client!r}")
    if post.client:
        return Reconciled(post, UNSANCTIONED,
                          f"not published by Kawal, and {post.client!r} is not a sanctioned client")
    return Reconciled(post, UNSANCTIONED,
                      "not published by Kawal, and the platform does not say which client made it")


def _take_text_match(post: Post, pending: list[LedgerEntry]) -> LedgerEntry | None:
    text = normalise_text(post.text)
    for i, entry in enumerate(pending):
        delay = post.created_at - entry.claimed_at
        if normalise_text(entry.text) == text and -timedelta(minutes=5) <= delay <= TEXT_MATCH_WINDOW:
            return pending.pop(i)
    return None
