"""The members page: people of the current organisation, their roles and per-account grants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kawal.apps.audit.log import record
from kawal.apps.orgs.current import current_org, switch_org
from kawal.apps.orgs.forms import AddMemberForm, GrantForm, OrganizationForm, RolesForm
from kawal.apps.orgs.models import ROLES_REQUIRING_2FA, AccountGrant, Membership, Organization
from kawal.apps.orgs.permissions import can
from kawal.apps.orgs.slugs import unique_slug
from kawal.apps.web.forms import error_lines


def _org_for(request: HttpRequest, action: str) -> Organization:
    org = current_org(request)
    if org is None or not can(request.user, action, org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    return org


def _membership(org: Organization, membership_id: int) -> Membership:
    membership = Membership.objects.filter(organization=org, pk=membership_id).select_related("user").first()
    if membership is None:
        raise Http404
    return membership


@login_required
def members(request: HttpRequest) -> HttpResponse:
    org = _org_for(request, "members.view")
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    has_2fa = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    memberships = list(Membership.objects.filter(organization=org).select_related("user")
                       .prefetch_related("grants__account").annotate(has_2fa=Exists(has_2fa)))
    for m in memberships:
        # Missing two-factor is a problem only for roles that must have it (here or on a granted account).
        roles = set(m.roles).union(*(set(g.roles) for g in m.grants.all()))
        m.needs_2fa = bool(ROLES_REQUIRING_2FA & roles)
    return render(request, "orgs/members.html", {
        "org": org, "memberships": memberships, "add_form": AddMemberForm(),
        "grant_form": GrantForm(org=org), "can_manage": can(request.user, "members.manage", org=org)})


@sensitive_post_parameters("password")
@require_POST
@login_required
def add_member(request: HttpRequest) -> HttpResponse:
    org = _org_for(request, "members.manage")
    form = AddMemberForm(request.POST)
    if not form.is_valid():
        for line in error_lines(form):
            messages.error(request, line)
        return redirect("orgs:members")
    data = form.cleaned_data
    with transaction.atomic():
        user_model = get_user_model()
        if data["exists"]:
            user = user_model.objects.get(username=data["username"])
        else:
            user = user_model.objects.create_user(data["username"], data["email"], data["password"])
        membership, created = Membership.objects.get_or_create(user=user, organization=org,
                                                               defaults={"roles": data["roles"]})
        if not created:
            messages.error(request, _("%(user)s is already a member.") % {"user": user.get_username()})
            return redirect("orgs:members")
        record("member.added", actor=request.user, organization=org, target=user,
               payload={"username": user.get_username(), "roles": membership.roles})
    messages.success(request, _("Member added."))
    return redirect("orgs:members")


@require_POST
@login_required
def change_roles(request: HttpRequest, membership_id: int) -> HttpResponse:
    org = _org_for(request, "members.manage")
    membership = _membership(org, membership_id)
    form = RolesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose at least one role."))
        return redirect("orgs:members")
    before, after = sorted(membership.roles), sorted(form.cleaned_data["roles"])
    if "admin" in before and "admin" not in after and _last_admin(org, membership):
        messages.error(request, _("The organisation needs at least one admin."))
        return redirect("orgs:members")
    membership.roles = after
    membership.save()
    record("member.roles_changed", actor=request.user, organization=org, target=membership.user,
           payload={"username": membership.user.get_username(), "before": before, "after": after})
    messages.success(request, _("Roles changed."))
    return redirect("orgs:members")


def _last_admin(org: Organization, membership: Membership) -> bool:
    admins = [m for m in Membership.objects.filter(organization=org) if "admin" in m.roles]
    return len(admins) == 1 and admins[0].pk == membership.pk


@require_POST
@login_required
def remove_member(request: HttpRequest, membership_id: int) -> HttpResponse:
    org = _org_for(request, "members.manage")
    membership = _membership(org, membership_id)
    if "admin" in membership.roles and _last_admin(org, membership):
        messages.error(request, _("The organisation needs at least one admin."))
        return redirect("orgs:members")
    username = membership.user.get_username()
    membership.delete()
    record("member.removed", actor=request.user, organization=org, target=membership.user,
           payload={"username": username})
    messages.success(request, _("Member removed."))
    return redirect("orgs:members")


@require_POST
@login_required
def add_grant(request: HttpRequest, membership_id: int) -> HttpResponse:
    org = _org_for(request, "members.manage")
    membership = _membership(org, membership_id)
    form = GrantForm(request.POST, org=org)
    if not form.is_valid():
        messages.error(request, _("Choose an account and at least one role."))
        return redirect("orgs:members")
    account, roles = form.cleaned_data["account"], form.cleaned_data["roles"]
    AccountGrant.objects.update_or_create(membership=membership, account=account, defaults={"roles": roles})
    record("member.grant_set", actor=request.user, organization=org, target=membership.user,
           payload={"username": membership.user.get_username(), "account": str(account),
                    "account_id": account.pk, "roles": sorted(roles)})
    messages.success(request, _("Account access set."))
    return redirect("orgs:members")


@require_POST
@login_required
def remove_grant(request: HttpRequest, grant_id: int) -> HttpResponse:
    org = _org_for(request, "members.manage")
    grant = AccountGrant.objects.filter(pk=grant_id, membership__organization=org).select_related(
        "membership__user", "account").first()
    if grant is None:
        raise Http404
    grant.delete()
    record("member.grant_removed", actor=request.user, organization=org, target=grant.membership.user,
           payload={"username": grant.membership.user.get_username(), "account": str(grant.account),
                    "account_id": grant.account_id})
    messages.success(request, _("Account access removed."))
    return redirect("orgs:members")


def may_create_org(user: object) -> bool:
    """Superusers and admins of any organisation may open another (an agency serves several)."""
    if getattr(user, "is_superuser", False):
        return True
    return any("admin" in roles for roles in Membership.objects.filter(user=user).values_list("roles", flat=True))


@login_required
def org_new(request: HttpRequest) -> HttpResponse:
    if not may_create_org(request.user):
        raise PermissionDenied(_("Only administrators can create an organisation."))
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            org = form.save(commit=False)
            org.slug = unique_slug(org.name)
            org.save()
            Membership.objects.create(user=request.user, organization=org, roles=["admin"])
            record("org.created", actor=request.user, organization=org, target=org, payload={"name": org.name})
            record("member.added", actor=request.user, organization=org, target=request.user,
                   payload={"username": request.user.get_username(), "roles": ["admin"]})
        switch_org(request, org.pk)
        messages.success(request, _("Organisation created."))
        return redirect("home")
    return render(request, "orgs/org_form.html", {"form": form, "creating": True})


@login_required
def org_settings(request: HttpRequest) -> HttpResponse:
    org = _org_for(request, "members.manage")
    form = OrganizationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        record("org.updated", actor=request.user, organization=org, target=org,
               payload={"fields": sorted(form.changed_data), "name": org.name, "timezone": org.timezone})
        messages.success(request, _("Saved."))
        return redirect("orgs:members")
    return render(request, "orgs/org_form.html", {"form": form, "creating": False})


@require_POST
@login_required
def reset_2fa(request: HttpRequest, membership_id: int) -> HttpResponse:
    """For a member who lost their phone: remove their devices; they enrol again at their next login."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    org = _org_for(request, "members.manage")
    membership = _membership(org, membership_id)
    if membership.user_id == request.user.pk:
        messages.error(request, _("Manage your own devices on your Security page."))
        return redirect("orgs:members")
    removed = TOTPDevice.objects.filter(user=membership.user).delete()[0]
    removed += StaticDevice.objects.filter(user=membership.user).delete()[0]
    record("2fa.reset", actor=request.user, organization=org, target=membership.user,
           payload={"username": membership.user.get_username(), "devices_removed": removed})
    messages.success(request, _("Two-factor devices of %(user)s removed; they enrol again at their next login.")
                     % {"user": membership.user.get_username()})
    return redirect("orgs:members")
