"""What a newcomer meets on the way: errors named once and in place, readable 403 and 404 pages."""

from __future__ import annotations

import pytest

from kawal.server import bootstrap


def _setup_post(web, raw: str, password: str, password2: str):
    return web.post(f"/setup/{raw}/", {"username": "boss", "email": "b@example.org", "password": password,
                                       "password2": password2, "org_name": "Kementerian Contoh"})


@pytest.mark.django_db
def test_setup_names_a_password_mismatch_once_beside_the_second_password(web):
    raw = bootstrap.issue_setup_token()
    html = _setup_post(web, raw, "a-long-pass-42", "a-long-pass-43").content.decode()
    assert html.count("The two passwords differ.") == 1
    # The message sits in the second password's field group, after its label.
    assert html.index("Password (again)") < html.index("The two passwords differ.")
    assert 'value="Kementerian Contoh"' in html  # what the user typed is kept


@pytest.mark.django_db
def test_setup_says_a_short_password_is_too_short(web):
    raw = bootstrap.issue_setup_token()
    html = _setup_post(web, raw, "short", "short").content.decode()
    assert html.count("This password is too short") == 1


def test_wrong_login_is_said_once(web, people):
    html = web.post("/login/", {"username": "author", "password": "wrong"}).content.decode()
    assert html.count('role="alert"') == 1
    assert html.count("errorlist nonfield") == 0


def test_forbidden_page_says_why_and_where_to_go(web, people):
    web.post("/login/", {"username": "viewer", "password": "pw-viewer-long"})
    page = web.get("/publishing/compose/")
    html = page.content.decode()
    assert page.status_code == 403
    assert "Your roles do not allow you to write drafts." in html  # the view's own reason
    assert 'href="/"' in html and "<nav" in html  # the site's layout, a way back


def test_missing_page_is_a_kawal_page(web, people):
    web.post("/login/", {"username": "viewer", "password": "pw-viewer-long"})
    page = web.get("/no-such-page/")
    assert page.status_code == 404
    assert "There is no page at /no-such-page/" in page.content.decode()


def test_resolving_without_a_category_names_no_internal_codes(web, people, org):
    from kawal.apps.incidents.models import Incident, Status
    from kawal.apps.incidents.services import open_incident

    incident, _created = open_incident(org, kind="surge", title="Mentions surge")
    web.post("/login/", {"username": "security", "password": "pw-security-long"})
    page = web.post(f"/incidents/{incident.pk}/resolve/", {"category": "", "note": "checked"}, follow=True)
    html = page.content.decode()
    assert "Choose a resolution category from the list" in html
    assert "confirmed_legitimate" not in html.split("<select")[0]  # the codes appear only as option values
    incident.refresh_from_db()
    assert incident.status == Status.OPEN
    assert Incident.objects.count() == 1


def test_empty_listening_page_says_where_to_add_sources(web, people):
    web.post("/login/", {"username": "viewer", "password": "pw-viewer-long"})
    html = web.get("/listening/").content.decode()
    assert "Nothing heard in the last days yet." in html
    assert "An admin adds news feeds and mention searches" in html
    indonesian = web.get("/listening/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Admin menambahkan feed berita" in indonesian


def test_resolved_incident_on_a_paused_account_says_where_to_resume(web, people, org):
    from kawal.apps.incidents.services import open_incident
    from kawal.apps.social.models import SocialAccount

    account = SocialAccount.objects.create(organization=org, platform="mastodon", handle="@acme",
                                           base_url="https://social.example", paused=True)
    incident, _created = open_incident(org, kind="unsanctioned_post", title="Odd post", account=account)
    web.post("/login/", {"username": "security", "password": "pw-security-long"})
    web.post(f"/incidents/{incident.pk}/resolve/", {"category": "compromise", "note": "Password rotated"})
    html = web.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Resolved as" in html and "still paused" in html and 'href="/social/accounts/"' in html
    account.paused = False
    account.save(update_fields=["paused"])
    assert "still paused" not in web.get(f"/incidents/{incident.pk}/").content.decode()


def test_security_page_says_how_to_use_a_token_and_where_the_api_is_described(web, people):
    web.post("/login/", {"username": "author", "password": "pw-author-long"})
    html = web.get("/security/").content.decode()
    assert "Authorization: Bearer kwl_" in html and 'href="/api/docs"' in html
    assert web.get("/api/docs").status_code == 200  # the link leads somewhere
    assert "Rujukan API ada di" in web.get("/security/", HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_adding_a_member_wrongly_names_the_fields_by_their_labels(web, people):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.core.conftest import totp_code

    device = TOTPDevice.objects.create(user=people["admin"], name="phone", confirmed=True)
    web.post("/login/", {"username": "admin", "password": "pw-admin-long"})
    web.post("/login/verify/", {"otp_token": totp_code(device)})
    html = web.post("/orgs/members/add/", {"username": "budi", "password": "short"}, follow=True).content.decode()
    assert "Roles: This field is required." in html
    assert "Initial password: This password is too short." in html
    assert "__all__" not in html and "roles:" not in html


def test_members_page_flags_missing_two_factor_only_where_roles_require_it(web, people):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.core.conftest import totp_code

    device = TOTPDevice.objects.create(user=people["admin"], name="phone", confirmed=True)
    web.post("/login/", {"username": "admin", "password": "pw-admin-long"})
    web.post("/login/verify/", {"otp_token": totp_code(device)})
    html = web.get("/orgs/members/").content.decode()
    rows = {row.split("</strong>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr")[1:] if "</strong>" in row}
    assert "their roles require it" in rows["approver"] and "their roles require it" in rows["publisher"]
    assert "their roles require it" not in rows["author"] and "no two-factor" in rows["author"]
    assert "two-factor on" in rows["admin"]
    # Reset is offered only where there is something to reset (and never on your own row).
    assert all("reset-2fa" not in row for row in rows.values())
    TOTPDevice.objects.create(user=people["approver"], name="phone", confirmed=True)
    html = web.get("/orgs/members/").content.decode()
    rows = {row.split("</strong>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr")[1:] if "</strong>" in row}
    assert [name for name, row in rows.items() if "reset-2fa" in row] == ["approver"]


def test_integrity_page_does_not_repeat_a_reason_that_only_restates_the_verdict(web, people, org):
    from django.utils import timezone

    from kawal.apps.integrity.models import ObservedPost
    from kawal.apps.social.models import SocialAccount

    account = SocialAccount.objects.create(organization=org, platform="mastodon", handle="@acme",
                                           base_url="https://social.example")
    common = {"organization": org, "account": account, "created_at": timezone.now()}
    ObservedPost.objects.create(platform_id="1", text="Ours", client="Kawal", verdict="published_by_kawal",
                                reason="published by Kawal", **common)
    ObservedPost.objects.create(platform_id="2", text="Theirs", client="Twitter Web App", verdict="unsanctioned",
                                reason="not published by Kawal, and 'Twitter Web App' is not a sanctioned client",
                                **common)
    web.post("/login/", {"username": "security", "password": "pw-security-long"})
    html = web.get(f"/integrity/accounts/{account.pk}/").content.decode()
    assert html.count("ublished by Kawal") == 2  # the verdict once, and inside the other post's reason
    assert "is not a sanctioned client</small>" in html
