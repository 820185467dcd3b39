"""Template context for every page: navigation, the current organisation and the org switcher."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kawal.apps.orgs.current import current_org, user_orgs
from kawal.apps.orgs.permissions import ACTIONS, effective_roles

# (label, candidate URL names, action needed to see it): the first name that resolves is linked; an item
# whose app has not defined any of them yet is left out, so the menu never breaks.
NAV: list[tuple[Any, tuple[str, ...], str | None]] = [
    (_("Approval queue"), ("publishing:queue", "publishing_queue", "approval_queue"), None),
    (_("Composer"), ("publishing:compose", "publishing_compose", "composer"), None),
    (_("Calendar"), ("publishing:calendar", "publishing_calendar", "calendar"), None),
    (_("Accounts"), ("social:accounts", "accounts"), "account.view"),
    (_("Account integrity"), ("integrity:overview",), None),
    (_("Incidents"), ("incidents:list", "incidents_list", "incidents"), None),
    (_("Listening"), ("listening:home", "listening_home", "listening"), None),
    (_("Members"), ("orgs:members", "members"), "members.view"),
    (_("Audit log"), ("audit:log", "audit_log"), "audit.view"),
]


def _resolve(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def nav_items(path: str, user: Any = None, org: Any = None) -> list[dict[str, Any]]:
    # One roles lookup for the whole menu (what can() would decide for each org-level action).
    roles = effective_roles(user, org=org) if org is not None and user is not None else frozenset()
    items = []
    for label, names, action in NAV:
        if action and not roles & ACTIONS[action]:
            continue
        url = _resolve(names)
        if url:
            items.append({"label": label, "url": url, "active": path.startswith(url) and url != "/"})
    return items


def kawal(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav": [], "current_org": None, "user_orgs": []}
    org = current_org(request)
    return {"nav": nav_items(request.path, request.user, org), "current_org": org,
            "user_orgs": user_orgs(request.user)}
