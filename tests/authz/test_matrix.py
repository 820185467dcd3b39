"""Every URL pattern (web and API, enumerated from the URL resolver) x every persona: allowed or denied.

A new endpoint without an expectation here fails ``test_every_endpoint_has_an_expectation``, so nobody can
add a page or an API route and forget to say who may use it.

Each persona's request runs inside a savepoint that is rolled back, so every persona meets the same world.
Where an endpoint changes something, the verdict is read from the database (did the approval, the pause,
the new member appear?) rather than from the status code: an action that answers 302 but changed nothing
is a denial. Elsewhere a denial is 401/403/404 or a redirect to the login page, and an allowed page shown
to the member of another organisation must not contain anything of this organisation.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kawal.apps.audit.models import AuditEntry
from kawal.apps.incidents.models import Incident
from kawal.apps.notifications.models import Channel
from kawal.apps.orgs.models import ROLES, AccountGrant, ApiToken, Membership
from kawal.apps.publishing import media
from kawal.apps.publishing.models import (
    ApprovalPolicy,
    Comment,
    Decision,
    Draft,
    DraftVersion,
    ForcedReview,
    PreAuthorization,
)
from kawal.apps.social.models import SocialAccount
from tests.authz.conftest import MARKER, OUTSIDER, PERSONAS, World

MEMBERS = frozenset(ROLES)
LOGGED_IN = MEMBERS | {OUTSIDER}
EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
LOGIN_PATHS = ("/login/", "/admin/login/", "/security/2fa/enrol/")

Fn = Callable[[World], Any]


@dataclass(frozen=True)
class Case:
    method: str
    path: Callable[[World], str]
    allow: frozenset[str]
    data: Fn | None = None
    effect: Callable[[World, str], bool] | None = None   # did the action take effect (for this persona)?
    before: Fn | None = None                              # set the stage inside the persona's savepoint


def _get(path: str | Fn, allow: frozenset[str]) -> Case:
    return Case("GET", path if callable(path) else (lambda w, p=path: p), allow)


def _post(path: str | Fn, allow: frozenset[str], data: Fn | None = None, **kw: Any) -> Case:
    return Case("POST", path if callable(path) else (lambda w, p=path: p), allow, data, **kw)


def _put(path: Fn, allow: frozenset[str], data: Fn, **kw: Any) -> Case:
    return Case("PUT", path, allow, data, **kw)


def _decided(kind: str, draft: str = "in_review") -> Callable[[World, str], bool]:
    return lambda w, who: Decision.objects.filter(draft=getattr(w, draft), kind=kind,
                                                  user__username=who).exists()


def _versions_of(draft: str, n: int) -> Callable[[World, str], bool]:
    return lambda w, who: getattr(w, draft).versions.count() > n


def _org_paused(w: World, who: str) -> bool:
    w.org.refresh_from_db()
    return w.org.publishing_paused


def _pause_org(w: World) -> None:
    type(w.org).objects.filter(pk=w.org.pk).update(publishing_paused=True)


def _brand_paused(w: World, who: str) -> bool:
    return SocialAccount.objects.get(pk=w.brand.pk).paused


def _hash(draft: str) -> Fn:
    return lambda w: {"content_hash": getattr(w, draft).current_version.content_hash, "note": "ok by me"}


def _roles_of(role: str) -> Callable[[World, str], list[str]]:
    return lambda w, who: Membership.objects.get(pk=w.memberships[role].pk).roles


def _glass_count(w: World, who: str) -> bool:
    return Draft.objects.filter(organization=w.org, break_glass=True).count() > 1


def _active_preauth(w: World, who: str) -> bool:
    return PreAuthorization.objects.filter(account=w.executive, revoked_at__isnull=True).exists()


def _revoke_preauth(w: World) -> None:
    PreAuthorization.objects.filter(pk=w.preauth.pk).update(revoked_at=w.preauth.granted_at)


# A tiny "PNG" (the type is judged by its first bytes) for the media endpoints.
PNG = b"\x89PNG\r\n\x1a\n matrix image"
PNG_SHA = hashlib.sha256(PNG).hexdigest()


def _attach_image(w: World) -> None:
    """Store the image and attach it to the draft in review (inside the persona's savepoint)."""
    org_id = w.in_review.organization_id
    stored = media.store("matrix.png", PNG, organization_id=org_id)
    DraftVersion.objects.filter(pk=w.in_review.current_version_id).update(
        media=[media.describe(stored.sha256, organization_id=org_id)])


def _draft_path(name: str, draft: str = "in_review", api: bool = False) -> Fn:
    if api:
        return lambda w: f"/api/publishing/drafts/{getattr(w, draft).pk}{name}"
    return lambda w: f"/publishing/drafts/{getattr(w, draft).pk}/{name}"


APPROVERS = frozenset({"approver", "admin"})
WRITERS = frozenset({"author", "admin"})
COMMENTERS = frozenset({"author", "reviewer", "approver", "publisher", "admin"})
PAUSERS = frozenset({"admin", "security"})
ADMINS = frozenset({"admin"})
AUDITORS = frozenset({"admin", "security"})
PUBLISHERS = frozenset({"publisher", "admin"})
INCIDENT_HANDLERS = frozenset({"security", "admin"})
WITHDRAWERS = frozenset({"author", "publisher", "admin"})
SYNCERS = frozenset({"admin", "security", "publisher"})
PRINCIPAL = frozenset({"viewer"})  # the viewer is the executive account's principal in this world
# Pages of "the current organisation": the outsider sees their own organisation's (and nothing of ours).
OWN_ORG = frozenset({OUTSIDER})

WEB: dict[str, Case] = {
    # --- the web app ---
    "home": _get("/", LOGGED_IN),
    "login": _get("/login/", EVERYONE),
    "login_verify": _get("/login/verify/", LOGGED_IN),
    "logout": _post("/logout/", EVERYONE,
                    effect=lambda w, who: "_auth_user_id" not in w.web[who].session),
    "security": _get("/security/", LOGGED_IN),
    "password_change": _get("/security/password/", LOGGED_IN),
    "enrol_2fa": _get("/security/2fa/enrol/", LOGGED_IN),
    "remove_device": _post(lambda w: f"/security/2fa/{w.devices['author'].pk}/remove/", frozenset({"author"}),
                           effect=lambda w, who: not type(w.devices["author"]).objects.filter(
                               pk=w.devices["author"].pk).exists()),
    "create_api_token": _post("/security/tokens/new/", LOGGED_IN, lambda w: {"name": "new"},
                              effect=lambda w, who: ApiToken.objects.filter(user__username=who,
                                                                            name="new").exists()),
    "revoke_api_token": _post(lambda w: f"/security/tokens/{w.author_token_id}/revoke/", frozenset({"author"}),
                              effect=lambda w, who: ApiToken.objects.get(pk=w.author_token_id).revoked_at
                              is not None),
    "switch_org": _post("/switch-org/", MEMBERS, lambda w: {"org": w.org.pk},
                        effect=lambda w, who: w.web[who].session.get("kawal_org_id") == w.org.pk),
    "setup": _get("/setup/not-a-token/", NOBODY),
    "set_language": _post("/i18n/setlang/", EVERYONE, lambda w: {"language": "id", "next": "/"}),
    # --- orgs ---
    "orgs:org_new": _get("/orgs/new/", ADMINS | OWN_ORG),
    "orgs:org_settings": _get("/orgs/settings/", ADMINS | OWN_ORG),
    "orgs:members": _get("/orgs/members/", AUDITORS | OWN_ORG),
    "orgs:add_member": _post("/orgs/members/add/", ADMINS,
                             lambda w: {"username": "newbie", "password": "a-long-password-1", "roles": ["author"]},
                             effect=lambda w, who: Membership.objects.filter(
                                 organization=w.org, user__username="newbie").exists()),
    "orgs:change_roles": _post(lambda w: f"/orgs/members/{w.memberships['author'].pk}/roles/", ADMINS,
                               lambda w: {"roles": ["viewer"]},
                               effect=lambda w, who: _roles_of("author")(w, who) == ["viewer"]),
    "orgs:remove_member": _post(lambda w: f"/orgs/members/{w.memberships['author'].pk}/remove/", ADMINS,
                                effect=lambda w, who: not Membership.objects.filter(
                                    pk=w.memberships["author"].pk).exists()),
    "orgs:reset_2fa": _post(lambda w: f"/orgs/members/{w.memberships['approver'].pk}/reset-2fa/", ADMINS,
                            effect=lambda w, who: not type(w.devices["approver"]).objects.filter(
                                user=w.users["approver"]).exists()),
    "orgs:add_grant": _post(lambda w: f"/orgs/members/{w.memberships['author'].pk}/grants/", ADMINS,
                            lambda w: {"account": w.brand.pk, "roles": ["author"]},
                            effect=lambda w, who: AccountGrant.objects.filter(
                                membership=w.memberships["author"]).exists()),
    "orgs:remove_grant": _post(lambda w: f"/orgs/grants/{w.grant.pk}/remove/", ADMINS,
                               effect=lambda w, who: not AccountGrant.objects.filter(pk=w.grant.pk).exists()),
    # --- social ---
    "social:accounts": _get("/social/accounts/", LOGGED_IN),
    "social:account_new": _get("/social/accounts/new/", ADMINS | OWN_ORG),
    "social:account_edit": _get(lambda w: f"/social/accounts/{w.brand.pk}/", ADMINS),
    "social:account_pause": _post(lambda w: f"/social/accounts/{w.brand.pk}/pause/", PAUSERS,
                                  lambda w: {"pause": "1", "reason": "test"}, effect=_brand_paused),
    # --- audit ---
    "audit:log": _get("/audit/", AUDITORS | OWN_ORG),
    "audit:verify": _get("/audit/verify/", AUDITORS | OWN_ORG),
    # --- publishing ---
    "publishing:queue": _get("/publishing/", LOGGED_IN),
    "publishing:compose": _get("/publishing/compose/", WRITERS | PUBLISHERS | OWN_ORG),
    "publishing:screen": _post("/publishing/screen/", LOGGED_IN, lambda w: {"text": "hello"}),
    "publishing:calendar": _get("/publishing/calendar/", LOGGED_IN),
    "publishing:pause": _post("/publishing/pause/", PAUSERS, lambda w: {"reason": "test"}, effect=_org_paused),
    "publishing:resume": _post("/publishing/resume/", ADMINS, before=_pause_org,
                               effect=lambda w, who: not _org_paused(w, who)),
    "publishing:break_glass": _post("/publishing/break-glass/", PUBLISHERS,
                                    lambda w: {"account": w.brand.pk, "text": "Site down", "reason": "outage"},
                                    effect=_glass_count),
    "publishing:acknowledge": _post(lambda w: f"/publishing/reviews/{w.review.pk}/acknowledge/",
                                    frozenset({"approver", "security", "admin"}), lambda w: {"note": "seen"},
                                    effect=lambda w, who: ForcedReview.objects.get(pk=w.review.pk).acknowledged_at
                                    is not None),
    "publishing:revoke_preauth": _post(lambda w: f"/publishing/preauth/{w.preauth.pk}/revoke/",
                                       PRINCIPAL | ADMINS,
                                       effect=lambda w, who: not _active_preauth(w, who)),
    "publishing:draft": _get(_draft_path(""), MEMBERS),
    "publishing:media": Case("GET", lambda w: f"/publishing/drafts/{w.in_review.pk}/media/{PNG_SHA}/", MEMBERS,
                             before=_attach_image),
    "publishing:edit": _post(_draft_path("edit/"), WRITERS,
                             lambda w: {"text": "Edited", "base_version": 1}, effect=_versions_of("in_review", 1)),
    "publishing:schedule": _post(_draft_path("schedule/"), PUBLISHERS,
                                 lambda w: {"scheduled_at": "2030-01-02T09:00", "base_version": 1},
                                 effect=_versions_of("in_review", 1)),
    "publishing:submit": _post(_draft_path("submit/", "fresh"), WRITERS,
                               effect=lambda w, who: Draft.objects.get(pk=w.fresh.pk).status != "draft"),
    "publishing:approve": _post(_draft_path("approve/"), APPROVERS, _hash("in_review"),
                                effect=_decided("approval")),
    "publishing:sign_off": _post(_draft_path("sign-off/", "exec_draft"), PRINCIPAL, _hash("exec_draft"),
                                 effect=_decided("signoff", "exec_draft")),
    "publishing:reject": _post(_draft_path("reject/"), APPROVERS, _hash("in_review"),
                               effect=_decided("rejection")),
    "publishing:comment": _post(_draft_path("comment/"), COMMENTERS, lambda w: {"body": "A remark"},
                                effect=lambda w, who: Comment.objects.filter(author__username=who).exists()),
    "publishing:grant_preauth": _post(_draft_path("preauth/", "exec_draft"), PRINCIPAL, lambda w: {"note": "ok"},
                                      before=_revoke_preauth, effect=_active_preauth),
    "publishing:withdraw": _post(_draft_path("withdraw/"), WITHDRAWERS, lambda w: {"reason": "not now"},
                                 effect=lambda w, who: Draft.objects.get(pk=w.in_review.pk).status == "withdrawn"),
    "publishing:policy": _get(lambda w: f"/publishing/accounts/{w.brand.pk}/policy/", ADMINS),
    # --- integrity ---
    "integrity:overview": _get("/integrity/", LOGGED_IN),
    # The reviewer's grant limits them to the brand account, so the sandbox account is not theirs to see.
    "integrity:account": _get(lambda w: f"/integrity/accounts/{w.sandbox.pk}/", MEMBERS - {"reviewer"}),
    "integrity:sync": _post(lambda w: f"/integrity/accounts/{w.sandbox.pk}/sync/", SYNCERS,
                            effect=lambda w, who: SocialAccount.objects.get(pk=w.sandbox.pk).last_synced_at
                            is not None),
    "integrity:sandbox_post": _post(lambda w: f"/integrity/accounts/{w.sandbox.pk}/sandbox-post/", AUDITORS,
                                    lambda w: {"text": "Hijacked!", "client": "Twitter Web App"},
                                    effect=lambda w, who: AuditEntry.objects.filter(
                                        action="integrity.sandbox_post").exists()),
    "integrity:import_archive": _post(lambda w: f"/integrity/accounts/{w.sandbox.pk}/archive/", SYNCERS),
    # --- incidents ---
    "incidents:list": _get("/incidents/", LOGGED_IN),
    "incidents:detail": _get(lambda w: f"/incidents/{w.incident.pk}/", MEMBERS),
    "incidents:act": _post(lambda w: f"/incidents/{w.incident.pk}/resolve/", INCIDENT_HANDLERS,
                           lambda w: {"category": "compromise", "note": "Password reset, post deleted."},
                           effect=lambda w, who: Incident.objects.get(pk=w.incident.pk).resolved_at is not None),
    # --- notifications ---
    "notifications:channels": _get("/notifications/", AUDITORS | OWN_ORG),
    "notifications:channel_new": _get("/notifications/new/", AUDITORS | OWN_ORG),
    "notifications:channel_edit": _get(lambda w: f"/notifications/{w.channel.pk}/", AUDITORS),
    "notifications:channel_delete": _post(lambda w: f"/notifications/{w.channel.pk}/delete/", AUDITORS,
                                          effect=lambda w, who: not Channel.objects.filter(pk=w.channel.pk).exists()),
    "notifications:channel_test": _post(lambda w: f"/notifications/{w.channel.pk}/test/", AUDITORS,
                                        effect=lambda w, who: Channel.objects.get(pk=w.channel.pk).last_error != ""),
    # --- listening ---
    "listening:home": _get("/listening/", LOGGED_IN),
    "listening:settings": _get("/listening/settings/", LOGGED_IN),
    "listening:add_feed": _post("/listening/settings/feeds/", ADMINS | OWN_ORG,
                                lambda w: {"url": "https://news.example/rss"}),
    "listening:remove_feed": _post(lambda w: f"/listening/settings/feeds/{w.extra['feed']}/remove/", ADMINS,
                                   before=lambda w: _make_listening(w, "feed"),
                                   effect=lambda w, who: not _listening_exists(w, "feed")),
    "listening:add_query": _post("/listening/settings/queries/", ADMINS | OWN_ORG,
                                 lambda w: {"account": w.brand.pk, "query": "acme"}),
    "listening:remove_query": _post(lambda w: f"/listening/settings/queries/{w.extra['query']}/remove/", ADMINS,
                                    before=lambda w: _make_listening(w, "query"),
                                    effect=lambda w, who: not _listening_exists(w, "query")),
    "listening:save_config": _post("/listening/settings/config/", ADMINS | OWN_ORG, lambda w: {}),
    "listening:rotate_secret": _post("/listening/settings/secret/", ADMINS,
                                     effect=lambda w, who: _audited(w, "listening.webhook.secret_rotated")),
    "listening:intake": _post("/listening/intake/no-such-intake/", NOBODY, lambda w: {}),
}


def _audited(w: World, action: str) -> bool:
    return AuditEntry.objects.filter(action=action, organization=w.org).exists()


def _listening_model(kind: str) -> Any:
    from kawal.apps.listening.models import Feed, MentionQuery

    return Feed if kind == "feed" else MentionQuery


def _make_listening(w: World, kind: str) -> None:
    fields = {"url": "https://news.example/rss"} if kind == "feed" else {"account": w.brand, "query": "acme"}
    w.extra[kind] = _listening_model(kind).objects.create(organization=w.org, **fields).pk


def _listening_exists(w: World, kind: str) -> bool:
    return _listening_model(kind).objects.filter(pk=w.extra[kind]).exists()


API: dict[str, Case] = {
    "api:api-root": _get("/api/", NOBODY),
    "api:openapi-json": _get("/api/openapi.json", EVERYONE),
    "api:openapi-view": _get("/api/docs", EVERYONE),
    "api:me": _get("/api/orgs/me", LOGGED_IN),
    "api:organizations": _get("/api/orgs/organizations", LOGGED_IN),
    "api:members": _get("/api/orgs/members", AUDITORS | OWN_ORG),
    "api:set_roles": _put(lambda w: f"/api/orgs/members/{w.memberships['author'].pk}/roles", ADMINS,
                          lambda w: {"roles": ["viewer"]},
                          effect=lambda w, who: _roles_of("author")(w, who) == ["viewer"]),
    "api:accounts": _get("/api/social/accounts", LOGGED_IN),
    "api:account": _get(lambda w: f"/api/social/accounts/{w.brand.pk}", MEMBERS),
    "api:pause": _post(lambda w: f"/api/social/accounts/{w.brand.pk}/pause", PAUSERS,
                       lambda w: {"paused": True, "reason": "test"}, effect=_brand_paused),
    "api:entries": _get("/api/audit/entries", AUDITORS | OWN_ORG),
    "api:verify_chain": _get("/api/audit/verify", AUDITORS | OWN_ORG),
    "api:list_drafts": _get("/api/publishing/drafts", LOGGED_IN),
    "api:upload_media": _post("/api/publishing/media", WRITERS | OWN_ORG,
                              lambda w: {"name": "a.png", "content_base64": base64.b64encode(PNG).decode()}),
    "api:create_draft": _post("/api/publishing/drafts", WRITERS,
                              lambda w: {"account_id": w.brand.pk, "text": "From the API"},
                              effect=lambda w, who: Draft.objects.filter(
                                  organization=w.org, versions__text="From the API").exists()),
    "api:get_draft": _get(_draft_path("", api=True), MEMBERS),
    "api:list_versions": _get(_draft_path("/versions", api=True), MEMBERS),
    "api:add_version": _post(_draft_path("/versions", api=True), WRITERS,
                             lambda w: {"text": "Edited", "base_version": 1}, effect=_versions_of("in_review", 1)),
    "api:schedule": _post(_draft_path("/schedule", api=True), PUBLISHERS,
                          lambda w: {"scheduled_at": "2030-01-02T02:00:00Z", "base_version": 1},
                          effect=_versions_of("in_review", 1)),
    "api:submit": _post(_draft_path("/submit", "fresh", api=True), WRITERS,
                        effect=lambda w, who: Draft.objects.get(pk=w.fresh.pk).status != "draft"),
    "api:approve": _post(_draft_path("/approvals", api=True), APPROVERS, _hash("in_review"),
                         effect=_decided("approval")),
    "api:sign_off": _post(_draft_path("/signoff", "exec_draft", api=True), PRINCIPAL, _hash("exec_draft"),
                          effect=_decided("signoff", "exec_draft")),
    "api:reject": _post(_draft_path("/rejections", api=True), APPROVERS, _hash("in_review"),
                        effect=_decided("rejection")),
    "api:add_comment": _post(_draft_path("/comments", api=True), COMMENTERS, lambda w: {"body": "A remark"},
                             effect=lambda w, who: Comment.objects.filter(author__username=who).exists()),
    "api:pause_org": _post("/api/publishing/pause", PAUSERS, lambda w: {"paused": True, "reason": "test"},
                           effect=_org_paused),
    "api:pause_account": _post(lambda w: f"/api/publishing/accounts/{w.brand.pk}/pause", PAUSERS,
                               lambda w: {"paused": True, "reason": "test"}, effect=_brand_paused),
    "api:break_glass": _post("/api/publishing/break-glass", PUBLISHERS,
                             lambda w: {"account_id": w.brand.pk, "text": "Site down", "reason": "outage"},
                             effect=_glass_count),
    "api:withdraw": _post(_draft_path("/withdraw", api=True), WITHDRAWERS, lambda w: {"reason": "not now"},
                          effect=lambda w, who: Draft.objects.get(pk=w.in_review.pk).status == "withdrawn"),
    "api:observed_posts": _get("/api/integrity/posts", LOGGED_IN),
    "api:sync_now": _post(lambda w: f"/api/integrity/accounts/{w.sandbox.pk}/sync", SYNCERS,
                          effect=lambda w, who: SocialAccount.objects.get(pk=w.sandbox.pk).last_synced_at
                          is not None),
    "api:list_incidents": _get("/api/incidents/", LOGGED_IN),
    "api:incident_detail": _get(lambda w: f"/api/incidents/{w.incident.pk}", MEMBERS),
    "api:acknowledge": _post(lambda w: f"/api/incidents/{w.incident.pk}/acknowledge", INCIDENT_HANDLERS,
                             effect=lambda w, who: _incident(w).acknowledged_at is not None),
    "api:assign": _post(lambda w: f"/api/incidents/{w.incident.pk}/assign", INCIDENT_HANDLERS,
                        lambda w: {"owner": "security"},
                        effect=lambda w, who: _incident(w).owner_id == w.users["security"].pk),
    "api:comment": _post(lambda w: f"/api/incidents/{w.incident.pk}/comment", INCIDENT_HANDLERS,
                         lambda w: {"body": "Looking into it"},
                         effect=lambda w, who: _incident(w).timeline.filter(text__contains="Looking into it").exists()),
    "api:severity": _post(lambda w: f"/api/incidents/{w.incident.pk}/severity", INCIDENT_HANDLERS,
                          lambda w: {"severity": "low"}, effect=lambda w, who: _incident(w).severity == "low"),
    "api:resolve": _post(lambda w: f"/api/incidents/{w.incident.pk}/resolve", INCIDENT_HANDLERS,
                         lambda w: {"category": "compromise", "note": "Password reset, post deleted."},
                         effect=lambda w, who: _incident(w).resolved_at is not None),
    "api:create_account": _post("/api/social/accounts", ADMINS,
                                lambda w: {"platform": "mastodon", "handle": "@new", "base_url": "https://m.example"},
                                effect=lambda w, who: SocialAccount.objects.filter(organization=w.org,
                                                                                   handle="@new").exists()),
    "api:replace_credentials": _put(lambda w: f"/api/social/accounts/{w.brand.pk}/credentials", ADMINS,
                                    lambda w: {"credentials": {"access_token": "secret-token"}},
                                    effect=lambda w, who: SocialAccount.objects.get(pk=w.brand.pk)
                                    .get_credentials() == {"access_token": "secret-token"}),
    "api:get_policy": _get(lambda w: f"/api/publishing/accounts/{w.brand.pk}/policy", MEMBERS),
    "api:put_policy": _put(lambda w: f"/api/publishing/accounts/{w.brand.pk}/policy", ADMINS,
                           lambda w: {"steps": [{"name": "Two", "roles": ["approver"], "rule": "n", "count": 2}]},
                           effect=lambda w, who: ApprovalPolicy.objects.filter(account=w.brand).exists()),
    "api:items": _get("/api/listening/items", LOGGED_IN),
    "api:surges": _get("/api/listening/surges", LOGGED_IN),
    "api:feeds": _get("/api/listening/feeds", LOGGED_IN),
    "api:add_feed": _post("/api/listening/feeds", ADMINS, lambda w: {"url": "https://news.example/rss"},
                          effect=lambda w, who: _listening_model("feed").objects.filter(organization=w.org).exists()),
    "api:remove_feed": Case("DELETE", lambda w: f"/api/listening/feeds/{w.extra['feed']}", ADMINS,
                            before=lambda w: _make_listening(w, "feed"),
                            effect=lambda w, who: not _listening_exists(w, "feed")),
    "api:channels": _get("/api/notifications/channels", AUDITORS | OWN_ORG),
}


def _incident(w: World) -> Incident:
    return Incident.objects.get(pk=w.incident.pk)



# --- enumerating the resolver -------------------------------------------------------------------------------

def _patterns(patterns: list[Any], prefix: str = "", ns: str = "") -> list[tuple[str, str]]:
    """(route, name) of every URL pattern; a nameless pattern is named by its route."""
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            found += _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            found.append((route, f"{ns}:{p.name}" if ns and p.name else (p.name or route)))
    return found


ALL_PATTERNS = _patterns(get_resolver().url_patterns)
ADMIN_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if route.startswith("admin/")]
KAWAL_PATTERNS = [(route, name) for route, name in ALL_PATTERNS if not route.startswith("admin/")]
PRESENT = {name for _, name in KAWAL_PATTERNS}


def test_every_endpoint_has_an_expectation() -> None:
    missing = sorted(f"{name} ({route})" for route, name in KAWAL_PATTERNS if name not in WEB and name not in API)
    assert not missing, "endpoints without an expectation in tests/authz/test_matrix.py: " + ", ".join(missing)


# --- running one case for every persona --------------------------------------------------------------------

def _send(client: Client, case: Case, world: World, api: bool) -> Any:
    path = case.path(world)
    data = case.data(world) if case.data else {}
    if case.method == "GET":
        return client.get(path)
    if api:
        return client.generic(case.method, path, json.dumps(data), content_type="application/json")
    return client.post(path, data)


def _denied_by_status(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and location.split("?")[0].endswith(LOGIN_PATHS)


def _verdict(world: World, case: Case, who: str, api: bool) -> str:
    """'allow' or 'deny' for one persona, inside a savepoint that is rolled back."""
    client = (world.api if api else world.web)[who]
    cookies = copy.deepcopy(client.cookies)  # a logout or a language switch must not follow the persona
    try:
        return _verdict_in_savepoint(world, case, who, api, client)
    finally:
        client.cookies = cookies


def _verdict_in_savepoint(world: World, case: Case, who: str, api: bool, client: Client) -> str:
    with transaction.atomic():
        if case.before:
            case.before(world)
        response = _send(client, case, world, api)
        assert response.status_code < 500, f"{who}: server error {response.status_code}"
        if case.effect is not None:
            allowed = case.effect(world, who)
        else:
            allowed = not _denied_by_status(response)
            if allowed and api:
                assert 200 <= response.status_code < 300, f"{who}: {response.status_code} {response.content[:300]!r}"
        if allowed and who == OUTSIDER:
            assert MARKER not in response.content.decode(errors="replace"), f"{case.path(world)} leaks to {who}"
        transaction.set_rollback(True)
    return "allow" if allowed else "deny"


def _problems(world: World, name: str, case: Case) -> list[str]:
    """What is wrong with one endpoint, for every persona (empty when all verdicts are as expected)."""
    api = name.startswith("api:")
    problems = []
    for who in PERSONAS:
        want = "allow" if who in case.allow else "deny"
        try:
            got = _verdict(world, case, who, api)
        except AssertionError as exc:
            problems.append(f"{name} as {who}: {exc}")
            continue
        if got != want:
            problems.append(f"{name} as {who}: expected {want}, got {got}")
    return problems


CASES: dict[str, Case] = {**WEB, **API}
ROUTES = {name: route for route, name in KAWAL_PATTERNS}


def _area(name: str) -> str:
    """Endpoints are checked in groups (one world each): an API router, or a web app."""
    route = ROUTES.get(name, "")
    if route.startswith("api/"):
        return "/".join(route.split("/")[:2])
    return name.split(":")[0] if ":" in name else "web"


@pytest.mark.parametrize("area", sorted({_area(name) for name in CASES if name in PRESENT}))
def test_endpoints_of(world: World, area: str) -> None:
    # Expectations may arrive before their endpoint (engineers add them in parallel): those wait.
    names = sorted(name for name in CASES if name in PRESENT and _area(name) == area)
    problems = [problem for name in names for problem in _problems(world, name, CASES[name])]
    assert not problems, "\n".join(problems)


# --- the Django admin: superusers only, so every persona (none is staff) is sent to the login -------------

def _admin_path(route: str) -> str:
    path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
    path = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$", "orgs/", path)
    return "/" + re.sub(r"\(\?P<url>\.\*\)\$", "nothing/", path)


def test_the_django_admin_is_closed_to_every_persona(world: World) -> None:
    assert len(ADMIN_PATTERNS) > 20
    opened = []
    for route, _name in ADMIN_PATTERNS:
        for who in PERSONAS:
            response = world.web[who].get(_admin_path(route))
            # The admin's logout sends a non-staff user to the admin index (and that to the login).
            if not (_denied_by_status(response) or response.headers.get("Location") == "/admin/"):
                opened.append(f"{who} {_admin_path(route)} -> {response.status_code} "
                              f"{response.headers.get('Location', '')}")
    assert not opened, opened
