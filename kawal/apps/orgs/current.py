"""Which organisation a web request acts in: the one picked in the org switcher, else the first."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kawal.apps.orgs.models import Organization

SESSION_KEY = "kawal_org_id"


def user_orgs(user: Any) -> list[Organization]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Organization.objects.filter(memberships__user=user).order_by("name"))


def current_org(request: HttpRequest) -> Organization | None:
    """The request's organisation (cached on the request); None when the user belongs to none.

    API requests authenticated by token carry their token's organisation in ``request.kawal_org``.
    """
    cached = getattr(request, "kawal_org", None)
    if cached is not None:
        return cached
    orgs = user_orgs(request.user)
    if not orgs:
        return None
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    org = next((o for o in orgs if o.pk == chosen), orgs[0])
    request.kawal_org = org
    return org


def switch_org(request: HttpRequest, org_id: int) -> Organization:
    """Make ``org_id`` the current organisation; LookupError if the user is not a member."""
    org = next((o for o in user_orgs(request.user) if o.pk == org_id), None)
    if org is None:
        raise LookupError(f"you are not a member of organisation {org_id}")
    request.session[SESSION_KEY] = org.pk
    request.kawal_org = org
    return org
