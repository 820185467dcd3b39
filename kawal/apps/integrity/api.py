"""Integrity API (mounted at /api/integrity/): observed posts with their reconciliation, score and reasons,
and "sync now" for one account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from kawal.apps.integrity.models import ObservedPost, Verdict
from kawal.apps.integrity.sync import SyncBusy, SyncError, sync_account
from kawal.apps.orgs.api_auth import api_org, require
from kawal.apps.social.models import SocialAccount

router = Router()


class ObservedPostOut(Schema):
    id: int
    account_id: int
    platform_id: str
    created_at: datetime
    text: str
    client: str
    url: str
    verdict: str
    reason: str
    ledger_id: int | None
    score: float | None
    flagged: bool
    learning: bool
    reasons: list[dict[str, Any]]


class SyncOut(Schema):
    account_id: int
    new_posts: int
    incidents: list[int]
    profile_changes: list[str]


def _account(request: HttpRequest, account_id: int, action: str) -> SocialAccount:
    org = api_org(request)
    account = SocialAccount.objects.filter(organization=org, pk=account_id).first()
    if account is None:
        raise HttpError(404, "no such account in this organisation")
    require(request, action, account=account)
    return account


@router.get("/posts", response=list[ObservedPostOut])
def observed_posts(request: HttpRequest, account_id: int | None = None, verdict: str | None = None,
                   limit: int = 100) -> list[ObservedPost]:
    org = require(request, "account.view")
    if verdict is not None and verdict not in Verdict.values:
        raise HttpError(400, f"verdict must be one of {', '.join(Verdict.values)}")
    if not 1 <= limit <= 500:
        raise HttpError(400, "limit must be between 1 and 500")
    posts = ObservedPost.objects.filter(organization=org)
    if account_id is not None:
        posts = posts.filter(account=_account(request, account_id, "account.view"))
    if verdict is not None:
        posts = posts.filter(verdict=verdict)
    return list(posts[:limit])


@router.post("/accounts/{account_id}/sync", response=SyncOut)
def sync_now(request: HttpRequest, account_id: int) -> dict[str, Any]:
    account = _account(request, account_id, "integrity.sync")
    try:
        result = sync_account(account, actor=request.user)
    except SyncBusy as exc:
        raise HttpError(409, str(exc)) from exc
    except SyncError as exc:
        raise HttpError(502, str(exc)) from exc
    return {"account_id": account.pk, "new_posts": result.new_posts, "incidents": result.incidents,
            "profile_changes": result.profile_changes}
