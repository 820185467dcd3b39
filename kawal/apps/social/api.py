"""Accounts API: list, read, pause and resume. Credentials never leave the server."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from kawal.apps.audit.log import record
from kawal.apps.orgs.api_auth import require
from kawal.apps.orgs.permissions import can
from kawal.apps.social.models import SocialAccount

router = Router()


class AccountOut(Schema):
    id: int
    platform: str
    handle: str
    display_name: str
    base_url: str
    sanctioned_clients: list[str]
    is_executive: bool
    principal_id: int | None
    paused: bool
    paused_reason: str
    timezone: str
    last_synced_at: datetime | None
    has_credentials: bool


class PauseIn(Schema):
    paused: bool
    reason: str = ""


def _account(request: HttpRequest, account_id: int, action: str) -> SocialAccount:
    org = require(request, "account.view")
    account = SocialAccount.objects.filter(organization=org, pk=account_id).first()
    if account is None or not can(request.user, "account.view", account=account):
        raise HttpError(404, "no such account in this organisation")
    require(request, action, account=account)
    return account


@router.get("/accounts", response=list[AccountOut], summary="Accounts of the token's organisation")
def accounts(request: HttpRequest) -> list:
    org = require(request, "account.view")
    return [a for a in SocialAccount.objects.filter(organization=org)
            if can(request.user, "account.view", account=a)]


@router.get("/accounts/{account_id}", response=AccountOut, summary="One account")
def account(request: HttpRequest, account_id: int) -> SocialAccount:
    return _account(request, account_id, "account.view")


@router.post("/accounts/{account_id}/pause", response=AccountOut, summary="Pause or resume an account")
def pause(request: HttpRequest, account_id: int, body: PauseIn) -> SocialAccount:
    target = _account(request, account_id, "account.pause")
    target.paused, target.paused_reason = body.paused, (body.reason if body.paused else "")
    target.save(update_fields=["paused", "paused_reason"])
    record("account.paused" if body.paused else "account.resumed", actor=request.user,
           organization=target.organization, target=target, payload={"reason": target.paused_reason, "via": "api"})
    return target
