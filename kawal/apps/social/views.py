"""Accounts pages: list, connect, edit, pause and resume."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from kawal.apps.audit.log import record
from kawal.apps.orgs.current import current_org
from kawal.apps.orgs.models import Organization
from kawal.apps.orgs.permissions import can
from kawal.apps.social.forms import AccountForm, PauseForm
from kawal.apps.social.models import SocialAccount


def _org_or_403(request: HttpRequest, action: str) -> Organization:
    org = current_org(request)
    if org is None or not can(request.user, action, org=org):
        raise PermissionDenied(_("Your roles do not allow this."))
    return org


def _account(org: Organization, account_id: int) -> SocialAccount:
    account = SocialAccount.objects.filter(organization=org, pk=account_id).first()
    if account is None:
        raise Http404
    return account


def _optional_url(name: str, *args: object) -> str | None:
    """A page of another app, when that app provides it (the Accounts page works without it)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    org = _org_or_403(request, "account.view")
    accounts = list(SocialAccount.objects.filter(organization=org).select_related("principal"))
    for account in accounts:
        account.integrity_url = _optional_url("integrity:account", account.pk)
    return render(request, "social/accounts.html", {
        "org": org, "accounts": accounts, "integrity_url": _optional_url("integrity:overview"), "can_manage": can(request.user, "account.manage", org=org),
        "can_pause": can(request.user, "account.pause", org=org)})


@sensitive_post_parameters("credentials_json")
@login_required
def account_edit(request: HttpRequest, account_id: int | None = None) -> HttpResponse:
    org = _org_or_403(request, "account.manage")
    instance = _account(org, account_id) if account_id else SocialAccount(organization=org)
    form = AccountForm(request.POST or None, instance=instance, org=org)
    if request.method == "POST" and form.is_valid():
        _save_account(request, form, created=account_id is None)
        return redirect("social:accounts")
    return render(request, "social/account_form.html", {"form": form, "account": instance if account_id else None})


def _save_account(request: HttpRequest, form: AccountForm, *, created: bool) -> SocialAccount:
    account = form.save(commit=False)
    account.sanctioned_clients = form.cleaned_data["sanctioned_clients_text"]
    credentials = form.cleaned_data["credentials_json"]
    if credentials is not None:
        account.set_credentials(credentials)
    account.save()
    changed = sorted(set(form.changed_data) - {"credentials_json"})
    payload = {"platform": account.platform, "handle": account.handle, "fields": changed,
               "credentials_changed": credentials is not None,
               "credential_keys": sorted(credentials) if credentials else []}
    org = account.organization
    record("account.connected" if created else "account.updated", actor=request.user, organization=org,
           target=account, payload=payload)
    if credentials is not None and not created:
        record("account.credentials_changed", actor=request.user, organization=org, target=account,
               payload={"credential_keys": sorted(credentials)})
    messages.success(request, _("Account saved."))
    return account


@require_POST
@login_required
def account_pause(request: HttpRequest, account_id: int) -> HttpResponse:
    org = _org_or_403(request, "account.pause")
    account = _account(org, account_id)
    form = PauseForm(request.POST)
    form.is_valid()
    pause = request.POST.get("pause") == "1"
    account.paused = pause
    account.paused_reason = form.cleaned_data.get("reason", "") if pause else ""
    account.save(update_fields=["paused", "paused_reason"])
    record("account.paused" if pause else "account.resumed", actor=request.user, organization=org,
           target=account, payload={"reason": account.paused_reason})
    messages.success(request, _("Account paused.") if pause else _("Account resumed."))
    return redirect("social:accounts")
