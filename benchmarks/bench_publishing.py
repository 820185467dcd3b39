"""Benchmark of governed publishing (a script, not a test).

On a fresh SQLite data directory (or ``KAWAL_DATABASE_URL``), in one process:
1. workflow latency: create + submit + approve of one draft (p50/p95), with screening off and on;
2. the worker: publish N approved posts to a local Bluesky server through the real connector, posts per
   second, and a check that the platform holds exactly N posts and the ledger N rows;
3. the approval queue and calendar pages with N drafts in review (render time, queries).

Usage: ``.venv/bin/python benchmarks/bench_publishing.py [--posts 200]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KAWAL_DATA_DIR", tempfile.mkdtemp(prefix="kawal-bench-publishing-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "kawal.server.settings"
os.environ.setdefault("KAWAL_SECRET_KEY", "bench-only")
os.environ.setdefault("KAWAL_LOG_LEVEL", "WARNING")
os.environ.setdefault("KAWAL_ALLOWED_HOSTS", "testserver")  # the in-process test client

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from kawal.apps.orgs.models import Membership, Organization  # noqa: E402
from kawal.apps.publishing import publisher, screening, services  # noqa: E402
from kawal.apps.publishing.models import LedgerEntry  # noqa: E402
from kawal.apps.social.models import SocialAccount  # noqa: E402
from kawal.sources.platforms.local.bluesky import LocalBluesky  # noqa: E402

REAL_ENGINE = screening._engine


def seed(server: LocalBluesky) -> tuple[dict, SocialAccount]:
    org = Organization.objects.create(name="Bench", slug="bench")
    users = {}
    for role in ("author", "approver", "security", "viewer"):
        users[role] = get_user_model().objects.create_user(username=role, password="x" * 12)
        Membership.objects.create(user=users[role], organization=org, roles=[role])
    account = SocialAccount(organization=org, platform="bluesky", handle="bench.test", base_url=server.url)
    account.set_credentials(server.add_account("bench.test"))
    account.save()
    return users, account


def cleared(users: dict, account: SocialAccount, text: str) -> list[float]:
    """Create, submit and approve one draft; the three latencies in ms."""
    times = []
    t = time.perf_counter()
    draft = services.create_draft(users["author"], account, services.Content(text=text))
    times.append(time.perf_counter() - t)
    t = time.perf_counter()
    services.submit(users["author"], draft)
    times.append(time.perf_counter() - t)
    t = time.perf_counter()
    for role in ("approver", "security"):
        draft.refresh_from_db()
        if draft.status == "in_review":
            services.approve(users[role], draft, draft.current_version.content_hash)
    times.append(time.perf_counter() - t)
    return [x * 1000 for x in times]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report_latency(label: str, samples: list[list[float]]) -> None:
    for i, step in enumerate(("create", "submit", "approve")):
        column = [s[i] for s in samples]
        print(f"  {label:<14} {step:<8} p50 {statistics.median(column):7.1f} ms  p95 {pct(column, .95):7.1f} ms")


def bench_workflow(users: dict, account: SocialAccount, n: int) -> None:
    print(f"1. workflow latency ({connection.vendor}, {n} drafts each)")
    screening._engine = lambda: None
    report_latency("screening off", [cleared(users, account, f"Pengumuman {i} tanpa saring") for i in range(n)])
    screening._engine = REAL_ENGINE
    t = time.perf_counter()
    screening.run("pemanasan")  # first call loads the models
    print(f"  screening engine first call (model load): {(time.perf_counter() - t) * 1000:.0f} ms")
    report_latency("screening on", [cleared(users, account, f"Pengumuman {i} dengan saring") for i in range(n)])


def bench_worker(server: LocalBluesky, expected: int) -> None:
    print(f"2. worker: publish {expected} approved posts to a local Bluesky server (screening on)")
    t = time.perf_counter()
    done = 0
    while publisher.publish_next():
        done += 1
    seconds = time.perf_counter() - t
    posts, ledger = len(server.live_posts()), LedgerEntry.objects.count()
    print(f"  {done} published in {seconds:.2f} s: {done / seconds:.1f} posts/s "
          f"({seconds / max(done, 1) * 1000:.1f} ms per post incl. re-check and screening)")
    print(f"  platform holds {posts} posts, ledger {ledger} rows: "
          f"{'exactly once' if posts == ledger == expected else 'MISMATCH'}")


def bench_pages(users: dict, account: SocialAccount, n: int) -> None:
    screening._engine = lambda: None
    for i in range(n):
        draft = services.create_draft(users["author"], account, services.Content(text=f"Menunggu {i}"))
        services.submit(users["author"], draft)
    device = TOTPDevice.objects.create(user=users["approver"], name="bench", confirmed=True)
    client = Client()
    client.force_login(users["approver"])
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    print(f"3. pages with {n} drafts in review")
    for url in ("/publishing/", "/publishing/calendar/", f"/publishing/drafts/{draft.pk}/"):
        timings = []
        for _ in range(5):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                status = client.get(url).status_code
                timings.append((time.perf_counter() - t) * 1000)
        print(f"  {url:<28} {status}  median {statistics.median(timings):7.1f} ms  {len(queries)} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--latency-samples", type=int, default=20)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    with LocalBluesky() as server:
        users, account = seed(server)
        bench_workflow(users, account, args.latency_samples)
        screening._engine = lambda: None
        for i in range(args.posts - 2 * args.latency_samples):
            cleared(users, account, f"Pengumuman massal {i}")
        screening._engine = REAL_ENGINE  # the worker screens again at publish time, as in production
        bench_worker(server, max(args.posts, 2 * args.latency_samples))
        bench_pages(users, account, args.posts)


if __name__ == "__main__":
    main()
