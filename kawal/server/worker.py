"""The worker and the scheduler: every app's ``jobs.JOBS`` and ``jobs.PERIODIC``, with the database as queue.

The worker loops over the jobs while any of them did something, then sleeps. A job that raises is backed
off exponentially (up to ``MAX_BACKOFF`` seconds) so a broken platform never spins a core. The scheduler
runs each periodic callable on its interval. Both stop at the next step once ``stop`` is set (Ctrl-C or
SIGTERM), finishing the unit of work in hand.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from django.apps import apps
from django.db import close_old_connections, connection

log = logging.getLogger("kawal.worker")

IDLE_SLEEP = 1.0
MAX_BACKOFF = 300.0


@dataclass
class Backoff:
    """Per-callable exponential backoff after failures."""

    failures: dict[Callable, int] = field(default_factory=dict)
    not_before: dict[Callable, float] = field(default_factory=dict)

    def ready(self, fn: Callable, now: float) -> bool:
        return self.not_before.get(fn, 0.0) <= now

    def failed(self, fn: Callable, now: float) -> float:
        n = self.failures.get(fn, 0) + 1
        self.failures[fn] = n
        delay = min(MAX_BACKOFF, 2.0 ** n)
        self.not_before[fn] = now + delay
        return delay

    def succeeded(self, fn: Callable) -> None:
        self.failures.pop(fn, None)
        self.not_before.pop(fn, None)


def _jobs_modules() -> list[object]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kawal.apps."):
            continue
        try:
            modules.append(importlib.import_module(f"{config.name}.jobs"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.jobs":
                raise
    return modules


def discover_jobs() -> list[Callable[[], bool]]:
    return [job for module in _jobs_modules() for job in getattr(module, "JOBS", [])]


def discover_periodic() -> list[tuple[float, Callable[[], object]]]:
    found = []
    for module in _jobs_modules():
        for interval, fn in getattr(module, "PERIODIC", []):
            if not interval or interval <= 0:
                raise ValueError(f"{module.__name__}.PERIODIC: interval {interval!r} for {fn!r} must be > 0")
            found.append((float(interval), fn))
    return found


def _name(fn: Callable) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _call(fn: Callable, backoff: Backoff) -> object:
    """Run one callable, turning an exception into a logged backoff; returns its result or None."""
    close_old_connections()
    try:
        result = fn()
    except Exception:
        delay = backoff.failed(fn, time.monotonic())
        log.exception("%s failed; retrying in %.0f s", _name(fn), delay)
        return None
    finally:
        close_old_connections()
    backoff.succeeded(fn)
    return result


def run_once(jobs: list[Callable[[], bool]], backoff: Backoff) -> bool:
    """One pass over the jobs; True when any of them did something."""
    did = False
    now = time.monotonic()
    for job in jobs:
        if backoff.ready(job, now) and _call(job, backoff):
            did = True
    return did


def run_worker(stop: threading.Event, *, idle_sleep: float = IDLE_SLEEP,
               jobs: list[Callable[[], bool]] | None = None) -> None:
    jobs = discover_jobs() if jobs is None else jobs
    backoff = Backoff()
    log.info("worker started with %d jobs", len(jobs))
    try:
        while not stop.is_set():
            if not run_once(jobs, backoff):
                stop.wait(idle_sleep)
    finally:
        connection.close()
        log.info("worker stopped")


def run_scheduler(stop: threading.Event, *, tick: float = 0.5,
                  periodic: list[tuple[float, Callable[[], object]]] | None = None,
                  max_parallel: int = 4) -> None:
    """Run each periodic callable on its interval, in a small pool so a slow sync never delays an
    escalation; a callable still running when it falls due again is skipped, not stacked."""
    periodic = discover_periodic() if periodic is None else periodic
    backoff = Backoff()
    start = time.monotonic()
    # First runs are spread over the first seconds so a restart does not fire everything at once.
    due = {fn: start + min(interval, 5.0) * (i / max(1, len(periodic))) for i, (interval, fn) in
           enumerate(periodic)}
    running: dict[Callable, Future] = {}
    log.info("scheduler started with %d periodic tasks", len(periodic))
    pool = ThreadPoolExecutor(max_workers=max_parallel, thread_name_prefix="kawal-periodic")
    try:
        while not stop.is_set():
            now = time.monotonic()
            for interval, fn in periodic:
                if due[fn] > now or not backoff.ready(fn, now):
                    continue
                due[fn] = now + interval
                if fn in running and not running[fn].done():
                    log.warning("%s is still running; skipping this round", _name(fn))
                    continue
                running[fn] = pool.submit(_call, fn, backoff)
            stop.wait(tick)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # finish what is in hand, start nothing new
        connection.close()
        log.info("scheduler stopped")


def start_threads(stop: threading.Event, *, workers: int = 1, scheduler: bool = True) -> list[threading.Thread]:
    threads = [threading.Thread(target=run_worker, args=(stop,), name=f"kawal-worker-{i}", daemon=True)
               for i in range(workers)]
    if scheduler:
        threads.append(threading.Thread(target=run_scheduler, args=(stop,), name="kawal-scheduler",
                                        daemon=True))
    for thread in threads:
        thread.start()
    return threads
