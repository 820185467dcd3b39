"""Small factories shared by the Django test suites."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from kawal.apps.orgs.models import Membership, Organization


def make_member(org: Organization, username: str, roles: list[str]) -> Any:
    """A user who is a member of ``org`` with ``roles`` (password ``pw-`` + the username twice)."""
    user = get_user_model().objects.create_user(username=username, password="pw-" + username * 2)
    Membership.objects.create(user=user, organization=org, roles=roles)
    return user
