"""Incident life: acknowledge, assign, comment, severity, escalation when unacknowledged, and resolution that
requires a category and a note; "confirmed legitimate" may resume the account and sanction the client."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from kawal.apps.audit.models import AuditEntry
from kawal.apps.incidents import services
from kawal.apps.incidents.models import Action, Incident, Kind, Status
from kawal.apps.incidents.services import IncidentError, escalate_overdue, open_incident
from kawal.apps.notifications.delivery import deliver_next
from kawal.apps.notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(org, account):
    opened, created = open_incident(
        org, kind=Kind.UNSANCTIONED_POST, account=account, title="Unsanctioned post on humas",
        details={"client": "Hootsuite", "text": "hello", "post_id": "9", "reasons": []}, dedup_key="post:x:9")
    assert created
    return opened


def test_the_same_key_never_opens_two_incidents(org, account, incident):
    again, created = open_incident(org, kind=Kind.UNSANCTIONED_POST, account=account, title="again",
                                   dedup_key="post:x:9")
    assert not created and again.pk == incident.pk and Incident.objects.count() == 1


def test_resolution_requires_a_category_and_a_note(people, incident):
    with pytest.raises(IncidentError, match="resolution category"):
        services.resolve(people["security"], incident, category="", note_text="looked at it")
    with pytest.raises(IncidentError, match="resolution category"):
        services.resolve(people["security"], incident, category="fixed", note_text="looked at it")
    with pytest.raises(IncidentError, match="note"):
        services.resolve(people["security"], incident, category="compromise", note_text="   ")
    with pytest.raises(IncidentError) as denied:
        services.resolve(people["author"], incident, category="compromise", note_text="x")
    assert denied.value.code == "forbidden"
    incident.refresh_from_db()
    assert incident.status == Status.OPEN
    services.resolve(people["security"], incident, category="compromise", note_text="Password reset, post deleted")
    incident.refresh_from_db()
    assert incident.status == Status.RESOLVED and incident.resolution == "compromise"
    assert "Password reset" in incident.timeline.get(action=Action.RESOLVED).text
    assert AuditEntry.objects.filter(action="incident.resolved").count() == 1
    with pytest.raises(IncidentError) as again:
        services.resolve(people["security"], incident, category="mistake", note_text="twice")
    assert again.value.code == "conflict"


def test_only_confirmed_legitimate_resumes_and_sanctions(people, incident, account):
    account.refresh_from_db()
    assert account.paused
    with pytest.raises(IncidentError, match="confirmed legitimate"):
        services.resolve(people["admin"], incident, category="mistake", note_text="n", resume_account=True)
    services.resolve(people["admin"], incident, category="confirmed_legitimate",
                     note_text="The agency posted from Hootsuite", resume_account=True, sanction_client=True)
    account.refresh_from_db()
    assert not account.paused and "Hootsuite" in account.sanctioned_clients
    actions = set(incident.timeline.values_list("action", flat=True))
    assert {Action.SANCTIONED, Action.RESUMED} <= actions


def test_security_cannot_resume_publishing_only_an_admin_can(people, incident, account):
    with pytest.raises(IncidentError) as denied:
        services.resolve(people["security"], incident, category="confirmed_legitimate", note_text="ok",
                         resume_account=True)
    assert denied.value.code == "forbidden"
    incident.refresh_from_db()
    account.refresh_from_db()
    assert incident.status == Status.OPEN and account.paused  # nothing half done


def test_another_open_incident_keeps_the_account_paused(people, org, account, incident):
    other, _ = open_incident(org, kind=Kind.PROFILE_CHANGE, account=account, title="bio changed", dedup_key="p:1")
    services.resolve(people["admin"], incident, category="confirmed_legitimate", note_text="ok", resume_account=True)
    account.refresh_from_db()
    assert account.paused
    assert f"#{other.pk}" in incident.timeline.get(action=Action.RESUMED).text


def test_acknowledge_assign_comment_severity(people, incident):
    services.acknowledge(people["security"], incident)
    incident.refresh_from_db()
    assert incident.status == Status.ACKNOWLEDGED and incident.owner == people["security"]
    with pytest.raises(IncidentError):
        services.acknowledge(people["security"], incident)
    services.assign(people["security"], incident, people["admin"])
    with pytest.raises(IncidentError, match="not a member"):
        services.assign(people["security"], incident, people["outsider"])
    services.comment(people["admin"], incident, "Calling the agency")
    with pytest.raises(IncidentError):
        services.comment(people["admin"], incident, "  ")
    services.set_severity(people["admin"], incident, "critical")
    with pytest.raises(IncidentError):
        services.set_severity(people["admin"], incident, "apocalyptic")
    incident.refresh_from_db()
    assert incident.owner == people["admin"] and incident.severity == "critical"
    actions = list(incident.timeline.values_list("action", flat=True))
    assert actions[-4:] == [Action.ACKNOWLEDGED, Action.ASSIGNED, Action.COMMENT, Action.SEVERITY]


def test_unacknowledged_incidents_escalate_to_the_next_role_and_the_security_channel(
        people, org, incident, receiver, monkeypatch):
    people["security"].email = "security@example.org"
    people["security"].save()
    monkeypatch.setenv("KAWAL_ESCALATE_MINUTES", "10")
    soc = Channel(organization=org, name="Security desk", kind="slack", escalations_only=True)
    soc.set_config({"url": receiver.url + "/soc"})
    soc.save()
    assert escalate_overdue(timezone.now()) == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        assert escalate_overdue() == 1
        assert escalate_overdue() == 0  # once per delay
        assert deliver_next() is True
    incident.refresh_from_db()
    assert incident.escalation_level == 1
    entry = incident.timeline.get(action=Action.ESCALATED)
    assert "security" in entry.text and "security" in entry.data["people"]
    assert "E-mailed 1 security member(s)" in entry.text
    [escalation_mail] = [m for m in mail.outbox if "Escalated" in m.subject]
    assert escalation_mail.to == ["security@example.org"]
    [sent] = Notification.objects.filter(channel=soc)
    assert sent.event == "incident.escalated"
    assert receiver.requests[0]["path"] == "/soc"
    assert "Escalated" in receiver.requests[0]["json"]["text"]
    with time_machine.travel(timezone.now() + timedelta(minutes=22), tick=False):
        assert escalate_overdue() == 1
    incident.refresh_from_db()
    assert incident.escalation_level == 2
    assert incident.timeline.filter(action=Action.ESCALATED).last().data["role"] == "admin"


def test_an_acknowledged_incident_does_not_escalate(people, incident, monkeypatch):
    monkeypatch.setenv("KAWAL_ESCALATE_MINUTES", "10")
    services.acknowledge(people["security"], incident)
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        assert escalate_overdue() == 0


def test_a_sync_in_progress_is_not_run_twice(account):
    from kawal.apps.integrity.models import IntegrityProfile
    from kawal.apps.integrity.sync import SyncBusy, integrity_profile, sync_account

    integrity_profile(account)
    IntegrityProfile.objects.filter(account=account).update(lease_until=timezone.now() + timedelta(minutes=1))
    with pytest.raises(SyncBusy):
        sync_account(account)
    IntegrityProfile.objects.filter(account=account).update(lease_until=timezone.now() - timedelta(seconds=1))
    sync_account(account)  # a lapsed lease (a dead worker) is taken over
    assert IntegrityProfile.objects.get(account=account).lease_until is None


def test_a_listening_surge_alert_opens_an_incident_that_is_notified(people, org, account, receiver):
    from kawal.apps.listening.volumes import store_alert
    from kawal.engine.surge.rules import Alert

    hook = Channel(organization=org, name="desk", kind="webhook")
    hook.set_config({"url": receiver.url})
    hook.save()
    now = timezone.now()
    alert = Alert(started_at=now - timedelta(minutes=25), at=now, observed=34.0, usual=10.0, peak_score=0.99,
                  slot_label="Tuesday 20:00", explanation="3.4× the usual Tuesday 20:00 volume for 25 minutes")
    row = store_alert(org, "sentiment:negative", alert)
    row.refresh_from_db()
    incident = row.incident
    assert incident.kind == Kind.SURGE and "3.4× the usual" in incident.title
    assert incident.details["surge_alert"] == row.pk
    account.refresh_from_db()
    assert not account.paused  # a surge is about what others say, not about the account
    assert deliver_next() is True
    assert receiver.requests[0]["json"]["data"]["kind"] == "surge"
    from tests.publishing.conftest import verified_client

    page = verified_client(people["viewer"]).get(f"/incidents/{incident.pk}/").content.decode()
    assert "sentiment:negative" in page and "3.4× the usual" in page
