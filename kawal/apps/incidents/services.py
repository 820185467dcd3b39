"""Everything done to an incident goes through here: open, acknowledge, assign, comment, change severity,
escalate and resolve. Each step writes the incident's timeline and the audit chain, and says what it did.

Refusals raise :class:`IncidentError` with a ``code`` (forbidden, invalid, conflict) that the web pages and
the API turn into a message or a status.
"""

from __future__ import annotations

import os
import smtplib
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from kawal.apps.audit.log import record
from kawal.apps.incidents.models import (
    INTEGRITY_KINDS,
    Action,
    Incident,
    Resolution,
    Severity,
    Status,
    TimelineEntry,
)
from kawal.apps.orgs.models import Membership
from kawal.apps.orgs.permissions import can
from kawal.apps.publishing import services as _publishing  # noqa: F401 (registers "publishing.resume")
from kawal.apps.social.models import SocialAccount

SYSTEM = "Kawal"
# Who an unacknowledged incident goes to next, level by level.
ESCALATION_ROLES = ("security", "admin")


class IncidentError(Exception):
    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


def escalation_delay() -> timedelta:
    """How long an incident may stay unacknowledged before it escalates (``KAWAL_ESCALATE_MINUTES``)."""
    raw = os.environ.get("KAWAL_ESCALATE_MINUTES", "15")
    try:
        minutes = float(raw)
    except ValueError:
        raise ValueError(f"KAWAL_ESCALATE_MINUTES must be a number of minutes, not {raw!r}") from None
    return timedelta(minutes=max(minutes, 0.0))


def note(incident: Incident, action: str, text: str, *, actor: Any = None, label: str = "",
         data: dict | None = None) -> TimelineEntry:
    """Append one line to the incident's timeline."""
    user = actor if getattr(actor, "pk", None) else None
    return TimelineEntry.objects.create(incident=incident, action=action, text=text, actor=user,
                                        actor_label="" if user else (label or SYSTEM), data=data or {})


def _require(user: Any, action: str, incident: Incident, what: str) -> None:
    allowed = (can(user, action, account=incident.account) if incident.account_id
               else can(user, action, org=incident.organization))
    if not allowed:
        raise IncidentError(f"Your roles do not allow you to {what}.", code="forbidden")


def _audit(name: str, incident: Incident, *, actor: Any, payload: dict | None = None) -> None:
    record(name, actor=actor or "kawal", organization=incident.organization_id, target=incident,
           payload={"incident": incident.pk, **(payload or {})})


# --- opening -------------------------------------------------------------------------------------------


def open_incident(organization: Any, *, kind: str, title: str, severity: str = Severity.HIGH,
                  summary: str = "", details: dict | None = None, account: SocialAccount | None = None,
                  dedup_key: str | None = None) -> tuple[Incident, bool]:
    """Open an incident, or return the one already opened for ``dedup_key`` (created=False).

    An integrity incident pauses the account's publishing and says so in the timeline; every new incident
    is announced on the organisation's notification channels.
    """
    if severity not in Severity.values:
        raise IncidentError(f"unknown severity {severity!r}; expected one of {', '.join(Severity.values)}")
    if dedup_key:
        existing = Incident.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                organization=organization, account=account, kind=kind, severity=severity, title=title[:300],
                summary=summary, details=details or {}, dedup_key=dedup_key)
            note(incident, Action.OPENED, summary or title)
            _audit("incident.opened", incident, actor="kawal",
                   payload={"kind": kind, "severity": severity, "account": account.pk if account else None})
            if account is not None and kind in INTEGRITY_KINDS:
                pause_account_for(incident, account)
    except IntegrityError:
        # Two syncs raced on the same post: the other one opened it.
        return Incident.objects.get(dedup_key=dedup_key), False
    from kawal.apps.notifications.dispatch import notify

    notify(incident, "incident.opened")
    return incident, True


def pause_account_for(incident: Incident, account: SocialAccount) -> None:
    """Stop every scheduled post of the account until someone resumes it."""
    reason = f"integrity incident #{incident.pk}: {incident.title}"[:500]
    already = SocialAccount.objects.filter(pk=account.pk, paused=True).exists()
    if not already:
        SocialAccount.objects.filter(pk=account.pk).update(paused=True, paused_reason=reason)
        record("publishing.account.paused", actor="kawal", organization=incident.organization_id,
               target=account, payload={"reason": reason, "incident": incident.pk})
    from kawal.apps.publishing.models import Draft, DraftStatus

    waiting = Draft.objects.filter(account=account, status=DraftStatus.SCHEDULED).count()
    text = (f"Publishing on {account} paused automatically: {waiting} scheduled post(s) held."
            if not already else f"Publishing on {account} was already paused; {waiting} scheduled post(s) held.")
    note(incident, Action.PAUSED, text, data={"scheduled_held": waiting, "already_paused": already})


# --- acting on an incident -----------------------------------------------------------------------------


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update(of=("self",)).select_related("account", "organization").get(
        pk=incident.pk)


def acknowledge(user: Any, incident: Incident) -> Incident:
    _require(user, "incident.manage", incident, "acknowledge incidents")
    with transaction.atomic():
        current = _locked(incident)
        if current.status != Status.OPEN:
            raise IncidentError(f"Incident #{incident.pk} is {current.get_status_display().lower()}, not open.",
                                code="conflict")
        current.status, current.acknowledged_at, current.acknowledged_by = Status.ACKNOWLEDGED, timezone.now(), user
        if current.owner_id is None:
            current.owner = user
        current.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "owner"])
        note(current, Action.ACKNOWLEDGED, f"Acknowledged by {user.get_username()}.", actor=user)
        _audit("incident.acknowledged", current, actor=user)
    return current


def assign(user: Any, incident: Incident, owner: Any | None) -> Incident:
    _require(user, "incident.manage", incident, "assign incidents")
    if owner is not None and not Membership.objects.filter(user=owner, organization=incident.organization).exists():
        raise IncidentError(f"{owner.get_username()} is not a member of {incident.organization.name}.")
    with transaction.atomic():
        current = _locked(incident)
        _open_or_refuse(current)
        current.owner = owner
        current.save(update_fields=["owner"])
        who = owner.get_username() if owner else "nobody"
        note(current, Action.ASSIGNED, f"Assigned to {who}.", actor=user, data={"owner": owner.pk if owner else None})
        _audit("incident.assigned", current, actor=user, payload={"owner": owner.pk if owner else None})
    return current


def comment(user: Any, incident: Incident, body: str) -> TimelineEntry:
    _require(user, "incident.manage", incident, "comment on incidents")
    if not body.strip():
        raise IncidentError("A comment cannot be empty.")
    entry = note(incident, Action.COMMENT, body.strip(), actor=user)
    _audit("incident.commented", incident, actor=user, payload={"length": len(body.strip())})
    return entry


def set_severity(user: Any, incident: Incident, severity: str) -> Incident:
    _require(user, "incident.manage", incident, "change an incident's severity")
    if severity not in Severity.values:
        raise IncidentError(f"unknown severity {severity!r}; expected one of {', '.join(Severity.values)}")
    with transaction.atomic():
        current = _locked(incident)
        _open_or_refuse(current)
        before = current.severity
        if before == severity:
            return current
        current.severity = severity
        current.save(update_fields=["severity"])
        note(current, Action.SEVERITY, f"Severity {before} → {severity}.", actor=user,
             data={"from": before, "to": severity})
        _audit("incident.severity", current, actor=user, payload={"from": before, "to": severity})
    return current


def _open_or_refuse(incident: Incident) -> None:
    if incident.status == Status.RESOLVED:
        raise IncidentError(f"Incident #{incident.pk} is resolved.", code="conflict")


def resolve(user: Any, incident: Incident, *, category: str, note_text: str, resume_account: bool = False,
            sanction_client: bool = False) -> Incident:
    """Close with a resolution category and a note, both required. Only "confirmed legitimate" may resume
    the account (when no other integrity incident keeps it paused) and sanction the post's client."""
    _require(user, "incident.close", incident, "resolve incidents")
    if category not in Resolution.values:
        raise IncidentError(f"Choose a resolution category: one of {', '.join(Resolution.values)}.")
    if not note_text.strip():
        raise IncidentError("Write a resolution note: what happened and what was done.")
    legit = category == Resolution.CONFIRMED_LEGITIMATE
    if (resume_account or sanction_client) and not legit:
        raise IncidentError("Only an incident confirmed legitimate can resume the account or sanction a client.")
    with transaction.atomic():
        current = _locked(incident)
        _open_or_refuse(current)
        current.status, current.resolved_at, current.resolved_by = Status.RESOLVED, timezone.now(), user
        current.resolution, current.resolution_note = category, note_text.strip()
        current.save(update_fields=["status", "resolved_at", "resolved_by", "resolution", "resolution_note"])
        note(current, Action.RESOLVED, f"Resolved as {current.get_resolution_display()}: {note_text.strip()}",
             actor=user, data={"category": category})
        _audit("incident.resolved", current, actor=user, payload={"category": category, "note": note_text.strip()[:500]})
        if sanction_client:
            _sanction_client(user, current)
        if resume_account:
            _resume_account(user, current)
        from kawal.apps.notifications.dispatch import notify

        notify(current, "incident.resolved")  # whoever was told it opened learns it is closed, and how
    return current


def _sanction_client(user: Any, incident: Incident) -> None:
    client = (incident.details or {}).get("client")
    account = incident.account
    if not client or account is None:
        raise IncidentError("This incident names no client to sanction.")
    account.refresh_from_db()
    if client not in account.sanctioned_clients:
        SocialAccount.objects.filter(pk=account.pk).update(sanctioned_clients=[*account.sanctioned_clients, client])
        record("account.updated", actor=user, organization=incident.organization_id, target=account,
               payload={"fields": ["sanctioned_clients"], "added_client": client, "incident": incident.pk})
    note(incident, Action.SANCTIONED, f"'{client}' is now a sanctioned client of {account}.", actor=user,
         data={"client": client})


def _resume_account(user: Any, incident: Incident) -> None:
    account = incident.account
    if account is None:
        raise IncidentError("This incident is not about an account.")
    if not (can(user, "publishing.resume", account=account)):
        raise IncidentError("Only an admin can resume publishing on an account.", code="forbidden")
    others = (Incident.objects.filter(account=account, kind__in=INTEGRITY_KINDS)
              .exclude(status=Status.RESOLVED).exclude(pk=incident.pk).values_list("pk", flat=True))
    if others:
        listed = ", ".join(f"#{pk}" for pk in others)
        note(incident, Action.RESUMED, f"{account} stays paused: incident(s) {listed} are still open.", actor=user,
             data={"resumed": False, "open": list(others)})
        return
    SocialAccount.objects.filter(pk=account.pk).update(paused=False, paused_reason="")
    record("publishing.account.resumed", actor=user, organization=incident.organization_id, target=account,
           payload={"incident": incident.pk})
    note(incident, Action.RESUMED, f"Publishing on {account} resumed.", actor=user, data={"resumed": True})


# --- escalation ----------------------------------------------------------------------------------------


def overdue(now: datetime | None = None) -> Any:
    now = now or timezone.now()
    limit = now - escalation_delay()
    return Incident.objects.filter(status=Status.OPEN, escalation_level__lt=len(ESCALATION_ROLES)).filter(
        opened_at__lte=limit).exclude(escalated_at__gt=limit)


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalate each incident unacknowledged for longer than the delay, one level per delay."""
    now = now or timezone.now()
    done = 0
    for incident in overdue(now).select_related("organization", "account"):
        level = incident.escalation_level
        changed = Incident.objects.filter(pk=incident.pk, status=Status.OPEN, escalation_level=level).update(
            escalation_level=level + 1, escalated_at=now)
        if changed != 1:
            continue  # acknowledged meanwhile, or another worker escalated it
        incident.escalation_level, incident.escalated_at = level + 1, now
        role = ESCALATION_ROLES[level]
        members = _members_with(incident.organization_id, role)
        people = [user.get_username() for user in members]
        minutes = int((now - incident.opened_at).total_seconds() // 60)
        mailed = _mail_members(incident, members, role)
        note(incident, Action.ESCALATED,
             f"Unacknowledged for {minutes} min: escalated to {role} ({', '.join(people) or 'nobody holds it'}) "
             f"and the security channels. {mailed}", data={"level": level + 1, "role": role, "people": people})
        _audit("incident.escalated", incident, actor="kawal", payload={"level": level + 1, "role": role})
        from kawal.apps.notifications.dispatch import notify

        notify(incident, "incident.escalated", escalation=True)
        done += 1
    return done


def _members_with(org_id: int, role: str) -> list[Any]:
    memberships = Membership.objects.filter(organization_id=org_id, user__is_active=True).select_related("user")
    return sorted((m.user for m in memberships if role in m.roles), key=lambda u: u.get_username())


def _mail_members(incident: Incident, members: list[Any], role: str) -> str:
    """E-mail the people of the role the incident escalated to; says what happened, for the timeline."""
    addresses = [u.email for u in members if u.email]
    if not addresses:
        return f"No {role} member has an e-mail address."
    from kawal.apps.notifications.dispatch import incident_url

    subject = f"[Kawal] Escalated #{incident.pk}: {incident.title}"[:250]
    body = (f"Incident #{incident.pk} ({incident.get_kind_display()}, severity {incident.severity}) has not been "
            f"acknowledged and is escalated to {role}.\n\n{incident.summary}\n\n{incident_url(incident)}")
    try:
        send_mail(subject, body, None, addresses)
    except (OSError, smtplib.SMTPException) as exc:
        return f"E-mail to {role} members failed: {exc}"
    return f"E-mailed {len(addresses)} {role} member(s)."

