"""Login with two-factor, enrolment, the security page (devices, API tokens), first-admin setup, home."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kawal.apps.audit.log import record
from kawal.apps.orgs.current import current_org, switch_org
from kawal.apps.orgs.models import ApiToken
from kawal.apps.orgs.permissions import can, requires_2fa
from kawal.apps.social.models import SocialAccount
from kawal.apps.web import auth
from kawal.apps.web.forms import ApiTokenForm, LoginForm, SetupForm, TokenForm
from kawal.server import bootstrap


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    org = current_org(request)
    accounts = list(SocialAccount.objects.filter(organization=org)) if org else []
    return render(request, "web/home.html", {
        "org": org, "accounts": accounts, "paused_accounts": [a for a in accounts if a.paused],
        "can_manage_accounts": bool(org and can(request.user, "account.manage", org=org)),
        "can_manage_members": bool(org and can(request.user, "members.manage", org=org)),
    })


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if bootstrap.no_user_yet():
        return render(request, "web/no_user.html")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username, ip = form.cleaned_data["username"], auth.client_ip(request)
        if auth.is_throttled(username, ip):
            known = get_user_model().objects.filter(username=username).first()
            record("login.throttled", target=known, payload={"username": username, "ip": ip})
            form.add_error(None, _("Too many failed attempts. Wait 15 minutes and try again."))
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                auth.note_failure(username, ip)
                known = get_user_model().objects.filter(username=username).first()
                record("login.failed", target=known, payload={"username": username, "ip": ip})
                form.add_error(None, _("Wrong username or password."))
            else:
                return _after_password(request, user, ip)
    return render(request, "web/login.html", {"form": form, "next": _next_url(request)})


def _after_password(request: HttpRequest, user: object, ip: str) -> HttpResponse:
    auth.clear_failures(user.get_username())
    login(request, user)
    record("login.password", actor=user, payload={"ip": ip})
    nxt = _next_url(request)
    if auth.confirmed_devices(user):
        return redirect(f"{reverse('login_verify')}?{urlencode({'next': nxt})}")
    if requires_2fa(user):
        messages.warning(request, _("Your role requires two-factor authentication. Set it up now."))
        return redirect("enrol_2fa")
    return redirect(nxt)


@sensitive_post_parameters("otp_token")
@login_required
def login_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not auth.confirmed_devices(request.user):
        return redirect("enrol_2fa")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = auth.verify_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            record("login.2fa_verified", actor=request.user, payload={"device": device.name})
            return redirect(_next_url(request))
        record("login.2fa_failed", actor=request.user)
        form.add_error("otp_token", _("That code is not valid (or too many tries: wait a few seconds). "
                                      "Codes change every 30 seconds."))
    return render(request, "web/login_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def enrol_2fa(request: HttpRequest) -> HttpResponse:
    # A user who already has a device proves it first; otherwise a stolen password could add a device.
    if auth.confirmed_devices(request.user) and not request.user.is_verified():
        return redirect("login_verify")
    device = auth.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = "".join(form.cleaned_data["otp_token"].split())
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record("2fa.enrolled", actor=request.user, target=request.user, payload={"device": device.name})
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("security")
        form.add_error("otp_token", _("That code is not valid. Check the time on your phone and try again.")
                       if allowed else _("Too many wrong codes. Wait a few seconds and try again."))
    return render(request, "web/enrol_2fa.html", {
        "form": form, "qr": auth.qr_svg(device.config_url), "secret": auth.base32_secret(device)})


@login_required
def security(request: HttpRequest) -> HttpResponse:
    org = current_org(request)
    form = ApiTokenForm()
    return render(request, "web/security.html", {
        "devices": auth.confirmed_devices(request.user), "form": form, "org": org,
        "tokens": ApiToken.objects.filter(user=request.user).select_related("organization"),
        "new_token": request.session.pop("kawal_new_token", None),
        "requires_2fa": requires_2fa(request.user)})


@require_POST
@login_required
def create_api_token(request: HttpRequest) -> HttpResponse:
    org = current_org(request)
    form = ApiTokenForm(request.POST)
    if org is None or not form.is_valid():
        messages.error(request, _("Give the token a name (and belong to an organisation)."))
        return redirect("security")
    token, raw = ApiToken.issue(request.user, org, form.cleaned_data["name"])
    record("api_token.created", actor=request.user, organization=org, target=token,
           payload={"name": token.name, "hint": token.hint})
    # Shown once, on the next page only; never stored in clear.
    request.session["kawal_new_token"] = raw
    return redirect("security")


@require_POST
@login_required
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user, revoked_at__isnull=True).first()
    if token is None:
        raise Http404
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("api_token.revoked", actor=request.user, organization=token.organization, target=token,
           payload={"name": token.name, "hint": token.hint})
    messages.success(request, _("Token revoked."))
    return redirect("security")


@require_POST
@login_required
def remove_device(request: HttpRequest, device_id: int) -> HttpResponse:
    device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=True).first()
    if device is None:
        raise Http404
    if requires_2fa(request.user) and len(auth.confirmed_devices(request.user)) <= 1:
        messages.error(request, _("Your role requires two-factor authentication: add another device "
                                  "before removing this one."))
        return redirect("security")
    device.delete()
    record("2fa.removed", actor=request.user, target=request.user, payload={"device": device.name})
    messages.success(request, _("Device removed."))
    return redirect("security")


@require_POST
@login_required
def switch_org_view(request: HttpRequest) -> HttpResponse:
    try:
        org = switch_org(request, int(request.POST.get("org", "0")))
    except (LookupError, ValueError):
        messages.error(request, _("You are not a member of that organisation."))
    else:
        messages.info(request, _("Now working in %(org)s.") % {"org": org.name})
    return redirect("home")


@sensitive_post_parameters("password", "password2")
def setup(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time page that creates the first admin and organisation, then enrols two-factor."""
    if not bootstrap.check_setup_token(token):
        return render(request, "web/setup_invalid.html", status=404)
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, _org = bootstrap.create_first_admin(data["username"], data["email"], data["password"],
                                                  data["org_name"])
        bootstrap.consume_setup_token()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("enrol_2fa")
    return render(request, "web/setup.html", {"form": form})


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "web/password_change.html"
    success_url = "/security/"

    def form_valid(self, form: object) -> HttpResponse:
        response = super().form_valid(form)
        record("password.changed", actor=self.request.user, target=self.request.user)
        messages.success(self.request, _("Password changed."))
        return response
