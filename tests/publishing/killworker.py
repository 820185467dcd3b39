"""Run by test_worker_kill.py in subprocesses against a scratch database (not a test module itself).

    python killworker.py setup BASE_URL HANDLE APP_PASSWORD   migrate, seed, approve one post; print its outbox id
    python killworker.py worker [--until-done SECONDS]        run the publish job (once, or until the row is done)
    python killworker.py report                               print the outbox row and the ledger as JSON
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kawal.server.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from kawal.apps.orgs.models import Membership, Organization  # noqa: E402
from kawal.apps.publishing import publisher, screening, services  # noqa: E402
from kawal.apps.publishing.models import DraftStatus, LedgerEntry, Outbox, OutboxStatus  # noqa: E402
from kawal.apps.social.models import SocialAccount  # noqa: E402

# This test is about exactly-once delivery, not screening: skip loading the screening models (several
# seconds per process on a small machine); the text is screened as "not run" and passes as ok.
screening._engine = lambda: None

TEXT = "Selamat pagi. Layanan publik tetap buka hari ini."


def setup(base_url: str, handle: str, password: str) -> None:
    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Kill test", slug="kill")
    users = {}
    for role in ("author", "approver", "security"):
        users[role] = get_user_model().objects.create_user(username=role, password="x" * 12)
        Membership.objects.create(user=users[role], organization=org, roles=[role])
    account = SocialAccount(organization=org, platform="bluesky", handle=handle, base_url=base_url)
    account.set_credentials({"identifier": handle, "app_password": password})
    account.save()
    draft = services.create_draft(users["author"], account, services.Content(text=TEXT))
    services.submit(users["author"], draft)
    for role in ("approver", "security"):   # security too, in case screening asks for its review step
        draft.refresh_from_db()
        if draft.status == DraftStatus.IN_REVIEW:
            services.approve(users[role], draft, draft.current_version.content_hash)
    print(json.dumps({"outbox": Outbox.objects.get(draft=draft).pk}), flush=True)


def worker(until_done: float | None) -> None:
    print("worker ready", flush=True)
    if until_done is None:
        publisher.publish_next()
        return
    deadline = time.monotonic() + until_done
    while time.monotonic() < deadline:
        if not publisher.publish_next() and not Outbox.objects.exclude(status=OutboxStatus.DONE).exists():
            return
        time.sleep(0.2)


def report() -> None:
    row = Outbox.objects.get()
    print(json.dumps({"status": row.status, "attempts": row.attempts, "platform_id": row.platform_id,
                      "ledger": list(LedgerEntry.objects.values("platform_id", "recovered", "content_hash"))}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup(*args)
    elif command == "worker":
        worker(float(args[1]) if args[:1] == ["--until-done"] else None)
    elif command == "report":
        report()
    else:
        raise SystemExit(f"unknown command {command!r}")
