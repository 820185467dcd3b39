"""Login, two-factor enforcement and enrolment, throttling, first-admin setup, access to core pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from kawal.apps.audit.models import AuditEntry
from kawal.apps.orgs.models import Membership, Organization
from kawal.server import bootstrap
from tests.core.conftest import totp_code


def login(web, username: str) -> object:
    return web.post("/login/", {"username": username, "password": f"pw-{username}-long"})


def test_login_page_renders_in_both_languages(web, people):
    assert b"Log in" in web.get("/login/").content
    indonesian = web.get("/login/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Masuk" in indonesian and "penjaga swakelola" in indonesian  # our own catalogue, not Django's


def test_language_switcher_sets_indonesian(web, people):
    web.post("/login/", {"username": "author", "password": "pw-author-long"})
    web.post("/i18n/setlang/", {"language": "id", "next": "/"})
    home = web.get("/").content.decode()
    assert 'lang="id"' in home and "Keluar" in home


def test_author_logs_in_without_2fa(web, people):
    response = login(web, "author")
    assert response.status_code == 302 and response["Location"] == "/"
    assert web.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="login.password", actor_id=people["author"].pk).exists()


def test_approver_without_device_is_sent_to_enrol_before_anything_else(web, people):
    assert login(web, "approver")["Location"] == "/security/2fa/enrol/"
    for page in ("/", "/social/accounts/", "/security/"):
        assert web.get(page)["Location"] == "/security/2fa/enrol/"
    enrol = web.get("/security/2fa/enrol/")
    assert enrol.status_code == 200 and b"<svg" in enrol.content
    device = TOTPDevice.objects.get(user=people["approver"], confirmed=False)
    assert b"not valid" in web.post("/security/2fa/enrol/", {"otp_token": "000000"}).content
    device.refresh_from_db()
    device.throttle_reset()  # django-otp throttles after a wrong code; the test does not wait it out
    done = web.post("/security/2fa/enrol/", {"otp_token": totp_code(device)})
    assert done.status_code == 302
    assert web.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="2fa.enrolled").count() == 1


def test_user_with_device_must_verify_and_cannot_enrol_another_with_password_only(web, people):
    device = TOTPDevice.objects.create(user=people["publisher"], name="phone", confirmed=True)
    assert login(web, "publisher")["Location"].startswith("/login/verify/")
    assert web.get("/")["Location"] == "/login/verify/"
    assert web.get("/security/2fa/enrol/")["Location"] == "/login/verify/"
    bad = web.post("/login/verify/", {"otp_token": "123456"})
    assert b"not valid" in bad.content
    device.refresh_from_db()
    device.throttle_reset()
    assert web.post("/login/verify/", {"otp_token": totp_code(device)}).status_code == 302
    assert web.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="login.2fa_failed").count() == 1


def test_failed_logins_are_throttled_and_audited(web, people):
    for _ in range(5):
        r = web.post("/login/", {"username": "author", "password": "wrong"})
        assert b"Wrong username or password" in r.content
    blocked = login(web, "author")  # the right password, but throttled now
    assert blocked.status_code == 200 and b"Too many failed attempts" in blocked.content
    assert AuditEntry.objects.filter(action="login.failed").count() == 5
    assert AuditEntry.objects.filter(action="login.throttled").count() == 1


def test_csrf_is_enforced_on_login(people):
    from django.test import Client

    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    assert strict.post("/login/", {"username": "author", "password": "pw-author-long"}).status_code == 403


def test_members_page_access_per_role(web, people):
    login(web, "author")
    assert web.get("/orgs/members/").status_code == 403
    web.post("/logout/")
    login(web, "security")
    assert web.get("/orgs/members/").status_code == 200
    assert web.post("/orgs/members/add/", {"username": "x", "roles": ["author"]}).status_code == 403


def _verified_admin(web, people):
    device = TOTPDevice.objects.create(user=people["admin"], name="phone", confirmed=True)
    login(web, "admin")
    web.post("/login/verify/", {"otp_token": totp_code(device)})


def test_admin_adds_member_and_changes_roles_audited(web, people, org):
    _verified_admin(web, people)
    r = web.post("/orgs/members/add/", {"username": "newbie", "email": "n@example.org",
                                        "password": "a-long-password-9", "roles": ["author"]})
    assert r.status_code == 302
    membership = Membership.objects.get(user__username="newbie", organization=org)
    assert membership.roles == ["author"]
    web.post(f"/orgs/members/{membership.pk}/roles/", {"roles": ["author", "reviewer"]})
    membership.refresh_from_db()
    assert membership.roles == ["author", "reviewer"]
    change = AuditEntry.objects.get(action="member.roles_changed")
    assert change.payload == {"username": "newbie", "before": ["author"], "after": ["author", "reviewer"]}
    # The last admin cannot be demoted.
    admin_membership = Membership.objects.get(user=people["admin"], organization=org)
    web.post(f"/orgs/members/{admin_membership.pk}/roles/", {"roles": ["viewer"]})
    admin_membership.refresh_from_db()
    assert admin_membership.roles == ["admin"]


def test_audit_page_for_security_not_for_author(web, people):
    login(web, "author")
    assert web.get("/audit/").status_code == 403
    web.post("/logout/")
    login(web, "security")
    page = web.get("/audit/")
    assert page.status_code == 200 and b"login.password" in page.content
    assert b"The audit log is intact" in web.get("/audit/verify/").content


def test_nav_links_only_resolvable_pages_the_user_may_open(web, people):
    login(web, "security")
    html = web.get("/").content.decode()
    assert 'href="/audit/"' in html and 'href="/social/accounts/"' in html
    web.post("/logout/")
    login(web, "author")
    html = web.get("/").content.decode()
    assert 'href="/audit/"' not in html and 'href="/orgs/members/"' not in html
    assert 'href="/social/accounts/"' in html


def test_org_switcher_only_switches_to_own_orgs(web, people, org, other_org):
    Membership.objects.create(user=people["author"], organization=other_org, roles=["author"])
    login(web, "author")
    web.post("/switch-org/", {"org": other_org.pk})
    assert b"Other Agency" in web.get("/").content
    third = Organization.objects.create(name="Secret Org", slug="secret")
    web.post("/switch-org/", {"org": third.pk})
    assert b"Secret Org" not in web.get("/").content


@pytest.mark.django_db
def test_setup_link_creates_first_admin_once(web):
    assert b"not set up yet" in web.get("/login/").content
    raw = bootstrap.issue_setup_token()
    assert web.get("/setup/wrong-token/").status_code == 404
    page = web.post(f"/setup/{raw}/", {"username": "boss", "email": "b@example.org", "password": "a-long-pass-42",
                                       "password2": "a-long-pass-42", "org_name": "Kementerian Contoh"})
    assert page["Location"] == "/security/2fa/enrol/"
    boss = User.objects.get(username="boss")
    assert Membership.objects.get(user=boss).roles == ["admin"]
    assert Organization.objects.get().slug == "kementerian-contoh"
    assert web.get(f"/setup/{raw}/").status_code == 404  # used up
    assert web.get("/")["Location"] == "/security/2fa/enrol/"  # admin must enrol first


def test_api_token_is_shown_once_and_stored_hashed(web, people):
    login(web, "author")
    web.post("/security/tokens/new/", {"name": "ci"})
    first = web.get("/security/").content.decode()
    raw = re.search(r'id="new-token">(kwl_[^<]+)<', first).group(1)
    assert raw not in web.get("/security/").content.decode()
    from kawal.apps.orgs.models import ApiToken, hash_token

    token = ApiToken.objects.get()
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash


def test_admin_opens_a_second_organisation_and_switches(web, people, org):
    _verified_admin(web, people)
    bad = web.post("/orgs/new/", {"name": "Klien Dua", "timezone": "Mars/Olympus"})
    assert b"Unknown time zone Mars/Olympus" in bad.content
    web.post("/orgs/new/", {"name": "Klien Dua", "timezone": "Asia/Makassar"})
    second = Organization.objects.get(name="Klien Dua")
    assert Membership.objects.get(user=people["admin"], organization=second).roles == ["admin"]
    assert b"Klien Dua" in web.get("/").content  # switched to it
    assert AuditEntry.objects.filter(action="org.created", organization_id=second.pk).exists()


def test_author_cannot_open_an_organisation(web, people):
    login(web, "author")
    assert web.get("/orgs/new/").status_code == 403


def test_admin_login_goes_through_kawal_login(web, db):
    response = web.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=")


def test_password_change_is_audited(web, people):
    login(web, "author")
    response = web.post("/security/password/", {"old_password": "pw-author-long",
                                                "new_password1": "another-long-pass-7",
                                                "new_password2": "another-long-pass-7"})
    assert response.status_code == 302
    people["author"].refresh_from_db()
    assert people["author"].check_password("another-long-pass-7")
    assert AuditEntry.objects.filter(action="password.changed").count() == 1


def test_times_show_in_the_organisation_time_zone(web, people, org):
    from datetime import UTC, timedelta

    org.timezone = "Asia/Jayapura"  # UTC+9, no daylight saving
    org.save()
    login(web, "security")
    entry = AuditEntry.objects.get(action="login.password")
    jayapura = entry.created_at.astimezone(UTC).replace(tzinfo=None) + timedelta(hours=9)
    assert jayapura.strftime("%Y-%m-%d %H:%M") in web.get("/audit/").content.decode()


def test_admin_resets_a_members_two_factor_audited(web, people, org):
    lost = TOTPDevice.objects.create(user=people["approver"], name="lost phone", confirmed=True)
    _verified_admin(web, people)
    membership = Membership.objects.get(user=people["approver"], organization=org)
    web.post(f"/orgs/members/{membership.pk}/reset-2fa/")
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    entry = AuditEntry.objects.get(action="2fa.reset")
    assert entry.payload == {"username": "approver", "devices_removed": 1}
    own = Membership.objects.get(user=people["admin"], organization=org)
    web.post(f"/orgs/members/{own.pk}/reset-2fa/")
    assert TOTPDevice.objects.filter(user=people["admin"]).exists()


def test_members_page_shows_who_has_two_factor(web, people):
    TOTPDevice.objects.create(user=people["reviewer"], name="phone", confirmed=True)
    login(web, "security")
    html = web.get("/orgs/members/").content.decode()
    assert html.count("two-factor on") == 1 and html.count("no two-factor") == 6  # seven members, one per role


def test_accounts_page_links_each_account_to_its_integrity_page(web, people, brand):
    from django.urls import NoReverseMatch, reverse

    try:
        expected = reverse("integrity:account", args=[brand.pk])
    except NoReverseMatch:
        pytest.skip("the integrity app has no account page yet")
    login(web, "viewer")
    assert f'href="{expected}"' in web.get("/social/accounts/").content.decode()
