"""Claim: each connector adds little over its platform: against the local servers on this machine, a
publish takes under 20 ms at the median, and reading a 1,000-post timeline for reconciliation (including
``find_published``'s worst case, a text that is not there) takes under 2 s, so a sync of every account
is bounded by the platforms' own latency and rate limits, not by Kawal.

Runs each connector (X, Mastodon, Bluesky, sandbox) against its local server or sandbox file: N publishes
(timed one by one), a full timeline read of N posts with the platform's largest page, and a
``find_published`` for a text that was never posted. Prints one table. ``--posts`` changes N.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kawal.sources.platforms import Platform, connect
from kawal.sources.platforms.local.bluesky import LocalBluesky
from kawal.sources.platforms.local.mastodon import LocalMastodon
from kawal.sources.platforms.local.server import LocalServer
from kawal.sources.platforms.local.x import LocalX
from kawal.sources.platforms.sandbox import SandboxNetwork

TARGET_PUBLISH_MS = 20.0
TARGET_READ_S = 2.0
SERVERS: dict[str, Callable[[], LocalServer]] = {"x": LocalX, "mastodon": LocalMastodon, "bluesky": LocalBluesky}


def measure(connector: Platform, posts: int) -> tuple[float, float, float, float]:
    latencies = []
    for n in range(posts):
        started = time.perf_counter()
        connector.publish(f"Kabar ke-{n} dari humas 📢 https://example.org/{n} #Kawal", idempotency_key=f"k{n}")
        latencies.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    read = sum(1 for _ in connector.timeline(limit=posts))
    read_s = time.perf_counter() - started
    assert read == posts, f"read {read} of {posts} posts"
    started = time.perf_counter()
    assert connector.find_published("never posted", since=datetime.now(UTC) - timedelta(days=1), limit=posts) is None
    find_s = time.perf_counter() - started
    p95 = statistics.quantiles(latencies, n=20)[-1]
    return statistics.median(latencies), p95, read_s, find_s


def run(platform: str, posts: int, folder: Path) -> tuple[float, float, float, float]:
    if platform == "sandbox":
        network = SandboxNetwork(folder / "sandbox.sqlite3")
        network.add_account("bench")
        return measure(connect("sandbox", base_url=str(network.path), credentials={}, handle="bench"), posts)
    handle = "bench.test" if platform == "bluesky" else "bench"
    with SERVERS[platform]() as server:
        connector = connect(platform, base_url=server.url, credentials=server.add_account(handle), handle=handle)
        try:
            return measure(connector, posts)
        finally:
            connector.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    args = parser.parse_args()
    print(f"{'platform':<10} {'publish p50 ms':>15} {'p95 ms':>8} {'read ' + str(args.posts) + ' s':>10} "
          f"{'find (miss) s':>14}  verdict")
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for platform in ("x", "mastodon", "bluesky", "sandbox"):
            p50, p95, read_s, find_s = run(platform, args.posts, Path(folder))
            ok = p50 < TARGET_PUBLISH_MS and read_s < TARGET_READ_S and find_s < TARGET_READ_S
            failed |= not ok
            print(f"{platform:<10} {p50:>15.1f} {p95:>8.1f} {read_s:>10.2f} {find_s:>14.2f}  "
                  f"{'meets' if ok else 'MISSES'} target")
    print(f"targets: publish p50 < {TARGET_PUBLISH_MS:.0f} ms; timeline read and find_published < {TARGET_READ_S:.0f} s")
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
