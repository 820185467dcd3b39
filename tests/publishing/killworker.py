"""Run by test_worker_kill.py in subprocesses against a scratch database (not a test module itself).

    python killworker.py migrate                              create the schema (once per test run)
    python killworker.py setup BASE_URL HANDLE APP_PASSWORD   seed, approve one post; print its outbox id
    python killworker.py worker [--until-done SECONDS]        run the publish job (once, or until the row is done)
    python killworker.py report                               print the outbox row and the ledger as JSON
    python killworker.py race USER1 USER2                     seed a submitted draft, then two forked processes
                                                              approve it at the same instant; print the outcome
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


def _seed(base_url: str, handle: str, password: str) -> tuple[dict, object]:
    org = Organization.objects.create(name="Kill test", slug="kill")
    users = {}
    for name, role in (("author", "author"), ("approver", "approver"), ("approver2", "approver"),
                       ("security", "security")):
        users[name] = get_user_model().objects.create_user(username=name, password="x" * 12)
        Membership.objects.create(user=users[name], organization=org, roles=[role])
    account = SocialAccount(organization=org, platform="bluesky", handle=handle, base_url=base_url)
    account.set_credentials({"identifier": handle, "app_password": password})
    account.save()
    draft = services.create_draft(users["author"], account, services.Content(text=TEXT))
    services.submit(users["author"], draft)
    return users, draft


def approve(username: str, start: float) -> dict:
    from kawal.apps.publishing.models import Draft

    user = get_user_model().objects.get(username=username)
    draft = Draft.objects.select_related("current_version").get()
    content_hash = draft.current_version.content_hash
    time.sleep(max(0.0, start - time.time()))
    try:
        services.approve(user, draft, content_hash)
        return {"ok": True}
    except services.REFUSALS as exc:
        return {"ok": False, "code": exc.code, "message": str(exc)}


def race(first: str, second: str) -> None:
    """Fork two approvers (each opens its own database connection) that click at the same instant."""
    from django.db import connections

    from kawal.apps.publishing.models import Decision

    _seed("http://127.0.0.1:9", "race.test", "unused")
    connections.close_all()
    start = time.time() + 0.7
    children = []
    for name in (first, second):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            result = approve(name, start)
            os.write(write, json.dumps(result).encode())
            os._exit(0)
        os.close(write)
        children.append((pid, read))
    results = []
    for pid, read in children:
        with os.fdopen(read) as pipe:
            results.append(json.loads(pipe.read()))
        os.waitpid(pid, 0)
    print(json.dumps({"results": results, "outbox": Outbox.objects.count(),
                      "decisions": list(Decision.objects.values_list("user__username", flat=True))}))


def setup(base_url: str, handle: str, password: str) -> None:
    users, draft = _seed(base_url, handle, password)
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
    if command == "migrate":
        call_command("migrate", verbosity=0)
    elif command == "setup":
        setup(*args)
    elif command == "worker":
        worker(float(args[1]) if args[:1] == ["--until-done"] else None)
    elif command == "report":
        report()
    elif command == "race":
        race(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
