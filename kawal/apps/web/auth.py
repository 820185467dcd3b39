"""Login throttling and two-factor helpers shared by the login, verify, enrol and setup pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import segno
from django.http import HttpRequest
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from kawal.apps.orgs.models import LoginAttempt

WINDOW = timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_IP = 30


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "")[:64]


def is_throttled(username: str, ip: str) -> bool:
    since = timezone.now() - WINDOW
    recent = LoginAttempt.objects.filter(created_at__gte=since)
    return (recent.filter(username=username.lower()).count() >= MAX_PER_USERNAME
            or recent.filter(ip=ip).count() >= MAX_PER_IP)


def note_failure(username: str, ip: str) -> None:
    LoginAttempt.objects.create(username=username.lower()[:150], ip=ip)
    LoginAttempt.objects.filter(created_at__lt=timezone.now() - WINDOW).delete()


def clear_failures(username: str) -> None:
    LoginAttempt.objects.filter(username=username.lower()).delete()


def confirmed_devices(user: Any) -> list[Any]:
    return list(devices_for_user(user, confirmed=True))


def verify_token(user: Any, token: str) -> Any | None:
    """The device that accepts ``token`` (respecting django-otp's own failure throttling), else None."""
    token = "".join(token.split())
    for device in confirmed_devices(user):
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    return None


def pending_device(user: Any) -> TOTPDevice:
    """The user's unconfirmed TOTP device awaiting its first code (created when missing)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no image library, no request to anywhere)."""
    return segno.make(data, error="m").svg_inline(scale=4, border=2)


def base32_secret(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
