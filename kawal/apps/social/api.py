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


class AccountIn(Schema):
    platform: str
    handle: str
    display_name: str = ""
    base_url: str = ""
    sanctioned_clients: list[str] = []
    is_executive: bool = False
    principal_id: int | None = None
    timezone: str = "Asia/Jakarta"
    credentials: dict[str, str] | None = None


class CredentialsIn(Schema):
    credentials: dict[str, str]


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


def _check_account_in(org: object, body: AccountIn) -> None:
    from zoneinfo import available_timezones

    from kawal.apps.orgs.models import Membership
    from kawal.apps.social.models import PlatformName

    if body.platform not in PlatformName.values:
        raise HttpError(422, f"unknown platform {body.platform!r}; use one of {', '.join(PlatformName.values)}")
    if not body.handle.strip():
        raise HttpError(422, "handle must not be empty")
    if body.timezone not in available_timezones():
        raise HttpError(422, f"unknown time zone {body.timezone!r}")
    if body.is_executive and body.principal_id is None:
        raise HttpError(422, "an executive account needs principal_id")
    if body.principal_id is not None and not Membership.objects.filter(
            organization=org, user_id=body.principal_id).exists():
        raise HttpError(422, f"principal_id {body.principal_id} is not a member of this organisation")
    if SocialAccount.objects.filter(organization=org, platform=body.platform, base_url=body.base_url,
                                    handle=body.handle).exists():
        raise HttpError(409, "this account is already connected")


@router.post("/accounts", response={201: AccountOut}, summary="Connect an account (credentials write-only)")
def create_account(request: HttpRequest, body: AccountIn) -> tuple[int, SocialAccount]:
    org = require(request, "account.manage")
    _check_account_in(org, body)
    account = SocialAccount(organization=org, platform=body.platform, handle=body.handle.strip(),
                            display_name=body.display_name, base_url=body.base_url,
                            sanctioned_clients=[c.strip() for c in body.sanctioned_clients if c.strip()],
                            is_executive=body.is_executive, principal_id=body.principal_id,
                            timezone=body.timezone)
    if body.credentials:
        account.set_credentials(body.credentials)
    account.save()
    record("account.connected", actor=request.user, organization=org, target=account,
           payload={"platform": account.platform, "handle": account.handle, "via": "api",
                    "credential_keys": sorted(body.credentials or {})})
    return 201, account


@router.put("/accounts/{account_id}/credentials", response=AccountOut, summary="Replace an account's credentials")
def replace_credentials(request: HttpRequest, account_id: int, body: CredentialsIn) -> SocialAccount:
    target = _account(request, account_id, "account.manage")
    if not body.credentials:
        raise HttpError(422, "credentials must be a non-empty object")
    target.set_credentials(body.credentials)
    target.save(update_fields=["credentials", "credentials_updated_at"])
    record("account.credentials_changed", actor=request.user, organization=target.organization, target=target,
           payload={"credential_keys": sorted(body.credentials), "via": "api"})
    return target
