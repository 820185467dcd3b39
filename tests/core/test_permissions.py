"""permissions.can for every role, account grants, principals and outsiders."""

from __future__ import annotations

import pytest

from kawal.apps.orgs.models import AccountGrant, Membership
from kawal.apps.orgs.permissions import can, register_action, requires_2fa

EXPECTED = {
    "draft.create": {"author", "admin"},
    "draft.approve": {"approver", "admin"},
    "draft.publish": {"publisher", "admin"},
    "members.manage": {"admin"},
    "account.manage": {"admin"},
    "audit.view": {"admin", "security"},
    "incident.close": {"security", "admin"},
    "org.pause": {"admin", "security"},
    "draft.view": {"author", "reviewer", "approver", "publisher", "security", "admin", "viewer"},
}


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_role_gets_exactly_its_actions(people, org, action):
    allowed = {name for name, user in people.items() if can(user, action, org=org)}
    assert allowed == EXPECTED[action]


def test_outsider_and_other_org_are_denied(people, org, other_org):
    assert not can(people["outsider"], "draft.view", org=org)
    assert not can(people["admin"], "draft.view", org=other_org)


def test_grants_limit_a_member_to_granted_accounts_and_roles(people, org, brand, exec_account):
    author = people["author"]
    membership = Membership.objects.get(user=author, organization=org)
    assert can(author, "draft.create", account=exec_account)
    AccountGrant.objects.create(membership=membership, account=brand, roles=["author", "reviewer"])
    assert can(author, "draft.create", account=brand)
    assert can(author, "draft.review", account=brand)
    assert not can(author, "draft.create", account=exec_account)
    assert can(author, "draft.review", org=org)  # somewhere in the org


def test_account_of_another_org_is_denied(people, org, other_org, brand):
    assert not can(people["admin"], "account.manage", org=other_org, account=brand)


def test_principal_signs_off_only_their_account(people, exec_account, brand):
    assert can(people["viewer"], "draft.signoff", account=exec_account)
    assert not can(people["admin"], "draft.signoff", account=exec_account)
    assert not can(people["viewer"], "draft.signoff", account=brand)


def test_unknown_action_and_unknown_role_are_errors(people, org):
    with pytest.raises(ValueError, match="unknown action 'draft.aprove'"):
        can(people["admin"], "draft.aprove", org=org)
    with pytest.raises(ValueError, match="unknown roles"):
        register_action("x.y", {"wizard"})
    with pytest.raises(ValueError, match="unknown role 'wizard'"):
        Membership.objects.create(user=people["outsider"], organization=org, roles=["wizard"])


def test_inactive_user_is_denied(people, org):
    people["admin"].is_active = False
    people["admin"].save()
    assert not can(people["admin"], "members.manage", org=org)


def test_2fa_is_required_for_approvers_publishers_and_admins(people):
    required = {name for name, user in people.items() if requires_2fa(user)}
    assert required == {"approver", "publisher", "admin"}
