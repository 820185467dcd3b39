"""People API: who am I, my organisations, the token organisation's members."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from kawal.apps.audit.log import record
from kawal.apps.orgs.api_auth import api_org, require
from kawal.apps.orgs.models import Membership, validate_roles
from kawal.apps.orgs.permissions import effective_roles, requires_2fa

router = Router()


class OrgOut(Schema):
    id: int
    name: str
    slug: str
    timezone: str
    publishing_paused: bool


class MeOut(Schema):
    id: int
    username: str
    email: str
    organization: OrgOut
    roles: list[str]
    requires_2fa: bool


class GrantOut(Schema):
    account_id: int
    roles: list[str]


class MemberOut(Schema):
    id: int
    user_id: int
    username: str
    email: str
    roles: list[str]
    grants: list[GrantOut]


class RolesIn(Schema):
    roles: list[str]


@router.get("/me", response=MeOut, summary="The token's user, organisation and roles")
def me(request: HttpRequest) -> dict:
    org = api_org(request)
    user = request.user
    return {"id": user.pk, "username": user.get_username(), "email": user.email, "organization": org,
            "roles": sorted(effective_roles(user, org=org)), "requires_2fa": requires_2fa(user)}


@router.get("/organizations", response=list[OrgOut], summary="Organisations the user belongs to")
def organizations(request: HttpRequest) -> list:
    api_org(request)
    return [m.organization for m in Membership.objects.filter(user=request.user).select_related("organization")]


def _member_out(m: Membership) -> dict:
    return {"id": m.pk, "user_id": m.user_id, "username": m.user.get_username(), "email": m.user.email,
            "roles": m.roles, "grants": [{"account_id": g.account_id, "roles": g.roles} for g in m.grants.all()]}


@router.get("/members", response=list[MemberOut], summary="Members of the token's organisation")
def members(request: HttpRequest) -> list:
    org = require(request, "members.view")
    query = Membership.objects.filter(organization=org).select_related("user").prefetch_related("grants")
    return [_member_out(m) for m in query]


@router.put("/members/{membership_id}/roles", response=MemberOut, summary="Replace a member's roles")
def set_roles(request: HttpRequest, membership_id: int, body: RolesIn) -> dict:
    org = require(request, "members.manage")
    membership = Membership.objects.filter(organization=org, pk=membership_id).select_related("user").first()
    if membership is None:
        raise HttpError(404, "no such member in this organisation")
    try:
        roles = validate_roles(body.roles)
    except ValueError as exc:
        raise HttpError(422, str(exc)) from None
    if not roles:
        raise HttpError(422, "a member needs at least one role")
    before = membership.roles
    membership.roles = roles
    membership.save()
    record("member.roles_changed", actor=request.user, organization=org, target=membership.user,
           payload={"username": membership.user.get_username(), "before": before, "after": roles, "via": "api"})
    return _member_out(membership)
