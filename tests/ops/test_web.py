"""The pages as a person uses them: simulate a hijack on the sandbox, sync now, read the incident with its
reasons, try to close it without a category, then close it properly."""

from __future__ import annotations

import pytest

from kawal.apps.incidents.models import Incident, Status
from tests.publishing.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_hijack_drill_in_the_browser(people, account, network):
    security = verified_client(people["security"])
    page = f"/integrity/accounts/{account.pk}/"
    assert "Post directly on the sandbox" in security.get(page).content.decode()
    security.post(f"{page}sandbox-post/", {"client": "Twitter Web App", "text": "Kami bubar, terima kasih"})
    assert [p.client for p in network.posts("humas")] == ["Twitter Web App"]
    synced = security.post(f"{page}sync/", follow=True).content.decode()
    assert "1 new post(s), 1 incident(s) opened" in synced
    assert "Kami bubar" in synced and "Unsanctioned" in synced

    incident = Incident.objects.get()
    detail = security.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Kami bubar" in detail and "Twitter Web App" in detail and "sanctioned_client" in detail
    assert "paused automatically" in detail

    refused = security.post(f"/incidents/{incident.pk}/resolve/", {"category": "", "note": "done"}, follow=True)
    assert "Choose a resolution category" in refused.content.decode()
    incident.refresh_from_db()
    assert incident.status == Status.OPEN
    security.post(f"/incidents/{incident.pk}/acknowledge/")
    security.post(f"/incidents/{incident.pk}/resolve/", {"category": "compromise", "note": "Password rotated"})
    incident.refresh_from_db()
    assert incident.status == Status.RESOLVED and incident.resolution == "compromise"
    assert "Password rotated" in security.get(f"/incidents/{incident.pk}/").content.decode()
    assert "Unsanctioned post" not in security.get("/incidents/").content.decode()  # active list only
    assert "Unsanctioned post" in security.get("/incidents/?status=resolved").content.decode()


def test_sandbox_form_refuses_empty_input_and_non_sandbox_accounts(people, org, account):
    from kawal.apps.social.models import SocialAccount

    client = verified_client(people["admin"])
    empty = client.post(f"/integrity/accounts/{account.pk}/sandbox-post/", {"client": "", "text": "x"}, follow=True)
    assert "Write the post" in empty.content.decode()
    real = SocialAccount.objects.create(organization=org, platform="mastodon", handle="real",
                                        base_url="http://127.0.0.1:9")
    assert client.post(f"/integrity/accounts/{real.pk}/sandbox-post/", {"client": "a", "text": "b"}).status_code == 404


def test_an_unreachable_account_says_why(people, org):
    from kawal.apps.social.models import SocialAccount

    client = verified_client(people["admin"])
    real = SocialAccount.objects.create(organization=org, platform="mastodon", handle="real",
                                        base_url="http://127.0.0.1:9")
    page = client.post(f"/integrity/accounts/{real.pk}/sync/", follow=True).content.decode()
    assert "could not read real" in page
    assert "Last sync failed" in page


def test_an_imported_archive_teaches_the_profile_before_the_first_sync(people, account, network):
    import json
    from datetime import UTC, datetime, timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kawal.apps.integrity.models import IntegrityProfile
    from kawal.engine.records import Post

    account.sanctioned_clients = []  # judge by habit alone: no client list to break
    account.save()
    start = datetime(2024, 1, 1, 2, tzinfo=UTC)  # 09:00 in Jakarta
    lines = [json.dumps(Post("humas", str(i), start + timedelta(days=i), "Our weekly update is out",
                             client="Sprinklr").to_json()) for i in range(120)]
    upload = SimpleUploadedFile("humas.jsonl", "\n".join(lines).encode())
    client = verified_client(people["admin"])
    page = client.post(f"/integrity/accounts/{account.pk}/archive/", {"archive": upload}, follow=True)
    assert "learned 120 post(s)" in page.content.decode()
    assert IntegrityProfile.objects.get(account=account).posts_learned == 120

    network.post_as("humas", "FREE BITCOIN GIVEAWAY!!! http://bit.ly/x", client="Twitter Web App")
    client.post(f"/integrity/accounts/{account.pk}/sync/")
    incident = Incident.objects.get()
    assert incident.details["flagged"] and not incident.details["learning"]
    assert "client" in {r["signal"] for r in incident.details["reasons"]}
    assert incident.severity == "critical"

    bad = SimpleUploadedFile("notes.txt", b"hello")
    refused = client.post(f"/integrity/accounts/{account.pk}/archive/", {"archive": bad}, follow=True)
    assert "could not be imported" in refused.content.decode()


def test_the_pages_speak_indonesian(people, account):
    client = verified_client(people["security"])
    page = client.get(f"/integrity/accounts/{account.pk}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Sinkronkan sekarang" in page and "Unggahan yang teramati" in page
    assert "Saluran notifikasi" in client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="id").content.decode()


def test_long_lists_are_paged(people, org, account):
    from kawal.apps.incidents.models import Kind
    from kawal.apps.incidents.services import open_incident

    for i in range(55):
        open_incident(org, kind=Kind.OTHER, title=f"Drill number {i:02d}", severity="low", dedup_key=f"d{i}")
    client = verified_client(people["viewer"])
    first = client.get("/incidents/").content.decode()
    assert "Drill number 54" in first and "Drill number 04" not in first and "Page 1 of 2" in first
    second = client.get("/incidents/?status=active&page=2").content.decode()
    assert "Drill number 04" in second and "Drill number 54" not in second
