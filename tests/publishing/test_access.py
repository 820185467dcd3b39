"""Authorisation of every publishing endpoint, web and API, for every role (plus an outsider and an
anonymous visitor). "Allowed" means the action's effect happened; "refused" means it did not."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kawal.apps.orgs.models import ROLES, ApiToken
from kawal.apps.publishing import control, services
from kawal.apps.publishing.models import (
    ApprovalPolicy,
    Comment,
    Decision,
    Draft,
    DraftStatus,
    DraftVersion,
    ForcedReview,
    PreAuthorization,
)
from kawal.apps.publishing.services import Content
from tests.publishing.conftest import verified_client

pytestmark = pytest.mark.django_db
WHO = [*ROLES, "outsider", "anonymous"]
MEMBERS = set(ROLES)


def new_draft(people: dict[str, Any], account: Any, *, submit: bool = True) -> Draft:
    draft = services.create_draft(people["author"], account, Content(text="Siaran pers hari ini"))
    if submit:
        services.submit(people["author"], draft)
    return draft


def org_paused(account: Any) -> bool:
    account.organization.refresh_from_db()
    return account.organization.publishing_paused


# (name, allowed roles, set-up returning context, web request, api request, effect check)
Setup = Callable[[dict[str, Any], Any], dict[str, Any]]


def _draft_ctx(submit: bool = True) -> Setup:
    return lambda people, account: {"draft": new_draft(people, account, submit=submit)}


def _paused_ctx(people: dict[str, Any], account: Any) -> dict[str, Any]:
    control.pause_org(people["admin"], account.organization)
    return {}


def _review_ctx(people: dict[str, Any], account: Any) -> dict[str, Any]:
    draft = control.break_glass(people["publisher"], account, "Darurat: akun diretas", reason="compromise")
    return {"review": ForcedReview.objects.get(draft=draft)}


def h(ctx: dict[str, Any]) -> str:
    return ctx["draft"].current_version.content_hash


CASES: list[tuple[str, set[str], Setup, Callable, Callable, Callable]] = [
    ("create draft", {"author", "admin"}, lambda p, a: {},
     lambda c, a, x: ("publishing:compose", {}, {"account": a.pk, "text": "Halo", "submit_now": "on"}),
     lambda c, a, x: ("/drafts", {"account_id": a.pk, "text": "Halo"}),
     lambda a, x: Draft.objects.exists()),
    ("edit", {"author", "admin"}, _draft_ctx(False),
     lambda c, a, x: ("publishing:edit", {"draft_id": x["draft"].pk}, {"text": "Baru", "base_version": 1}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/versions", {"text": "Baru", "base_version": 1}),
     lambda a, x: DraftVersion.objects.filter(draft=x["draft"]).count() == 2),
    ("submit", {"author", "admin"}, _draft_ctx(False),
     lambda c, a, x: ("publishing:submit", {"draft_id": x["draft"].pk}, {}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/submit", {}),
     lambda a, x: Draft.objects.get(pk=x["draft"].pk).status == DraftStatus.IN_REVIEW),
    ("approve", {"approver", "admin"}, _draft_ctx(),
     lambda c, a, x: ("publishing:approve", {"draft_id": x["draft"].pk}, {"content_hash": h(x)}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/approvals", {"content_hash": h(x)}),
     lambda a, x: Decision.objects.filter(kind="approval").exists()),
    ("reject", {"approver", "admin"}, _draft_ctx(),
     lambda c, a, x: ("publishing:reject", {"draft_id": x["draft"].pk}, {"content_hash": h(x), "note": "no"}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/rejections", {"content_hash": h(x), "note": "no"}),
     lambda a, x: Decision.objects.filter(kind="rejection").exists()),
    ("sign off (not an executive account)", set(), _draft_ctx(),
     lambda c, a, x: ("publishing:sign_off", {"draft_id": x["draft"].pk}, {"content_hash": h(x)}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/signoff", {"content_hash": h(x)}),
     lambda a, x: Decision.objects.filter(kind="signoff").exists()),
    ("comment", {"author", "reviewer", "approver", "publisher", "admin"}, _draft_ctx(),
     lambda c, a, x: ("publishing:comment", {"draft_id": x["draft"].pk}, {"body": "Cek angka"}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/comments", {"body": "Cek angka"}),
     lambda a, x: Comment.objects.exists()),
    ("schedule", {"publisher", "admin"}, _draft_ctx(),
     lambda c, a, x: ("publishing:schedule", {"draft_id": x["draft"].pk},
                      {"scheduled_at": "2099-01-01T09:00", "base_version": 1}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/schedule",
                      {"scheduled_at": "2099-01-01T02:00:00Z", "base_version": 1}),
     lambda a, x: DraftVersion.objects.filter(draft=x["draft"], scheduled_at__isnull=False).exists()),
    ("withdraw", {"author", "publisher", "admin"}, _draft_ctx(),
     lambda c, a, x: ("publishing:withdraw", {"draft_id": x["draft"].pk}, {"reason": "batal"}),
     lambda c, a, x: (f"/drafts/{x['draft'].pk}/withdraw", {"reason": "batal"}),
     lambda a, x: Draft.objects.get(pk=x["draft"].pk).status == DraftStatus.WITHDRAWN),
    ("approval policy", {"admin"}, lambda p, a: {},
     lambda c, a, x: ("publishing:policy", {"account_id": a.pk},
                      {"document": json.dumps({"steps": [{"name": "Dua", "roles": ["approver"], "rule": "n",
                                                          "count": 2}]})}),
     lambda c, a, x: (f"/accounts/{a.pk}/policy", {"steps": [{"name": "Dua", "roles": ["approver"], "rule": "n",
                                                              "count": 2}]}),
     lambda a, x: ApprovalPolicy.objects.filter(account=a).exists()),
    ("pause", {"admin", "security"}, lambda p, a: {},
     lambda c, a, x: ("publishing:pause", {}, {"reason": "test"}),
     lambda c, a, x: ("/pause", {"paused": True}),
     lambda a, x: org_paused(a)),
    ("resume", {"admin"}, _paused_ctx,
     lambda c, a, x: ("publishing:resume", {}, {}),
     lambda c, a, x: ("/pause", {"paused": False}),
     lambda a, x: not org_paused(a)),
    ("break-glass", {"admin", "publisher"}, lambda p, a: {},
     lambda c, a, x: ("publishing:break_glass", {}, {"account": a.pk, "text": "Darurat", "reason": "x"}),
     lambda c, a, x: ("/break-glass", {"account_id": a.pk, "text": "Darurat", "reason": "x"}),
     lambda a, x: Draft.objects.filter(break_glass=True).exists()),
    ("acknowledge emergency post", {"approver", "admin", "security"}, _review_ctx,
     lambda c, a, x: ("publishing:acknowledge", {"review_id": x["review"].pk}, {"note": "checked"}),
     None,
     lambda a, x: ForcedReview.objects.get(pk=x["review"].pk).acknowledged_at is not None),
]


def client_for(who: str, people: dict[str, Any]) -> Client:
    return Client() if who == "anonymous" else verified_client(people[who])


def api_post(who: str, people: dict[str, Any], path: str, body: dict[str, Any]) -> int:
    method = "put" if path.endswith("/policy") else "post"
    headers = {}
    if who != "anonymous":
        user = people[who]
        token_org = user.memberships.first().organization
        headers["HTTP_AUTHORIZATION"] = "Bearer " + ApiToken.issue(user, token_org, "t")[1]
    response = getattr(Client(), method)("/api/publishing" + path, json.dumps(body),
                                         content_type="application/json", **headers)
    return response.status_code


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    """Run one role's attempt and undo it, so every role meets the same starting state (and the fixtures
    are built once per endpoint rather than once per role)."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_web_endpoint_access(case, people, account):
    name, allowed, setup, web, _, effect = case
    wrong = []
    for who in WHO:
        with rolled_back():
            ctx = setup(people, account)
            url_name, kwargs, data = web(None, account, ctx)
            response = client_for(who, people).post(reverse(url_name, kwargs=kwargs), data)
            if effect(account, ctx) != (who in allowed):
                wrong.append(f"{who}: {'refused' if who in allowed else 'allowed'} ({response.status_code})")
            if who == "anonymous" and not (response.status_code == 302 and "/login" in response["Location"]):
                wrong.append(f"anonymous not sent to login ({response.status_code})")
    assert not wrong, f"{name}: " + "; ".join(wrong)


@pytest.mark.parametrize("case", [c for c in CASES if c[4]], ids=[c[0] for c in CASES if c[4]])
def test_api_endpoint_access(case, people, account):
    name, allowed, setup, _, api, effect = case
    wrong = []
    for who in WHO:
        with rolled_back():
            ctx = setup(people, account)
            path, body = api(None, account, ctx)
            status = api_post(who, people, path, body)
            if effect(account, ctx) != (who in allowed):
                wrong.append(f"{who}: {'refused' if who in allowed else 'allowed'} ({status})")
            if who in allowed:
                expected = (200, 201)
            elif who == "outsider" and name in ("pause", "resume"):
                expected = (200,)  # an admin of another organisation acts on their own organisation only
            else:
                expected = (401, 403, 404, 409)
            if status not in expected:
                wrong.append(f"{who}: status {status}, expected one of {expected}")
    assert not wrong, f"{name}: " + "; ".join(wrong)


@pytest.mark.parametrize("who", WHO)
def test_pages_open_to_members_only(who, people, account):
    draft = new_draft(people, account)
    client = client_for(who, people)
    for url in (reverse("publishing:queue"), reverse("publishing:calendar"),
                reverse("publishing:draft", kwargs={"draft_id": draft.pk})):
        response = client.get(url)
        if who in MEMBERS:
            assert response.status_code == 200, (who, url)
        elif who == "anonymous":
            assert response.status_code == 302, (who, url)
        elif "drafts" in url:
            assert response.status_code == 404
        else:  # the outsider sees their own organisation's pages, never this draft
            assert response.status_code == 200 and "Siaran pers" not in response.content.decode()
    compose = client.get(reverse("publishing:compose")).status_code
    expected = 200 if who in {"author", "admin", "publisher"} else (302 if who == "anonymous" else 403)
    assert compose == expected


def test_api_lists_and_reads_drafts_for_members_only(people, account):
    draft = new_draft(people, account)
    for who in ("viewer", "outsider"):
        user = people[who]
        raw = ApiToken.issue(user, user.memberships.first().organization, "t")[1]
        auth = {"HTTP_AUTHORIZATION": "Bearer " + raw}
        listing = Client().get("/api/publishing/drafts", **auth)
        detail = Client().get(f"/api/publishing/drafts/{draft.pk}", **auth)
        if who == "viewer":
            assert [d["id"] for d in listing.json()] == [draft.pk] and detail.status_code == 200
            assert detail.json()["waiting_for"][0].startswith("step 1 (Approval) needs 1 more")
        else:
            assert listing.json() == [] and detail.status_code == 404
    assert Client().get("/api/publishing/drafts").status_code == 401


def test_api_refuses_an_attachment_it_does_not_hold_instead_of_dropping_it(people, account, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    raw = ApiToken.issue(people["author"], account.organization, "t")[1]
    response = Client().post("/api/publishing/drafts", json.dumps({
        "account_id": account.pk, "text": "Foto kegiatan", "media": [{"name": "a.jpg", "sha256": "0" * 64}]}),
        content_type="application/json", HTTP_AUTHORIZATION="Bearer " + raw)
    assert response.status_code == 400 and "was not uploaded in this organisation" in response.json()["detail"]
    assert not Draft.objects.exists()


@pytest.mark.parametrize("who", [*WHO, "principal"])
def test_only_the_principal_signs_off_and_manages_pre_authorisation(who, people, executive):
    draft = new_draft(people, executive)
    h = draft.current_version.content_hash
    client = client_for(who, people)
    client.post(reverse("publishing:sign_off", args=[draft.pk]), {"content_hash": h})
    assert Decision.objects.filter(kind="signoff").exists() == (who == "principal")
    status = api_post(who, people, f"/drafts/{draft.pk}/signoff", {"content_hash": h}) if who != "principal" else None
    assert status in (None, 401, 403, 404, 409)
    client.post(reverse("publishing:grant_preauth", args=[draft.pk]), {"note": "rutin"})
    granted = PreAuthorization.objects.filter(account=executive, revoked_at__isnull=True)
    assert granted.exists() == (who == "principal")
    if who != "principal":
        preauth = control.grant_preauthorization(people["principal"], executive)
        client.post(reverse("publishing:revoke_preauth", args=[preauth.pk]))
        preauth.refresh_from_db()
        assert (preauth.revoked_at is not None) == (who == "admin")   # the principal or an admin may revoke


@pytest.mark.parametrize("who", WHO)
def test_live_screening_is_for_signed_in_members(who, people, account):
    response = client_for(who, people).post(reverse("publishing:screen"), {"text": "Halo REVIEWME"})
    if who == "anonymous":
        assert response.status_code == 302
    else:   # members (and an outsider, in their own organisation) may screen their own text
        assert response.status_code == 200 and 'data-verdict="review"' in response.content.decode()


@pytest.mark.parametrize("who", WHO)
def test_reading_endpoints_of_the_api_for_every_role(who, people, account):
    draft = new_draft(people, account)
    headers = {}
    if who != "anonymous":
        user = people[who]
        headers["HTTP_AUTHORIZATION"] = "Bearer " + ApiToken.issue(user, user.memberships.first().organization,
                                                                     "t")[1]
    for path in ("/drafts", f"/drafts/{draft.pk}", f"/drafts/{draft.pk}/versions", f"/accounts/{account.pk}/policy"):
        response = Client().get("/api/publishing" + path, **headers)
        if who in MEMBERS:
            assert response.status_code == 200, (who, path)
        elif who == "anonymous":
            assert response.status_code == 401, (who, path)
        elif path == "/drafts":
            assert response.json() == []
        else:
            assert response.status_code == 404, (who, path)


def test_a_bad_policy_is_refused_with_the_problem_named(people, account):
    raw = ApiToken.issue(people["admin"], account.organization, "t")[1]
    auth = {"HTTP_AUTHORIZATION": "Bearer " + raw}
    bad = Client().put(f"/api/publishing/accounts/{account.pk}/policy",
                       json.dumps({"steps": [{"name": "X", "roles": ["viewer"]}]}), content_type="application/json",
                       **auth)
    assert bad.status_code == 400 and "'viewer' cannot approve" in bad.json()["detail"]
    extra = Client().put(f"/api/publishing/accounts/{account.pk}/policy", json.dumps({"stepz": []}),
                         content_type="application/json", **auth)
    assert extra.status_code == 422 and "stepz" in extra.content.decode()
    page = verified_client(people["admin"]).post(reverse("publishing:policy", args=[account.pk]),
                                                 {"document": "{not json"}, follow=True)
    assert "not valid JSON" in page.content.decode()
    assert not ApprovalPolicy.objects.exists()


def test_the_openapi_schema_lists_the_publishing_routes(db):
    from kawal.server.api import api

    paths = set(api.get_openapi_schema()["paths"])
    for path in ("/api/publishing/drafts", "/api/publishing/drafts/{draft_id}/approvals",
                 "/api/publishing/drafts/{draft_id}/signoff", "/api/publishing/drafts/{draft_id}/schedule",
                 "/api/publishing/pause", "/api/publishing/accounts/{account_id}/policy"):
        assert path in paths
