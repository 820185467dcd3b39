"""Personas of the core tests: one organisation, one member per role, an outsider, two accounts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kawal.apps.orgs.models import ROLES, Membership, Organization
from kawal.apps.social.models import SocialAccount


@pytest.fixture
def org(db: None) -> Organization:
    return Organization.objects.create(name="Acme Comms", slug="acme")


@pytest.fixture
def other_org(db: None) -> Organization:
    return Organization.objects.create(name="Other Agency", slug="other")


@pytest.fixture
def people(org: Organization) -> dict[str, User]:
    """One user per role, named after it (``author``, ``admin``, ...), password ``pw-<role>-long``."""
    users = {}
    for role in ROLES:
        user = User.objects.create_user(role, f"{role}@example.org", f"pw-{role}-long")
        Membership.objects.create(user=user, organization=org, roles=[role])
        users[role] = user
    users["outsider"] = User.objects.create_user("outsider", "o@example.org", "pw-outsider-long")
    return users


@pytest.fixture
def brand(org: Organization) -> SocialAccount:
    return SocialAccount.objects.create(organization=org, platform="mastodon", handle="@acme",
                                        base_url="https://social.example")


@pytest.fixture
def exec_account(org: Organization, people: dict[str, User]) -> SocialAccount:
    return SocialAccount.objects.create(organization=org, platform="x", handle="@ceo", is_executive=True,
                                        principal=people["viewer"])


def totp_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def web() -> Client:
    return Client(HTTP_HOST="localhost")


@pytest.fixture(scope="session")
def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A data directory with a migrated SQLite database, and the environment for `kawal` subprocesses."""
    data = tmp_path_factory.mktemp("kawal-data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAWAL_")}
    env["KAWAL_DATA_DIR"] = str(data)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "kawal.cli.main", "manage", "migrate", "-v1"], env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Applying audit.0001_initial... OK" in done.stdout  # `kawal manage` passes through to Django
    return data, env
