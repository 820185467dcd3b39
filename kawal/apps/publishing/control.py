"""Pause-all and resume, break-glass publishing with its forced review, and principals' pre-authorisations.

Stopping is cheap and open to admins and security; restarting is an admin's call. Every change is audited.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kawal.apps.audit.log import record
from kawal.apps.orgs.permissions import can
from kawal.apps.publishing import screening
from kawal.apps.publishing.models import (
    ApprovalPolicy,
    Draft,
    DraftStatus,
    ForcedReview,
    Outbox,
    OutboxStatus,
    PreAuthorization,
)
from kawal.apps.publishing.policy import Policy, PolicyError, evaluate
from kawal.apps.publishing.services import (
    Content,
    WorkflowError,
    _advance,
    _check_content,
    _make_version,
    enqueue,
    situation_for,
)

log = logging.getLogger("kawal.publishing")

# --- pause and resume -----------------------------------------------------------------------------------


def pause_org(user: Any, org: Any, *, reason: str = "") -> None:
    if not can(user, "org.pause", org=org):
        raise WorkflowError(gettext_noop("Your roles do not allow you to pause publishing."), code="forbidden")
    type(org).objects.filter(pk=org.pk).update(publishing_paused=True, paused_by=user, paused_at=timezone.now())
    record("publishing.paused", actor=user, organization=org, target=org, payload={"reason": reason.strip()})
    org.refresh_from_db()


def resume_org(user: Any, org: Any) -> None:
    if not can(user, "publishing.resume", org=org):
        raise WorkflowError(gettext_noop("Only an admin can resume publishing."), code="forbidden")
    changed = type(org).objects.filter(pk=org.pk, publishing_paused=True).update(
        publishing_paused=False, paused_by=None, paused_at=None)
    if changed:
        record("publishing.resumed", actor=user, organization=org, target=org, payload={})
    org.refresh_from_db()


def pause_account(user: Any, account: Any, *, reason: str = "") -> None:
    if not can(user, "account.pause", account=account):
        raise WorkflowError(gettext_noop("Your roles do not allow you to pause %(account)s."), code="forbidden",
                            params={"account": str(account)})
    type(account).objects.filter(pk=account.pk).update(paused=True, paused_reason=reason.strip()[:500])
    record("publishing.account.paused", actor=user, organization=account.organization_id, target=account,
           payload={"reason": reason.strip()})
    account.refresh_from_db()


def resume_account(user: Any, account: Any) -> None:
    if not can(user, "publishing.resume", account=account):
        raise WorkflowError(gettext_noop("Only an admin can resume publishing on an account."), code="forbidden")
    changed = type(account).objects.filter(pk=account.pk, paused=True).update(paused=False, paused_reason="")
    if changed:
        record("publishing.account.resumed", actor=user, organization=account.organization_id,
               target=account, payload={})
    account.refresh_from_db()


def paused_reason(account: Any) -> str | None:
    """Why nothing publishes on ``account`` right now (in the active language), or None."""
    org = account.organization
    if org.publishing_paused:
        return gettext("publishing is paused for %(org)s") % {"org": org.name}
    if account.paused:
        why = gettext("publishing is paused on %(account)s") % {"account": account}
        return f"{why}: {account.paused_reason}" if account.paused_reason else why
    return None


# --- break-glass ----------------------------------------------------------------------------------------


def break_glass(user: Any, account: Any, text: str, *, reason: str) -> Draft:
    """Publish now without approvals, and open a review someone else must acknowledge afterwards.

    Pause still wins (resume first: that is an audited admin decision too), and a screening ``block``
    still stops it, since no emergency is helped by leaking an ID number.
    """
    if not can(user, "publishing.break_glass", account=account):
        raise WorkflowError(gettext_noop("Only publishers and admins can publish in an emergency."), code="forbidden")
    if not reason.strip():
        raise WorkflowError(gettext_noop("Give the reason for emergency publishing; it goes on the record."),
                            code="invalid")
    blocked = paused_reason(account)
    if blocked:
        raise WorkflowError(gettext_noop("Cannot publish: %(why)s. An admin must resume it first."), code="paused",
                            params={"why": blocked})
    content = Content(text=text)
    _check_content(account, content)
    if screening.run(text).verdict == "block":
        raise WorkflowError(gettext_noop("Screening blocked this text; even an emergency post cannot carry it."),
                            code="blocked")
    with transaction.atomic():
        draft = Draft.objects.create(organization_id=account.organization_id, account=account, created_by=user,
                                     title=f"Emergency: {reason.strip()[:180]}", break_glass=True,
                                     status=DraftStatus.SCHEDULED)
        version = _make_version(draft, 1, user, content)
        Draft.objects.filter(pk=draft.pk).update(current_version=version)
        draft.current_version = version
        ForcedReview.objects.create(organization_id=account.organization_id, draft=draft, opened_by=user,
                                    reason=reason.strip())
        record("publishing.break_glass", actor=user, organization=account.organization_id, target=draft,
               payload={"account": account.pk, "reason": reason.strip(), "content_hash": version.content_hash})
        enqueue(draft, version, actor=user, break_glass=True)
    _open_incident(user, draft, reason.strip())
    return draft


def _open_incident(user: Any, draft: Draft, reason: str) -> None:
    """An emergency post is also an incident, so it has an owner, a timeline and a required resolution.

    Opened after the publish is queued: a failure here is logged and never stops the emergency post (the
    forced review in the approval queue still tracks it).
    """
    try:
        from kawal.apps.incidents.models import Kind, Severity
        from kawal.apps.incidents.services import open_incident

        incident, _ = open_incident(
            draft.organization, kind=Kind.OTHER, severity=Severity.HIGH, account=draft.account,
            title=f"Emergency post on {draft.account} by {user.get_username()}",
            summary=f"Published without approvals (break-glass). Reason: {reason}",
            details={"draft": draft.pk, "break_glass": True, "reason": reason,
                     "content_hash": draft.current_version.content_hash},
            dedup_key=f"break_glass:{draft.pk}")
    except Exception:
        log.exception("could not open an incident for emergency post (draft #%s)", draft.pk)
        return
    ForcedReview.objects.filter(draft=draft).update(incident_id=incident.pk)


def acknowledge(user: Any, review: ForcedReview, *, note: str) -> None:
    """Close a forced review: by someone other than the emergency publisher, with a note."""
    account = review.draft.account
    if not (can(user, "draft.approve", account=account) or can(user, "incident.manage", account=account)):
        raise WorkflowError(gettext_noop("Only approvers, security and admins can acknowledge an emergency post."),
                            code="forbidden")
    if user.pk == review.opened_by_id:
        raise WorkflowError(gettext_noop("Someone other than the person who published in an emergency must review it."),
                            code="self")
    if not note.strip():
        raise WorkflowError(gettext_noop("Write what you checked; the note closes the review on the record."),
                            code="invalid")
    changed = ForcedReview.objects.filter(pk=review.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=user, acknowledged_at=timezone.now(), note=note.strip())
    if changed != 1:
        raise WorkflowError(gettext_noop("This emergency post was already reviewed."), code="conflict")
    record("publishing.break_glass.reviewed", actor=user, organization=review.organization_id,
           target=review.draft, payload={"note": note.strip()[:500]})
    review.refresh_from_db()


# --- approval policy ------------------------------------------------------------------------------------


def set_policy(user: Any, account: Any, document: Any) -> Policy:
    """Replace the account's approval policy (admins); the document is checked and every problem named."""
    if not can(user, "publishing.policy", account=account):
        raise WorkflowError(gettext_noop("Only an admin can change an account's approval policy."),
                            code="forbidden")
    try:
        policy = Policy.from_json(document)
    except PolicyError as exc:
        raise WorkflowError("%(problem)s", code="invalid", params={"problem": str(exc)}) from exc
    with transaction.atomic():
        ApprovalPolicy.objects.update_or_create(account=account, defaults={
            "document": policy.to_json(), "updated_by": user, "updated_at": timezone.now()})
        record("publishing.policy.changed", actor=user, organization=account.organization_id, target=account,
               payload={"policy": policy.to_json()})
    return policy


# --- pre-authorisation ----------------------------------------------------------------------------------


def grant_preauthorization(user: Any, account: Any, *, note: str = "",
                           expires_at: datetime | None = None) -> PreAuthorization:
    """The principal's standing permission for posts on their account (no per-post sign-off)."""
    if not account.is_executive:
        raise WorkflowError(gettext_noop("%(account)s is not an executive account; it needs no pre-authorisation."),
                            code="invalid", params={"account": str(account)})
    if not can(user, "preauth.manage", account=account):
        raise WorkflowError(gettext_noop("Only the account's principal can pre-authorise posts in their name."),
                            code="forbidden")
    if expires_at is not None and expires_at <= timezone.now():
        raise WorkflowError(gettext_noop("The expiry is in the past."), code="invalid")
    with transaction.atomic():
        preauth = PreAuthorization.objects.create(account=account, principal=user, note=note.strip(),
                                                  expires_at=expires_at)
        record("publishing.preauth.granted", actor=user, organization=account.organization_id,
               target=account, payload={"preauth": preauth.pk, "expires_at": expires_at.isoformat()
                                        if expires_at else None})
        for draft in Draft.objects.filter(account=account, status=DraftStatus.IN_REVIEW):
            _advance(Draft.objects.select_related("current_version", "account").get(pk=draft.pk), user)
    return preauth


def revoke_preauthorization(user: Any, preauth: PreAuthorization) -> None:
    """Revoke at once: scheduled posts that relied on it go back to review."""
    account = preauth.account
    if not (can(user, "preauth.manage", account=account) or can(user, "publishing.resume", account=account)):
        raise WorkflowError(gettext_noop("Only the principal or an admin can revoke a pre-authorisation."),
                            code="forbidden")
    with transaction.atomic():
        changed = PreAuthorization.objects.filter(pk=preauth.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        if changed != 1:
            raise WorkflowError(gettext_noop("This pre-authorisation was already revoked."), code="conflict")
        returned = _return_uncleared(account)
        record("publishing.preauth.revoked", actor=user, organization=account.organization_id,
               target=account, payload={"preauth": preauth.pk, "returned_to_review": returned})
    preauth.refresh_from_db()


def _return_uncleared(account: Any) -> list[int]:
    returned = []
    for draft in Draft.objects.filter(account=account, status=DraftStatus.SCHEDULED, break_glass=False
                                      ).select_related("current_version", "account"):
        if evaluate(situation_for(draft)).cleared:
            continue
        cancelled = Outbox.objects.filter(draft=draft, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.CANCELLED)
        if cancelled:
            Draft.objects.filter(pk=draft.pk, status=DraftStatus.SCHEDULED).update(status=DraftStatus.IN_REVIEW)
            returned.append(draft.pk)
    return returned
