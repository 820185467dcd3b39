"""Fixtures of the listening app tests: an organisation with one member per role (and an outsider), its
listening settings, and the local HTTP server of the engine's feed tests."""

from __future__ import annotations

from typing import Any

import pytest

from kawal.apps.listening.models import ListeningSettings
from kawal.apps.orgs.models import ROLES, Organization
from tests.factories import make_member
from tests.listen.conftest import http_server  # noqa: F401 - the shared local feed server fixture


@pytest.fixture
def org(db: None) -> Organization:
    org = Organization.objects.create(name="PT Bank Contoh Tbk", slug="contoh", timezone="Asia/Jakarta")
    ListeningSettings.objects.create(organization=org, aliases=["Bank Contoh"], products=["ContohPay"],
                                     handles=["@bankcontoh"])
    return org


@pytest.fixture
def people(org: Organization) -> dict[str, Any]:
    users = {role: make_member(org, role, [role]) for role in ROLES}
    other = Organization.objects.create(name="Other", slug="other")
    users["outsider"] = make_member(other, "outsider", ["admin"])
    return users
