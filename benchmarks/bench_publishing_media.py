"""Benchmark of images in governed publishing (a script, not a test).

On a fresh SQLite data directory (or ``KAWAL_DATABASE_URL``), in one process:
1. storing and re-verifying images (validate by magic bytes, sha256, write; read back and hash again), MB/s;
2. the worker: publish N approved posts with 4 images each to a local Mastodon server through the real
   connector, posts per second, and a check that every post arrived with its 4 images byte for byte.

Usage: ``.venv/bin/python benchmarks/bench_publishing_media.py [--posts 20] [--image-kb 500]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("KAWAL_DATA_DIR", tempfile.mkdtemp(prefix="kawal-bench-media-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "kawal.server.settings"
os.environ.setdefault("KAWAL_SECRET_KEY", "bench-only")
os.environ.setdefault("KAWAL_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from kawal.apps.orgs.models import Membership, Organization  # noqa: E402
from kawal.apps.publishing import media, publisher, screening, services  # noqa: E402
from kawal.apps.publishing.services import Content  # noqa: E402
from kawal.apps.social.models import SocialAccount  # noqa: E402
from kawal.sources.platforms.local.mastodon import LocalMastodon  # noqa: E402

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


def image(n: int, size: int) -> bytes:
    return PNG_HEAD + n.to_bytes(8, "big") + os.urandom(size - len(PNG_HEAD) - 8)


def bench_store(size: int, count: int = 40) -> None:
    blobs = [image(i, size) for i in range(count)]
    org, _ = Organization.objects.get_or_create(slug="bench-store", defaults={"name": "Bench store"})
    start = time.perf_counter()
    hashes = [media.store(f"b{i}.png", blob, organization_id=org.pk).sha256 for i, blob in enumerate(blobs)]
    stored = time.perf_counter() - start
    start = time.perf_counter()
    for digest in hashes:
        media.read_verified(digest)
    verified = time.perf_counter() - start
    mb = count * size / 1e6
    print(f"store {count} x {size // 1000} kB: {mb / stored:.0f} MB/s ({stored / count * 1000:.1f} ms each); "
          f"read and re-verify: {mb / verified:.0f} MB/s ({verified / count * 1000:.1f} ms each)")


def bench_worker(posts: int, size: int) -> None:
    screening._engine = lambda: (lambda text, **_: screening.Screening("ok"))  # time the images, not the models
    org = Organization.objects.create(name="Bench", slug="bench")
    users = {}
    for role in ("author", "approver"):
        users[role] = get_user_model().objects.create_user(username=role, password="x" * 12)
        Membership.objects.create(user=users[role], organization=org, roles=[role])
    with LocalMastodon() as server:
        account = SocialAccount(organization=org, platform="mastodon", handle="bench", base_url=server.url)
        account.set_credentials(server.add_account("bench"))
        account.save()
        expected = {}
        for n in range(posts):
            blobs = [image(1000 + 4 * n + k, size) for k in range(4)]
            stored = [media.store(f"{k}.png", b, organization_id=org.pk).sha256 for k, b in enumerate(blobs)]
            items = services.parse_media([{"sha256": sha} for sha in stored], organization_id=org.pk)
            draft = services.create_draft(users["author"], account, Content(text=f"Foto {n}", media=items))
            services.submit(users["author"], draft)
            services.approve(users["approver"], draft, draft.current_version.content_hash)
            expected[f"Foto {n}"] = blobs
        start = time.perf_counter()
        while publisher.publish_next():
            pass
        elapsed = time.perf_counter() - start
        live = server.live_posts()
        intact = sum(1 for p in live if [server.media[m] for m in p.media] == expected.get(p.text))
        print(f"worker, {posts} posts x 4 images of {size // 1000} kB to the local Mastodon server: "
              f"{posts / elapsed:.1f} posts/s ({elapsed / posts * 1000:.0f} ms per post); "
              f"{len(live)} posts on the platform, {intact} with their 4 images byte for byte")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--image-kb", type=int, default=500)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    bench_store(args.image_kb * 1000)
    bench_store(media.MAX_BYTES, count=8)
    bench_worker(args.posts, args.image_kb * 1000)


if __name__ == "__main__":
    main()
