"""API: token authentication, organisation scoping, permissions, OpenAPI schema."""

from __future__ import annotations

from django.utils import timezone

from kawal.apps.audit.log import record
from kawal.apps.orgs.models import ApiToken, Membership
from kawal.apps.social.models import SocialAccount


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_schema_lists_core_routes(web, db):
    schema = web.get("/api/openapi.json").json()
    for route in ("/api/orgs/me", "/api/orgs/members", "/api/social/accounts", "/api/audit/entries"):
        assert route in schema["paths"]


def test_requests_without_a_valid_token_are_refused(web, people, org):
    assert web.get("/api/orgs/me").status_code == 401
    assert web.get("/api/orgs/me", **bearer("kwl_not-a-token")).status_code == 401
    token, raw = ApiToken.issue(people["author"], org, "t")
    token.revoked_at = timezone.now()
    token.save()
    assert web.get("/api/orgs/me", **bearer(raw)).status_code == 401


def test_session_login_does_not_authenticate_the_api(web, people):
    web.post("/login/", {"username": "author", "password": "pw-author-long"})
    assert web.get("/api/orgs/me").status_code == 401


def test_me_and_roles(web, people, org):
    _, raw = ApiToken.issue(people["reviewer"], org, "t")
    me = web.get("/api/orgs/me", **bearer(raw)).json()
    assert me["username"] == "reviewer" and me["roles"] == ["reviewer"]
    assert me["organization"]["slug"] == "acme"
    assert ApiToken.objects.get().last_used_at is not None


def test_accounts_are_scoped_to_the_token_org(web, people, org, other_org, brand):
    foreign = SocialAccount.objects.create(organization=other_org, platform="x", handle="@other")
    foreign.set_credentials({"access_token": "foreign-secret"})
    foreign.save()
    brand.set_credentials({"access_token": "brand-secret"})
    brand.save()
    _, raw = ApiToken.issue(people["viewer"], org, "t")
    listing = web.get("/api/social/accounts", **bearer(raw))
    assert [a["handle"] for a in listing.json()] == ["@acme"]
    assert b"brand-secret" not in listing.content and b"gAAAA" not in listing.content
    assert listing.json()[0]["has_credentials"] is True
    assert web.get(f"/api/social/accounts/{foreign.pk}", **bearer(raw)).status_code == 404


def test_pause_needs_the_role(web, people, org, brand):
    _, viewer = ApiToken.issue(people["viewer"], org, "t")
    _, security = ApiToken.issue(people["security"], org, "t")
    body = {"paused": True, "reason": "suspicious login"}
    url = f"/api/social/accounts/{brand.pk}/pause"
    assert web.post(url, body, content_type="application/json", **bearer(viewer)).status_code == 403
    response = web.post(url, body, content_type="application/json", **bearer(security))
    assert response.status_code == 200 and response.json()["paused"] is True


def test_members_and_role_changes(web, people, org):
    _, author = ApiToken.issue(people["author"], org, "t")
    _, admin = ApiToken.issue(people["admin"], org, "t")
    assert web.get("/api/orgs/members", **bearer(author)).status_code == 403
    members = web.get("/api/orgs/members", **bearer(admin)).json()
    assert len(members) == 7
    target = Membership.objects.get(user=people["author"])
    url = f"/api/orgs/members/{target.pk}/roles"
    bad = web.put(url, {"roles": ["wizard"]}, content_type="application/json", **bearer(admin))
    assert bad.status_code == 422 and "unknown role 'wizard'" in bad.content.decode()
    ok = web.put(url, {"roles": ["author", "reviewer"]}, content_type="application/json", **bearer(admin))
    assert ok.json()["roles"] == ["author", "reviewer"]


def test_token_stops_working_when_member_leaves(web, people, org):
    _, raw = ApiToken.issue(people["author"], org, "t")
    Membership.objects.filter(user=people["author"]).delete()
    assert web.get("/api/orgs/me", **bearer(raw)).status_code == 401


def test_audit_entries_scoped_and_verify(web, people, org, other_org):
    record("secret.thing", organization=other_org)
    record("our.thing", organization=org)
    _, security = ApiToken.issue(people["security"], org, "t")
    actions = [e["action"] for e in web.get("/api/audit/entries", **bearer(security)).json()]
    assert "our.thing" in actions and "secret.thing" not in actions
    assert web.get("/api/audit/verify", **bearer(security)).json()["intact"] is True
    _, author = ApiToken.issue(people["author"], org, "t")
    assert web.get("/api/audit/entries", **bearer(author)).status_code == 403


def test_admin_connects_an_account_and_rotates_its_credentials(web, people, org):
    from kawal.apps.audit.models import AuditEntry

    _, admin = ApiToken.issue(people["admin"], org, "t")
    _, author = ApiToken.issue(people["author"], org, "t")
    body = {"platform": "mastodon", "handle": "@kominfo", "base_url": "https://m.example",
            "sanctioned_clients": ["Sprinklr"], "credentials": {"access_token": "first-secret"}}
    assert web.post("/api/social/accounts", body, content_type="application/json",
                    **bearer(author)).status_code == 403
    created = web.post("/api/social/accounts", body, content_type="application/json", **bearer(admin))
    assert created.status_code == 201 and b"first-secret" not in created.content
    assert web.post("/api/social/accounts", body, content_type="application/json",
                    **bearer(admin)).status_code == 409
    bad = web.post("/api/social/accounts", {**body, "handle": "@x", "platform": "myspace"},
                   content_type="application/json", **bearer(admin))
    assert bad.status_code == 422 and "unknown platform 'myspace'" in bad.content.decode()
    account = SocialAccount.objects.get(handle="@kominfo")
    rotated = web.put(f"/api/social/accounts/{account.pk}/credentials",
                      {"credentials": {"access_token": "second-secret"}}, content_type="application/json",
                      **bearer(admin))
    assert rotated.status_code == 200
    account.refresh_from_db()
    assert account.get_credentials() == {"access_token": "second-secret"}
    payloads = str(list(AuditEntry.objects.values_list("payload", flat=True)))
    assert "first-secret" not in payloads and "second-secret" not in payloads
    assert AuditEntry.objects.filter(action="account.credentials_changed").count() == 1
