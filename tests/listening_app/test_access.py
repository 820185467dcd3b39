"""Who may do what on every listening page and endpoint: every role reads; only admins change feeds,
searches, settings and the webhook secret; another organisation sees none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kawal.apps.incidents.models import Kind
from kawal.apps.incidents.services import open_incident
from kawal.apps.listening.models import Feed, ListenItem, MentionQuery, SurgeAlert, VolumeBucket
from kawal.apps.listening.understanding import settings_for
from kawal.apps.orgs.models import ROLES, ApiToken
from kawal.apps.social.models import SocialAccount
from tests.publishing.conftest import verified_client

pytestmark = pytest.mark.django_db
ADMIN = frozenset({"admin"})


@pytest.fixture
def heard(org) -> dict[str, object]:
    """A feed, a mention search, two classified stories and a surge alert with its incident."""
    now = timezone.now()
    feed = Feed.objects.create(organization=org, url="https://warta.example/rss", title="Warta")
    account = SocialAccount.objects.create(organization=org, platform="sandbox", handle="bankcontoh")
    query = MentionQuery.objects.create(organization=org, account=account, query="bankcontoh")
    outage = {"topic": "outage", "label": "Outage or service disruption", "score": 0.99, "terms": ["gangguan"]}
    first = ListenItem.objects.create(
        organization=org, source=feed.url, external_id="w-1", title="Gangguan ContohPay <b>seharian</b>",
        text="...", at=now, lang="id", sentiment="negative", topic_keys=["outage"], topic_tags=",outage,",
        classified_at=now, counted=True,
        classification={"topics": [outage], "entities": [{"name": "ContohPay", "kind": "own_product"}],
                        "reasons": ["topic outage: mentions 'gangguan'"]})
    ListenItem.objects.create(organization=org, source="https://kabar.example/rss", external_id="p-1",
                              title="Gangguan ContohPay seharian - Kabar", at=now, duplicate_of=first,
                              duplicate_reason="same title")
    ListenItem.objects.create(organization=org, source="webhook", external_id="m-1", text="Great service today",
                              at=now - timedelta(minutes=3), lang="en", sentiment="positive", classified_at=now,
                              classification={"topics": [], "entities": [], "reasons": []})
    for series in ("all", "topic:outage"):
        VolumeBucket.objects.create(organization=org, series=series, start=now.replace(second=0, microsecond=0),
                                    count=1)
    incident, _ = open_incident(org, kind=Kind.SURGE, title="Surge", summary="4.0× the usual volume")
    SurgeAlert.objects.create(organization=org, series="all", started_at=now - timedelta(minutes=20), at=now,
                              observed=12, usual=3, ratio=4, peak_score=0.9, incident=incident,
                              explanation="4.0× the usual Tuesday 20:00 volume for 20 minutes")
    return {"feed": feed, "query": query, "account": account}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_reads_the_pages(people, heard, role):
    client = verified_client(people[role])
    page = client.get("/listening/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Gangguan ContohPay &lt;b&gt;seharian&lt;/b&gt;" in body        # escaped, as everything heard
    assert "4.0× the usual Tuesday 20:00 volume" in body and "<svg" in body
    assert 'href="/listening/"' in body    # the navigation finds the list page
    assert "also 1 copy" in body and "Gangguan ContohPay seharian - Kabar" not in body
    filtered = client.get("/listening/?topic=outage").content.decode()
    assert "Gangguan ContohPay" in filtered and "Great service today" not in filtered
    english = client.get("/listening/?lang=en&sentiment=positive").content.decode()
    assert "Great service today" in english and "Gangguan ContohPay" not in english
    chart = client.get("/listening/?series=topic:outage").content.decode()
    assert 'aria-label="Mentions per bucket' in chart and '<option value="topic:outage" selected>' in chart
    settings = client.get("/listening/settings/")
    assert settings.status_code == 200 and "warta.example/rss" in settings.content.decode()
    assert ("Add feed" in settings.content.decode()) == (role == "admin")


def change_requests(heard: dict[str, object]) -> list[tuple[str, dict[str, object]]]:
    return [
        ("/listening/settings/feeds/", {"url": "https://kabar.example/feed", "title": "Kabar"}),
        ("/listening/settings/queries/", {"account": heard["account"].pk, "query": "contohpay",
                                          "interval_minutes": 5}),
        ("/listening/settings/config/", {"aliases": "BCX", "handles": "", "products": "ContohPay",
                                         "executives": "Budi Santoso | Direktur Utama | @budisantoso",
                                         "topic_overrides": "", "bucket_minutes": 15, "sensitivity": 0.5,
                                         "min_duration_minutes": 15, "cooldown_minutes": 60,
                                         "warmup_buckets": 300}),
        ("/listening/settings/secret/", {}),
        (f"/listening/settings/feeds/{heard['feed'].pk}/remove/", {}),
        (f"/listening/settings/queries/{heard['query'].pk}/remove/", {}),
    ]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_only_admins_change_what_is_watched(org, people, heard, role):
    client = verified_client(people[role])
    for path, data in change_requests(heard):
        answer = client.post(path, data)
        if role in ADMIN:
            assert answer.status_code == 302, path
        else:
            assert answer.status_code == 403, path
    config = settings_for(org)
    if role in ADMIN:
        assert config.aliases == ["BCX"] and config.executives[0]["handles"] == ["@budisantoso"]
        assert config.get_webhook_secret() is not None
        assert not Feed.objects.filter(pk=heard["feed"].pk).exists()
        assert Feed.objects.get(organization=org, url="https://kabar.example/feed").interval_minutes == 15
    else:
        assert config.aliases == ["Bank Contoh"] and config.get_webhook_secret() is None
        assert Feed.objects.filter(pk=heard["feed"].pk).exists()


def test_the_new_secret_is_shown_once(people, heard):
    client = verified_client(people["admin"])
    client.post("/listening/settings/secret/")
    first = client.get("/listening/settings/").content.decode()
    assert "shown once" in first
    assert "shown once" not in client.get("/listening/settings/").content.decode()


def test_bad_settings_are_refused_with_the_reason(org, people, heard):
    client = verified_client(people["admin"])
    answer = client.post("/listening/settings/config/", {
        "aliases": "", "handles": "", "products": "", "executives": "", "topic_overrides": "{not json",
        "bucket_minutes": 15, "sensitivity": 0.5, "min_duration_minutes": 15, "cooldown_minutes": 60,
        "warmup_buckets": 300},
        follow=True)
    assert "Not valid JSON" in answer.content.decode()
    assert settings_for(org).topic_overrides == {}


def api(user, org, method: str, path: str, body: dict | None = None):
    _, raw = ApiToken.issue(user, org, "test")
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if method == "get":
        return client.get(path, **auth)
    if method == "delete":
        return client.delete(path, **auth)
    return client.post(path, data=body or {}, content_type="application/json", **auth)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_api_reads_for_every_role_changes_for_admins(org, people, heard, role):
    user = people[role]
    items = api(user, org, "get", "/api/listening/items?topic=outage")
    assert items.status_code == 200 and [i["external_id"] for i in items.json()] == ["w-1"]
    assert items.json()[0]["topics"][0]["topic"] == "outage" and items.json()[0]["reasons"]
    assert items.json()[0]["copies"] == 1
    surges = api(user, org, "get", "/api/listening/surges")
    assert surges.status_code == 200 and surges.json()[0]["incident_id"] is not None
    assert api(user, org, "get", "/api/listening/feeds").status_code == 200
    added = api(user, org, "post", "/api/listening/feeds", {"url": "https://kabar.example/feed"})
    removed = api(user, org, "delete", f"/api/listening/feeds/{heard['feed'].pk}")
    if role in ADMIN:
        assert added.status_code == 201 and removed.status_code == 204
    else:
        assert added.status_code == 403 and removed.status_code == 403


def test_another_organisation_sees_nothing(org, people, heard):
    outsider = people["outsider"]
    other = outsider.memberships.get().organization
    assert api(outsider, other, "get", "/api/listening/items").json() == []
    assert api(outsider, other, "get", "/api/listening/feeds").json() == []
    assert api(outsider, other, "delete", f"/api/listening/feeds/{heard['feed'].pk}").status_code == 404
    page = verified_client(outsider).get("/listening/").content.decode()
    assert "Gangguan ContohPay" not in page
    assert verified_client(outsider).post(f"/listening/settings/feeds/{heard['feed'].pk}/remove/").status_code == 404
    assert Feed.objects.filter(pk=heard["feed"].pk).exists()


def test_bad_api_input_is_refused_with_the_reason(org, people):
    admin = people["admin"]
    assert api(admin, org, "get", "/api/listening/items?limit=0").status_code == 400
    bad = api(admin, org, "post", "/api/listening/feeds", {"url": "ftp://x.example/feed"})
    assert bad.status_code == 400 and "http" in bad.json()["detail"]


def test_the_pages_speak_indonesian(people, heard):
    client = verified_client(people["viewer"])
    client.cookies["django_language"] = "id"
    page = client.get("/listening/").content.decode()
    assert "Peringatan lonjakan" in page and "Topik (7 hari terakhir)" in page
