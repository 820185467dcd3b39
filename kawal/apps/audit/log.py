"""Append to and verify the audit chain.

Appends are serialised: the ``AuditHead`` row is locked with SELECT ... FOR UPDATE on PostgreSQL, and on
SQLite every transaction is BEGIN IMMEDIATE (see settings), so two writers never read the same head and
never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import Model

from kawal.apps.audit.models import GENESIS, AuditEntry, AuditHead

log = logging.getLogger(__name__)

# Keys whose values are secrets; their values are replaced (the key stays, so nothing vanishes silently).
SECRET_KEYS = frozenset({"password", "token", "access_token", "refresh_token", "secret", "client_secret",
                         "credentials", "api_key", "app_password", "otp", "otp_token", "key", "bearer_token"})
REDACTED = "[redacted]"


def _redact(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): (REDACTED if str(k).lower() in SECRET_KEYS else _redact(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_content(entry: AuditEntry) -> dict[str, Any]:
    """What the hash covers: every field but the hashes themselves."""
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": entry.action,
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "organization_id": entry.organization_id,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "target_repr": entry.target_repr,
        "payload": entry.payload,
    }


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry_content(entry))).encode("utf-8")).hexdigest()


def _target_fields(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, Model):
        return target._meta.label_lower, str(target.pk), str(target)[:300]
    return type(target).__name__.lower(), "", str(target)[:300]


def record(action: str, *, actor: Any = None, organization: Any = None, target: Any = None,
           payload: dict[str, Any] | None = None) -> AuditEntry:
    """Append one event to the chain and return it. Secret-named payload keys are redacted."""
    if not action or not isinstance(action, str):
        raise ValueError("audit action must be a non-empty string")
    if payload is not None and not isinstance(payload, dict):
        raise TypeError(f"audit payload must be a dict, got {type(payload).__name__}")
    # Round-trip through JSON so what is hashed is exactly what the database gives back.
    clean = json.loads(canonical_json(_redact(payload or {})))
    target_type, target_id, target_repr = _target_fields(target)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            seq=head.seq + 1, action=action[:100],
            created_at=datetime.now(UTC),
            actor_id=actor.pk if is_user else None,
            actor_name=(actor.get_username() if is_user else (str(actor) if actor else ""))[:150],
            organization_id=getattr(organization, "pk", organization),
            target_type=target_type, target_id=target_id, target_repr=target_repr,
            payload=clean, prev_hash=head.hash)
        entry.hash = compute_hash(head.hash, entry)
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    # First append (or a database flushed by tests): start from the newest entry, if any.
    last = AuditEntry.objects.order_by("-seq").first()
    head, _ = AuditHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"seq": last.seq if last else 0, "hash": last.hash if last else GENESIS})
    return head


@dataclass(frozen=True, slots=True)
class Problem:
    seq: int
    kind: str  # "edited", "deleted", "inserted", "head"
    message: str


def verify(batch_size: int = 2000) -> tuple[int, list[Problem]]:
    """Walk the chain; returns (entries checked, problems found, each naming the entry)."""
    problems: list[Problem] = []
    prev_seq, prev_hash, count = 0, GENESIS, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        count += 1
        problems.extend(_check_link(entry, prev_seq, prev_hash))
        if compute_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(Problem(entry.seq, "edited",
                                    f"entry #{entry.seq} ({entry.action}) was edited: its content no "
                                    f"longer matches its hash"))
        prev_seq, prev_hash = entry.seq, entry.hash
    problems.extend(_check_head(prev_seq, prev_hash))
    return count, problems


def _check_link(entry: AuditEntry, prev_seq: int, prev_hash: str) -> list[Problem]:
    if entry.seq > prev_seq + 1:
        missing = (f"#{prev_seq + 1}" if entry.seq == prev_seq + 2 else f"#{prev_seq + 1}..#{entry.seq - 1}")
        return [Problem(prev_seq + 1, "deleted", f"entry {missing} was deleted (the chain jumps from "
                                                  f"#{prev_seq} to #{entry.seq})")]
    if entry.prev_hash != prev_hash:
        return [Problem(entry.seq, "inserted",
                        f"entry #{entry.seq} ({entry.action}) does not follow #{prev_seq}: it was inserted "
                        f"or entry #{prev_seq} was replaced")]
    return []


def _check_head(last_seq: int, last_hash: str) -> list[Problem]:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return [] if last_seq == 0 else [Problem(last_seq, "head", "the chain head record is missing")]
    if head.seq > last_seq:
        missing = f"#{last_seq + 1}" if head.seq == last_seq + 1 else f"#{last_seq + 1}..#{head.seq}"
        return [Problem(last_seq + 1, "deleted", f"entry {missing} was deleted from the end of the chain")]
    if head.seq < last_seq:
        return [Problem(head.seq + 1, "inserted",
                        f"entries after #{head.seq} were appended outside Kawal (the head says #{head.seq})")]
    if head.hash != last_hash:
        return [Problem(last_seq, "edited", f"entry #{last_seq} was replaced (it differs from the head)")]
    return []
