"""The outbox worker against a local Bluesky server (the real connector over HTTP): publish once, write
the ledger, hold while paused, re-check at publish time, retry transient errors without double posting,
and recover a lapsed claim by finding the post on the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from kawal.apps.audit.models import AuditEntry
from kawal.apps.publishing import control, publisher, screening, services
from kawal.apps.publishing.models import DraftStatus, LedgerEntry, Outbox, OutboxStatus
from kawal.apps.publishing.services import Content
from kawal.apps.social.models import SocialAccount
from kawal.sources.platforms.local.bluesky import LocalBluesky
from tests.publishing.conftest import FakeResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def server():
    with LocalBluesky() as srv:
        yield srv


@pytest.fixture
def bsky(org, server) -> SocialAccount:
    account = SocialAccount(organization=org, platform="bluesky", handle="humas.test", base_url=server.url)
    account.set_credentials(server.add_account("humas.test"))
    account.save()
    return account


def approved(people, account, text="Selamat pagi dari Kementerian", **kw):
    draft = services.create_draft(people["author"], account, Content(text=text, **kw))
    services.submit(people["author"], draft)
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED
    return draft


def posts(server):
    return [p.text for p in server.live_posts()]


def test_it_publishes_once_and_writes_the_ledger_in_the_same_step(people, bsky, server):
    draft = approved(people, bsky)
    assert publisher.publish_next() is True
    assert publisher.publish_next() is False
    assert posts(server) == ["Selamat pagi dari Kementerian"]
    row = Outbox.objects.get(draft=draft)
    entry = LedgerEntry.objects.get()
    assert row.status == OutboxStatus.DONE and row.platform_id == entry.platform_id
    assert entry.content_hash == draft.current_version.content_hash and entry.text == row.text
    assert entry.platform_id == server.live_posts()[0].id and not entry.recovered
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="publishing.published").count() == 1


def test_it_waits_for_the_scheduled_time(people, bsky, server):
    when = timezone.now() + timedelta(hours=2)
    approved(people, bsky, scheduled_at=when)
    assert publisher.publish_next() is False
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        assert publisher.publish_next() is True
    assert len(posts(server)) == 1


def test_nothing_publishes_while_paused_and_resuming_needs_an_admin(people, bsky, server, org):
    approved(people, bsky)
    control.pause_org(people["security"], org, reason="akun dicurigai")
    assert publisher.publish_next() is False
    with pytest.raises(services.WorkflowError, match="Only an admin"):
        control.resume_org(people["security"], org)
    control.pause_account(people["security"], bsky, reason="cek")
    control.resume_org(people["admin"], org)
    assert publisher.publish_next() is False  # the account itself is still paused
    control.resume_account(people["admin"], bsky)
    assert publisher.publish_next() is True and len(posts(server)) == 1
    audited = list(AuditEntry.objects.filter(action__startswith="publishing.").values_list("action", flat=True))
    for action in ("publishing.paused", "publishing.resumed", "publishing.account.paused",
                   "publishing.account.resumed"):
        assert action in audited


def test_screening_is_enforced_again_at_publish_time(people, bsky, server, monkeypatch):
    draft = approved(people, bsky)
    monkeypatch.setattr(screening, "_engine", lambda: lambda text, **_: FakeResult("block"))
    assert publisher.publish_next() is True
    assert posts(server) == []
    row = Outbox.objects.get(draft=draft)
    assert row.status == OutboxStatus.FAILED and "screening now blocks" in row.last_error
    draft.refresh_from_db()
    assert draft.status == DraftStatus.FAILED
    assert AuditEntry.objects.filter(action="publishing.failed").exists()


def test_a_revoked_sign_off_path_is_caught_at_publish_time(people, org, server):
    from tests.publishing.conftest import make_member

    principal = make_member(org, "menteri", ["viewer"])
    account = SocialAccount(organization=org, platform="bluesky", handle="menteri.test", base_url=server.url,
                            is_executive=True, principal=principal)
    account.set_credentials(server.add_account("menteri.test"))
    account.save()
    draft = services.create_draft(people["author"], account, Content(text="Pesan Menteri"))
    services.submit(people["author"], draft)
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    preauth = control.grant_preauthorization(principal, account)
    assert Outbox.objects.get(draft=draft).status == OutboxStatus.PENDING
    control.revoke_preauthorization(principal, preauth)
    assert publisher.publish_next() is False and posts(server) == []


def test_a_transient_error_is_retried_after_looking_for_the_post(people, bsky, server):
    draft = approved(people, bsky)
    server.fail_next(503)
    assert publisher.publish_next() is True
    row = Outbox.objects.get(draft=draft)
    assert row.status == OutboxStatus.PENDING and "503" in row.last_error and row.not_before > timezone.now()
    assert publisher.publish_next() is False  # backing off
    with time_machine.travel(row.not_before + timedelta(seconds=1), tick=False):
        assert publisher.publish_next() is True
    row.refresh_from_db()
    assert row.status == OutboxStatus.DONE and row.attempts == 2 and len(posts(server)) == 1
    # the second attempt read the timeline before posting
    assert any("getAuthorFeed" in path for _, path in server.requests)
    assert LedgerEntry.objects.count() == 1


def test_a_lapsed_claim_is_recovered_from_the_timeline_not_posted_twice(people, bsky, server):
    """A worker claimed the row and posted, then died before recording it (simulated in-process; the
    subprocess test kills a real worker). The next worker finds the post and records it."""
    draft = approved(people, bsky)
    row, _token = publisher.claim_next()
    connector = bsky.connector()
    connector.publish(row.text, idempotency_key=row.idempotency_key)   # ... and the worker dies here
    connector.close()
    assert publisher.publish_next() is False  # the claim is still within its lease
    with time_machine.travel(timezone.now() + publisher.lease() + timedelta(seconds=5), tick=False):
        assert publisher.publish_next() is True
    assert len(posts(server)) == 1
    entry = LedgerEntry.objects.get()
    assert entry.recovered and entry.draft_id == draft.pk
    row.refresh_from_db()
    assert row.status == OutboxStatus.DONE and row.attempts == 2


def test_break_glass_publishes_without_approvals_and_opens_a_forced_review(people, bsky, server, org):
    with pytest.raises(services.WorkflowError, match="Give the reason"):
        control.break_glass(people["publisher"], bsky, "Akun kami diretas", reason=" ")
    draft = control.break_glass(people["admin"], bsky, "Akun kami diretas; abaikan pesan tadi",
                                reason="compromise in progress")
    assert publisher.publish_next() is True
    assert posts(server) == ["Akun kami diretas; abaikan pesan tadi"]
    assert LedgerEntry.objects.get().break_glass
    review = draft.forced_review
    review.refresh_from_db()
    from kawal.apps.incidents.models import Incident

    incident = Incident.objects.get(pk=review.incident_id)
    assert incident.account == bsky and "compromise in progress" in incident.summary
    bsky.refresh_from_db()
    assert not bsky.paused   # an emergency post is not an integrity incident: nothing is paused
    with pytest.raises(services.WorkflowError, match="Someone other than"):
        control.acknowledge(people["admin"], review, note="ok")
    with pytest.raises(services.WorkflowError, match="Only approvers, security and admins"):
        control.acknowledge(people["publisher"], review, note="ok")
    with pytest.raises(services.WorkflowError, match="Write what you checked"):
        control.acknowledge(people["security"], review, note="")
    control.acknowledge(people["security"], review, note="Confirmed with the minister's office")
    assert review.acknowledged_by == people["security"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"publishing.break_glass", "publishing.published", "publishing.break_glass.reviewed"} <= actions
    control.pause_org(people["admin"], org)
    with pytest.raises(services.WorkflowError, match="paused"):
        control.break_glass(people["admin"], bsky, "Lagi", reason="x")


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_claim_different_rows_and_never_the_same_one(people, bsky):
    """Four threads (four connections) claim at once from three due rows: each row is claimed once."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database has no busy timeout across threads; "
                    "the kill test exercises file SQLite")
    for n in range(3):
        approved(people, bsky, text=f"Pengumuman nomor {n}")
    barrier = threading.Barrier(4)
    claimed: list[int] = []

    def claim():
        try:
            barrier.wait()
            got = publisher.claim_next()
            if got:
                claimed.append(got[0].pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 3  # SKIP LOCKED: no loser idles
    assert Outbox.objects.filter(status=OutboxStatus.CLAIMED).count() == len(claimed)


def test_it_publishes_to_the_sandbox_network_the_demo_uses(people, org, tmp_path):
    from kawal.sources.platforms.sandbox import SandboxNetwork

    network = SandboxNetwork(tmp_path / "sandbox.sqlite3")
    network.add_account("humas")
    account = SocialAccount.objects.create(organization=org, platform="sandbox", handle="humas",
                                           base_url=str(tmp_path / "sandbox.sqlite3"))
    draft = approved(people, account, text="Halo dari sandbox")
    assert publisher.publish_next() is True
    posts = network.posts("humas")
    assert [p.text for p in posts] == ["Halo dari sandbox"]
    assert LedgerEntry.objects.get().platform_id == posts[0].id
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED
    network.close()


def test_screening_runs_again_on_resubmit_and_an_edit_needs_new_approvals(
        people, bsky, server, monkeypatch):
    from tests.publishing.conftest import marker_screen

    draft = approved(people, bsky)
    monkeypatch.setattr(screening, "_engine", lambda: lambda text, **_: FakeResult("block"))
    publisher.publish_next()
    draft.refresh_from_db()
    assert draft.status == DraftStatus.FAILED
    with pytest.raises(services.WorkflowError, match="Screening blocked"):
        services.submit(people["author"], draft)   # screening runs again on submit
    draft.current_version.refresh_from_db()
    assert draft.current_version.verdict == "block"
    monkeypatch.setattr(screening, "_engine", lambda: marker_screen)
    services.new_version(people["author"], draft, Content(text="Selamat pagi dari Kementerian!"),
                         base_version=1)
    services.submit(people["author"], draft)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW  # new content: approvals needed again
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    assert publisher.publish_next() is True
    assert posts(server) == ["Selamat pagi dari Kementerian!"]


def test_a_post_failed_by_the_platform_resubmitted_unchanged_keeps_its_approvals(people, bsky, server):
    draft = approved(people, bsky)
    server.fail_next(400)
    publisher.publish_next()
    row = Outbox.objects.get(draft=draft)
    assert row.status == OutboxStatus.FAILED and "400" in row.last_error
    services.submit(people["author"], draft)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED   # same content, same approvals: straight back to the queue
    server.requests.clear()
    assert publisher.publish_next() is True
    row.refresh_from_db()
    assert row.status == OutboxStatus.DONE and row.attempts == 2 and len(posts(server)) == 1
    assert any("getAuthorFeed" in path for _, path in server.requests)  # looked before posting again
