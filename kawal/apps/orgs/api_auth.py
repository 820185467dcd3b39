"""Bearer-token authentication for the API; tokens are looked up by their SHA-256."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from kawal.apps.orgs.models import ApiToken, Organization, hash_token

# last_used_at is written at most this often, so reads do not turn every request into a write.
TOUCH_EVERY = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = (ApiToken.objects.select_related("user", "organization")
                 .filter(token_hash=hash_token(token), revoked_at__isnull=True).first())
        if found is None or not found.user.is_active:
            return None
        if not found.user.memberships.filter(organization=found.organization).exists():
            return None  # the member left the organisation: the token no longer opens it
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.kawal_org = found.organization
        return found


def api_org(request: HttpRequest) -> Organization:
    """The organisation the API token is bound to."""
    org = getattr(request, "kawal_org", None)
    if org is None:
        raise HttpError(401, "authenticate with an API token")
    return org


def require(request: HttpRequest, action: str, *, account: Any = None) -> Organization:
    """The request's organisation if the user may do ``action`` there (or on ``account``), else 403."""
    from kawal.apps.orgs.permissions import can

    org = api_org(request)
    if account is not None and account.organization_id != org.pk:
        raise HttpError(404, "not found in this organisation")
    if not can(request.user, action, org=org, account=account):
        raise HttpError(403, f"your roles do not allow {action}")
    return org
