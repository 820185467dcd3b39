"""The publishing workflow: drafts, versions, comments, approvals, sign-offs, rejections, scheduling.

Web views and API routes both call these functions; they check permissions here (one place), record
every event in the audit chain, and make state changes race-free: the draft row is locked (SELECT ... FOR
UPDATE on PostgreSQL; every SQLite transaction is BEGIN IMMEDIATE) and transitions are conditional
UPDATEs that must change exactly one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from kawal.apps.audit.log import record
from kawal.apps.orgs.models import Membership
from kawal.apps.orgs.permissions import can, effective_roles, register_action
from kawal.apps.publishing import media, screening
from kawal.apps.publishing.content import content_hash, idempotency_key
from kawal.apps.publishing.diff import line_diff
from kawal.apps.publishing.models import (
    EDITABLE,
    ApprovalPolicy,
    Comment,
    Decision,
    DecisionKind,
    Draft,
    DraftStatus,
    DraftVersion,
    Outbox,
    OutboxStatus,
    PreAuthorization,
)
from kawal.apps.publishing.policy import (
    Approval,
    ApprovalRefused,
    Evaluation,
    Policy,
    Situation,
    Step,
    check_approval,
    check_sign_off,
    evaluate,
)
from kawal.apps.publishing.replies import ReplyTargetError, parse_reply_target

# Resuming publishing is an admin's call (pausing is open to security too: stopping is cheap, restarting
# is not). Break-glass is open to publishers and admins, as the issue asks.
register_action("publishing.resume", {"admin"})
register_action("publishing.break_glass", {"admin", "publisher"})
register_action("publishing.policy", {"admin"})

# Characters each platform accepts in one post (X counts 280, Mastodon's default is 500, Bluesky 300).
MAX_CHARS = {"x": 280, "mastodon": 500, "bluesky": 300, "sandbox": 500}


class WorkflowError(Exception):
    """A refused workflow action; the message is shown to the person.

    ``template`` (English, with ``%(name)s`` placeholders, marked with ``gettext_noop`` for the catalogue) and
    ``params`` let the pages and the API show it in the reader's language (:func:`message_of`).
    """

    def __init__(self, template: str, *, code: str = "invalid", params: dict[str, Any] | None = None) -> None:
        self.template, self.params = template, params or {}
        super().__init__(template % self.params if self.params else template)
        self.code = code  # "forbidden", "stale", "conflict", "invalid", "blocked", "paused", ...


REFUSALS = (WorkflowError, ApprovalRefused)


def message_of(refusal: WorkflowError | ApprovalRefused) -> str:
    """The refusal in the active language."""
    text = gettext(refusal.template)
    return text % refusal.params if refusal.params else text


def _require(user: Any, action: str, account: Any, what: str) -> None:
    if not can(user, action, account=account):
        raise WorkflowError(gettext_noop("Your roles on %(account)s do not allow this: %(what)s."), code="forbidden",
                            params={"account": str(account), "what": gettext(what)})


def _require_view(user: Any, draft: Draft) -> None:
    if not can(user, "draft.view", account=draft.account):
        raise WorkflowError(gettext_noop("You have no access to this draft."), code="forbidden")


# --- policy and situation -------------------------------------------------------------------------------

def policy_for(account: Any) -> Policy:
    row = ApprovalPolicy.objects.filter(account=account).first()
    return Policy.from_json(row.document if row else None)


def _members_with(account: Any, step: Step) -> frozenset[int]:
    """Users of the account's organisation who may act for ``step`` (by role on the account or group)."""
    users = get_user_model().objects.filter(memberships__organization_id=account.organization_id,
                                            is_active=True).prefetch_related("groups")
    found = set()
    for user in users:
        if set(step.groups) & {g.name for g in user.groups.all()}:
            found.add(user.pk)
        elif set(step.roles) & effective_roles(user, account=account):
            found.add(user.pk)
    return frozenset(found)


def authors_of(draft: Draft) -> frozenset[int]:
    ids = set(DraftVersion.objects.filter(draft=draft).values_list("author_id", flat=True))
    return frozenset(ids | {draft.created_by_id})


class Memo:
    """Per-request memo of what is the same for every draft of an account (policy, who may approve,
    pre-authorisation, access), so a page listing many drafts does not ask the database per draft."""

    def __init__(self) -> None:
        self.policies: dict[int, Policy] = {}
        self.eligible: dict[tuple[int, str], tuple[frozenset[int], ...]] = {}
        self.preauth: dict[int, bool] = {}
        self.access: dict[tuple[int, int, str], bool] = {}

    def policy(self, account: Any) -> Policy:
        if account.pk not in self.policies:
            self.policies[account.pk] = policy_for(account)
        return self.policies[account.pk]

    def eligible_for(self, account: Any, verdict: str) -> tuple[frozenset[int], ...]:
        key = (account.pk, verdict)
        if key not in self.eligible:
            self.eligible[key] = tuple(_members_with(account, s) for s in self.policy(account).steps_for(verdict))
        return self.eligible[key]

    def preauthorized(self, account: Any) -> bool:
        if account.pk not in self.preauth:
            self.preauth[account.pk] = has_preauthorization(account)
        return self.preauth[account.pk]

    def can(self, user: Any, action: str, account: Any) -> bool:
        key = (user.pk, account.pk, action)
        if key not in self.access:
            self.access[key] = can(user, action, account=account)
        return self.access[key]


def situation_for(draft: Draft, version: DraftVersion | None = None, *, verdict: str | None = None,
                  memo: Memo | None = None, decisions: list[Decision] | None = None,
                  authors: frozenset[int] | None = None) -> Situation:
    """The rules' view of one version of a draft (the current one unless given)."""
    memo = memo or Memo()
    version = version or draft.current_version
    account = draft.account
    verdict = verdict or version.verdict
    if decisions is None:
        decisions = list(Decision.objects.filter(version=version))
    approvals = tuple(Approval(d.user_id, d.step, d.content_hash) for d in decisions
                      if d.kind == DecisionKind.APPROVAL)
    signed = next((d.content_hash for d in decisions
                   if d.kind == DecisionKind.SIGNOFF and d.user_id == account.principal_id), None)
    return Situation(content_hash=version.content_hash, verdict=verdict,
                     authors=authors_of(draft) if authors is None else authors,
                     eligible=memo.eligible_for(account, verdict), approvals=approvals,
                     executive=account.is_executive, principal_id=account.principal_id,
                     principal_signed_hash=signed, preauthorized=memo.preauthorized(account),
                     policy=memo.policy(account))


def has_preauthorization(account: Any) -> bool:
    if not account.is_executive or account.principal_id is None:
        return False
    now = timezone.now()
    return any(p.is_active(now) for p in PreAuthorization.objects.filter(
        account=account, principal_id=account.principal_id, revoked_at__isnull=True))


def evaluation_for(draft: Draft, memo: Memo | None = None) -> Evaluation:
    return evaluate(situation_for(draft, memo=memo))


# --- drafts and versions --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Content:
    text: str
    media: tuple[dict[str, Any], ...] = ()   # ({"sha256", "name", "type", "size", "alt"}, ...) in order
    scheduled_at: datetime | None = None
    reply_to: str = ""        # the post answered: its platform id or web address ("" for a new post)
    reply_to_text: str = ""   # the answered post's text as pasted (optional), screening's context


def with_reply_target(account: Any, content: Content) -> Content:
    """``content`` with ``reply_to`` in the connector's id form (an address parsed, an id checked)."""
    if not content.reply_to.strip():
        if content.reply_to_text.strip():
            raise WorkflowError(gettext_noop("The text of the post answered was given, but not which post it is: "
                                             "fill in “In reply to” with its address or id, or clear the text."),
                                code="invalid")
        return replace(content, reply_to="", reply_to_text="")
    host = urlsplit(account.base_url).hostname if account.platform == "mastodon" and account.base_url else None
    try:
        target = parse_reply_target(content.reply_to, account.platform, account_host=host)
    except ReplyTargetError as exc:
        raise WorkflowError(gettext_noop("In reply to: %(problem)s."), code="invalid",
                            params={"problem": str(exc)}) from None
    return replace(content, reply_to=target, reply_to_text=content.reply_to_text.strip())


def _check_content(account: Any, content: Content, *, now: datetime | None = None) -> None:
    if not content.text.strip():
        raise WorkflowError(gettext_noop("The post is empty; write the text to publish."), code="invalid")
    limit = MAX_CHARS.get(account.platform)
    if limit and len(content.text) > limit:
        raise WorkflowError(gettext_noop("The post has %(n)s characters; %(platform)s accepts at most %(limit)s."),
                            code="invalid", params={"n": len(content.text), "limit": limit,
                                                    "platform": str(account.get_platform_display())})
    try:
        media.check_set(content.media, account.platform)
    except media.MediaError as exc:
        raise WorkflowError("%(problem)s", code="invalid", params={"problem": str(exc)}) from None
    if content.scheduled_at is not None:
        if content.scheduled_at.tzinfo is None:
            raise WorkflowError(gettext_noop("The schedule time needs a time zone."), code="invalid")
        if content.scheduled_at <= (now or timezone.now()):
            raise WorkflowError(gettext_noop("The schedule time is in the past; pick a later time or leave it empty to "
                                   "publish as soon as the post is approved."), code="invalid")


def _hash(account: Any, content: Content) -> str:
    return content_hash(content.text, media_hashes=[m["sha256"] for m in content.media], account=account.pk,
                        scheduled_at=content.scheduled_at, media_alt=[m.get("alt", "") for m in content.media],
                        reply_to=content.reply_to, reply_to_text=content.reply_to_text)


def screen_version(version: DraftVersion) -> screening.Screening:
    """Screen a version's text, as a reply to what it answers when it answers something."""
    return screening.run(version.text, reply_to_text=version.reply_to_text or None)


def _make_version(draft: Draft, number: int, author: Any, content: Content) -> DraftVersion:
    result = screening.run(content.text, reply_to_text=content.reply_to_text or None)
    return DraftVersion.objects.create(
        draft=draft, number=number, text=content.text, media=list(content.media),
        scheduled_at=content.scheduled_at, reply_to=content.reply_to, reply_to_text=content.reply_to_text,
        content_hash=_hash(draft.account, content), author=author,
        screening=result.to_json(), verdict=result.verdict)


def create_draft(user: Any, account: Any, content: Content, *, title: str = "") -> Draft:
    _require(user, "draft.create", account, gettext_noop("write drafts"))
    content = with_reply_target(account, content)
    _check_content(account, content)
    with transaction.atomic():
        draft = Draft.objects.create(organization_id=account.organization_id, account=account,
                                     title=title.strip()[:200], created_by=user)
        version = _make_version(draft, 1, user, content)
        Draft.objects.filter(pk=draft.pk).update(current_version=version)
        draft.current_version = version
        record("publishing.draft.created", actor=user, organization=account.organization_id, target=draft,
               payload={"account": account.pk, "version": 1, "content_hash": version.content_hash,
                        "verdict": version.verdict, "media": [m["sha256"] for m in version.media],
                        "reply_to": version.reply_to or None})
    return draft


def _cancel_pending_outbox(draft: Draft) -> None:
    if Outbox.objects.filter(draft=draft, status=OutboxStatus.CLAIMED).exists():
        raise WorkflowError(gettext_noop("This post is being published right now; it can no longer be changed."),
                            code="conflict")
    Outbox.objects.filter(draft=draft, status=OutboxStatus.PENDING).update(status=OutboxStatus.CANCELLED)


def new_version(user: Any, draft: Draft, content: Content, *, base_version: int,
                action: str = "draft.edit") -> DraftVersion:
    """Save an edit as a new version; approvals of earlier versions no longer count (their hash differs).

    ``base_version`` is the version number the editor started from: if someone saved another version in
    the meantime the edit is refused instead of silently overwriting theirs.
    """
    _require(user, action, draft.account, gettext_noop("edit drafts") if action == "draft.edit" else gettext_noop("schedule posts"))
    content = with_reply_target(draft.account, content)
    _check_content(draft.account, content)
    with transaction.atomic():
        locked = (Draft.objects.select_for_update(of=("self",)).select_related("current_version")
                  .get(pk=draft.pk))
        current = locked.current_version
        if current.number != base_version:
            raise WorkflowError(gettext_noop("Someone saved version %(current)s while you were editing version %(base)s; "
                                   "reload the draft and apply your change again."), code="stale",
                                params={"current": current.number, "base": base_version})
        if locked.status not in EDITABLE:
            raise WorkflowError(gettext_noop("A post in state “%(status)s” cannot be edited."), code="conflict",
                                params={"status": str(locked.get_status_display())})
        _cancel_pending_outbox(locked)
        version = _make_version(locked, current.number + 1, user, content)
        status = (DraftStatus.IN_REVIEW if locked.status in (DraftStatus.IN_REVIEW, DraftStatus.SCHEDULED)
                  and version.verdict != "block" else DraftStatus.DRAFT)
        changed = Draft.objects.filter(pk=locked.pk, current_version=current).update(
            current_version=version, status=status, updated_at=timezone.now())
        if changed != 1:
            raise WorkflowError(gettext_noop("The draft changed while saving; reload and try again."), code="stale")
        diff = line_diff(current.text, version.text)
        record("publishing.draft.version", actor=user, organization=locked.organization_id, target=locked,
               payload={"version": version.number, "content_hash": version.content_hash,
                        "previous_hash": current.content_hash, "verdict": version.verdict,
                        "scheduled_at": version.scheduled_at.isoformat() if version.scheduled_at else None,
                        "lines_added": sum(d.kind == "add" for d in diff),
                        "lines_removed": sum(d.kind == "remove" for d in diff),
                        "media": [m["sha256"] for m in version.media],
                        "media_changes": media.changes(current.media, version.media),
                        "reply_to": version.reply_to or None,
                        "voided_approvals": Decision.objects.filter(
                            version=current, kind=DecisionKind.APPROVAL).count()})
    draft.refresh_from_db()
    return version


def schedule(user: Any, draft: Draft, when: datetime | None, *, base_version: int) -> DraftVersion:
    """Set (or clear) the publish time: a new version, because approvals cover the time too."""
    current = draft.current_version
    content = Content(text=current.text, media=tuple(current.media), scheduled_at=when,
                      reply_to=current.reply_to, reply_to_text=current.reply_to_text)
    version = new_version(user, draft, content, base_version=base_version, action="draft.schedule")
    record("publishing.draft.scheduled", actor=user, organization=draft.organization_id, target=draft,
           payload={"version": version.number, "scheduled_at": when.isoformat() if when else None})
    return version


def submit(user: Any, draft: Draft) -> None:
    """Ask for approval. The text is screened again (models and policies change); ``block`` refuses.

    A version that already holds every approval it needs (say, resubmitted unchanged after a failed
    publish) goes straight back to the schedule: its approvals are bound to its exact content.
    """
    _require(user, "draft.edit", draft.account, gettext_noop("submit drafts"))
    current = draft.current_version
    fresh = screen_version(current)  # outside the transaction: it may load models
    if screening.worse(current.verdict, fresh.verdict) != current.verdict:
        # Kept even when the submit is refused below: the draft page shows why.
        DraftVersion.objects.filter(pk=current.pk).update(verdict=fresh.verdict, screening=fresh.to_json())
    with transaction.atomic():
        locked = (Draft.objects.select_for_update(of=("self",)).select_related("current_version", "account")
                  .get(pk=draft.pk))
        version = locked.current_version
        verdict = version.verdict
        if verdict == "block":
            raise WorkflowError(gettext_noop("Screening blocked this text; edit it before submitting."), code="blocked")
        changed = Draft.objects.filter(pk=locked.pk, status__in=[DraftStatus.DRAFT, DraftStatus.REJECTED,
                                                                 DraftStatus.FAILED, DraftStatus.WITHDRAWN]).update(
            status=DraftStatus.IN_REVIEW, updated_at=timezone.now())
        if changed != 1:
            raise WorkflowError(gettext_noop("This draft is in state “%(status)s”; it cannot be submitted again."),
                                code="conflict", params={"status": str(locked.get_status_display())})
        record("publishing.draft.submitted", actor=user, organization=locked.organization_id, target=locked,
               payload={"version": version.number, "content_hash": version.content_hash, "verdict": verdict})
        _advance(locked, user)
    draft.refresh_from_db()


def withdraw(user: Any, draft: Draft, *, reason: str = "") -> None:
    """Stop a draft that is in review or scheduled (its queued publish is cancelled); it can be edited and
    submitted again later."""
    if not (can(user, "draft.edit", account=draft.account) or can(user, "draft.publish", account=draft.account)):
        raise WorkflowError(gettext_noop("Your roles do not allow you to withdraw posts."), code="forbidden")
    with transaction.atomic():
        locked = Draft.objects.select_for_update(of=("self",)).get(pk=draft.pk)
        if locked.status not in (DraftStatus.DRAFT, DraftStatus.IN_REVIEW, DraftStatus.SCHEDULED,
                                 DraftStatus.REJECTED, DraftStatus.FAILED):
            raise WorkflowError(gettext_noop("A post in state “%(status)s” cannot be withdrawn."), code="conflict",
                                params={"status": str(locked.get_status_display())})
        _cancel_pending_outbox(locked)
        Draft.objects.filter(pk=locked.pk).update(status=DraftStatus.WITHDRAWN, updated_at=timezone.now())
        record("publishing.draft.withdrawn", actor=user, organization=locked.organization_id, target=locked,
               payload={"previous_status": locked.status, "reason": reason.strip()[:500]})
    draft.refresh_from_db()


def comment(user: Any, draft: Draft, body: str) -> Comment:
    if not (can(user, "draft.comment", account=draft.account) or can(user, "draft.signoff", account=draft.account)):
        raise WorkflowError(gettext_noop("Your roles do not allow you to comment on drafts."), code="forbidden")
    if not body.strip():
        raise WorkflowError(gettext_noop("The comment is empty."), code="invalid")
    item = Comment.objects.create(draft=draft, version=draft.current_version, author=user, body=body.strip())
    record("publishing.draft.comment", actor=user, organization=draft.organization_id, target=draft,
           payload={"comment": item.pk, "version": draft.current_version.number})
    return item


# --- approvals, sign-offs, rejections -------------------------------------------------------------------

def _locked_for_decision(draft: Draft, expected_hash: str) -> Draft:
    locked = (Draft.objects.select_for_update(of=("self",)).select_related("current_version", "account")
              .get(pk=draft.pk))
    if locked.current_version.content_hash != expected_hash:
        raise ApprovalRefused(gettext_noop("This version is out of date: the draft was edited after you opened it. "
                                 "Review the current version and decide on that."), code="stale")
    if locked.status != DraftStatus.IN_REVIEW:
        raise WorkflowError(gettext_noop("This draft is in state “%(status)s”, not awaiting approval."), code="conflict",
                            params={"status": str(locked.get_status_display())})
    return locked


def _save_decision(draft: Draft, user: Any, kind: str, step: int, note: str) -> Decision:
    version = draft.current_version
    try:
        with transaction.atomic():
            return Decision.objects.create(draft=draft, version=version, user=user, kind=kind, step=step,
                                           content_hash=version.content_hash, note=note.strip())
    except IntegrityError:
        raise ApprovalRefused(gettext_noop("You have already decided on this version."), code="duplicate") from None


def approve(user: Any, draft: Draft, expected_hash: str, *, note: str = "") -> Decision:
    """Approve the version with ``expected_hash``; refused when stale, self-authored, out of turn or twice."""
    _require_view(user, draft)
    with transaction.atomic():
        locked = _locked_for_decision(draft, expected_hash)
        step = check_approval(situation_for(locked), user.pk, expected_hash)
        decision = _save_decision(locked, user, DecisionKind.APPROVAL, step, note)
        record("publishing.approval", actor=user, organization=locked.organization_id, target=locked,
               payload={"version": locked.current_version.number, "content_hash": expected_hash, "step": step})
        _advance(locked, user)
    draft.refresh_from_db()
    return decision


def sign_off(user: Any, draft: Draft, expected_hash: str, *, note: str = "") -> Decision:
    """The principal's own sign-off of the exact version published in their name."""
    _require_view(user, draft)
    with transaction.atomic():
        locked = _locked_for_decision(draft, expected_hash)
        check_sign_off(situation_for(locked), user.pk, expected_hash)
        decision = _save_decision(locked, user, DecisionKind.SIGNOFF, 0, note)
        record("publishing.signoff", actor=user, organization=locked.organization_id, target=locked,
               payload={"version": locked.current_version.number, "content_hash": expected_hash})
        _advance(locked, user)
    draft.refresh_from_db()
    return decision


def may_decide(user: Any, draft: Draft) -> bool:
    """Whether the user is someone whose decision the policy asks for (an approver of a step or the principal)."""
    s = situation_for(draft)
    if user.pk in s.authors:
        return False
    return user.pk == s.principal_id or any(user.pk in e for e in s.eligible)


def reject(user: Any, draft: Draft, expected_hash: str, *, note: str) -> Decision:
    """Send the draft back to its author with a reason; only someone the policy asks may reject."""
    _require_view(user, draft)
    if not note.strip():
        raise WorkflowError(gettext_noop("Say why you reject this version; the author needs to know what to change."),
                            code="invalid")
    with transaction.atomic():
        locked = _locked_for_decision(draft, expected_hash)
        if not may_decide(user, locked):
            raise ApprovalRefused(gettext_noop("You are not an approver of this draft, so you cannot reject it."),
                                  code="not_eligible")
        decision = _save_decision(locked, user, DecisionKind.REJECTION, 0, note)
        Draft.objects.filter(pk=locked.pk, status=DraftStatus.IN_REVIEW).update(
            status=DraftStatus.REJECTED, updated_at=timezone.now())
        record("publishing.rejection", actor=user, organization=locked.organization_id, target=locked,
               payload={"version": locked.current_version.number, "content_hash": expected_hash,
                        "note": note.strip()[:500]})
    draft.refresh_from_db()
    return decision


def _advance(draft: Draft, actor: Any) -> None:
    """Once the current version is cleared, queue it for publishing (exactly one outbox row per content)."""
    if not evaluate(situation_for(draft)).cleared:
        return
    version = draft.current_version
    changed = Draft.objects.filter(pk=draft.pk, status=DraftStatus.IN_REVIEW, current_version=version).update(
        status=DraftStatus.SCHEDULED, updated_at=timezone.now())
    if changed != 1:
        return
    enqueue(draft, version, actor=actor)


def enqueue(draft: Draft, version: DraftVersion, *, actor: Any, break_glass: bool = False) -> Outbox:
    key = idempotency_key(draft.pk, version.content_hash, break_glass=break_glass)
    fields = {"organization_id": draft.organization_id, "account_id": draft.account_id, "draft": draft,
              "version": version, "content_hash": version.content_hash, "text": version.text,
              "not_before": version.scheduled_at or timezone.now(), "break_glass": break_glass,
              "created_by": actor, "status": OutboxStatus.PENDING}
    row, created = Outbox.objects.get_or_create(idempotency_key=key, defaults=fields)
    if not created:
        # The same content was queued before: cancelled by an edit since undone, or failed and now
        # resubmitted. The row keeps its attempts and first claim time, so the worker looks for the post
        # on the platform before trying again.
        if row.status not in (OutboxStatus.CANCELLED, OutboxStatus.FAILED):
            raise WorkflowError(gettext_noop("This exact content is already queued or published (%(status)s)."),
                                code="conflict", params={"status": str(row.get_status_display())})
        for name, value in fields.items():
            setattr(row, name, value)
        row.claim_token, row.done_at = "", None
        row.save()
    record("publishing.queued", actor=actor, organization=draft.organization_id, target=draft,
           payload={"outbox": row.pk, "idempotency_key": key, "not_before": row.not_before.isoformat(),
                    "break_glass": break_glass, "content_hash": version.content_hash})
    return row


# --- queries for the pages and the API ------------------------------------------------------------------

def visible_drafts(user: Any, org: Any, *, memo: Memo | None = None, status: str | None = None,
                   limit: int | None = None) -> list[Draft]:
    """The organisation's drafts the user may see, most recently changed first."""
    memo = memo or Memo()
    drafts = Draft.objects.filter(organization=org).select_related("account", "current_version", "created_by")
    if status:
        drafts = drafts.filter(status=status)
    if limit:
        drafts = drafts[:limit]
    return [d for d in drafts if memo.can(user, "draft.view", d.account)]


def queue_for(user: Any, org: Any) -> list[tuple[Draft, Evaluation, bool]]:
    """Drafts awaiting approval, with where they stand and whether this user can act now."""
    memo = Memo()
    drafts = visible_drafts(user, org, memo=memo, status=DraftStatus.IN_REVIEW)
    authors: dict[int, set[int]] = {d.pk: {d.created_by_id} for d in drafts}
    for draft_id, author_id in DraftVersion.objects.filter(draft__in=drafts).values_list("draft_id", "author_id"):
        authors[draft_id].add(author_id)
    decisions: dict[int, list[Decision]] = {d.current_version_id: [] for d in drafts}
    for decision in Decision.objects.filter(version_id__in=list(decisions)):
        decisions[decision.version_id].append(decision)
    out = []
    for draft in drafts:
        s = situation_for(draft, memo=memo, decisions=decisions[draft.current_version_id],
                          authors=frozenset(authors[draft.pk]))
        ev = evaluate(s)
        mine = user.pk not in s.authors and (
            (ev.current_step is not None and user.pk in s.eligible[ev.current_step]
             and not any(a.user_id == user.pk for a in s.approvals))
            or (s.executive and user.pk == s.principal_id and not ev.principal_ok))
        out.append((draft, ev, mine))
    out.sort(key=lambda item: (not item[2], item[0].updated_at))
    return out


def member_accounts(user: Any, org: Any, action: str = "draft.create") -> list[Any]:
    from kawal.apps.social.models import SocialAccount

    if not Membership.objects.filter(user=user, organization=org).exists():
        return []
    return [a for a in SocialAccount.objects.filter(organization=org) if can(user, action, account=a)]


def versions_with_diffs(draft: Draft) -> list[tuple[DraftVersion, list[Any], list[str]]]:
    """Each version with its line diff and the image changes from the version before, newest first."""
    versions = list(draft.versions.select_related("author").order_by("number"))
    out, previous = [], None
    for v in versions:
        out.append((v, line_diff(previous.text, v.text) if previous else [],
                    media.changes(previous.media, v.media) if previous else []))
        previous = v
    return list(reversed(out))


def parse_media(items: Sequence[dict[str, Any]], *, organization_id: int,
                known: Sequence[dict[str, Any]] = ()) -> tuple[dict[str, Any], ...]:
    """Attachments given as ``{"sha256", "alt"?, "name"?}`` (uploaded before): each must be in the media
    store and still an image; at most four. Refused with the reason rather than dropped. An image without
    a name keeps the one it has in ``known`` (the version being edited)."""
    names = {m["sha256"]: m.get("name", "") for m in known}
    if len(items) > media.MAX_IMAGES:
        raise WorkflowError("%(problem)s", code="invalid", params={
            "problem": f"{len(items)} images attached; a post holds at most {media.MAX_IMAGES}."})
    seen: set[str] = set()
    out = []
    for item in items:
        sha = str(item.get("sha256", ""))
        if sha in seen:
            raise WorkflowError("%(problem)s", code="invalid",
                                params={"problem": f"image {sha[:12]}… is attached twice."})
        seen.add(sha)
        try:
            out.append(media.describe(sha, organization_id=organization_id,
                                      name=str(item.get("name") or names.get(sha, "")),
                                      alt=str(item.get("alt") or "")))
        except media.MediaError as exc:
            raise WorkflowError("%(problem)s", code="invalid", params={"problem": str(exc)}) from None
    return tuple(out)
