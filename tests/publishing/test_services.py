"""The workflow against the database: versions, approvals bound to content, sign-off, screening, audit."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from kawal.apps.audit.models import AuditEntry
from kawal.apps.publishing import control, services
from kawal.apps.publishing.models import (
    ApprovalPolicy,
    Decision,
    DraftStatus,
    Outbox,
    OutboxStatus,
)
from kawal.apps.publishing.policy import ApprovalRefused
from kawal.apps.publishing.services import Content, WorkflowError

pytestmark = pytest.mark.django_db


def draft_for(people, account, text="Selamat pagi, Indonesia", author="author", **kw):
    draft = services.create_draft(people[author], account, Content(text=text, **kw))
    return draft


def submitted(people, account, text="Selamat pagi, Indonesia", author="author"):
    draft = draft_for(people, account, text, author)
    services.submit(people[author], draft)
    return draft


def actions():
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


def test_it_creates_a_version_per_edit_with_a_diff_and_audits_each(people, account):
    draft = draft_for(people, account, "Baris satu\nBaris dua")
    v2 = services.new_version(people["author"], draft, Content(text="Baris satu\nBaris tiga"), base_version=1)
    assert v2.number == 2 and draft.current_version == v2
    (latest, diff, _), (first, none, _) = services.versions_with_diffs(draft)
    assert latest == v2 and none == []
    assert [(d.kind, d.text) for d in diff if d.kind in ("add", "remove")] == [("remove", "Baris dua"),
                                                                                ("add", "Baris tiga")]
    assert actions() == ["publishing.draft.created", "publishing.draft.version"]


def test_it_refuses_an_edit_based_on_an_older_version(people, account):
    draft = draft_for(people, account)
    services.new_version(people["author"], draft, Content(text="v2"), base_version=1)
    with pytest.raises(WorkflowError, match="Someone saved version 2 while you were editing version 1"):
        services.new_version(people["admin"], draft, Content(text="v2 by admin"), base_version=1)


def test_it_names_what_is_wrong_with_bad_content(people, account):
    with pytest.raises(WorkflowError, match="empty"):
        draft_for(people, account, "   ")
    with pytest.raises(WorkflowError, match="501 characters; Mastodon accepts at most 500"):
        draft_for(people, account, "a" * 501)
    with pytest.raises(WorkflowError, match="in the past"):
        draft_for(people, account, scheduled_at=timezone.now() - timedelta(minutes=1))


def test_it_queues_the_post_once_approved_and_binds_the_approval_to_the_hash(people, account):
    draft = submitted(people, account)
    decision = services.approve(people["approver"], draft, draft.current_version.content_hash)
    assert decision.content_hash == draft.current_version.content_hash
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED
    row = Outbox.objects.get(draft=draft)
    assert row.status == OutboxStatus.PENDING and row.content_hash == decision.content_hash
    assert "publishing.approval" in actions() and "publishing.queued" in actions()


def test_an_edit_voids_earlier_approvals_and_cancels_the_queued_publish(people, account):
    policy = {"steps": [{"name": "Two", "roles": ["approver"], "rule": "n", "count": 2}]}
    ApprovalPolicy.objects.create(account=account, document=policy)
    draft = submitted(people, account)
    old = draft.current_version.content_hash
    services.approve(people["approver"], draft, old)
    services.new_version(people["author"], draft, Content(text="Selamat pagi, Nusantara"), base_version=1)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW
    # the stale approval does not count towards the new version
    assert services.evaluation_for(draft).steps[0].needed == 2
    with pytest.raises(ApprovalRefused, match="out of date") as err:
        services.approve(people["approver2"], draft, old)
    assert err.value.code == "stale"


def test_an_edit_of_a_scheduled_post_cancels_its_outbox_row(people, account):
    draft = submitted(people, account)
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    services.new_version(people["author"], draft, Content(text="Berubah"), base_version=1)
    assert Outbox.objects.get(draft=draft).status == OutboxStatus.CANCELLED
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


def test_nobody_approves_their_own_draft_including_a_ghostwriter_who_edited_it(people, account, org):
    from tests.publishing.conftest import make_member

    ghost = make_member(org, "ghost", ["author", "approver"])
    draft = submitted(people, account)
    with pytest.raises(ApprovalRefused, match="you cannot approve"):
        services.approve(people["author"], draft, draft.current_version.content_hash)
    services.new_version(ghost, draft, Content(text="Ditulis ulang oleh ghostwriter"), base_version=1)
    with pytest.raises(ApprovalRefused, match="you cannot approve"):
        services.approve(ghost, draft, draft.current_version.content_hash)


def test_roles_without_a_policy_step_cannot_approve(people, account):
    draft = submitted(people, account)
    for role in ("viewer", "reviewer", "publisher", "security", "outsider"):
        with pytest.raises((ApprovalRefused, WorkflowError)):
            services.approve(people[role], draft, draft.current_version.content_hash)
    assert not Decision.objects.exists()


def test_screening_block_stops_submit_and_review_adds_a_step(people, account):
    blocked = draft_for(people, account, "NIK saya BLOCKME")
    with pytest.raises(WorkflowError, match="Screening blocked") as err:
        services.submit(people["author"], blocked)
    assert err.value.code == "blocked"
    draft = submitted(people, account, "Agak kasar REVIEWME")
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW  # the screening review step is still open
    with pytest.raises(ApprovalRefused, match="not an approver for step 2"):
        services.approve(people["approver2"], draft, draft.current_version.content_hash)
    services.approve(people["security"], draft, draft.current_version.content_hash)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED


def test_an_executive_post_needs_the_principals_own_sign_off(people, executive):
    draft = submitted(people, executive, "Pesan Menteri")
    h = draft.current_version.content_hash
    services.approve(people["approver"], draft, h)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW
    assert "principal has not signed off" in services.evaluation_for(draft).reasons[0]
    with pytest.raises(ApprovalRefused, match="Only the account's principal"):
        services.sign_off(people["admin"], draft, h)
    services.sign_off(people["principal"], draft, h)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED
    assert "publishing.signoff" in actions()


def test_a_standing_pre_authorisation_clears_executive_posts_until_revoked(people, executive):
    with pytest.raises(WorkflowError, match="Only the account's principal"):
        control.grant_preauthorization(people["admin"], executive)
    draft = submitted(people, executive, "Pesan pertama")
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    preauth = control.grant_preauthorization(people["principal"], executive, note="rutin")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED
    control.revoke_preauthorization(people["principal"], preauth)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW
    assert Outbox.objects.get(draft=draft).status == OutboxStatus.CANCELLED
    assert actions()[-1] == "publishing.preauth.revoked"


def test_a_rejection_needs_a_reason_and_an_approver(people, account):
    draft = submitted(people, account)
    h = draft.current_version.content_hash
    with pytest.raises(WorkflowError, match="Say why"):
        services.reject(people["approver"], draft, h, note=" ")
    with pytest.raises(ApprovalRefused, match="not an approver"):
        services.reject(people["viewer"], draft, h, note="no")
    services.reject(people["approver"], draft, h, note="Terlalu panjang")
    draft.refresh_from_db()
    assert draft.status == DraftStatus.REJECTED
    services.new_version(people["author"], draft, Content(text="Lebih pendek"), base_version=1)
    services.submit(people["author"], draft)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


def test_approving_twice_counts_once(people, account):
    ApprovalPolicy.objects.create(account=account, document={
        "steps": [{"name": "Two", "roles": ["approver"], "rule": "n", "count": 2}]})
    draft = submitted(people, account)
    h = draft.current_version.content_hash
    services.approve(people["approver"], draft, h)
    with pytest.raises(ApprovalRefused, match="already"):
        services.approve(people["approver"], draft, h)
    assert Decision.objects.filter(draft=draft).count() == 1
    draft.refresh_from_db()
    assert draft.status == DraftStatus.IN_REVIEW


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="the in-memory SQLite test database has no busy "
                    "timeout across threads; the race runs on PostgreSQL (KAWAL_TEST_DATABASE_URL)")
def test_two_approvers_clicking_at_once_queue_the_post_exactly_once(people, account):
    """Two threads (two database connections) approve at the same instant; the post is queued once and
    each approval is stored once."""
    draft = submitted(people, account)
    h = draft.current_version.content_hash
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def click(user):
        try:
            barrier.wait()
            services.approve(user, draft, h)
        except BaseException as exc:  # noqa: B036 - collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(people[u],)) for u in ("approver", "approver2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # One approval completes the step; the second is either recorded (before the first finished the
    # transition) or refused because the draft is no longer awaiting approval. Never two outbox rows.
    assert all(isinstance(e, (WorkflowError, ApprovalRefused)) for e in errors), errors
    assert Outbox.objects.filter(draft=draft).count() == 1
    assert Decision.objects.filter(draft=draft).count() == 2 - len(errors)


def test_withdrawing_a_scheduled_post_cancels_its_publish_and_it_can_come_back(people, account):
    draft = submitted(people, account)
    services.approve(people["approver"], draft, draft.current_version.content_hash)
    services.withdraw(people["publisher"], draft, reason="situasi berubah")
    assert Outbox.objects.get(draft=draft).status == OutboxStatus.CANCELLED
    assert draft.status == DraftStatus.WITHDRAWN and actions()[-1] == "publishing.draft.withdrawn"
    with pytest.raises(WorkflowError, match="cannot be withdrawn"):
        services.withdraw(people["publisher"], draft)
    services.submit(people["author"], draft)   # unchanged: its approval still holds
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SCHEDULED
    assert Outbox.objects.get(draft=draft).status == OutboxStatus.PENDING
