"""Two-factor enforcement: approvers, publishers and admins must verify a TOTP device before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kawal.apps.orgs.permissions import requires_2fa

# Pages a signed-in but unverified user may still reach (to verify, enrol, leave or switch language).
OPEN_URL_NAMES = ("login", "login_verify", "enrol_2fa", "logout", "set_language")
OPEN_PREFIXES = ("/static/", "/api/", "/setup/")


class Require2FAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect_to = self._redirect_for(request)
        return redirect(redirect_to) if redirect_to else self.get_response(request)

    def _redirect_for(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if request.path.startswith(OPEN_PREFIXES) or request.path in self._open_paths():
            return None
        has_device = _has_confirmed_device(user)
        if not has_device and not requires_2fa(user):
            return None
        return reverse("login_verify") if has_device else reverse("enrol_2fa")

    @staticmethod
    def _open_paths() -> set[str]:
        paths = set()
        for name in OPEN_URL_NAMES:
            try:
                paths.add(reverse(name))
            except Exception:  # a name not yet defined simply is not open
                continue
        return paths


def _has_confirmed_device(user: object) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))


class OrgTimezoneMiddleware:
    """Show times in the current organisation's time zone (everything stored stays UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        from django.utils import timezone

        from kawal.apps.orgs.current import current_org

        org = None
        if getattr(request, "user", None) is not None and request.user.is_authenticated \
                and not request.path.startswith("/api/"):
            org = current_org(request)
        try:
            timezone.activate(ZoneInfo(org.timezone)) if org else timezone.deactivate()
        except ZoneInfoNotFoundError:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
