"""First-run guidance and the demo: the first admin (prompt or one-time setup link) and `kawal up --demo`."""

from __future__ import annotations

import getpass
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kawal.apps.audit.log import record
from kawal.apps.orgs.models import ROLES, ROLES_REQUIRING_2FA, Membership, Organization, hash_token
from kawal.apps.orgs.slugs import unique_slug
from kawal.apps.social.models import SocialAccount, sandbox_path
from kawal.server.env import data_dir

DEMO_ORG_SLUG = "demo"
DEMO_PRINCIPAL = "demo-principal"


# ---- first admin ---------------------------------------------------------------------------------------

def setup_token_file() -> Path:
    return data_dir() / "setup_token"


def no_user_yet() -> bool:
    return not get_user_model().objects.exists()


def issue_setup_token() -> str:
    """A fresh one-time token; only its hash is written (0600) in the data directory."""
    raw = secrets.token_urlsafe(24)
    path = setup_token_file()
    path.write_text(hash_token(raw), encoding="utf-8")
    path.chmod(0o600)
    return raw


def check_setup_token(raw: str) -> bool:
    path = setup_token_file()
    if not raw or not path.exists() or not no_user_yet():
        return False
    return secrets.compare_digest(path.read_text(encoding="utf-8").strip(), hash_token(raw))


def consume_setup_token() -> None:
    setup_token_file().unlink(missing_ok=True)


def create_first_admin(username: str, email: str, password: str, org_name: str) -> tuple[object, Organization]:
    """The first user: a superuser with the admin role in a new organisation."""
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_superuser(username=username, email=email, password=password)
        org = Organization.objects.create(name=org_name, slug=unique_slug(org_name))
        Membership.objects.create(user=user, organization=org, roles=["admin"])
        record("org.created", actor=user, organization=org, target=org, payload={"name": org.name})
        record("member.added", actor=user, organization=org, target=user,
               payload={"username": username, "roles": ["admin"], "first_admin": True})
    return user, org


def guide_first_admin(url: str, *, interactive: bool) -> None:
    """When nobody can log in yet: ask on the terminal, or print a one-time setup link."""
    if not no_user_yet():
        return
    if interactive:
        try:
            _prompt_first_admin()
            return
        except (EOFError, KeyboardInterrupt):
            print("\nNo admin created at the terminal; use the setup link instead.", flush=True)
    raw = issue_setup_token()
    print(f"\nNo user exists yet. Open this one-time link to create the first admin, "
          f"the organisation and two-factor authentication:\n\n    {url}setup/{raw}/\n", flush=True)


def _prompt_first_admin() -> None:
    print("\nNo user exists yet: create the first admin (they will enrol two-factor at first login).")
    username = _ask("Username: ")
    email = input("E-mail (optional): ").strip()
    org_name = _ask("Organisation name: ")
    while True:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            print("The passwords differ; try again.")
            continue
        try:
            validate_password(password, get_user_model()(username=username, email=email))
        except ValidationError as exc:
            print("; ".join(exc.messages))
            continue
        break
    create_first_admin(username, email, password, org_name)
    print(f"Created admin {username!r} in {org_name!r}.\n")


def _ask(prompt: str) -> str:
    while True:
        value = input(prompt).strip()
        if value:
            return value
        print("This cannot be empty.")


# ---- demo -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    roles: tuple[str, ...]
    has_2fa: bool


def _demo_logins_file() -> Path:
    return data_dir() / "demo_logins.json"


def _demo_passwords() -> dict[str, str]:
    """Demo passwords, generated once per data directory so a public demo never has a known password."""
    path = _demo_logins_file()
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    wanted = [f"demo-{r}" for r in ROLES] + [DEMO_PRINCIPAL]
    changed = False
    for name in wanted:
        if name not in known:
            known[name] = "demo-" + secrets.token_urlsafe(9)
            changed = True
    if changed:
        path.write_text(json.dumps(known, indent=2), encoding="utf-8")
        os.chmod(path, 0o600)
    return known


def seed_demo() -> list[DemoLogin]:
    """The demo organisation, one person per role, a brand and an executive account. Idempotent."""
    passwords = _demo_passwords()
    with transaction.atomic():
        org, created = Organization.objects.get_or_create(
            slug=DEMO_ORG_SLUG, defaults={"name": "Demo Agency (sandbox)", "is_demo": True})
        if created:
            record("org.created", organization=org, target=org, actor="kawal up --demo",
                   payload={"name": org.name, "demo": True})
        logins = [_demo_person(org, f"demo-{role}", [role], passwords) for role in ROLES]
        logins.append(_demo_person(org, DEMO_PRINCIPAL, ["viewer"], passwords))
        _demo_accounts(org)
    _seed_sandbox(org)
    return logins


def _demo_person(org: Organization, username: str, roles: list[str], passwords: dict[str, str]) -> DemoLogin:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username,
                                                     defaults={"email": f"{username}@demo.invalid"})
    if created:
        user.set_password(passwords[username])
        user.save()
    Membership.objects.update_or_create(user=user, organization=org, defaults={"roles": roles})
    needs_2fa = bool(ROLES_REQUIRING_2FA & set(roles))
    if needs_2fa and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
    if created:
        record("member.added", actor="kawal up --demo", organization=org, target=user,
               payload={"username": username, "roles": roles, "demo": True})
    return DemoLogin(username, passwords[username], tuple(roles), needs_2fa)


def _demo_accounts(org: Organization) -> None:
    principal = get_user_model().objects.get(username=DEMO_PRINCIPAL)
    specs = [
        {"handle": "kawal_demo", "display_name": "Demo Brand", "is_executive": False, "principal": None},
        {"handle": "demo_ceo", "display_name": "Demo CEO", "is_executive": True, "principal": principal},
    ]
    for spec in specs:
        account, created = SocialAccount.objects.get_or_create(
            organization=org, platform="sandbox", base_url="", handle=spec["handle"],
            defaults={"display_name": spec["display_name"], "is_executive": spec["is_executive"],
                      "principal": spec["principal"], "sanctioned_clients": ["Kawal"]})
        if created:
            account.set_credentials({"access_token": "sandbox-" + secrets.token_urlsafe(8)})
            account.save()
            record("account.connected", actor="kawal up --demo", organization=org, target=account,
                   payload={"platform": "sandbox", "handle": account.handle, "demo": True})


def _seed_sandbox(org: Organization) -> None:
    """Create the demo accounts on the sandbox network (a SQLite file in the data directory)."""
    from kawal.sources.platforms.sandbox import SandboxNetwork

    network = SandboxNetwork(sandbox_path())
    for account in SocialAccount.objects.filter(organization=org, platform="sandbox"):
        network.add_account(account.handle, display_name=account.display_name,
                            bio="Demo account on the Kawal sandbox network.")


def describe_demo(logins: list[DemoLogin], url: str) -> str:
    lines = ["", "Demo organisation 'Demo Agency (sandbox)' on the SANDBOX NETWORK (a local platform; "
             "nothing leaves this machine).", f"Log in at {url}login/ as:", ""]
    for login in logins:
        extra = "  (2FA: kawal demo-otp " + login.username + ")" if login.has_2fa else ""
        lines.append(f"  {login.username:<16} {login.password:<20} {', '.join(login.roles)}{extra}")
    lines += ["", "Two-factor codes of demo users: `kawal demo-otp USER` (same --data-dir).", ""]
    return "\n".join(lines)


def demo_otp(username: str) -> str:
    """The current TOTP code of a demo user; LookupError for anyone outside the demo organisation."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not Membership.objects.filter(user=user, organization__slug=DEMO_ORG_SLUG,
                                                     organization__is_demo=True).exists():
        raise LookupError(f"{username!r} is not a demo user (run `kawal up --demo` first)")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise LookupError(f"{username!r} has no two-factor device (only approvers, publishers and admins do)")
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
