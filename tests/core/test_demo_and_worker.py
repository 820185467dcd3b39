"""Demo seeding is idempotent; the worker runs jobs, backs off failures and stops on request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_totp.models import TOTPDevice

from kawal.apps.orgs.models import Membership, Organization
from kawal.apps.social.models import SocialAccount
from kawal.server import bootstrap, worker


@pytest.mark.django_db
def test_demo_seeding_is_idempotent():
    first = bootstrap.seed_demo()
    second = bootstrap.seed_demo()
    assert [(d.username, d.password) for d in first] == [(d.username, d.password) for d in second]
    assert Organization.objects.filter(is_demo=True).count() == 1
    assert User.objects.count() == 8
    assert SocialAccount.objects.count() == 2
    exec_account = SocialAccount.objects.get(is_executive=True)
    assert exec_account.principal.username == "demo-principal"
    assert TOTPDevice.objects.filter(confirmed=True).count() == 3  # approver, publisher, admin
    roles = dict(Membership.objects.values_list("user__username", "roles"))
    assert roles["demo-approver"] == ["approver"]
    admin = next(d for d in first if d.username == "demo-admin")
    assert User.objects.get(username="demo-admin").check_password(admin.password)


@pytest.mark.django_db
def test_demo_otp_only_for_demo_users(people):
    bootstrap.seed_demo()
    code = bootstrap.demo_otp("demo-approver")
    assert len(code) == 6 and code.isdigit()
    with pytest.raises(LookupError, match="not a demo user"):
        bootstrap.demo_otp("admin")
    with pytest.raises(LookupError, match="no two-factor device"):
        bootstrap.demo_otp("demo-author")


def test_worker_runs_jobs_until_idle_and_backs_off_failures(db):
    queue = [1, 2, 3]
    calls = {"broken": 0}

    def drain() -> bool:
        return bool(queue and queue.pop())

    def broken() -> bool:
        calls["broken"] += 1
        raise RuntimeError("platform down")

    backoff = worker.Backoff()
    assert worker.run_once([drain, broken], backoff) is True
    assert worker.run_once([drain, broken], backoff) is True
    assert worker.run_once([drain, broken], backoff) is True
    assert worker.run_once([drain, broken], backoff) is False
    assert queue == [] and calls["broken"] == 1  # backed off after its first failure
    assert backoff.failures[broken] == 1


def test_worker_thread_stops_when_asked(db):
    stop = threading.Event()
    ran = threading.Event()

    def job() -> bool:
        ran.set()
        return False

    thread = threading.Thread(target=worker.run_worker, args=(stop,), kwargs={"jobs": [job],
                                                                              "idle_sleep": 0.05})
    thread.start()
    assert ran.wait(5)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()


def _wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Polls rather than sleeping a fixed time, so a loaded machine slows the test but never fails it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_scheduler_runs_periodic_on_interval(db):
    stop = threading.Event()
    times: list[float] = []
    thread = threading.Thread(target=worker.run_scheduler, args=(stop,),
                              kwargs={"periodic": [(0.2, lambda: times.append(time.monotonic()))],
                                      "tick": 0.02})
    thread.start()
    assert _wait_until(lambda: len(times) >= 3)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert all(b - a >= 0.19 for a, b in zip(times, times[1:], strict=False))


def test_every_app_jobs_module_is_discovered(db):
    jobs = worker.discover_jobs()
    periodic = worker.discover_periodic()
    assert isinstance(jobs, list) and isinstance(periodic, list)
    assert all(callable(j) for j in jobs)


@pytest.mark.django_db
def test_demo_accounts_exist_on_the_sandbox_network():
    bootstrap.seed_demo()
    brand = SocialAccount.objects.get(handle="kawal_demo")
    connector = brand.connector()
    assert connector.profile().display_name == "Demo Brand"
    published = connector.publish("Halo dari Kawal", idempotency_key="demo-1")
    assert [p.text for p in connector.timeline()][0] == "Halo dari Kawal"
    assert published.platform_id


@pytest.mark.django_db
def test_terminal_prompt_creates_the_first_admin(monkeypatch, capsys):
    answers = iter(["boss", "boss@example.org", "Dinas Kominfo"])
    passwords = iter(["short", "short", "a-long-pass-42", "a-long-pass-42"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(passwords))
    bootstrap.guide_first_admin("http://127.0.0.1:8000/", interactive=True)
    out = capsys.readouterr().out
    assert "too short" in out  # the weak password was refused with Django's reason
    boss = User.objects.get(username="boss")
    assert boss.is_superuser and Membership.objects.get(user=boss).roles == ["admin"]
    assert Organization.objects.get().name == "Dinas Kominfo"
    bootstrap.guide_first_admin("http://127.0.0.1:8000/", interactive=True)  # a user exists: nothing asked
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_abandoned_prompt_falls_back_to_the_setup_link(monkeypatch, capsys):
    def interrupted(prompt: str = "") -> str:
        raise EOFError

    monkeypatch.setattr("builtins.input", interrupted)
    bootstrap.guide_first_admin("http://127.0.0.1:8000/", interactive=True)
    out = capsys.readouterr().out
    assert "use the setup link instead" in out and "http://127.0.0.1:8000/setup/" in out
    assert not User.objects.exists()


def test_a_slow_periodic_task_does_not_delay_the_others(db):
    stop = threading.Event()
    fast_runs: list[float] = []
    slow_started = threading.Event()

    def slow() -> None:
        slow_started.set()
        stop.wait(30)  # a long sync, still running while the fast task keeps its rhythm

    periodic = [(60.0, slow), (0.1, lambda: fast_runs.append(time.monotonic()))]
    thread = threading.Thread(target=worker.run_scheduler, args=(stop,),
                              kwargs={"periodic": periodic, "tick": 0.02})
    thread.start()
    assert slow_started.wait(5)
    assert _wait_until(lambda: len(fast_runs) >= 3)
    assert not stop.is_set()  # the slow one is still in hand while the fast one ran three times
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
