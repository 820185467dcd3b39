"""Fixtures for the publishing tests: an organisation with one member per role, accounts, and a screening
double keyed on marker words, so enforcement is tested without depending on the engine's judgement."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client

from kawal.apps.orgs.models import ROLES, Organization
from kawal.apps.publishing import screening
from kawal.apps.social.models import SocialAccount
from tests.factories import make_member


@dataclass
class FakeResult:
    verdict: str
    findings: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": self.findings}


def marker_screen(text: str, **_: Any) -> FakeResult:
    """'BLOCKME' blocks, 'REVIEWME' asks for review, anything else is ok."""
    if "BLOCKME" in text:
        return FakeResult("block", [{"kind": "leak.test", "severity": "high", "message": "test block"}])
    if "REVIEWME" in text:
        return FakeResult("review", [{"kind": "tone.test", "severity": "medium", "message": "test review"}])
    return FakeResult("ok")


@pytest.fixture(autouse=True)
def screen_double(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening, "_engine", lambda: marker_screen)


@pytest.fixture
def org(db: None) -> Organization:
    return Organization.objects.create(name="Kementerian Contoh", slug="contoh")


@pytest.fixture
def people(org: Organization) -> dict[str, Any]:
    """One member per role, plus a second approver and an outsider (member of another organisation)."""
    users = {role: make_member(org, role, [role]) for role in ROLES}
    users["approver2"] = make_member(org, "approver2", ["approver"])
    other = Organization.objects.create(name="Other", slug="other")
    users["outsider"] = make_member(other, "outsider", ["admin"])
    return users


@pytest.fixture
def account(org: Organization) -> SocialAccount:
    return SocialAccount.objects.create(organization=org, platform="mastodon", handle="humas",
                                        base_url="http://127.0.0.1:9")


@pytest.fixture
def executive(org: Organization, people: dict[str, Any]) -> SocialAccount:
    principal = make_member(org, "menteri", ["viewer"])
    people["principal"] = principal
    return SocialAccount.objects.create(organization=org, platform="mastodon", handle="menteri",
                                        base_url="http://127.0.0.1:9", is_executive=True, principal=principal)


def verified_client(user: Any) -> Client:
    """A logged-in client whose session passed two-factor verification (as django_otp records it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client
