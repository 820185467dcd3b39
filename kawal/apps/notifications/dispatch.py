"""Turn an incident event into one notification row per matching channel; the worker delivers them.

The message text comes from a per-transport template (``notifications/message/<kind>.txt``) that renders
the same reasons a CLI user reads (``- signal: detail``), so every channel says why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from kawal.apps.incidents.models import SEVERITY_ORDER, Incident
from kawal.apps.notifications.models import Channel, Notification

EVENTS = {"incident.opened": "New incident", "incident.escalated": "Escalated: unacknowledged incident",
          "incident.resolved": "Resolved", "incident.test": "Test notification"}


def incident_url(incident: Incident) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("incidents:detail", args=[incident.pk])


def channels_for(incident: Incident, *, escalation: bool) -> Any:
    """Enabled channels of the incident's organisation at or below its severity. Security channels
    (escalations only) receive escalations; ordinary channels receive both."""
    rank = SEVERITY_ORDER.get(incident.severity, 0)
    channels = Channel.objects.filter(organization_id=incident.organization_id, enabled=True)
    if not escalation:
        channels = channels.filter(escalations_only=False)
    return [c for c in channels if SEVERITY_ORDER.get(c.min_severity, 0) <= rank]


def render_message(kind: str, incident: Incident, event: str) -> tuple[str, str]:
    """(subject, text) of ``event`` for a channel of ``kind``."""
    details = incident.details or {}
    subject = f"{EVENTS.get(event, event)} #{incident.pk}: {incident.title}"
    text = render_to_string(f"notifications/message/{kind}.txt", {
        "incident": incident, "event": event, "details": details, "reasons": details.get("reasons", []),
        "changes": details.get("changes", []), "url": incident_url(incident),
        "paused": _account_paused(incident)}).strip()
    return subject[:300], text


def _account_paused(incident: Incident) -> bool:
    # Read afresh: the incident's account object may predate the pause that opening it caused.
    from kawal.apps.social.models import SocialAccount

    return bool(incident.account_id) and SocialAccount.objects.filter(pk=incident.account_id, paused=True).exists()


def payload_for(incident: Incident, event: str) -> dict[str, Any]:
    return {"incident": incident.pk, "kind": incident.kind, "status": incident.status,
            "organization": incident.organization.slug,
            "account": incident.account.handle if incident.account_id else None,
            "escalation_level": incident.escalation_level,
            "account_paused": _account_paused(incident), "details": incident.details or {}}


def notify(incident: Incident, event: str, *, escalation: bool = False) -> list[Notification]:
    """Queue ``event`` of ``incident`` for every matching channel (delivered by ``delivery.deliver_next``)."""
    rows = []
    for channel in channels_for(incident, escalation=escalation):
        subject, text = render_message(channel.kind, incident, event)
        rows.append(Notification(channel=channel, incident=incident, event=event, severity=incident.severity,
                                 subject=subject, text=text, url=incident_url(incident),
                                 payload=payload_for(incident, event)))
    return Notification.objects.bulk_create(rows)
