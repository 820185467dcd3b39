"""Fixtures for the reconciliation, incident and notification tests: an organisation with one member per
role, a sandbox account on a throwaway sandbox network, and a local webhook receiver."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kawal.apps.notifications.models import Channel
from kawal.apps.orgs.models import ROLES, Organization
from kawal.apps.social.models import SocialAccount
from kawal.sources.platforms.sandbox import SandboxNetwork
from tests.factories import make_member
from tests.notifications.receiver import Receiver

# Publishing screens drafts (its own tests cover that); here its marker-word double serves.
from tests.publishing.conftest import screen_double  # noqa: F401 (an autouse fixture)


@pytest.fixture
def org(db: None) -> Organization:
    return Organization.objects.create(name="Kementerian Contoh", slug="contoh")


@pytest.fixture
def people(org: Organization) -> dict[str, Any]:
    users = {role: make_member(org, role, [role]) for role in ROLES}
    other = Organization.objects.create(name="Other", slug="other")
    users["outsider"] = make_member(other, "outsider", ["admin", "security"])
    return users


@pytest.fixture
def network(tmp_path: Any) -> Iterator[SandboxNetwork]:
    net = SandboxNetwork(tmp_path / "sandbox.sqlite3")
    net.add_account("humas", display_name="Humas Kementerian", bio="Akun resmi")
    yield net
    net.close()


@pytest.fixture
def account(org: Organization, network: SandboxNetwork) -> SocialAccount:
    # Connected a day ago, so posts made now are judged (older ones are the account's history).
    return SocialAccount.objects.create(organization=org, platform="sandbox", handle="humas",
                                        base_url=str(network.path), sanctioned_clients=["Sprinklr"],
                                        created_at=timezone.now() - timedelta(days=1))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def webhook(org: Organization, receiver: Receiver) -> Channel:
    channel = Channel(organization=org, name="SOC webhook", kind="webhook")
    channel.set_config({"url": receiver.url + "/hook", "secret": "s3cret"})
    channel.save()
    return channel
