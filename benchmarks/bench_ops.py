"""Benchmark of reconciliation, incidents and notifications (a script, not a test).

On a fresh SQLite data directory (or ``KAWAL_DATABASE_URL``), in one process, on the sandbox network:
1. teaching an account's profile an archive of N posts (posts per second);
2. the first sync of an account with 200 posts on its timeline, a sync with nothing new, and a sync that
   finds one hijack: time to the incident, and to the notification reaching a local webhook receiver;
3. delivering M notifications to a local receiver (per second);
4. the incidents list, an incident and an account's integrity page with many rows (render time, queries).

Usage: ``.venv/bin/python benchmarks/bench_ops.py [--archive 2000] [--notifications 200]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KAWAL_DATA_DIR", tempfile.mkdtemp(prefix="kawal-bench-ops-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "kawal.server.settings"
os.environ.setdefault("KAWAL_SECRET_KEY", "bench-only")
os.environ.setdefault("KAWAL_LOG_LEVEL", "WARNING")
os.environ.setdefault("KAWAL_ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from kawal.apps.incidents.models import Incident, Kind  # noqa: E402
from kawal.apps.incidents.services import open_incident  # noqa: E402
from kawal.apps.integrity.sync import learn_archive, sync_account  # noqa: E402
from kawal.apps.notifications.delivery import deliver_next  # noqa: E402
from kawal.apps.notifications.models import Channel  # noqa: E402
from kawal.apps.orgs.models import Membership, Organization  # noqa: E402
from kawal.apps.social.models import SocialAccount  # noqa: E402
from kawal.engine.records import Post  # noqa: E402
from kawal.sources.platforms.sandbox import SandboxNetwork  # noqa: E402
from tests.notifications.receiver import Receiver  # noqa: E402

TEXTS = ("Jadwal layanan publik minggu ini", "Selamat Hari Guru Nasional", "Siaran pers: capaian program",
         "Info pendaftaran beasiswa dibuka", "Waspada penipuan yang mengatasnamakan kementerian")


def seed(network: SandboxNetwork, receiver: Receiver) -> tuple[Organization, SocialAccount, object]:
    org = Organization.objects.create(name="Bench", slug="bench")
    user = get_user_model().objects.create_user(username="security", password="x" * 12)
    Membership.objects.create(user=user, organization=org, roles=["security"])
    network.add_account("humas", display_name="Humas")
    account = SocialAccount.objects.create(organization=org, platform="sandbox", handle="humas",
                                           base_url=str(network.path), sanctioned_clients=["Sprinklr"],
                                           created_at=timezone.now() - timedelta(days=400))
    channel = Channel(organization=org, name="hook", kind="webhook")
    channel.set_config({"url": receiver.url, "secret": "s"})
    channel.save()
    return org, account, user


def bench_archive(account: SocialAccount, n: int) -> None:
    start = datetime(2024, 1, 1, 2, tzinfo=UTC)
    posts = [Post("humas", f"a{i}", start + timedelta(hours=7 * i), f"{TEXTS[i % 5]} #{i}", client="Sprinklr")
             for i in range(n)]
    t = time.perf_counter()
    learn_archive(account, posts)
    seconds = time.perf_counter() - t
    print(f"1. archive: profile learned {n} posts in {seconds:.2f} s ({n / seconds:.0f} posts/s)")


def bench_sync(network: SandboxNetwork, account: SocialAccount, receiver: Receiver) -> None:
    now = datetime.now(UTC)
    for i in range(200):
        network.post_as("humas", f"{TEXTS[i % 5]} ({i})", client="Sprinklr",
                        created_at=now - timedelta(hours=200 - i))
    print("2. sync on the sandbox")
    t = time.perf_counter()
    result = sync_account(account)
    print(f"  first sync, 200 posts:        {(time.perf_counter() - t) * 1000:7.0f} ms "
          f"({result.new_posts} stored, {len(result.incidents)} incidents)")
    timings = []
    for _ in range(5):
        t = time.perf_counter()
        sync_account(account)
        timings.append((time.perf_counter() - t) * 1000)
    print(f"  sync with nothing new:        {statistics.median(timings):7.1f} ms (median of 5)")
    network.post_as("humas", "GIVEAWAY!!! klik http://bit.ly/x sekarang", client="Twitter Web App")
    t = time.perf_counter()
    result = sync_account(account)
    to_incident = (time.perf_counter() - t) * 1000
    while deliver_next():
        pass
    to_notified = (time.perf_counter() - t) * 1000
    incident = Incident.objects.get(pk=result.incidents[0])
    print(f"  sync finding 1 hijack:        {to_incident:7.1f} ms to the incident (score "
          f"{incident.details['score']:.2f}, flagged {incident.details['flagged']}), {to_notified:.1f} ms "
          f"to the webhook receiver ({len(receiver.requests)} request)")


def bench_delivery(org: Organization, account: SocialAccount, receiver: Receiver, n: int) -> None:
    for i in range(n):
        open_incident(org, kind=Kind.OTHER, title=f"bench {i}", severity="low", dedup_key=f"bench:{i}")
    before = len(receiver.requests)
    t = time.perf_counter()
    while deliver_next():
        pass
    seconds = time.perf_counter() - t
    sent = len(receiver.requests) - before
    print(f"3. delivery: {sent} notifications to a local webhook in {seconds:.2f} s ({sent / seconds:.0f}/s)")


def bench_pages(user: object, account: SocialAccount) -> None:
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    incident = Incident.objects.filter(kind=Kind.UNSANCTIONED_POST).first()
    print(f"4. pages ({Incident.objects.count()} incidents, {account.observed_posts.count()} observed posts)")
    for url in ("/incidents/", "/incidents/?status=all", f"/incidents/{incident.pk}/", "/integrity/",
                f"/integrity/accounts/{account.pk}/"):
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                status = client.get(url).status_code
                timings.append((time.perf_counter() - t) * 1000)
        print(f"  {url:<28} {status}  median {statistics.median(timings):7.1f} ms  {len(queries)} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=int, default=2000)
    parser.add_argument("--notifications", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    reverse("incidents:list")  # load the URL conf once, as a running worker already has
    network = SandboxNetwork(Path(os.environ["KAWAL_DATA_DIR"]) / "bench-sandbox.sqlite3")
    receiver = Receiver()
    try:
        org, account, user = seed(network, receiver)
        print(f"database: {connection.vendor}")
        bench_archive(account, args.archive)
        bench_sync(network, account, receiver)
        bench_delivery(org, account, receiver, args.notifications)
        bench_pages(user, account)
    finally:
        receiver.close()
        network.close()


if __name__ == "__main__":
    main()
