"""Exactly-once publishing survives a worker killed mid-publish (kill -9).

A worker subprocess claims the post and publishes it to a local Bluesky server that stores the post and
then hangs before answering (its hang-after-store fault). The test kills the worker with SIGKILL while it
waits, so the platform has the post but Kawal never heard back. A second worker, after the claim's lease
lapses, must find the post on the account's timeline and record it: one post on the platform, one ledger
row. Bluesky has no idempotency key, so a blind retry would post twice.

Runs on a scratch SQLite file, or on the test run's PostgreSQL database when KAWAL_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from kawal.sources.platforms.local.bluesky import LocalBluesky

# Transactional, so that on PostgreSQL the subprocesses share the test run's database and see its rows.
pytestmark = pytest.mark.django_db(transaction=True)
HELPER = Path(__file__).with_name("killworker.py")
ROOT = Path(__file__).resolve().parents[2]


def _base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAWAL_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "kawal.server.settings", "KAWAL_DATA_DIR": str(data_dir),
                "KAWAL_SECRET_KEY": "kill-test-secret", "KAWAL_PUBLISH_LEASE_SECONDS": "2",
                "KAWAL_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)})
    return env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """One migrated SQLite data directory per test run (migrating takes seconds); each test copies it."""
    data_dir = tmp_path_factory.mktemp("kawal-template")
    run(_base_env(data_dir), "migrate")
    return data_dir


@pytest.fixture
def scratch_env(request, tmp_path):
    """The environment of the subprocesses: on PostgreSQL, the test run's own database (the test becomes
    transactional, so the subprocesses see committed rows and the rows are flushed afterwards); on SQLite, a
    copy of a migrated data directory."""
    url = os.environ.get("KAWAL_TEST_DATABASE_URL")
    data_dir = tmp_path / "data"
    if url:
        from django.db import connection

        data_dir.mkdir()
        env = _base_env(data_dir)
        env["KAWAL_DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{connection.settings_dict['NAME']}"))
        return env
    shutil.copytree(request.getfixturevalue("migrated_sqlite"), data_dir)
    return _base_env(data_dir)


def run(env, *args, timeout=120) -> str:
    done = subprocess.run([sys.executable, str(HELPER), *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_publish_leaves_exactly_one_post_and_one_ledger_row(scratch_env):
    with LocalBluesky() as server:
        creds = server.add_account("humas.test")
        run(scratch_env, "setup", server.url, "humas.test", creds["app_password"])
        server.hang_after_next_store(60)   # store the post, then never answer in time

        first = subprocess.Popen([sys.executable, str(HELPER), "worker"], env=scratch_env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: len(server.live_posts()) == 1 or first.poll() is not None, 60,
                     "the first worker to publish")
            assert first.poll() is None, first.stderr.read()[-3000:]
            os.kill(first.pid, signal.SIGKILL)   # kill -9 while it waits for the platform's answer
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
            first.stdout.close()
            first.stderr.close()
        assert first.returncode == -signal.SIGKILL
        state = json.loads(run(scratch_env, "report"))
        assert state["status"] == "claimed" and state["ledger"] == []   # Kawal never heard back

        run(scratch_env, "worker", "--until-done", "30")   # a restarted worker, after the 2 s lease

        state = json.loads(run(scratch_env, "report"))
        stored = server.live_posts()
        assert len(stored) == 1, [p.text for p in stored]
        assert state["status"] == "done" and state["attempts"] == 2
        assert len(state["ledger"]) == 1
        assert state["ledger"][0]["platform_id"] == stored[0].id == state["platform_id"]
        assert state["ledger"][0]["recovered"] is True


@pytest.mark.parametrize("approvers", [("approver", "approver2"), ("approver", "approver")],
                         ids=["two approvers", "one approver clicking twice"])
def test_approvals_clicked_at_the_same_instant_in_two_processes_queue_the_post_once(scratch_env, approvers):
    """Two processes (two connections to a real database file or PostgreSQL) approve at the same instant."""
    state = json.loads(run(scratch_env, "race", *approvers))
    results = state["results"]
    assert state["outbox"] == 1
    assert sum(r["ok"] for r in results) == len(state["decisions"]) >= 1
    refusals = [r for r in results if not r["ok"]]
    if approvers[0] == approvers[1]:
        assert state["decisions"] == ["approver"] and len(refusals) == 1
    assert all(r["code"] in ("duplicate", "conflict") for r in refusals), refusals
