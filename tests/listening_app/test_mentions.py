"""Mention search through the connector of one of the organisation's accounts (the sandbox platform):
new mentions are stored once with their query, the search resumes from the newest id, and a failing
connector is reported on the query in words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kawal.apps.listening.fetching import run_due_queries
from kawal.apps.listening.models import ListenItem, MentionQuery, VolumeBucket
from kawal.apps.listening.understanding import classify_pending
from kawal.apps.listening.volumes import count_pending
from kawal.apps.social.models import SocialAccount
from kawal.sources.platforms.sandbox import SandboxNetwork

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(tmp_path):
    net = SandboxNetwork(tmp_path / "sandbox.sqlite3")
    net.add_account("bankcontoh", display_name="Bank Contoh")
    net.add_account("rina")
    yield net
    net.close()


@pytest.fixture
def query(org, network) -> MentionQuery:
    account = SocialAccount.objects.create(organization=org, platform="sandbox", handle="bankcontoh",
                                           base_url=str(network.path))
    return MentionQuery.objects.create(organization=org, account=account, query="contohpay")


def due(query: MentionQuery) -> None:
    MentionQuery.objects.filter(pk=query.pk).update(next_run_at=timezone.now() - timedelta(seconds=1))


def test_mentions_are_stored_once_and_counted_in_the_query_series(org, network, query):
    network.post_as("rina", "ContohPay gangguan lagi, saya tidak bisa transaksi dari pagi tadi")
    network.post_as("rina", "makan siang dulu")
    assert run_due_queries()
    stored = ListenItem.objects.filter(organization=org, query=query)
    assert [i.text for i in stored] == ["ContohPay gangguan lagi, saya tidak bisa transaksi dari pagi tadi"]
    query.refresh_from_db()
    assert query.since_id and query.last_status.startswith("1 new")
    while classify_pending() or count_pending():
        pass
    assert VolumeBucket.objects.get(organization=org, series=f"query:{query.pk}").count == 1
    assert "outage" in stored.get().topic_keys

    network.post_as("rina", "ContohPay sudah normal kembali, terima kasih")
    due(query)
    run_due_queries()
    assert ListenItem.objects.filter(organization=org, query=query).count() == 2
    query.refresh_from_db()
    assert query.last_status.startswith("1 new, 0 duplicate(s) of known stories, 0 already seen")


def test_a_failing_connector_is_reported_on_the_query(org, query):
    SocialAccount.objects.filter(pk=query.account_id).update(base_url="/nonexistent/dir/sandbox.sqlite3")
    run_due_queries()
    query.refresh_from_db()
    assert query.last_status == "failed" and "bankcontoh" in query.last_error
    assert not ListenItem.objects.filter(organization=org).exists()
