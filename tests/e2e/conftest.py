"""A live Kawal (``kawal up --demo`` in a subprocess, temp data dir, free port) and Debian's Chromium driven by
Playwright, launched headless with a fresh user-data dir.

Without ``/usr/bin/chromium`` the browser tests skip and say why, except when ``CI`` is set: there a missing
browser is a failure, so CI can never pass by skipping them.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium

START_TIMEOUT = 120.0


@dataclass
class Kawal:
    """The running server: its address, data directory, environment and demo passwords."""

    base: str
    data: Path
    env: dict[str, str]
    logins: dict[str, str]
    used: dict[str, int] = field(default_factory=dict)  # the TOTP time step each user last logged in with

    def totp(self, username: str) -> str:
        """The current TOTP code of a demo user, computed from the device key seeded in the database."""
        from django_otp.oath import TOTP

        with sqlite3.connect(self.data / "kawal.sqlite3") as db:
            row = db.execute("SELECT d.key, d.step, d.t0, d.digits, d.drift FROM otp_totp_totpdevice d "
                             "JOIN auth_user u ON u.id = d.user_id WHERE u.username = ? AND d.confirmed",
                             (username,)).fetchone()
        assert row is not None, f"{username} has no confirmed TOTP device"
        key, step, t0, digits, drift = row
        # django-otp accepts each code once: a second login in the same time step waits for the next one.
        while (int(time.time()) - t0) // step == self.used.get(username):
            time.sleep(0.5)
        totp = TOTP(bytes.fromhex(key), step, t0, digits, drift)
        self.used[username] = totp.t()
        return f"{totp.token():0{digits}d}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_running(proc: subprocess.Popen[str], log: list[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        log.append(line)
        if re.search(r"Kawal is running at", line):
            return
    proc.kill()
    raise AssertionError("kawal up did not start:\n" + "".join(log[-40:]))


@pytest.fixture(scope="module")
def kawal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kawal]:
    require_chromium()
    data = tmp_path_factory.mktemp("kawal-e2e") / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAWAL_") and k != "DJANGO_SETTINGS_MODULE"}
    env["KAWAL_DATA_DIR"] = str(data)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kawal.cli.main", "up", "--demo", "--port", str(port)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    log: list[str] = []
    _wait_until_running(proc, log)
    # Keep draining the server's output so a full pipe never blocks it.
    threading.Thread(target=lambda: [log.append(x) for x in proc.stdout or []], daemon=True).start()
    try:
        yield Kawal(f"http://127.0.0.1:{port}", data, env, json.loads((data / "demo_logins.json").read_text()))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser_context(kawal: Kawal, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium with a fresh profile; personas take turns in it (cookies cleared between)."""
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            locale="en-US", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(20_000)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where the screenshots of the key steps go: ``KAWAL_E2E_SCREENSHOTS`` or a new temp dir, which pytest's
    temp-dir rotation does not remove, so a person can look at them after the run (the path is printed)."""
    configured = os.environ.get("KAWAL_E2E_SCREENSHOTS")
    path = Path(configured) if configured else Path(tempfile.mkdtemp(prefix="kawal-e2e-shots-"))
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {path}")
    return path


def log_in(page: Any, kawal: Kawal, username: str, *, two_factor: bool = False) -> None:
    page.context.clear_cookies()
    page.goto(f"{kawal.base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", kawal.logins[username])
    page.locator("form:has(#id_username) button[type=submit]").click()
    if two_factor:
        page.wait_for_url("**/login/verify/**")
        page.fill("#id_otp_token", kawal.totp(username))
        page.locator("form:has(#id_otp_token) button[type=submit]").click()
    page.wait_for_url(f"{kawal.base}/")
