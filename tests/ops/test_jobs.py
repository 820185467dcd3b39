"""The worker runs the sync, the escalation check and the delivery: they are where it looks for them."""

from __future__ import annotations

import pytest

from kawal.apps.incidents.services import escalate_overdue
from kawal.apps.integrity.jobs import sync_all, sync_interval
from kawal.apps.notifications.delivery import deliver_next
from kawal.server.worker import discover_jobs, discover_periodic


def test_the_worker_finds_the_ops_jobs():
    assert deliver_next in discover_jobs()
    periodic = dict((fn, interval) for interval, fn in discover_periodic())
    assert periodic[escalate_overdue] == 60.0
    assert periodic[sync_all] == sync_interval()


def test_the_sync_interval_is_configurable_and_checked(monkeypatch):
    monkeypatch.setenv("KAWAL_SYNC_SECONDS", "120")
    assert sync_interval() == 120.0
    monkeypatch.setenv("KAWAL_SYNC_SECONDS", "1")
    assert sync_interval() == 10.0  # never hammer a platform
    monkeypatch.setenv("KAWAL_SYNC_SECONDS", "often")
    with pytest.raises(ValueError, match="KAWAL_SYNC_SECONDS"):
        sync_interval()


@pytest.mark.django_db
def test_sync_all_reads_every_account_and_survives_one_that_fails(org, account, network):
    from kawal.apps.integrity.models import IntegrityProfile
    from kawal.apps.social.models import SocialAccount

    broken = SocialAccount.objects.create(organization=org, platform="sandbox", handle="ghost",
                                          base_url=str(network.path))  # not on the sandbox network
    network.post_as("humas", "halo", client="Sprinklr")
    assert sync_all() == 1
    account.refresh_from_db()
    assert account.last_synced_at is not None and account.observed_posts.count() == 1
    assert "ghost" in IntegrityProfile.objects.get(account=broken).last_error
