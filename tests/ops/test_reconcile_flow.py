"""Reconciliation end to end on the sandbox network: Kawal's own post is reconciled; a post made directly on
the platform opens exactly one incident within one sync, pauses the account's scheduled posts, and a signed
notification reaches a local webhook receiver."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from kawal.apps.audit.models import AuditEntry
from kawal.apps.incidents.models import Action, Incident, Kind
from kawal.apps.integrity.models import ObservedPost, Verdict
from kawal.apps.integrity.sync import sync_account
from kawal.apps.notifications.delivery import deliver_next
from kawal.apps.notifications.models import DeliveryStatus, Notification
from kawal.apps.publishing import publisher, services
from kawal.apps.publishing.models import DraftStatus, Outbox, OutboxStatus
from kawal.apps.publishing.services import Content

pytestmark = pytest.mark.django_db


def approve(people, account, text):
    draft = services.create_draft(people["author"], account, Content(text=text))
    services.submit(people["author"], draft)
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED
    return draft


def test_a_direct_post_opens_one_incident_pauses_the_account_and_notifies(people, account, network, webhook,
                                                                          receiver):
    approve(people, account, "Selamat pagi dari Kementerian")
    assert publisher.publish_next() is True
    network.post_as("humas", "Jadwal layanan minggu ini", client="Sprinklr")

    first = sync_account(account)
    assert first.new_posts == 2 and first.incidents == []
    by_text = {p.text: p for p in ObservedPost.objects.filter(account=account)}
    assert by_text["Selamat pagi dari Kementerian"].verdict == Verdict.PUBLISHED_BY_KAWAL
    assert by_text["Selamat pagi dari Kementerian"].ledger is not None
    assert by_text["Jadwal layanan minggu ini"].verdict == Verdict.SANCTIONED_CLIENT

    later = approve(people, account, "Pengumuman sore ini")  # scheduled, waiting to publish
    hijack = network.post_as("humas", "FREE CRYPTO GIVEAWAY http://bit.ly/x", client="Twitter Web App")
    second = sync_account(account)
    [incident] = Incident.objects.all()
    assert second.incidents == [incident.pk]
    assert incident.kind == Kind.UNSANCTIONED_POST and incident.account == account
    assert incident.details["post_id"] == hijack.platform_id
    assert incident.details["client"] == "Twitter Web App"
    assert "Twitter Web App" in incident.details["reconciliation"]
    assert 0.0 <= incident.details["score"] <= 1.0
    assert any(r["signal"] == "sanctioned_client" for r in incident.details["reasons"])

    account.refresh_from_db()
    assert account.paused and f"#{incident.pk}" in account.paused_reason
    actions = list(incident.timeline.values_list("action", flat=True))
    assert actions[:2] == [Action.OPENED, Action.PAUSED]
    assert "1 scheduled post(s) held" in incident.timeline.get(action=Action.PAUSED).text
    assert publisher.publish_next() is False  # the scheduled post waits
    assert Outbox.objects.get(draft=later).status == OutboxStatus.PENDING
    assert AuditEntry.objects.filter(action="incident.opened").count() == 1
    assert AuditEntry.objects.filter(action="publishing.account.paused").count() == 1

    # Idempotent: syncing again sees nothing new and opens nothing.
    assert sync_account(account).incidents == []
    assert Incident.objects.count() == 1 and ObservedPost.objects.count() == 3

    assert deliver_next() is True
    [req] = receiver.requests
    assert req["path"] == "/hook"
    body = req["json"]
    assert body["event"] == "incident.opened" and body["data"]["incident"] == incident.pk
    assert "Twitter Web App" in body["text"] and "- sanctioned_client:" in body["text"]
    assert "paused" in body["text"]
    stamp, sig = (part.split("=", 1)[1] for part in req["headers"]["X-Kawal-Signature"].split(","))
    assert sig == hmac.new(b"s3cret", stamp.encode() + b"." + req["raw"], hashlib.sha256).hexdigest()
    assert Notification.objects.get().status == DeliveryStatus.SENT
    assert incident.timeline.filter(action=Action.NOTIFIED).exists()
    assert deliver_next() is False


def test_a_profile_change_is_an_incident(account, network):
    sync_account(account)  # first read: the baseline
    assert not Incident.objects.exists()
    network.set_profile("humas", display_name="Humas (hacked)", avatar_url="http://evil.example/a.png")
    result = sync_account(account)
    [incident] = Incident.objects.all()
    assert result.profile_changes == ["display_name", "avatar_url"]
    assert incident.kind == Kind.PROFILE_CHANGE
    changes = {c["field"]: (c["before"], c["after"]) for c in incident.details["changes"]}
    assert changes["display_name"] == ("Humas Kementerian", "Humas (hacked)")
    account.refresh_from_db()
    assert account.paused and account.profile["display_name"] == "Humas (hacked)"
    sync_account(account)
    assert Incident.objects.count() == 1


def test_posts_from_before_kawal_are_history_not_incidents(account, network):
    from datetime import timedelta

    old = account.created_at - timedelta(days=3)
    network.post_as("humas", "Posting lama dari ponsel", client="Twitter for Android", created_at=old)
    assert sync_account(account).incidents == []
    assert ObservedPost.objects.get().verdict == Verdict.HISTORY


def test_the_same_flow_against_a_local_mastodon_server(people, org, webhook, receiver):
    from kawal.apps.social.models import SocialAccount
    from kawal.sources.platforms.local.mastodon import LocalMastodon

    with LocalMastodon() as server:
        account = SocialAccount(organization=org, platform="mastodon", handle="humas", base_url=server.url,
                                sanctioned_clients=["Sprinklr"])
        account.set_credentials(server.add_account("humas", display_name="Humas"))
        account.save()
        approve(people, account, "Siaran pers hari ini")
        assert publisher.publish_next() is True
        server.post_direct("humas", "Dari agensi", client="Sprinklr")
        assert sync_account(account).incidents == []
        assert set(ObservedPost.objects.values_list("verdict", flat=True)) == {
            Verdict.PUBLISHED_BY_KAWAL, Verdict.SANCTIONED_CLIENT}

        server.post_direct("humas", "Halo semua dari ponsel", client="Tusky")
        server.set_profile("humas", bio="Bukan akun resmi")
        result = sync_account(account)
        assert len(result.incidents) == 2 and result.profile_changes == ["bio"]
        kinds = sorted(Incident.objects.values_list("kind", flat=True))
        assert kinds == [Kind.PROFILE_CHANGE, Kind.UNSANCTIONED_POST]
        assert Incident.objects.get(kind=Kind.UNSANCTIONED_POST).details["client"] == "Tusky"
        account.refresh_from_db()
        assert account.paused
        while deliver_next():
            pass
        assert sorted(r["json"]["data"]["kind"] for r in receiver.requests) == ["profile_change",
                                                                              "unsanctioned_post"]


def test_a_post_from_a_worker_that_died_mid_publish_is_not_an_incident(people, account, network):
    approve(people, account, "Pengumuman penting siang ini")
    row, _token = publisher.claim_next()
    # The platform accepted the post, then the worker died before writing the ledger.
    network.post_as("humas", row.text, client="Kawal", idempotency_key=row.idempotency_key)
    result = sync_account(account)
    assert result.incidents == []
    observed = ObservedPost.objects.get()
    assert observed.verdict == Verdict.PUBLISHED_BY_KAWAL and observed.ledger is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_syncs_of_one_account_open_one_incident(account, network):
    """Four workers sync the same account at once: one reads it, the others find it busy or see nothing new;
    the hijack opens exactly one incident."""
    import threading

    from django.db import connection, connections

    from kawal.apps.integrity.sync import SyncBusy

    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database has no busy timeout across threads")
    network.post_as("humas", "Akun ini diambil alih", client="Unknown Bot")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def sync() -> None:
        try:
            barrier.wait()
            outcomes.append("incident" if sync_account(account).incidents else "nothing new")
        except SyncBusy:
            outcomes.append("busy")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes).count("incident") == 1 and len(outcomes) == 4
    assert Incident.objects.count() == 1 and ObservedPost.objects.count() == 1
