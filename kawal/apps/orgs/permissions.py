"""The one place that decides who may do what (``can``).

An action is allowed when the user's effective roles for the organisation (or the account) include one of
the roles the action lists. A membership with account grants acts only on the granted accounts, with the
grants' roles. Django superusers get no bypass: access follows roles, so the audit trail stays meaningful.

Actions are namespaced strings. Apps add their own with :func:`register_action` (at import time), or use
the ones below. An unknown action raises ``ValueError`` so a typo never silently denies or allows.
"""

from __future__ import annotations

from typing import Any

from kawal.apps.orgs.models import ROLES_REQUIRING_2FA, AccountGrant, Membership, Organization

ANY_ROLE = frozenset({"author", "reviewer", "approver", "publisher", "security", "admin", "viewer"})

ACTIONS: dict[str, frozenset[str]] = {
    # reading
    "org.view": ANY_ROLE,
    "account.view": ANY_ROLE,
    "draft.view": ANY_ROLE,
    "incident.view": ANY_ROLE,
    "listening.view": ANY_ROLE,
    "audit.view": frozenset({"admin", "security"}),
    # publishing workflow
    "draft.create": frozenset({"author", "admin"}),
    "draft.edit": frozenset({"author", "admin"}),
    "draft.comment": frozenset({"author", "reviewer", "approver", "publisher", "admin"}),
    "draft.review": frozenset({"reviewer", "approver", "admin"}),
    "draft.approve": frozenset({"approver", "admin"}),
    "draft.schedule": frozenset({"publisher", "admin"}),
    "draft.publish": frozenset({"publisher", "admin"}),
    "publish.emergency": frozenset({"admin"}),
    "org.pause": frozenset({"admin", "security"}),
    # accounts
    "account.manage": frozenset({"admin"}),
    "account.pause": frozenset({"admin", "security"}),
    # people
    "members.view": frozenset({"admin", "security"}),
    "members.manage": frozenset({"admin"}),
    # integrity, incidents, notifications, listening
    "incident.manage": frozenset({"security", "admin"}),
    "incident.close": frozenset({"security", "admin"}),
    "notifications.manage": frozenset({"admin", "security"}),
    "listening.manage": frozenset({"admin", "security"}),
}

# Actions decided by who the user is rather than their roles: the account's principal signs off.
PRINCIPAL_ACTIONS = frozenset({"draft.signoff", "preauth.manage"})


def register_action(name: str, roles: set[str] | frozenset[str]) -> None:
    """Add an app's own action; re-registering with the same roles is harmless."""
    unknown = set(roles) - ANY_ROLE
    if unknown:
        raise ValueError(f"action {name!r} names unknown roles: {sorted(unknown)}")
    if name in ACTIONS and ACTIONS[name] != frozenset(roles):
        raise ValueError(f"action {name!r} is already registered with roles {sorted(ACTIONS[name])}")
    ACTIONS[name] = frozenset(roles)


def membership_of(user: Any, org: Organization | int | None) -> Membership | None:
    if org is None or not getattr(user, "is_authenticated", False):
        return None
    org_id = org if isinstance(org, int) else org.pk
    return Membership.objects.filter(user=user, organization_id=org_id).first()


def effective_roles(user: Any, *, org: Organization | None = None, account: Any = None) -> frozenset[str]:
    """The roles the user holds for the account (if given) or for the organisation."""
    if account is not None:
        if org is not None and account.organization_id != org.pk:
            return frozenset()
        org = account.organization
    membership = membership_of(user, org)
    if membership is None:
        return frozenset()
    grants = list(AccountGrant.objects.filter(membership=membership))
    if not grants:
        return frozenset(membership.roles)
    if account is None:
        # Org-level question ("may they draft anywhere?"): any of their roles counts.
        return frozenset(membership.roles).union(*(g.roles for g in grants))
    return frozenset(next((g.roles for g in grants if g.account_id == account.pk), ()))


def can(user: Any, action: str, *, org: Organization | None = None, account: Any = None) -> bool:
    """Whether ``user`` may do ``action`` in ``org`` or on ``account``."""
    if action in PRINCIPAL_ACTIONS:
        return _is_principal(user, account)
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; known: {', '.join(sorted(ACTIONS))}")
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if org is None and account is None:
        raise ValueError(f"can({action!r}) needs an org or an account")
    return bool(effective_roles(user, org=org, account=account) & ACTIONS[action])


def _is_principal(user: Any, account: Any) -> bool:
    if account is None:
        raise ValueError("principal actions need an account")
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(account.principal_id == user.pk and membership_of(user, account.organization_id))


def requires_2fa(user: Any) -> bool:
    """Whether the user holds, in any organisation, a role that must use two-factor authentication."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    for roles in Membership.objects.filter(user=user).values_list("roles", flat=True):
        if ROLES_REQUIRING_2FA & set(roles):
            return True
    grant_roles = AccountGrant.objects.filter(membership__user=user).values_list("roles", flat=True)
    return any(ROLES_REQUIRING_2FA & set(r) for r in grant_roles)
