"""Content hashing: the fingerprint an approval is bound to.

The hash covers the exact text, the hashes of the attached media (in order), the account and the
schedule, so changing any of them (even one character or the publish time) yields a new hash and voids
approvals given to the old one. Pure Python: no Django.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

from kawal.engine.records import as_utc


def media_hash(data: bytes) -> str:
    """The sha256 of one media file's bytes, as stored beside a version."""
    return hashlib.sha256(data).hexdigest()


def content_hash(text: str, *, media_hashes: Sequence[str] = (), account: str | int,
                 scheduled_at: datetime | None = None, media_alt: Sequence[str] = (), reply_to: str = "",
                 reply_to_text: str = "") -> str:
    """sha256 over a canonical JSON of what will be published, where and when.

    The text is hashed exactly as written (no whitespace or Unicode normalisation): what was approved is
    byte for byte what goes out. ``media_alt`` (the alt texts, one per image) is hashed only when there are
    images, so the hashes of text-only versions stay what they were before images existed. Likewise what a
    reply answers (``reply_to``, the platform post id, and ``reply_to_text``, the answered post as pasted)
    is hashed only for a reply: changing it voids approvals, and drafts that answer nothing keep their hash.
    """
    if reply_to_text and not reply_to:
        raise ValueError("reply_to_text needs the reply_to post it is the text of")
    if media_alt and len(media_alt) != len(media_hashes):
        raise ValueError("media_alt needs one alt text per media hash")
    for value in media_hashes:
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ValueError(f"media hash {value!r} is not a lower-case sha256 hex digest")
    when = as_utc(scheduled_at).strftime("%Y-%m-%dT%H:%M:%SZ") if scheduled_at else None
    document = {"account": str(account), "media": list(media_hashes), "scheduled_at": when, "text": text}
    if media_hashes:
        document["media_alt"] = list(media_alt) or [""] * len(media_hashes)
    if reply_to:
        document["reply_to"] = reply_to
        document["reply_to_text"] = reply_to_text
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def idempotency_key(draft_id: int, content_hash_value: str, *, break_glass: bool = False) -> str:
    """The key a publish is known by on the outbox and, where supported, on the platform.

    One approved version of one draft publishes at most once: the key is a function of both.
    """
    prefix = "kbg" if break_glass else "kawal"
    return f"{prefix}-{draft_id}-{content_hash_value[:32]}"
