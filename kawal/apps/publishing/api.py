"""Publishing API (mounted at /api/publishing/): drafts, versions, approvals, sign-off, schedule, pause.

Every route calls the same workflow services as the web pages. Refusals come back with the service's
message: 403 for roles, 409 for a stale or conflicting state, 400 for bad input.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict

from kawal.apps.orgs.api_auth import api_org
from kawal.apps.orgs.permissions import can
from kawal.apps.publishing import control, media, services
from kawal.apps.publishing.diff import unified_diff
from kawal.apps.publishing.models import Decision, Draft, DraftVersion
from kawal.apps.publishing.services import REFUSALS, Content
from kawal.apps.social.models import SocialAccount

router = Router()
T = TypeVar("T")
STATUS_FOR_CODE = {"forbidden": 403, "stale": 409, "conflict": 409, "duplicate": 409, "complete": 409,
                   "paused": 409, "not_executive": 409, "blocked": 409}


def _call(fn: Callable[[], T]) -> T:
    try:
        return fn()
    except REFUSALS as exc:
        code = getattr(exc, "code", "invalid")
        status = STATUS_FOR_CODE.get(code, 403 if code in ("self", "not_eligible", "not_principal") else 400)
        raise HttpError(status, services.message_of(exc)) from exc


class MediaIn(Schema):
    # An image uploaded before (POST /media): its hash, its alt text, and optionally a file name to show.
    model_config = ConfigDict(extra="forbid")
    sha256: str
    alt: str = ""
    name: str = ""


class UploadIn(Schema):
    name: str
    content_base64: str


class UploadOut(Schema):
    sha256: str
    name: str
    type: str
    size: int


class DraftIn(Schema):
    account_id: int
    text: str
    title: str = ""
    scheduled_at: datetime | None = None
    media: list[MediaIn] = []
    submit: bool = False
    # A reply: the answered post's id or web address, and its text (optional) for screening in context.
    reply_to: str = ""
    reply_to_text: str = ""


class VersionIn(Schema):
    text: str
    base_version: int
    scheduled_at: datetime | None = None
    media: list[MediaIn] | None = None
    # None keeps what the current version answers; "" makes it a new post. A new reply_to without
    # reply_to_text drops the old pasted text (it belonged to another post).
    reply_to: str | None = None
    reply_to_text: str | None = None


class ScheduleIn(Schema):
    base_version: int
    scheduled_at: datetime | None = None


class DecisionIn(Schema):
    content_hash: str
    note: str = ""


class CommentIn(Schema):
    body: str


class PauseIn(Schema):
    paused: bool
    reason: str = ""


class BreakGlassIn(Schema):
    account_id: int
    text: str
    reason: str


class PolicyIn(Schema):
    # Unknown fields are refused (422 naming them), never dropped; the steps are checked by Policy.from_json.
    model_config = ConfigDict(extra="forbid")
    steps: list[dict[str, Any]] | None = None
    review_step: dict[str, Any] | None = None


class VersionOut(Schema):
    number: int
    text: str
    media: list[dict[str, Any]]
    media_changes: list[str]
    scheduled_at: datetime | None
    reply_to: str
    reply_to_text: str
    content_hash: str
    author: str
    verdict: str
    screening: dict[str, Any]
    created_at: datetime
    diff: str


class DecisionOut(Schema):
    user: str
    kind: str
    step: int
    version: int
    content_hash: str
    counts: bool
    note: str
    created_at: datetime


class DraftOut(Schema):
    id: int
    account_id: int
    title: str
    status: str
    break_glass: bool
    created_by: str
    version: int
    text: str
    media: list[dict[str, Any]]
    scheduled_at: datetime | None
    reply_to: str
    reply_to_text: str
    content_hash: str
    verdict: str
    cleared: bool
    waiting_for: list[str]


class DraftDetailOut(DraftOut):
    versions: list[VersionOut]
    decisions: list[DecisionOut]


def _draft(request: HttpRequest, draft_id: int) -> Draft:
    org = api_org(request)
    draft = (Draft.objects.filter(organization=org, pk=draft_id)
             .select_related("account", "current_version", "created_by").first())
    if draft is None or not can(request.user, "draft.view", account=draft.account):
        raise HttpError(404, "no such draft in this organisation")
    return draft


def _account(request: HttpRequest, account_id: int) -> SocialAccount:
    account = SocialAccount.objects.filter(organization=api_org(request), pk=account_id).first()
    if account is None or not can(request.user, "account.view", account=account):
        raise HttpError(404, "no such account in this organisation")
    return account


def _out(draft: Draft, memo: services.Memo | None = None) -> dict[str, Any]:
    v = draft.current_version
    ev = services.evaluation_for(draft, memo)
    return {"id": draft.pk, "account_id": draft.account_id, "title": draft.title, "status": draft.status,
            "break_glass": draft.break_glass, "created_by": draft.created_by.get_username(), "version": v.number,
            "text": v.text, "media": v.media, "scheduled_at": v.scheduled_at, "reply_to": v.reply_to,
            "reply_to_text": v.reply_to_text, "content_hash": v.content_hash, "verdict": v.verdict,
            "cleared": ev.cleared, "waiting_for": list(ev.reasons)}


def _versions(draft: Draft) -> list[dict[str, Any]]:
    out, previous = [], None
    for v in DraftVersion.objects.filter(draft=draft).select_related("author").order_by("number"):
        out.append({"number": v.number, "text": v.text, "media": v.media, "scheduled_at": v.scheduled_at,
                    "reply_to": v.reply_to, "reply_to_text": v.reply_to_text,
                    "media_changes": media.changes(previous.media, v.media) if previous else [],
                    "content_hash": v.content_hash, "author": v.author.get_username(), "verdict": v.verdict,
                    "screening": v.screening, "created_at": v.created_at,
                    "diff": unified_diff(previous.text, v.text, old_label=f"v{previous.number}",
                                         new_label=f"v{v.number}") if previous else ""})
        previous = v
    return out


def _reply_of(body: VersionIn, current: DraftVersion) -> dict[str, str]:
    """What the new version answers: the body's values, the current version's where the body gives none."""
    if body.reply_to is None:
        text = current.reply_to_text if body.reply_to_text is None else body.reply_to_text
        return {"reply_to": current.reply_to, "reply_to_text": text}
    same_post = body.reply_to.strip() == current.reply_to
    text = body.reply_to_text if body.reply_to_text is not None else (current.reply_to_text if same_post else "")
    return {"reply_to": body.reply_to, "reply_to_text": text}


def _decisions(draft: Draft) -> list[dict[str, Any]]:
    current = draft.current_version.content_hash
    return [{"user": d.user.get_username(), "kind": d.kind, "step": d.step, "version": d.version.number,
             "content_hash": d.content_hash, "counts": d.content_hash == current and d.kind != "rejection",
             "note": d.note, "created_at": d.created_at}
            for d in Decision.objects.filter(draft=draft).select_related("user", "version")]


def _detail(draft: Draft) -> dict[str, Any]:
    draft = Draft.objects.select_related("account", "current_version", "created_by").get(pk=draft.pk)
    return {**_out(draft), "versions": _versions(draft), "decisions": _decisions(draft)}


UPLOAD_DOC = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                       "properties": {"file": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": UploadIn.model_json_schema()}}}}


@router.post("/media", response={201: UploadOut}, openapi_extra=UPLOAD_DOC,
             summary="Upload an image (JPEG, PNG, GIF, WebP; up to 5 MB): multipart `file`, or JSON "
                     "{name, content_base64} for small images; returns its sha256")
def upload_media(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    if not services.member_accounts(request.user, api_org(request)):
        raise HttpError(403, "Your roles do not allow you to write drafts, so you cannot upload images.")
    name, data = _upload_of(request)
    try:
        stored = media.store(name, data, organization_id=api_org(request).pk)
    except media.MediaError as exc:
        raise HttpError(400, str(exc)) from None
    return 201, {"sha256": stored.sha256, "name": stored.name, "type": stored.type, "size": stored.size}


def _upload_of(request: HttpRequest) -> tuple[str, bytes]:
    """(name, bytes) of a multipart ``file`` (streamed by Django, so any size up to the limit) or of a JSON
    body (capped by DATA_UPLOAD_MAX_MEMORY_SIZE, 8 MiB in Kawal's settings, base64 included)."""
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise HttpError(400, "The upload has no part named 'file'.")
        try:
            media.check_size(upload.name, upload.size)   # before reading it into memory
        except media.MediaError as exc:
            raise HttpError(400, str(exc)) from None
        return upload.name, upload.read()
    try:
        body = UploadIn.model_validate_json(request.body)
    except ValueError as exc:
        raise HttpError(400, f"Send the image as a multipart 'file', or JSON {{name, content_base64}}: {exc}") from None
    try:
        return body.name, base64.b64decode(body.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise HttpError(400, f"{body.name}: content_base64 is not valid base64.") from None


@router.get("/drafts", response=list[DraftOut], summary="Drafts you can see, newest first")
def list_drafts(request: HttpRequest, status: str | None = None) -> list[dict[str, Any]]:
    memo = services.Memo()
    drafts = services.visible_drafts(request.user, api_org(request), memo=memo, status=status)
    return [_out(d, memo) for d in drafts]


@router.post("/drafts", response={201: DraftDetailOut}, summary="Write a draft (optionally submit it)")
def create_draft(request: HttpRequest, body: DraftIn) -> tuple[int, dict[str, Any]]:
    account = _account(request, body.account_id)
    media = _call(lambda: services.parse_media([m.dict() for m in body.media],
                                               organization_id=account.organization_id))
    content = Content(text=body.text, media=media, scheduled_at=body.scheduled_at, reply_to=body.reply_to,
                      reply_to_text=body.reply_to_text)
    draft = _call(lambda: services.create_draft(request.user, account, content, title=body.title))
    if body.submit:
        _call(lambda: services.submit(request.user, draft))
    return 201, _detail(draft)


@router.get("/drafts/{draft_id}", response=DraftDetailOut, summary="A draft with its versions, diffs and decisions")
def get_draft(request: HttpRequest, draft_id: int) -> dict[str, Any]:
    return _detail(_draft(request, draft_id))


@router.get("/drafts/{draft_id}/versions", response=list[VersionOut], summary="Versions with diffs")
def list_versions(request: HttpRequest, draft_id: int) -> list[dict[str, Any]]:
    return _versions(_draft(request, draft_id))


@router.post("/drafts/{draft_id}/versions", response={201: DraftDetailOut},
             summary="Edit: a new version (voids earlier approvals)")
def add_version(request: HttpRequest, draft_id: int, body: VersionIn) -> tuple[int, dict[str, Any]]:
    draft = _draft(request, draft_id)
    media = (tuple(draft.current_version.media) if body.media is None
             else _call(lambda: services.parse_media([m.dict() for m in body.media],
                                                     organization_id=draft.organization_id,
                                                     known=draft.current_version.media)))
    content = Content(text=body.text, media=media, scheduled_at=body.scheduled_at,
                      **_reply_of(body, draft.current_version))
    _call(lambda: services.new_version(request.user, draft, content, base_version=body.base_version))
    return 201, _detail(draft)


@router.post("/drafts/{draft_id}/schedule", response=DraftDetailOut,
             summary="Set or clear the publish time (a new version: approvals cover the time)")
def schedule(request: HttpRequest, draft_id: int, body: ScheduleIn) -> dict[str, Any]:
    draft = _draft(request, draft_id)
    _call(lambda: services.schedule(request.user, draft, body.scheduled_at, base_version=body.base_version))
    return _detail(draft)


@router.post("/drafts/{draft_id}/submit", response=DraftDetailOut, summary="Submit for approval")
def submit(request: HttpRequest, draft_id: int) -> dict[str, Any]:
    draft = _draft(request, draft_id)
    _call(lambda: services.submit(request.user, draft))
    return _detail(draft)


@router.post("/drafts/{draft_id}/approvals", response={201: DraftDetailOut},
             summary="Approve the version with this content hash")
def approve(request: HttpRequest, draft_id: int, body: DecisionIn) -> tuple[int, dict[str, Any]]:
    draft = _draft(request, draft_id)
    _call(lambda: services.approve(request.user, draft, body.content_hash, note=body.note))
    return 201, _detail(draft)


@router.post("/drafts/{draft_id}/signoff", response={201: DraftDetailOut},
             summary="The principal's own sign-off of the version with this content hash")
def sign_off(request: HttpRequest, draft_id: int, body: DecisionIn) -> tuple[int, dict[str, Any]]:
    draft = _draft(request, draft_id)
    _call(lambda: services.sign_off(request.user, draft, body.content_hash, note=body.note))
    return 201, _detail(draft)


@router.post("/drafts/{draft_id}/rejections", response={201: DraftDetailOut},
             summary="Reject the version with this content hash, with a reason")
def reject(request: HttpRequest, draft_id: int, body: DecisionIn) -> tuple[int, dict[str, Any]]:
    draft = _draft(request, draft_id)
    _call(lambda: services.reject(request.user, draft, body.content_hash, note=body.note))
    return 201, _detail(draft)


class WithdrawIn(Schema):
    reason: str = ""


@router.post("/drafts/{draft_id}/withdraw", response=DraftDetailOut,
             summary="Withdraw a draft in review or scheduled (cancels its queued publish)")
def withdraw(request: HttpRequest, draft_id: int, body: WithdrawIn) -> dict[str, Any]:
    draft = _draft(request, draft_id)
    _call(lambda: services.withdraw(request.user, draft, reason=body.reason))
    return _detail(draft)


@router.post("/drafts/{draft_id}/comments", response={201: dict}, summary="Comment on a draft")
def add_comment(request: HttpRequest, draft_id: int, body: CommentIn) -> tuple[int, dict[str, Any]]:
    draft = _draft(request, draft_id)
    item = _call(lambda: services.comment(request.user, draft, body.body))
    return 201, {"id": item.pk, "body": item.body}


@router.post("/pause", response=dict, summary="Pause (paused=true) or resume publishing for the organisation")
def pause_org(request: HttpRequest, body: PauseIn) -> dict[str, Any]:
    org = api_org(request)
    if body.paused:
        _call(lambda: control.pause_org(request.user, org, reason=body.reason))
    else:
        _call(lambda: control.resume_org(request.user, org))
    return {"organization": org.slug, "paused": org.publishing_paused}


@router.post("/accounts/{account_id}/pause", response=dict, summary="Pause or resume one account")
def pause_account(request: HttpRequest, account_id: int, body: PauseIn) -> dict[str, Any]:
    account = _account(request, account_id)
    if body.paused:
        _call(lambda: control.pause_account(request.user, account, reason=body.reason))
    else:
        _call(lambda: control.resume_account(request.user, account))
    return {"account": account.pk, "paused": account.paused}


@router.get("/accounts/{account_id}/policy", response=dict, summary="The account's approval policy")
def get_policy(request: HttpRequest, account_id: int) -> dict[str, Any]:
    return services.policy_for(_account(request, account_id)).to_json()


@router.put("/accounts/{account_id}/policy", response=dict,
            summary="Replace the account's approval policy (admins): {steps: [...], review_step: {...}}")
def put_policy(request: HttpRequest, account_id: int, body: PolicyIn) -> dict[str, Any]:
    account = _account(request, account_id)
    document = body.model_dump(exclude_none=True)
    return _call(lambda: control.set_policy(request.user, account, document)).to_json()


@router.post("/break-glass", response={201: DraftDetailOut},
             summary="Emergency publish without approvals; opens a forced review")
def break_glass(request: HttpRequest, body: BreakGlassIn) -> tuple[int, dict[str, Any]]:
    account = _account(request, body.account_id)
    draft = _call(lambda: control.break_glass(request.user, account, body.text, reason=body.reason))
    return 201, _detail(draft)
