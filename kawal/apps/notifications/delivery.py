"""Deliver queued notifications: claim one row, send it, record the outcome on the row, the channel and
the incident's timeline; a temporary failure is retried with exponential backoff."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from kawal.apps.notifications.models import Channel, DeliveryStatus, Notification
from kawal.apps.notifications.transports import Message, TransportError, transport_for

MAX_ATTEMPTS = 6
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
CLAIM = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def claim_next(now: datetime | None = None) -> Notification | None:
    """Take the oldest due notification (a claim that lapsed, e.g. a dead worker, may be taken again)."""
    now = now or timezone.now()
    due = Notification.objects.filter(next_attempt_at__lte=now).filter(
        status=DeliveryStatus.PENDING) | Notification.objects.filter(status=DeliveryStatus.SENDING,
                                                                     claimed_until__lt=now)
    for row in due.order_by("next_attempt_at", "pk")[:5]:
        changed = Notification.objects.filter(pk=row.pk, status=row.status, attempts=row.attempts).update(
            status=DeliveryStatus.SENDING, claimed_until=now + CLAIM, attempts=row.attempts + 1)
        if changed == 1:
            return Notification.objects.select_related("channel", "incident").get(pk=row.pk)
    return None


def deliver_next() -> bool:
    row = claim_next()
    if row is None:
        return False
    deliver(row)
    return True


def deliver(row: Notification) -> None:
    channel = row.channel
    message = Message(subject=row.subject, text=row.text, severity=row.severity, url=row.url or None,
                      event=row.event, payload=row.payload)
    try:
        transport_for(channel.kind, channel.get_config()).notify(message)
    except (TransportError, ValueError) as exc:
        permanent = getattr(exc, "permanent", True)  # a ValueError is a bad channel config: retrying won't help
        _failed(row, channel, str(exc), permanent=permanent or row.attempts >= MAX_ATTEMPTS)
        return
    now = timezone.now()
    with transaction.atomic():
        Notification.objects.filter(pk=row.pk).update(status=DeliveryStatus.SENT, sent_at=now, error="",
                                                       claimed_until=None)
        Channel.objects.filter(pk=channel.pk).update(last_success_at=now)
        _timeline(row, sent=True, text=f"Notification sent via {channel.name} ({channel.get_kind_display()}).")


def _failed(row: Notification, channel: Channel, error: str, *, permanent: bool) -> None:
    now = timezone.now()
    with transaction.atomic():
        if permanent:
            Notification.objects.filter(pk=row.pk).update(status=DeliveryStatus.FAILED, error=error,
                                                           claimed_until=None)
        else:
            Notification.objects.filter(pk=row.pk).update(status=DeliveryStatus.PENDING, error=error,
                                                           claimed_until=None,
                                                           next_attempt_at=now + backoff(row.attempts))
        Channel.objects.filter(pk=channel.pk).update(last_error=error, last_error_at=now)
        if permanent:
            _timeline(row, sent=False, text=f"Notification via {channel.name} failed after {row.attempts} "
                                            f"attempt(s): {error}")


def _timeline(row: Notification, *, sent: bool, text: str) -> None:
    if row.incident_id is None:
        return
    from kawal.apps.incidents.models import Action
    from kawal.apps.incidents.services import note

    note(row.incident, Action.NOTIFIED if sent else Action.NOTIFY_FAILED, text,
         data={"notification": row.pk, "channel": row.channel_id, "event": row.event})
