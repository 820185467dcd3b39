"""The world of the authorisation matrix: one organisation with one member per role, a member of another
organisation, accounts, drafts in each state the endpoints act on, and a logged-in client per persona.

Every web client's session has passed two-factor verification (as django_otp records it), so what the
matrix measures is the roles, never the 2FA gate (tested in tests/core). Screening is replaced by a
verdict of "ok" so that creating drafts is fast and does not depend on the engine's judgement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from kawal.apps.incidents.models import Incident, Kind
from kawal.apps.notifications.models import Channel, ChannelKind
from kawal.apps.orgs.models import ROLES, AccountGrant, ApiToken, Membership, Organization
from kawal.apps.publishing import control, screening, services
from kawal.apps.publishing.models import Draft, ForcedReview, PreAuthorization
from kawal.apps.publishing.services import Content
from kawal.apps.social.models import SocialAccount
from kawal.sources.platforms.sandbox import SandboxNetwork

# The personas of the matrix: the seven roles, a member (admin) of another organisation, and nobody.
OUTSIDER = "other_org_admin"
ANONYMOUS = "anonymous"
PERSONAS: tuple[str, ...] = (*ROLES, OUTSIDER, ANONYMOUS)

# Written into every object of the organisation under test: a page shown to the outsider must not contain it.
MARKER = "ACME-CONFIDENTIAL"


@dataclass
class OkVerdict:
    verdict: str = "ok"
    findings: list[dict[str, Any]] = field(default_factory=list)
    available: bool = True
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": self.findings}


@dataclass
class World:
    org: Organization
    other_org: Organization
    users: dict[str, User]
    devices: dict[str, TOTPDevice]
    memberships: dict[str, Membership]
    brand: SocialAccount
    executive: SocialAccount
    other_account: SocialAccount
    in_review: Draft          # written by the author, waiting for approval
    fresh: Draft              # written by the author, not yet submitted
    exec_draft: Draft         # on the executive account, waiting for the principal's sign-off
    grant: AccountGrant
    preauth: PreAuthorization
    review: ForcedReview      # an emergency post by the publisher, to be reviewed by someone else
    author_token_id: int
    sandbox: SocialAccount    # on a sandbox network file of the test's own
    incident: Incident        # open, on the brand account
    channel: Channel          # a webhook channel of the organisation
    extra: dict[str, int] = field(default_factory=dict)   # ids of objects a case creates for itself
    tokens: dict[str, str] = field(default_factory=dict)
    web: dict[str, Client] = field(default_factory=dict)
    api: dict[str, Client] = field(default_factory=dict)


def _user(name: str) -> tuple[User, TOTPDevice]:
    user = User.objects.create_user(name, f"{name}@example.org", f"pw-{name}-long")
    return user, TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _verified_client(user: User, device: TOTPDevice) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def world(db: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> World:
    monkeypatch.setattr(screening, "_engine", lambda: (lambda text, **_: OkVerdict()))
    org = Organization.objects.create(name=f"Acme {MARKER}", slug="acme")
    other = Organization.objects.create(name="Other Agency", slug="other")
    users, devices, memberships = {}, {}, {}
    for role in ROLES:
        users[role], devices[role] = _user(role)
        memberships[role] = Membership.objects.create(user=users[role], organization=org, roles=[role])
    users[OUTSIDER], devices[OUTSIDER] = _user(OUTSIDER)
    memberships[OUTSIDER] = Membership.objects.create(user=users[OUTSIDER], organization=other, roles=["admin"])

    brand = SocialAccount.objects.create(organization=org, platform="mastodon", handle=f"@brand-{MARKER}",
                                         base_url="http://127.0.0.1:9", sanctioned_clients=["Kawal"])
    executive = SocialAccount.objects.create(organization=org, platform="mastodon", handle="@ceo",
                                             base_url="http://127.0.0.1:9", is_executive=True,
                                             principal=users["viewer"])
    other_account = SocialAccount.objects.create(organization=other, platform="mastodon", handle="@other",
                                                 base_url="http://127.0.0.1:9")
    author = users["author"]
    in_review = services.create_draft(author, brand, Content(text=f"Draft {MARKER} for review"))
    services.submit(author, in_review)
    fresh = services.create_draft(author, brand, Content(text=f"Fresh {MARKER} draft"))
    exec_draft = services.create_draft(author, executive, Content(text=f"CEO {MARKER} words"))
    services.submit(author, exec_draft)
    services.create_draft(users[OUTSIDER], other_account, Content(text="Other agency's own draft"))
    glass = control.break_glass(users["publisher"], brand, f"Emergency {MARKER}", reason="outage")
    token, _raw = ApiToken.issue(author, org, "author's token")
    sandbox = SocialAccount.objects.create(organization=org, platform="sandbox", handle="acme_sandbox",
                                           base_url=str(tmp_path / "sandbox.sqlite3"), sanctioned_clients=["Kawal"])
    network = SandboxNetwork(tmp_path / "sandbox.sqlite3")
    network.add_account("acme_sandbox", display_name="Acme on the sandbox")
    network.close()
    channel = Channel(organization=org, name=f"Hook {MARKER}", kind=ChannelKind.WEBHOOK)
    channel.set_config({"url": "http://127.0.0.1:9/hook"})
    channel.save()
    world = World(
        org=org, other_org=other, users=users, devices=devices, memberships=memberships, brand=brand,
        executive=executive, other_account=other_account, in_review=_fresh(in_review), fresh=_fresh(fresh),
        exec_draft=_fresh(exec_draft),
        grant=AccountGrant.objects.create(membership=memberships["reviewer"], account=brand, roles=["reviewer"]),
        preauth=PreAuthorization.objects.create(account=executive, principal=users["viewer"], note="standing"),
        review=ForcedReview.objects.get(draft=glass), author_token_id=token.pk, sandbox=sandbox, channel=channel,
        incident=Incident.objects.create(organization=org, account=brand, kind=Kind.UNSANCTIONED_POST,
                                         title=f"Post {MARKER} from an unknown client"))
    for name, user in users.items():
        world.web[name] = _verified_client(user, devices[name])
        raw = ApiToken.issue(user, org if name != OUTSIDER else other, "matrix")[1]
        world.tokens[name] = raw
        world.api[name] = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {raw}")
    world.web[ANONYMOUS] = Client(HTTP_HOST="localhost")
    world.api[ANONYMOUS] = Client(HTTP_HOST="localhost")
    return world


def _fresh(draft: Draft) -> Draft:
    return Draft.objects.select_related("current_version", "account").get(pk=draft.pk)
