"""Notifications: one row per channel per event with its error text, retries with backoff, a channel that
remembers its last error, per-transport messages carrying the reasons, and the channel form."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from kawal.apps.incidents.models import Action, Kind
from kawal.apps.incidents.services import open_incident
from kawal.apps.notifications.delivery import MAX_ATTEMPTS, backoff, deliver_next
from kawal.apps.notifications.models import Channel, DeliveryStatus, Notification
from tests.notifications.receiver import Receiver
from tests.publishing.conftest import verified_client

pytestmark = pytest.mark.django_db

DETAILS = {"post_id": "42", "client": "Twitter Web App", "text": "FREE CRYPTO", "score": 1.0, "flagged": True,
           "reasons": [{"signal": "client", "detail": "'Twitter Web App' never used in 300 posts", "weight": 0.8}]}


def channel(org, kind, config, **kw):
    made = Channel(organization=org, name=f"{kind} channel", kind=kind, **kw)
    made.set_config(config)
    made.save()
    return made


def open_one(org, account, key="post:1:42", severity="high"):
    return open_incident(org, kind=Kind.UNSANCTIONED_POST, account=account, title="Unsanctioned post on humas",
                         severity=severity, details=DETAILS, dedup_key=key)[0]


def test_each_transport_gets_the_same_reasons_in_its_own_format(org, account, receiver):
    channel(org, "email", {"to": "soc@example.org, cio@example.org"})
    channel(org, "slack", {"url": receiver.url + "/slack"})
    channel(org, "telegram", {"bot_token": "1:T", "chat_id": "-5", "api_base": receiver.url})
    incident = open_one(org, account)
    assert Notification.objects.count() == 3
    while deliver_next():
        pass
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    [email] = mail.outbox
    assert email.to == ["soc@example.org", "cio@example.org"]
    assert "- client: 'Twitter Web App' never used in 300 posts" in email.body
    by_path = {r["path"]: r["json"] for r in receiver.requests}
    assert "never used in 300 posts" in by_path["/slack"]["blocks"][0]["text"]["text"]
    assert "never used in 300 posts" in by_path["/bot1:T/sendMessage"]["text"]
    assert incident.timeline.filter(action=Action.NOTIFIED).count() == 3


def test_a_failing_channel_is_retried_with_backoff_and_remembers_its_error(org, account):
    flaky = Receiver(status=503, body={"error": "down"})
    try:
        hook = channel(org, "webhook", {"url": flaky.url})
        incident = open_one(org, account)
        start = timezone.now()
        assert deliver_next() is True
        row = Notification.objects.get()
        assert row.status == DeliveryStatus.PENDING and row.attempts == 1 and "HTTP 503" in row.error
        assert row.next_attempt_at >= start + backoff(1) - timedelta(seconds=1)
        hook.refresh_from_db()
        assert "HTTP 503" in hook.last_error and hook.last_error_at is not None
        assert deliver_next() is False  # not due yet
        flaky.status = 200
        with time_machine.travel(start + backoff(1) + timedelta(seconds=1), tick=False):
            assert deliver_next() is True
        row.refresh_from_db()
        assert row.status == DeliveryStatus.SENT and row.attempts == 2
        assert len(flaky.requests) == 2
        assert incident.timeline.filter(action=Action.NOTIFIED).exists()
    finally:
        flaky.close()


def test_it_gives_up_after_the_last_attempt_and_says_so_on_the_incident(org, account):
    down = Receiver(status=500)
    try:
        channel(org, "slack", {"url": down.url})
        incident = open_one(org, account)
        moment = timezone.now()
        for attempt in range(1, MAX_ATTEMPTS + 1):
            with time_machine.travel(moment, tick=False):
                assert deliver_next() is True
            moment += backoff(attempt) + timedelta(seconds=1)
        row = Notification.objects.get()
        assert row.status == DeliveryStatus.FAILED and row.attempts == MAX_ATTEMPTS
        failed = incident.timeline.get(action=Action.NOTIFY_FAILED)
        assert "HTTP 500" in failed.text
    finally:
        down.close()


def test_a_permanent_error_is_not_retried(org, account):
    gone = Receiver(status=404)
    try:
        channel(org, "webhook", {"url": gone.url})
        open_one(org, account)
        assert deliver_next() is True
        assert Notification.objects.get().status == DeliveryStatus.FAILED
    finally:
        gone.close()


def test_severity_and_escalation_filters(org, account):
    channel(org, "email", {"to": "all@example.org"}, min_severity="critical")
    channel(org, "email", {"to": "soc@example.org"}, escalations_only=True)
    channel(org, "email", {"to": "off@example.org"}, enabled=False)
    open_one(org, account, severity="high")
    assert Notification.objects.count() == 0
    open_one(org, account, key="post:1:43", severity="critical")
    assert Notification.objects.get().channel.get_config() == {"to": "all@example.org"}


def test_channel_form_validates_stores_secrets_encrypted_and_keeps_them_when_blank(people, org, receiver):
    client = verified_client(people["admin"])
    refused = client.post("/notifications/new/", {"name": "Hook", "kind": "webhook", "min_severity": "low",
                                                   "enabled": "on"})
    assert refused.status_code == 200 and "webhook channel needs url" in refused.content.decode()
    made = client.post("/notifications/new/", {"name": "Hook", "kind": "webhook", "min_severity": "low",
                                               "enabled": "on", "url": receiver.url, "secret": "topsecret"})
    assert made.status_code == 302
    hook = Channel.objects.get()
    assert "topsecret" not in hook.config and hook.get_config()["secret"] == "topsecret"
    page = client.get(f"/notifications/{hook.pk}/").content.decode()
    assert "topsecret" not in page and receiver.url not in page
    client.post(f"/notifications/{hook.pk}/", {"name": "Hook 2", "kind": "webhook", "min_severity": "high",
                                              "enabled": "on", "url": "", "secret": ""})
    hook.refresh_from_db()
    assert hook.name == "Hook 2" and hook.get_config() == {"url": receiver.url, "secret": "topsecret"}
    assert client.post(f"/notifications/{hook.pk}/test/").status_code == 302
    assert receiver.requests and receiver.requests[0]["json"]["event"] == "test"
    hook.refresh_from_db()
    assert hook.last_success_at is not None


def test_a_failed_test_message_is_shown_and_remembered(people, org):
    client = verified_client(people["security"])
    dead = channel(org, "slack", {"url": "http://127.0.0.1:9/nothing"})
    page = client.post(f"/notifications/{dead.pk}/test/", follow=True).content.decode()
    assert "The test failed" in page
    dead.refresh_from_db()
    assert "127.0.0.1:9" in dead.last_error


def test_a_hijacker_cannot_put_links_or_mentions_into_slack(org, account, receiver):
    channel(org, "slack", {"url": receiver.url})
    open_incident(org, kind=Kind.UNSANCTIONED_POST, account=account, title="Unsanctioned post",
                  details={**DETAILS, "text": "<!channel> claim <http://evil.example|your prize>"}, dedup_key="k")
    assert deliver_next() is True
    block = receiver.requests[0]["json"]["blocks"][0]["text"]["text"]
    assert "<!channel>" not in block and "<http://evil.example" not in block
    assert "&lt;!channel&gt;" in block and "|Open in Kawal>" in block


def test_channels_learn_how_an_incident_was_resolved(people, org, account):
    from kawal.apps.incidents.services import resolve

    channel(org, "email", {"to": "soc@example.org"})
    incident = open_one(org, account)
    resolve(people["admin"], incident, category="confirmed_legitimate", note_text="Agency used a new tool",
            resume_account=True)
    while deliver_next():
        pass
    opened, closed = sorted(mail.outbox, key=lambda m: "Resolved" in m.subject)
    assert "Resolved" in closed.subject
    assert "Resolved as Confirmed legitimate by admin: Agency used a new tool" in closed.body
    assert "paused" not in closed.body and "paused" in opened.body
